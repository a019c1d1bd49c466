//! `dlint hook` with real git repositories and real pushes to a local bare repository.

use assert_cmd::cargo::cargo_bin;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A Dockerfile every dlint build flags (a parse error always fails the run).
const BAD: &str = "FROOM debian:12\nRUN apt-get install curl\n";
/// A Dockerfile no rule should flag.
const CLEAN: &str = "FROM debian:12.7-slim\nCOPY app /app\nUSER 65534\nCMD [\"/app\"]\n";

struct Sandbox {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Sandbox {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().to_path_buf();
        let s = Sandbox { _tmp: tmp, root };
        s.git(
            &s.root,
            &["init", "-q", "--bare", "-b", "main", "remote.git"],
        );
        s.git(&s.root, &["init", "-q", "-b", "main", "work"]);
        let w = s.work();
        s.git(&w, &["remote", "add", "origin", "../remote.git"]);
        s
    }

    fn work(&self) -> PathBuf {
        self.root.join("work")
    }

    fn cmd(&self, program: &Path, dir: &Path, args: &[&str]) -> Output {
        Command::new(program)
            .args(args)
            .current_dir(dir)
            .env("HOME", &self.root)
            .env("XDG_CONFIG_HOME", self.root.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
            .env("DLINT_BIN", cargo_bin("dlint"))
            .env("NO_COLOR", "1")
            .output()
            .expect("spawn")
    }

    /// Runs git, which must succeed.
    fn git(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.cmd(Path::new("git"), dir, args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Runs git, returning the raw result (for pushes and commits the hook may refuse).
    fn try_git(&self, args: &[&str]) -> Output {
        self.cmd(Path::new("git"), &self.work(), args)
    }

    fn dlint(&self, args: &[&str]) -> Output {
        self.cmd(&cargo_bin("dlint"), &self.work(), args)
    }

    fn commit(&self, file: &str, text: &str) {
        let w = self.work();
        let p = w.join(file);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir).expect("mkdir");
        }
        std::fs::write(p, text).expect("write");
        self.git(&w, &["add", file]);
        self.git(&w, &["commit", "-q", "--no-verify", "-m", file]);
    }

    fn remote_head(&self, branch: &str) -> Option<String> {
        let out = self.cmd(
            Path::new("git"),
            &self.root.join("remote.git"),
            &[
                "rev-parse",
                "-q",
                "--verify",
                &format!("refs/heads/{branch}"),
            ],
        );
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn pre_push_lints_only_the_pushed_dockerfiles() {
    let s = Sandbox::new();
    // The remote already has a bad Dockerfile (pushed before the hook existed).
    s.commit("Dockerfile", BAD);
    s.git(&s.work(), &["push", "-q", "-u", "origin", "main"]);
    let out = s.dlint(&["hook", "install"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let hook = std::fs::read_to_string(s.work().join(".git/hooks/pre-push")).expect("hook");
    assert!(hook.contains("dlint-hook"));

    // A push that changes no Dockerfile goes through, although the repo has a bad one.
    s.commit("app.txt", "v1\n");
    let out = s.try_git(&["push", "origin", "main"]);
    assert!(out.status.success(), "clean push refused: {}", stderr(&out));
    assert_eq!(
        s.remote_head("main"),
        Some(s.git(&s.work(), &["rev-parse", "HEAD"]))
    );

    // A push adding a bad Dockerfile is refused and the remote does not move.
    let before = s.remote_head("main");
    s.commit("svc/api.Dockerfile", BAD);
    let out = s.try_git(&["push", "origin", "main"]);
    assert!(!out.status.success(), "bad push went through");
    let err = stderr(&out);
    assert!(err.contains("svc/api.Dockerfile"), "{err}");
    assert!(err.contains("push blocked"), "{err}");
    assert_eq!(s.remote_head("main"), before);

    // New branches are checked against their merge base with the default branch.
    s.git(&s.work(), &["reset", "-q", "--hard", "origin/main"]);
    s.git(&s.work(), &["checkout", "-q", "-b", "feature"]);
    s.commit("app.txt", "v2\n");
    let out = s.try_git(&["push", "origin", "feature"]);
    assert!(
        out.status.success(),
        "new clean branch refused: {}",
        stderr(&out)
    );
    s.git(&s.work(), &["checkout", "-q", "-b", "feature2"]);
    s.commit("Containerfile.dev", BAD);
    let out = s.try_git(&["push", "origin", "feature2"]);
    assert!(!out.status.success(), "new bad branch went through");
    assert!(stderr(&out).contains("Containerfile.dev"));
    assert_eq!(s.remote_head("feature2"), None);

    // Fixing the Dockerfile lets the branch through.
    std::fs::write(s.work().join("Containerfile.dev"), CLEAN).expect("write");
    s.git(
        &s.work(),
        &["commit", "-q", "--no-verify", "-a", "--amend", "--no-edit"],
    );
    let out = s.try_git(&["push", "origin", "feature2"]);
    assert!(
        out.status.success(),
        "clean Dockerfile refused: {}",
        stderr(&out)
    );
    assert_eq!(
        s.remote_head("feature2"),
        Some(s.git(&s.work(), &["rev-parse", "HEAD"]))
    );

    // Deleting a remote branch lints nothing.
    let out = s.try_git(&["push", "origin", "--delete", "feature"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn pre_commit_lints_staged_content_only() {
    let s = Sandbox::new();
    s.commit("README.md", "hi\n");
    let out = s.dlint(&["hook", "install", "--pre-commit"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A bad Dockerfile in the working tree, not staged: committing something else works.
    std::fs::write(s.work().join("Dockerfile"), BAD).expect("write");
    std::fs::write(s.work().join("README.md"), "hello\n").expect("write");
    s.git(&s.work(), &["add", "README.md"]);
    let out = s.try_git(&["commit", "-q", "-m", "readme"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Staging it blocks the commit.
    s.git(&s.work(), &["add", "Dockerfile"]);
    let out = s.try_git(&["commit", "-q", "-m", "docker"]);
    assert!(!out.status.success(), "bad commit went through");
    assert!(stderr(&out).contains("commit blocked"), "{}", stderr(&out));
    // Staging a fixed version lets it through, although the working tree is bad again.
    std::fs::write(s.work().join("Dockerfile"), CLEAN).expect("write");
    s.git(&s.work(), &["add", "Dockerfile"]);
    std::fs::write(s.work().join("Dockerfile"), BAD).expect("write");
    let out = s.try_git(&["commit", "-q", "-m", "docker"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn never_overwrites_or_removes_a_foreign_hook_without_force() {
    let s = Sandbox::new();
    let hooks = s.work().join(".git/hooks");
    std::fs::create_dir_all(&hooks).expect("mkdir");
    let foreign = "#!/bin/sh\necho mine\n";
    std::fs::write(hooks.join("pre-push"), foreign).expect("write");

    let out = s.dlint(&["hook", "install"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-push"))
            .ok()
            .as_deref(),
        Some(foreign)
    );

    let out = s.dlint(&["hook", "uninstall"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "uninstall removed a foreign hook"
    );
    assert!(hooks.join("pre-push").exists());

    let out = s.dlint(&["hook", "install", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(hooks.join("pre-push"))
            .expect("hook")
            .contains("dlint-hook")
    );
    // Reinstalling over our own hook needs no --force.
    assert!(
        s.dlint(&["hook", "install", "-t", "error"])
            .status
            .success()
    );
    // Uninstall removes ours and restores the one it replaced.
    let out = s.dlint(&["hook", "uninstall"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-push"))
            .ok()
            .as_deref(),
        Some(foreign)
    );
    // Outside a repository: a usage error.
    let out = s.cmd(&cargo_bin("dlint"), &s.root, &["hook", "install"]);
    assert_eq!(out.status.code(), Some(2));
}
