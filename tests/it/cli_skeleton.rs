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

/// A docker-archive image of one small layer, written to `dir/name`.
fn image_archive(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    use dlint::image::testkit::{self, ImageSpec, LayerBuilder};
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new().file_size("etc/config", 1000).build(),
            "/bin/sh -c #(nop) ADD file:0123 in / ",
        )
        .tag("example/cli:1");
    let p = dir.join(name);
    std::fs::write(&p, testkit::to_tar(&testkit::docker_blobs(&[spec]))).unwrap();
    p
}

fn dlint_in(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("dlint").unwrap();
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"));
    c
}

#[test]
fn a_mistyped_command_is_unknown_not_a_file_to_lint() {
    let t = tempfile::tempdir().unwrap();
    image_archive(t.path(), "image.tar");
    let out = dlint_in(t.path())
        .args(["explian", "image.tar"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown command `explian`"), "{err}");
    assert!(err.contains("did you mean `dlint explain`?"), "{err}");
    assert!(out.stdout.is_empty(), "nothing linted");
    // a word far from every command lists them
    let out = dlint_in(t.path()).arg("zzqx").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the commands are `lint`"), "{err}");
    // a missing Dockerfile stays a lint of a missing file
    let out = dlint_in(t.path()).arg("Dockerfile").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("unknown command"), "{err}");
    // an existing file of a command-like name is linted
    std::fs::write(t.path().join("explore"), "FROM alpine:3.20\n").unwrap();
    let out = dlint_in(t.path()).args(["explore"]).output().unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("unknown command"),
        "{out:?}"
    );
}

#[test]
fn a_binary_file_given_to_lint_is_one_error_without_its_bytes() {
    let t = tempfile::tempdir().unwrap();
    image_archive(t.path(), "image.tar");
    std::fs::write(t.path().join("blob.bin"), b"FROM a\n\0\x01\x02\xff").unwrap();
    for args in [
        &["lint", "image.tar"][..],
        &["image.tar"],
        &["parse", "image.tar"],
    ] {
        let out = dlint_in(t.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.matches("not a text file; looks like an image archive: did you mean `dlint image image.tar`?")
                .count(),
            1,
            "{args:?}: {err}"
        );
        let all = [&out.stdout[..], &out.stderr[..]].concat();
        assert!(!all.contains(&0), "{args:?}: no binary bytes printed");
        assert!(!String::from_utf8_lossy(&all).contains("ustar"), "{args:?}");
    }
    let out = dlint_in(t.path())
        .args(["lint", "-f", "json", "blob.bin"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = v["findings"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{v}");
    assert_eq!(found[0]["rule"], "DL1002");
    assert!(found[0]["message"].as_str().unwrap().contains("NUL bytes"));
}

#[test]
fn every_command_that_reads_the_config_takes_the_shared_config_flags() {
    let t = tempfile::tempdir().unwrap();
    let a = image_archive(t.path(), "a.tar");
    image_archive(t.path(), "b.tar");
    std::fs::write(t.path().join("Dockerfile"), "FROM alpine:3.20\n").unwrap();
    std::fs::write(t.path().join("bad.yaml"), "no-such-key: 1\n").unwrap();
    let commands: [&[&str]; 5] = [
        &["lint", "Dockerfile"],
        &["fix", "--diff", "Dockerfile"],
        &["image", "a.tar"],
        &["optimize", "Dockerfile", "--image", "a.tar"],
        &["compare", "a.tar", "b.tar"],
    ];
    for cmd in commands {
        let ok = dlint_in(t.path())
            .args(cmd)
            .arg("--no-config")
            .output()
            .unwrap();
        assert_ne!(ok.status.code(), Some(2), "{cmd:?} --no-config: {ok:?}");
        let bad = dlint_in(t.path())
            .args(cmd)
            .args(["--config", "bad.yaml"])
            .output()
            .unwrap();
        assert_eq!(bad.status.code(), Some(2), "{cmd:?} --config bad.yaml");
        let err = String::from_utf8_lossy(&bad.stderr);
        assert!(err.contains("bad.yaml"), "{cmd:?}: {err}");
        let both = dlint_in(t.path())
            .args(cmd)
            .args(["-c", "bad.yaml", "--no-config"])
            .output()
            .unwrap();
        assert_eq!(both.status.code(), Some(2), "{cmd:?}: the flags conflict");
    }
    assert!(a.exists());
}
