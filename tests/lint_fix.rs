//! `dlint fix`: applies rule fixes to the named files only; `--diff` prints instead of writing.

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

const BAD: &str = "FROM golang:1.23 as Build\nMAINTAINER Jane <jane@example.com>\nadd main.go /src/\nEXPOSE 8080:80/TCP\n";
const GOOD: &str = "FROM golang:1.23 AS build\nLABEL maintainer=\"Jane <jane@example.com>\"\nCOPY main.go /src/\nEXPOSE 80/tcp\n";

fn dlint(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("dlint").unwrap();
    c.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"));
    c
}

#[test]
fn fix_rewrites_named_files_until_stable() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("Dockerfile"), BAD).unwrap();
    std::fs::write(t.path().join("other.Dockerfile"), BAD).unwrap();
    dlint(t.path())
        .args(["fix", "--no-config", "Dockerfile"])
        .assert()
        .code(0)
        .stderr(contains("applied"));
    assert_eq!(
        std::fs::read_to_string(t.path().join("Dockerfile")).unwrap(),
        GOOD
    );
    assert_eq!(
        std::fs::read_to_string(t.path().join("other.Dockerfile")).unwrap(),
        BAD
    );
    // the fixed file lints clean of fixable findings, and fixing again changes nothing
    dlint(t.path())
        .args(["fix", "--no-config", "--diff", "Dockerfile"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn diff_prints_and_does_not_write() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("Dockerfile"), BAD).unwrap();
    dlint(t.path())
        .args(["fix", "--no-config", "--diff", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(
            contains("--- a/Dockerfile")
                .and(contains("+LABEL maintainer="))
                .and(contains("-MAINTAINER")),
        );
    assert_eq!(
        std::fs::read_to_string(t.path().join("Dockerfile")).unwrap(),
        BAD
    );
}

#[test]
fn ignored_rules_are_not_fixed_and_bad_paths_fail() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("Dockerfile"), BAD).unwrap();
    dlint(t.path())
        .args(["fix", "--no-config", "--ignore", "DL4000", "Dockerfile"])
        .assert()
        .code(0);
    let text = std::fs::read_to_string(t.path().join("Dockerfile")).unwrap();
    assert!(
        text.contains("MAINTAINER Jane") && text.contains("COPY main.go"),
        "{text}"
    );
    dlint(t.path())
        .args(["fix", "--no-config", "missing"])
        .assert()
        .code(2);
    dlint(t.path())
        .args(["fix", "--no-config", "."])
        .assert()
        .code(2);
}

#[test]
fn stdin_is_fixed_to_stdout() {
    let t = tempfile::tempdir().unwrap();
    dlint(t.path())
        .args(["fix", "--no-config", "-"])
        .write_stdin(BAD)
        .assert()
        .code(0)
        .stdout(GOOD);
}
