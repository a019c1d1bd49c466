//! `dlint optimize` from the command line: output formats, the `--max-savings` gate, `--context`,
//! running without an image, and `dlint image` with a Dockerfile showing the lines of its findings.

use crate::optimize::{CACHES, caches_image, write};
use assert_cmd::Command;
use std::path::Path;

fn dlint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("dlint").unwrap();
    // no registry lookup of the base image (the base-variant finding is tested in
    // image_registry_base_facts)
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("DLINT_BASE_FACTS", "off");
    c
}

#[test]
fn cli_formats_gate_and_no_image() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "caches.tar", &caches_image());
    std::fs::write(d.path().join("Dockerfile"), CACHES).unwrap();
    let ok = |args: &[&str], code: i32| {
        let out = dlint(d.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let base = [
        "optimize",
        "Dockerfile",
        "--image",
        "caches.tar",
        "--no-config",
    ];
    let text = ok(&base, 0);
    assert!(text.contains("could be saved"), "{text}");
    assert!(text.contains("deleted-later"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&[&base[..], &["-f", "json"]].concat(), 0)).unwrap();
    assert_eq!(json["schema"], "dlint-optimize/1");
    assert_eq!(json["total_saved"], 13_200);
    assert_eq!(json["size_after"], 1_360);
    assert_eq!(json["findings"][0]["status"], "measured");
    let md = ok(&[&base[..], &["-f", "markdown"]].concat(), 0);
    assert!(md.contains("| line | rule | saved |"), "{md}");
    // gate: 13,200 bytes could go, 90.7% of the image
    ok(&[&base[..], &["--max-savings", "10KB"]].concat(), 1);
    ok(&[&base[..], &["--max-savings", "20KB"]].concat(), 0);
    ok(&[&base[..], &["--max-savings", "50%"]].concat(), 1);
    ok(&[&base[..], &["--max-savings", "95%"]].concat(), 0);
    // no image: the size findings, unmeasured
    let json: serde_json::Value = serde_json::from_str(&ok(
        &["optimize", "Dockerfile", "--no-config", "-f", "json"],
        0,
    ))
    .unwrap();
    let f = json["findings"].as_array().unwrap();
    assert!(f.len() >= 4, "{f:?}");
    assert!(f.iter().all(|f| f["status"] == "not-measured"), "{f:?}");
    assert!(json["size"].is_null());
    // --context: a .git on disk not in .dockerignore
    std::fs::create_dir_all(d.path().join("ctx/.git")).unwrap();
    std::fs::write(d.path().join("ctx/.git/HEAD"), "ref: x\n").unwrap();
    let text = ok(
        &["optimize", "Dockerfile", "--no-config", "--context", "ctx"],
        0,
    );
    assert!(text.contains("build context has .git/"), "{text}");
    std::fs::write(d.path().join("ctx/.dockerignore"), ".git\n").unwrap();
    let text = ok(
        &["optimize", "Dockerfile", "--no-config", "--context", "ctx"],
        0,
    );
    assert!(!text.contains("build context has .git/"), "{text}");
    // bad --target: usage error
    ok(&[&base[..], &["--target", "nope"]].concat(), 2);
}

#[test]
fn image_with_dockerfile_shows_lines() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "caches.tar", &caches_image());
    std::fs::write(d.path().join("Dockerfile"), CACHES).unwrap();
    let out = dlint(d.path())
        .args([
            "image",
            "caches.tar",
            "--dockerfile",
            "Dockerfile",
            "--no-config",
            "-f",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = v["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["line"].clone())
        .collect();
    assert_eq!(
        lines,
        serde_json::json!([null, 2, 3, 4, 5, 6])
            .as_array()
            .unwrap()
            .clone()
    );
    let out = dlint(d.path())
        .args([
            "image",
            "caches.tar",
            "--dockerfile",
            "Dockerfile",
            "--no-config",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("line 5: COPY . /app"), "{text}");
}
