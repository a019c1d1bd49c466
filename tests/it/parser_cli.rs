//! `dlint parse FILE --format json`: exit 0 when clean, 1 with positioned errors on stderr.

use assert_cmd::Command;
use predicates::str::contains;

#[test]
fn parse_prints_json_and_exits_zero() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, "FROM alpine:3.20 AS base\nRUN echo hi\n").expect("write");
    let out = Command::cargo_bin("dlint")
        .expect("binary")
        .args(["parse", "--format", "json"])
        .arg(&path)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v["instructions"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["stages"][0]["name"], "base");
    assert_eq!(v["stages"][0]["base"]["tag"], "3.20");
}

#[test]
fn parse_errors_exit_one_with_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, "FROM alpine\n  BOGUS x\n").expect("write");
    Command::cargo_bin("dlint")
        .expect("binary")
        .arg("parse")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(contains(
            "Dockerfile:2:3: error: unknown instruction: BOGUS",
        ));
}

#[test]
fn parse_missing_file_exits_two() {
    Command::cargo_bin("dlint")
        .expect("binary")
        .args(["parse", "/nonexistent/Dockerfile"])
        .assert()
        .code(2);
}
