//! The machine formats over the real corpus (`../shared/corpus/dockerfiles`): valid SARIF,
//! well-formed checkstyle XML, unique GitLab fingerprints, and the same findings in each.
//! (Each run lints the whole corpus, so the cheaper formats are left to the fixture tests.)

use crate::sarif_schema;

use assert_cmd::Command;
use std::collections::HashSet;
use std::path::Path;

fn lint(corpus: &Path, format: &str) -> Vec<u8> {
    let out = Command::cargo_bin("dlint")
        .expect("binary")
        .args(["lint", "--no-config", "--no-fail", "--format", format])
        .arg(corpus)
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn all_formats_agree_and_validate_on_the_corpus() {
    let Some(corpus) = crate::shared::dir("corpus/dockerfiles") else {
        return;
    };
    let lint = |format: &str| lint(&corpus, format);
    let json: serde_json::Value = serde_json::from_slice(&lint("json")).expect("json");
    let files = json["summary"]["files"].as_u64().expect("files");
    let findings = json["summary"]["findings"].as_u64().expect("findings") as usize;
    assert!(files > 1000, "only {files} files linted");
    assert!(
        findings > 1000,
        "only {findings} findings: are the rules running?"
    );

    let sarif: serde_json::Value = serde_json::from_slice(&lint("sarif")).expect("sarif json");
    let validator = sarif_schema::validator();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .take(10)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(findings)
    );

    let gitlab: Vec<serde_json::Value> =
        serde_json::from_slice(&lint("gitlab")).expect("gitlab json");
    assert_eq!(gitlab.len(), findings);
    let fps: HashSet<&str> = gitlab
        .iter()
        .filter_map(|i| i["fingerprint"].as_str())
        .collect();
    assert_eq!(fps.len(), findings, "duplicate fingerprints");

    let checkstyle = String::from_utf8(lint("checkstyle")).expect("utf-8");
    let doc = roxmltree::Document::parse(&checkstyle).expect("checkstyle XML");
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("error"))
            .count(),
        findings
    );
}
