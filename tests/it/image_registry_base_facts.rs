//! Base-image facts read from a real registry for `dlint lint` (with the cache, its TTL,
//! `--base-facts offline` and Basic auth), and `dlint optimize` pricing the smaller variants of a
//! base's tag from the registry's tag list.

#![cfg(unix)]

use crate::image_registry::{Registry, one_image, tools_present, write_archive};
use assert_cmd::Command;
use dlint::image::Compression;
use dlint::image::testkit::{ImageSpec, LayerBuilder};
use std::path::{Path, PathBuf};

/// A python-like image of `repository:tag` flavour `variant` (its layer sizes differ), with ENV
/// and USER in its config, as an OCI archive in `dir`.
fn base_variant(dir: &Path, name: &str, env: &[&str], user: Option<&str>, size: usize) -> PathBuf {
    let layer = LayerBuilder::new()
        .compress(Compression::Gzip)
        .file("etc/os-release", b"ID=debian\n")
        .file_size("usr/lib/libpython.so", size)
        .build();
    let mut spec = ImageSpec::new()
        .layer(layer, "/bin/sh -c #(nop) ADD file:base in /")
        .setting("Env", serde_json::json!(env))
        .tag("t");
    if let Some(u) = user {
        spec = spec.setting("User", serde_json::json!(u));
    }
    write_archive(dir, name, &[spec], false)
}

/// `dlint lint -f json` with the cache in `cache`: the (rule@line) findings and stderr.
fn lint_base(cache: &Path, dockerfile: &Path, extra: &[&str]) -> (Vec<String>, String) {
    let out = Command::cargo_bin("dlint")
        .unwrap()
        .env_remove("DLINT_REGISTRY_USER")
        .env_remove("DLINT_REGISTRY_PASSWORD")
        .env("REGISTRY_AUTH_FILE", "/nonexistent/auth.json")
        .env("DOCKER_CONFIG", "/nonexistent")
        .env("NO_PROXY", "*")
        .env("XDG_CACHE_HOME", cache)
        .args(["lint", "--no-config", "--no-fail", "-f", "json"])
        .args(extra)
        .arg(dockerfile)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{}@{}", d["rule"].as_str().unwrap(), d["line"]))
        .collect();
    (found, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Base-image facts from a real registry (a manifest and a config, no layer), then from the
/// cache: a hit makes no request (the tag was re-pushed and the old answer stands until the TTL),
/// a stale tag is re-resolved, a corrupt entry is refetched (never a wrong answer), and
/// `--base-facts offline` answers from the cache once the registry is gone.
#[test]
fn base_facts_from_the_registry_and_the_cache() {
    if !tools_present() {
        return;
    }
    let reg = Registry::start(None);
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let full = base_variant(
        tmp.path(),
        "full.tar",
        &["PATH=/usr/local/bin:/usr/bin:/bin", "PYTHON_VERSION=3.12.8"],
        None,
        400_000,
    );
    reg.push(&full, "lang:3.12", &[]);
    let df = tmp.path().join("Dockerfile");
    std::fs::write(
        &df,
        format!(
            "FROM {}/lang:3.12\nARG V=$PYTHON_VERSION\nCOPY $foo /app/\n",
            reg.host()
        ),
    )
    .unwrap();
    let registry = ["--base-facts", "registry"];
    let (found, err) = lint_base(&cache, &df, &registry);
    assert_eq!(found, ["DL3002@1", "DL5106@3"], "{err}");
    let tags = cache.join("dlint/base/tags");
    assert_eq!(std::fs::read_dir(&tags).unwrap().count(), 1);

    // the tag moves to an image without PYTHON_VERSION: the cached answer stands (a cache hit
    // asks nothing) until the entry is older than the TTL
    let moved = base_variant(
        tmp.path(),
        "moved.tar",
        &["PATH=/usr/bin:/bin"],
        Some("65532"),
        100_000,
    );
    reg.push(&moved, "lang:3.12", &[]);
    assert_eq!(
        lint_base(&cache, &df, &registry).0,
        ["DL3002@1", "DL5106@3"]
    );
    for e in std::fs::read_dir(&tags).unwrap() {
        let p = e.unwrap().path();
        let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        v["resolved"] = serde_json::json!(0);
        std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
    }
    // stale: re-resolved; the new base runs as 65532 and lacks PYTHON_VERSION
    let now = ["DL5106@2", "DL5106@3"];
    assert_eq!(lint_base(&cache, &df, &registry).0, now);

    // corrupt facts: offline has nothing to say, registry refetches the right answer
    for e in std::fs::read_dir(cache.join("dlint/base/facts")).unwrap() {
        std::fs::write(e.unwrap().path(), b"{\"digest\": 3").unwrap();
    }
    let (found, err) = lint_base(&cache, &df, &["--base-facts", "offline"]);
    assert!(found.is_empty(), "{found:?}");
    assert!(err.contains("not in the cache"), "{err}");
    assert_eq!(lint_base(&cache, &df, &registry).0, now);

    // the registry is gone: offline (and registry, within the TTL) answer from the cache
    drop(reg);
    assert_eq!(lint_base(&cache, &df, &["--base-facts", "offline"]).0, now);
    assert_eq!(lint_base(&cache, &df, &registry).0, now);
}

/// Base-image facts from a registry that asks for Basic auth: with the credentials in the
/// environment they are read; without, a note and no facts.
#[test]
fn base_facts_with_basic_auth() {
    let Some((reg, tmp, _, _)) = one_image(3, Some(("u", "p4ss"))) else {
        return;
    };
    let df = tmp.path().join("Dockerfile");
    std::fs::write(&df, format!("FROM {}/app:1\nCOPY $foo /app/\n", reg.host())).unwrap();
    let cache = tmp.path().join("cache");
    let (found, err) = lint_base(&cache, &df, &["--base-facts", "registry"]);
    assert!(found.is_empty(), "{found:?}");
    assert!(err.contains("facts unknown"), "{err}");
    let out = Command::cargo_bin("dlint")
        .unwrap()
        .env("DLINT_REGISTRY_USER", "u")
        .env("DLINT_REGISTRY_PASSWORD", "p4ss")
        .env("XDG_CACHE_HOME", &cache)
        .env("NO_PROXY", "*")
        .args([
            "lint",
            "--no-config",
            "--no-fail",
            "-f",
            "json",
            "--base-facts",
            "registry",
        ])
        .arg(&df)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    assert!(
        rules.contains(&"DL5106"),
        "{rules:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `dlint optimize` prices the smaller variants of the base's tag on a real registry: full,
/// slim and alpine flavours of `lang:3.12` (and an unrelated version) under one repository,
/// the tag list read from the registry, each variant's manifest and config read, the saving
/// in every format, ranked with the other findings.
#[test]
fn optimize_prices_the_base_variants() {
    if !tools_present() {
        return;
    }
    let reg = Registry::start(None);
    let tmp = tempfile::tempdir().unwrap();
    let env = ["PATH=/usr/bin:/bin", "PYTHON_VERSION=3.12.8"];
    for (tag, size) in [
        ("3.12", 900_000),
        ("3.12-slim", 300_000),
        ("3.12-alpine", 120_000),
        ("3.11-slim", 10_000),
    ] {
        // incompressible content, so the compressed sizes differ as the files do
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let data: Vec<u8> = (0..size)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        let layer = LayerBuilder::new()
            .compress(Compression::Gzip)
            .file("usr/lib/libpython.so", &data)
            .build();
        let spec = ImageSpec::new()
            .layer(layer, "/bin/sh -c #(nop) ADD file:base in /")
            .setting("Env", serde_json::json!(env))
            .tag("t");
        let archive = write_archive(tmp.path(), &format!("{tag}.tar"), &[spec], false);
        reg.push(&archive, &format!("lang:{tag}"), &[]);
    }
    let df = tmp.path().join("Dockerfile");
    std::fs::write(
        &df,
        format!(
            "FROM {}/lang:3.12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nCOPY app /app\n",
            reg.host()
        ),
    )
    .unwrap();
    let optimize = |format: &str| {
        let out = Command::cargo_bin("dlint")
            .unwrap()
            .env("XDG_CACHE_HOME", tmp.path().join("cache"))
            .env("NO_PROXY", "*")
            .args(["optimize", "--no-config", "-f", format])
            .arg(&df)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let v: serde_json::Value = serde_json::from_str(&optimize("json")).unwrap();
    let variants: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "base-variant")
        .collect();
    assert_eq!(variants.len(), 2, "{v:#}");
    // ranked by saving: alpine first, then slim; 3.11 is another version
    let alpine = variants[0]["what"].as_str().unwrap();
    let slim = variants[1]["what"].as_str().unwrap();
    assert!(
        alpine.contains("lang:3.12-alpine") && alpine.contains("musl"),
        "{alpine}"
    );
    assert!(alpine.contains("apk add"), "{alpine}");
    assert!(
        slim.contains("lang:3.12-slim") && slim.contains("glibc and apt"),
        "{slim}"
    );
    let (a, s) = (
        variants[0]["bytes"].as_u64().unwrap(),
        variants[1]["bytes"].as_u64().unwrap(),
    );
    assert!(a > s && s > 400_000, "alpine saves {a}, slim {s}");
    assert_eq!(variants[0]["status"], "measured");
    assert!(
        variants[0]["note"]
            .as_str()
            .unwrap()
            .contains("compressed only")
    );
    for format in ["text", "markdown"] {
        let out = optimize(format);
        assert!(
            out.contains("base-variant") && out.contains("lang:3.12-slim"),
            "{out}"
        );
    }
}
