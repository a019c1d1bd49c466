//! Report formats through `dlint lint`: format selection, colour, and SARIF with the real registry.

use crate::sarif_schema;

use assert_cmd::Command;
use predicates::str::contains;
use std::path::Path;

fn dlint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("dlint").expect("binary");
    c.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"));
    c
}

fn project() -> tempfile::TempDir {
    let t = tempfile::tempdir().expect("tempdir");
    // Bad syntax guarantees at least one finding (DL1000) whatever rules exist.
    std::fs::write(
        t.path().join("Dockerfile"),
        "FROM debian:12\nRUN --mount=\nFROOM x\n",
    )
    .expect("write");
    t
}

#[test]
fn sarif_from_the_cli_validates_and_describes_every_rule() {
    let t = project();
    let out = dlint(t.path())
        .args(["lint", "--no-config", "-f", "sarif", "Dockerfile"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let errors: Vec<String> = sarif_schema::validator()
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let registry = dlint::rules::registry();
    assert!(rules.len() >= registry.infos().len());
    for r in rules {
        assert!(
            r["shortDescription"]["text"]
                .as_str()
                .is_some_and(|s| !s.is_empty())
        );
        // help comes from the compiled-in rule page, not from a link
        let id = r["id"].as_str().expect("id");
        let help = r["help"]["markdown"].as_str().unwrap_or_default();
        assert!(
            help.starts_with(&format!("# {id}: ")) && help.contains("## Why"),
            "{id}: help.markdown {help:?}"
        );
        assert_eq!(r["help"]["text"].as_str(), Some(help), "{id}");
        assert!(r.get("helpUri").is_none(), "{id}: placeholder helpUri");
    }
    assert!(
        !doc["runs"][0]["results"]
            .as_array()
            .expect("results")
            .is_empty()
    );
}

#[test]
fn color_flag_and_config_format() {
    let t = project();
    dlint(t.path())
        .args(["lint", "--no-config", "--color", "always", "Dockerfile"])
        .assert()
        .stdout(contains("\u{1b}["));
    let out = dlint(t.path())
        .args(["lint", "--no-config", "Dockerfile"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains('\u{1b}'), "piped output is plain");
    assert!(text.contains("--> Dockerfile:"), "{text}");
    std::fs::write(t.path().join(".dlint.yaml"), "format: gitlab_codeclimate\n").expect("write");
    let out = dlint(t.path())
        .args(["lint", "Dockerfile"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("gitlab json");
    assert!(v[0]["fingerprint"].is_string());
    std::fs::write(t.path().join(".dlint.yaml"), "format: yaml\n").expect("write");
    dlint(t.path())
        .args(["lint", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains("`format`"));
}
