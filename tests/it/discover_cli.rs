//! File discovery as a user drives it: no path, directories, globs, stdin, unreadable files.

use assert_cmd::Command;
use predicates::str::contains;
use std::path::Path;

fn dlint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("dlint").expect("binary");
    c.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .env_remove("NO_COLOR");
    c
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(p, text).expect("write");
}

/// A repository with Dockerfiles under every naming convention, plus decoys.
fn repo() -> tempfile::TempDir {
    let t = tempfile::tempdir().expect("tempdir");
    let r = t.path();
    let ok = "FROM debian:12\n";
    std::fs::create_dir_all(r.join(".git")).expect("git dir");
    write(r, ".git/Dockerfile", ok); // never walked
    write(r, ".gitignore", "build/\n*.generated.Dockerfile\n");
    for f in [
        "Dockerfile",
        "Containerfile",
        "services/api/Dockerfile.dev",
        "services/web/web.Dockerfile",
        "services/web/Containerfile.rhel",
        ".devcontainer/Dockerfile",
        "build/Dockerfile",       // ignored directory
        "x.generated.Dockerfile", // ignored file
        "docs/Dockerfile.md",     // not a Dockerfile
        "services/api/Dockerfile.dockerignore",
        "docker-compose.yml",
    ] {
        write(r, f, ok);
    }
    t
}

/// Runs `dlint lint ARGS --format json --no-fail --no-config` and returns the linted files.
fn linted(dir: &Path, args: &[&str]) -> Vec<String> {
    let out = dlint(dir)
        .arg("lint")
        .args(args)
        .args(["--format", "json", "--no-fail", "--no-config"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f.as_str().map(str::to_string))
        .collect()
}

#[test]
fn no_path_lints_every_dockerfile_in_the_repository_honouring_gitignore() {
    let t = repo();
    let files = linted(t.path(), &[]);
    assert_eq!(
        files,
        [
            ".devcontainer/Dockerfile",
            "Containerfile",
            "Dockerfile",
            "services/api/Dockerfile.dev",
            "services/web/Containerfile.rhel",
            "services/web/web.Dockerfile",
        ]
    );
    // bare `dlint` means the same
    let out = dlint(t.path())
        .args(["--format", "compact", "--no-fail", "--no-config"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn directories_and_globs() {
    let t = repo();
    assert_eq!(
        linted(t.path(), &["services/web"]),
        [
            "services/web/Containerfile.rhel",
            "services/web/web.Dockerfile"
        ]
    );
    assert_eq!(
        linted(t.path(), &["services/*/Dockerfile*"]),
        [
            "services/api/Dockerfile.dev",
            "services/api/Dockerfile.dockerignore"
        ]
    );
    assert_eq!(
        linted(t.path(), &["**/*.Dockerfile"]),
        ["services/web/web.Dockerfile"]
    );
    // An explicit file is linted whatever its name; duplicates collapse.
    assert_eq!(
        linted(
            t.path(),
            &["docs/Dockerfile.md", "Dockerfile", "./Dockerfile"]
        ),
        ["Dockerfile", "docs/Dockerfile.md"]
    );
}

#[test]
fn glob_matching_nothing_is_an_error() {
    let t = repo();
    dlint(t.path())
        .args(["lint", "--no-config", "nothing/*/Dockerfile", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains("nothing/*/Dockerfile: no file matches"));
}

#[test]
fn stdin_with_stdin_filename() {
    let t = repo();
    let out = dlint(t.path())
        .args([
            "lint",
            "-",
            "--stdin-filename",
            "docker/app.Dockerfile",
            "--format",
            "json",
            "--no-fail",
            "--no-config",
        ])
        .write_stdin("FROM alpine:3.20\nRUN apk add curl\n")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["files"], serde_json::json!(["docker/app.Dockerfile"]));
    for f in v["findings"].as_array().expect("findings") {
        assert_eq!(f["file"], "docker/app.Dockerfile");
    }
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_an_error_for_that_file_only() {
    let t = repo();
    // A symlink to itself cannot be read, even by root.
    std::os::unix::fs::symlink("loop.Dockerfile", t.path().join("loop.Dockerfile"))
        .expect("symlink");
    let out = dlint(t.path())
        .args([
            "lint",
            "loop.Dockerfile",
            "Dockerfile",
            "--format",
            "json",
            "--no-config",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("loop.Dockerfile"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // the unreadable file is in the report too, as a DL1002 finding (issue 15)
    assert_eq!(
        v["files"],
        serde_json::json!(["Dockerfile", "loop.Dockerfile"])
    );
    let unreadable: Vec<_> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "DL1002")
        .collect();
    assert_eq!(unreadable.len(), 1);
    assert_eq!(unreadable[0]["file"], "loop.Dockerfile");
}

#[test]
fn empty_directory_is_a_usage_error() {
    let t = tempfile::tempdir().expect("tempdir");
    dlint(t.path())
        .args(["lint", "--no-config"])
        .assert()
        .code(2)
        .stderr(contains("no Dockerfile found"));
}
