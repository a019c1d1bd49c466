//! Inline ignores, severity overrides, thresholds and opt-in rules, end to end through the binary.

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;
use std::path::Path;

/// A `dlint lint --format compact` command in `dir`, isolated from user config files.
fn dlint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("dlint").unwrap();
    c.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .env_remove("APPDATA")
        .env_remove("USERPROFILE")
        .env("NO_COLOR", "1")
        .args(["lint", "--format", "compact"]);
    c
}

fn repo(dockerfile: &str) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir(t.path().join(".git")).unwrap();
    std::fs::write(t.path().join("Dockerfile"), dockerfile).unwrap();
    t
}

#[test]
fn finding_without_ignore_fails() {
    let t = repo("FROM debian:latest\n");
    dlint(t.path())
        .arg("Dockerfile")
        .assert()
        .code(1)
        .stdout(contains("Dockerfile:1:6: warning DL3007"));
}

#[test]
fn ignore_comment_above_instruction_by_id_or_name() {
    for pragma in [
        "# dlint ignore=DL3007",
        "# hadolint ignore=DL3006,latest-tag",
        "# hadolint ignore=DL3007 # pinned by digest in CI",
    ] {
        let t = repo(&format!("{pragma}\nFROM debian:latest\n"));
        dlint(t.path())
            .arg("Dockerfile")
            .assert()
            .code(0)
            .stdout(predicate::str::is_empty());
    }
}

#[test]
fn ignore_applies_only_to_the_next_instruction() {
    // a blank line separates the comment from the instruction: it is not "directly above"
    let t = repo(
        "FROM debian:12\n# dlint ignore=DL3007\nRUN true\nFROM alpine:latest\n\n# dlint ignore=DL3007\n\nFROM node:latest\n",
    );
    dlint(t.path())
        .arg("Dockerfile")
        .assert()
        .code(1)
        .stdout(contains(":4:").and(contains(":8:")));
}

#[test]
fn global_and_stage_ignores() {
    let t = repo("# dlint global ignore=DL3007\nFROM debian:latest\nFROM alpine:latest\n");
    dlint(t.path()).arg("Dockerfile").assert().code(0);
    let t = repo("# hadolint stage ignore=DL3002\nFROM debian:12\nUSER root\n");
    dlint(t.path()).arg("Dockerfile").assert().code(0);
}

#[test]
fn buildkit_check_skip_directive_and_comment() {
    let t = repo("# check=skip=JSONArgsRecommended;error=true\nFROM debian:12\nCMD echo hi\n");
    dlint(t.path()).arg("Dockerfile").assert().code(0);
    let t = repo(
        "FROM debian:12\n# check=skip=MultipleInstructionsDisallowed\nCMD [\"a\"]\nCMD [\"b\"]\n",
    );
    dlint(t.path()).arg("Dockerfile").assert().code(0);
    // BuildKit names are case-sensitive and unknown names skip nothing
    let t = repo("# check=skip=jsonargsrecommended\nFROM debian:12\nCMD echo hi\n");
    dlint(t.path())
        .arg("Dockerfile")
        .assert()
        .code(1)
        .stdout(contains("DL3025"));
}

#[test]
fn disable_ignore_pragma_and_unused_ignores() {
    let t = repo("# dlint ignore=DL3007\nFROM debian:latest\n");
    dlint(t.path())
        .args(["--disable-ignore-pragma", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(contains("DL3007"));
    // SC2154 is a ShellCheck code dlint does not implement: accepted, never "unused".
    let t = repo("FROM debian:12\n# dlint ignore=DL3025,SC2154\nCMD [\"a\"]\n");
    dlint(t.path()).arg("Dockerfile").assert().code(0);
    dlint(t.path())
        .args(["--report-unused-ignores", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(
            contains("Dockerfile:2:1: warning DL5100")
                .and(contains("`DL3025`"))
                .and(contains("SC2154").not()),
        );
}

#[test]
fn severity_overrides_and_thresholds() {
    let t = repo("FROM debian:latest\n");
    dlint(t.path())
        .args(["-t", "error", "Dockerfile"])
        .assert()
        .code(0);
    dlint(t.path())
        .args(["-t", "error", "--error", "latest-tag", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(contains("error DL3007"));
    dlint(t.path())
        .args(["--no-fail", "Dockerfile"])
        .assert()
        .code(0);
    std::fs::write(
        t.path().join(".dlint.yaml"),
        "override:\n  style: [DL3007]\nfailure-threshold: info\n",
    )
    .unwrap();
    dlint(t.path())
        .arg("Dockerfile")
        .assert()
        .code(0)
        .stdout(contains("style DL3007"));
    std::fs::write(t.path().join(".dlint.yaml"), "ignored: [DL3007]\n").unwrap();
    dlint(t.path())
        .arg("Dockerfile")
        .assert()
        .code(0)
        .stdout(predicate::str::is_empty());
}

#[test]
fn parse_errors_fail_even_with_threshold_none() {
    let t = repo("FROM debian:12\nRUNN true\n");
    dlint(t.path())
        .args(["-t", "none", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(contains("error DL1000"));
    dlint(t.path())
        .args(["--no-fail", "Dockerfile"])
        .assert()
        .code(0);
}

#[test]
fn opt_in_rules_run_only_when_given_a_severity() {
    let t = repo("FROM nginx:1.27\n");
    dlint(t.path()).arg("Dockerfile").assert().code(0);
    dlint(t.path())
        .args(["--info", "DL3057", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(contains("info DL3057"));
}

#[test]
fn config_settings_reach_rules() {
    let t = repo("FROM quay.io/x/y:1\nLABEL org.example.version=v1\n");
    dlint(t.path()).arg("Dockerfile").assert().code(0);
    dlint(t.path())
        .args(["--trusted-registry", "docker.io", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(contains("DL3026"));
    std::fs::write(
        t.path().join(".hadolint.yaml"),
        "label-schema:\n  org.example.version: semver\n",
    )
    .unwrap();
    dlint(t.path())
        .arg("Dockerfile")
        .assert()
        .code(1)
        .stdout(contains("DL3056"));
}

#[test]
fn output_is_sorted_by_path_then_position() {
    let t = repo("FROM b:latest\nFROM a:latest\n");
    std::fs::write(t.path().join("A.Dockerfile"), "FROM c:latest\n").unwrap();
    let out = dlint(t.path())
        .args(["Dockerfile", "A.Dockerfile"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("A.Dockerfile:1:"), "{text}");
    assert!(
        lines[1].starts_with("Dockerfile:1:") && lines[2].starts_with("Dockerfile:2:"),
        "{text}"
    );
}

/// DL3064 was dlint's DL5108: the old id (and BuildKit's check name) keeps working in inline
/// ignores, `check=skip`, the config file's `ignored`/`override`, CLI flags and `explain`.
#[test]
fn former_id_and_buildkit_name_are_accepted_everywhere() {
    const SRC: &str = "FROM debian:12\nARG GITHUB_TOKEN\n";
    // unsuppressed, it fires under the new id
    let t = repo(SRC);
    dlint(t.path())
        .arg("Dockerfile")
        .assert()
        .code(1)
        .stdout(contains("DL3064"));
    for src in [
        "FROM debian:12\n# hadolint ignore=DL5108\nARG GITHUB_TOKEN\n",
        "FROM debian:12\n# dlint ignore=dl5108\nARG GITHUB_TOKEN\n",
        "# dlint global ignore=DL5108\nFROM debian:12\nARG GITHUB_TOKEN\n",
        "FROM debian:12\n# dlint ignore=SecretsUsedInArgOrEnv\nARG GITHUB_TOKEN\n",
        "# check=skip=SecretsUsedInArgOrEnv\nFROM debian:12\nARG GITHUB_TOKEN\n",
        "FROM debian:12\n# check=skip=all\nARG GITHUB_TOKEN\n",
    ] {
        let t = repo(src);
        dlint(t.path())
            .args(["--report-unused-ignores", "Dockerfile"])
            .assert()
            .code(0)
            .stdout(predicate::str::is_empty());
    }
    // config file: ignored, then a severity override by the old id
    let t = repo(SRC);
    std::fs::write(t.path().join(".dlint.yaml"), "ignored: [DL5108]\n").unwrap();
    dlint(t.path()).arg("Dockerfile").assert().code(0);
    std::fs::write(
        t.path().join(".dlint.yaml"),
        "override:\n  error: [DL5108]\n",
    )
    .unwrap();
    dlint(t.path())
        .arg("Dockerfile")
        .assert()
        .code(1)
        .stdout(contains("error DL3064"));
    // CLI flags
    let t = repo(SRC);
    dlint(t.path())
        .args(["--ignore", "DL5108", "Dockerfile"])
        .assert()
        .code(0);
    dlint(t.path())
        .args(["--info", "SecretsUsedInArgOrEnv", "Dockerfile"])
        .assert()
        .stdout(contains("info DL3064"));
    // explain
    let mut c = Command::cargo_bin("dlint").unwrap();
    c.args(["explain", "DL5108"])
        .assert()
        .success()
        .stdout(contains("# DL3064:"))
        .stdout(contains("formerly DL5108"));
}
