//! The binary's skeleton: unbuilt subcommands say so and exit 2.

use assert_cmd::Command;
use predicates::str::contains;

#[test]
fn unknown_subcommand_flag_is_usage_error() {
    Command::cargo_bin("dlint")
        .unwrap()
        .args(["parse", "--no-such-flag"])
        .assert()
        .code(2);
}

#[test]
fn version_prints() {
    Command::cargo_bin("dlint")
        .unwrap()
        .arg("--version")
        .assert()
        .success()
        .stdout(contains("dlint"));
}

/// Runs dlint with its stdout a pipe whose reader is already gone, as in `dlint rules | head -1`
/// once `head` has exited: the command must finish quietly (no panic, no error message).
fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dlint"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn closed_stdout_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let dockerfile = dir.path().join("Dockerfile");
    std::fs::write(
        &dockerfile,
        "FROM debian\nRUN apt-get update\n".repeat(2000),
    )
    .unwrap();
    let df = dockerfile.to_str().unwrap();
    for (args, code) in [
        (vec!["explain", "DL3009"], 0),
        (vec!["rules"], 0),
        (vec!["rules", "--format", "json"], 0),
        (vec!["parse", df], 0),
        (vec!["man"], 0),
        (vec!["completions", "bash"], 0),
        // findings: the exit code still says so
        (vec!["lint", "--no-config", df], 1),
    ] {
        let out = with_closed_stdout(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}
