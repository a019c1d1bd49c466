//! Base-image facts in `dlint lint`: `--base-image REF=PATH` (an archive built by the test kit
//! with a realistic ENV/USER/SHELL), the config's `base-images:`, and the default
//! `--base-facts off` making no network call. The registry and cache cases are in
//! `image_registry.rs`.

use assert_cmd::Command;
use dlint::image::testkit::{self, ImageSpec, LayerBuilder};
use serde_json::json;
use std::net::TcpListener;
use std::path::{Path, PathBuf};

/// A python-like base: ENV with PYTHON_VERSION, no USER, bash with pipefail as SHELL.
fn python_like() -> ImageSpec {
    let layer = LayerBuilder::new()
        .file("etc/os-release", b"ID=debian\n")
        .build();
    ImageSpec::new()
        .layer(layer, "/bin/sh -c #(nop) ADD file:base in /")
        .setting(
            "Env",
            json!([
                "PATH=/usr/local/bin:/usr/bin:/bin",
                "LANG=C.UTF-8",
                "PYTHON_VERSION=3.13.1"
            ]),
        )
        .setting("Shell", json!(["/bin/bash", "-o", "pipefail", "-c"]))
        .tag("python:3.13")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn lint(dir: &Path, args: &[&str]) -> (Vec<serde_json::Value>, String) {
    let out = Command::cargo_bin("dlint")
        .unwrap()
        .current_dir(dir)
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env_remove("DLINT_BASE_FACTS")
        .args(["lint", "-f", "json", "--no-fail"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = v["findings"].as_array().cloned().unwrap_or_default();
    (found, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn codes(found: &[serde_json::Value]) -> Vec<String> {
    found
        .iter()
        .map(|d| {
            format!(
                "{}@{}",
                d["rule"].as_str().unwrap_or("?"),
                d["line"].as_u64().unwrap_or(0)
            )
        })
        .collect()
}

#[test]
fn base_image_archive_gives_the_rules_facts() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("python.tar");
    std::fs::write(
        &archive,
        testkit::to_tar(&testkit::docker_classic(&[python_like()])),
    )
    .unwrap();
    let df = write(
        tmp.path(),
        "Dockerfile",
        "FROM python:3.13 AS base\nARG VERSION=$PYTHON_VERSION\nARG OTHER=$foo\nCOPY $bar .\nRUN curl -fsSL x | sh\n",
    );
    let spec = format!("python:3.13={}", archive.display());
    let (with, _) = lint(
        tmp.path(),
        &["--no-config", "--base-image", &spec, df.to_str().unwrap()],
    );
    let with = codes(&with);
    assert!(with.contains(&"DL5106@3".to_string()), "{with:?}");
    assert!(with.contains(&"DL5106@4".to_string()), "{with:?}");
    assert!(
        !with.contains(&"DL5106@2".to_string()),
        "PYTHON_VERSION is the base's: {with:?}"
    );
    // the base's SHELL has pipefail; it sets no USER, so the image runs as root (hadolint #648)
    assert!(!with.iter().any(|c| c.starts_with("DL4006")), "{with:?}");
    assert!(with.contains(&"DL3002@1".to_string()), "{with:?}");
    // without facts: today's behaviour
    let (without, _) = lint(tmp.path(), &["--no-config", df.to_str().unwrap()]);
    let without = codes(&without);
    assert!(
        !without
            .iter()
            .any(|c| c.starts_with("DL5106") || c.starts_with("DL3002")),
        "{without:?}"
    );
    assert!(without.contains(&"DL4006@5".to_string()), "{without:?}");
    // the same through the config's `base-images:` (relative to the config file)
    write(
        tmp.path(),
        ".dlint.yaml",
        "base-images:\n  python:3.13: python.tar\n",
    );
    let (cfg, _) = lint(tmp.path(), &["Dockerfile"]);
    assert_eq!(codes(&cfg), with);
}

#[test]
fn lint_makes_no_network_call_by_default() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let tmp = tempfile::tempdir().unwrap();
    let df = write(
        tmp.path(),
        "Dockerfile",
        &format!("FROM 127.0.0.1:{port}/app:1\nCOPY $foo .\n"),
    );
    let (found, err) = lint(tmp.path(), &["--no-config", df.to_str().unwrap()]);
    assert!(
        codes(&found).iter().all(|c| !c.starts_with("DL5106")),
        "{found:?}"
    );
    assert!(err.is_empty(), "{err}");
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "lint connected to the registry"
    );
    assert!(!tmp.path().join("cache").exists(), "lint wrote a cache");
}

#[test]
fn unreachable_registry_is_a_note_and_lint_succeeds() {
    // a port nothing listens on
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let tmp = tempfile::tempdir().unwrap();
    let df = write(
        tmp.path(),
        "Dockerfile",
        &format!("FROM 127.0.0.1:{port}/app:1\nCOPY $foo .\n"),
    );
    let (found, err) = lint(
        tmp.path(),
        &[
            "--no-config",
            "--base-facts",
            "registry",
            df.to_str().unwrap(),
        ],
    );
    assert!(
        codes(&found).iter().all(|c| !c.starts_with("DL5106")),
        "{found:?}"
    );
    assert!(err.contains("dlint: note: base image 127.0.0.1:"), "{err}");
    assert!(err.contains("facts unknown"), "{err}");
    // offline: the cache is empty, which is said too
    let (_, err) = lint(
        tmp.path(),
        &[
            "--no-config",
            "--base-facts",
            "offline",
            df.to_str().unwrap(),
        ],
    );
    assert!(err.contains("not in the cache"), "{err}");
}

/// `dlint image --dockerfile` reads base-image facts as `dlint optimize` does: from the
/// registry by default (a connection to the FROM's registry), none with `--base-facts off`.
#[test]
fn image_dockerfile_uses_base_facts_like_optimize() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = accepted.clone();
    // a "registry" that hangs up on every connection: the lookups fail at once
    std::thread::spawn(move || {
        for s in listener.incoming() {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(s);
        }
    });
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("app.tar");
    std::fs::write(
        &archive,
        testkit::to_tar(&testkit::oci(&[python_like().tag("app:1")], false)),
    )
    .unwrap();
    let df = write(
        tmp.path(),
        "Dockerfile",
        &format!("FROM 127.0.0.1:{port}/lang:3.13\nRUN apt-get update\n"),
    );
    let image = |extra: &[&str]| {
        let out = Command::cargo_bin("dlint")
            .unwrap()
            .env("XDG_CACHE_HOME", tmp.path().join("cache"))
            .env_remove("DLINT_BASE_FACTS")
            .env("NO_PROXY", "*")
            .args(["image", "--no-config", "--no-cache", "-f", "html", "-o"])
            .arg(tmp.path().join("out.html"))
            .arg("--dockerfile")
            .arg(&df)
            .args(extra)
            .arg(&archive)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = image(&["--base-facts", "off"]);
    assert_eq!(
        accepted.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "{err}"
    );
    assert!(!err.contains("facts unknown"), "{err}");
    let err = image(&[]);
    assert!(
        accepted.load(std::sync::atomic::Ordering::SeqCst) >= 1,
        "{err}"
    );
    assert!(err.contains("base image 127.0.0.1:"), "{err}");
}
