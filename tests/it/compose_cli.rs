//! `dlint lint` of compose and bake files (`testdata/compose/`): each service's or target's
//! Dockerfile linted with its context, target and args, findings named by service.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/compose")
}

fn dlint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("dlint").expect("binary");
    c.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .env_remove("NO_COLOR");
    c
}

/// `dlint lint -f json ARGS` in `dir`: the document and stderr.
fn json(dir: &Path, args: &[&str]) -> (Value, String, i32) {
    let out = dlint(dir)
        .args(["lint", "-f", "json"])
        .args(args)
        .output()
        .expect("runs");
    let doc = serde_json::from_slice(&out.stdout).expect("json");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (doc, stderr, out.status.code().unwrap_or(-1))
}

/// (origin name, file, rule, line) of every finding.
fn findings(doc: &Value) -> Vec<(String, String, String, u64)> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["origin"]["name"].as_str().unwrap_or("").to_string(),
                f["file"].as_str().unwrap_or("").to_string(),
                f["rule"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn has(found: &[(String, String, String, u64)], origin: &str, rule: &str) -> bool {
    found.iter().any(|(o, _, r, _)| o == origin && r == rule)
}

#[test]
fn compose_services_are_linted_with_their_build_settings() {
    let dir = testdata().join("shop");
    let (doc, stderr, code) = json(&dir, &["compose.yaml"]);
    assert_eq!(code, 1, "{stderr}");
    let found = findings(&doc);
    // every finding names its service; the image-only `db` is skipped with a note
    assert!(found.iter().all(|(o, ..)| !o.is_empty()), "{found:?}");
    assert!(
        stderr.contains("service `db` of compose.yaml uses the image `postgres:16`"),
        "{stderr}"
    );
    // `args:` gives NODE_IMAGE a value: no DL5109 for web, which the file alone has
    assert!(!has(&found, "web", "DL5109"), "{found:?}");
    let (alone, _, _) = json(&dir, &["web/web.Dockerfile"]);
    assert!(
        findings(&alone).iter().any(|(_, _, r, _)| r == "DL5109"),
        "{alone}"
    );
    // the same Dockerfile, two targets: the debug stage is only in api-debug's image
    assert!(has(&found, "api-debug", "DL3009"), "{found:?}");
    assert!(!has(&found, "api", "DL3009"), "{found:?}");
    // the inline Dockerfile: positions in compose.yaml, on the lines of the block
    let text = std::fs::read_to_string(dir.join("compose.yaml")).expect("read");
    let worker: Vec<_> = found.iter().filter(|(o, ..)| o == "worker").collect();
    assert!(!worker.is_empty(), "{found:?}");
    for (_, file, rule, line) in worker {
        assert_eq!(file, "compose.yaml");
        let at = text.lines().nth(*line as usize - 1).unwrap_or("");
        assert!(
            at.trim_start().starts_with("COPY") || at.trim_start().starts_with("RUN pip"),
            "{rule} on line {line}: {at}"
        );
    }
}

#[test]
fn service_names_reach_every_format() {
    let dir = testdata().join("shop");
    let run = |format: &str| {
        let out = dlint(&dir)
            .args(["lint", "-f", format, "compose.yaml"])
            .output()
            .expect("runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(run("compact").contains("[service api-debug] "));
    assert!(run("text").contains("note: linted as the build of service `worker`"));
    assert!(run("github").contains("[service web]") || run("github").contains("[service api]"));
    assert!(run("checkstyle").contains("[service api]"));
    let sarif: Value = serde_json::from_str(&run("sarif")).expect("sarif");
    let names: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["properties"]["origin"]["name"].as_str())
        .collect();
    assert!(
        names.contains(&"worker") && names.contains(&"api"),
        "{names:?}"
    );
    // one Dockerfile built by two services: distinct GitLab fingerprints
    let gitlab: Value = serde_json::from_str(&run("gitlab")).expect("gitlab");
    let fps: Vec<&str> = gitlab
        .as_array()
        .expect("issues")
        .iter()
        .filter_map(|i| i["fingerprint"].as_str())
        .collect();
    let unique: std::collections::BTreeSet<_> = fps.iter().collect();
    assert_eq!(unique.len(), fps.len());
}

#[test]
fn bake_json_lints_the_default_group_with_inherited_args() {
    let dir = testdata().join("bake");
    let (doc, stderr, code) = json(&dir, &["docker-bake.json"]);
    assert_eq!(code, 1, "{stderr}");
    let found = findings(&doc);
    assert!(has(&found, "app", "DL3008"), "{found:?}");
    assert!(has(&found, "app-alpine", "DL3008"), "{found:?}");
    // app-dev is not in the default group; BASE comes from `_common`: no DL5109
    assert!(!found.iter().any(|(o, ..)| o == "app-dev" || o == "_common"));
    assert!(!found.iter().any(|(_, _, r, _)| r == "DL5109"), "{found:?}");
}

#[test]
fn a_directory_walk_finds_build_files_and_lints_each_dockerfile_per_build() {
    let (doc, stderr, _) = json(&testdata(), &[]);
    let found = findings(&doc);
    // shop/api/Dockerfile is linted per service, never on its own
    assert!(
        found
            .iter()
            .filter(|(_, f, ..)| f == "shop/api/Dockerfile")
            .all(|(o, ..)| o == "api" || o == "api-debug"),
        "{found:?}"
    );
    assert!(has(&found, "app-alpine", "DL3008"), "{found:?}");
    assert!(stderr.contains("service `db`"), "{stderr}");
}

#[test]
fn bad_build_files_are_one_clear_error() {
    let t = tempfile::tempdir().expect("tempdir");
    std::fs::write(t.path().join("compose.yaml"), "services: [\n").expect("write");
    std::fs::write(t.path().join("docker-bake.hcl"), "target \"x\" {}\n").expect("write");
    let out = dlint(t.path())
        .args(["lint", "compose.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("compose.yaml") && err.contains("not a compose file"),
        "{err}"
    );
    let out = dlint(t.path())
        .args(["lint", "docker-bake.hcl"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("docker buildx bake --print"));
}

#[test]
fn fix_refuses_a_build_file() {
    let t = tempfile::tempdir().expect("tempdir");
    let compose = t.path().join("compose.yaml");
    let text = "services:\n  w:\n    build:\n      dockerfile_inline: |\n        FROM alpine\n        RUN pip install x\n";
    std::fs::write(&compose, text).expect("write");
    let out = dlint(t.path())
        .args(["fix", "compose.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("a compose/bake file"));
    assert_eq!(std::fs::read_to_string(&compose).expect("read"), text);
}
