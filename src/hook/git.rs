//! The git plumbing of the hooks: running git, the hooks directory, the Dockerfiles a push or
//! a commit changes, and their content as git has it (not as the work tree has it).

use crate::lint::discover::is_dockerfile_name;
use crate::{Error, Result};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn git_error(what: &str, detail: impl std::fmt::Display) -> Error {
    Error::Other(format!("git {what}: {detail}"))
}

/// Runs git with `args`, returning stdout; a non-zero exit is an error carrying git's stderr.
fn git(args: &[&str]) -> Result<Vec<u8>> {
    let out = Command::new("git")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| git_error(args.first().copied().unwrap_or(""), e))?;
    if !out.status.success() {
        return Err(git_error(
            &args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim(),
        ));
    }
    Ok(out.stdout)
}

/// Like [`git`] but `None` when git exits non-zero (for probes).
fn git_ok(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The hooks directory of the repository around the current directory (honours worktrees
/// and `core.hooksPath`).
pub fn hooks_dir() -> Result<PathBuf> {
    let out = git(&["rev-parse", "--git-path", "hooks"])
        .map_err(|e| Error::Usage(format!("not inside a git repository ({e})")))?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out).trim()))
}

fn is_zero(sha: &str) -> bool {
    sha.bytes().all(|b| b == b'0')
}

fn wants(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    is_dockerfile_name(name)
}

/// The Dockerfile paths of a NUL-separated `git diff --name-only -z` output.
fn names(out: &[u8]) -> Vec<String> {
    out.split(|b| *b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .filter(|p| wants(p))
        .collect()
}

/// Merge base of `sha` with the remote's default branch (or a local main/master).
fn default_base(remote: &str, sha: &str) -> Option<String> {
    let mut candidates = Vec::new();
    if let Some(head) = git_ok(&["symbolic-ref", "-q", &format!("refs/remotes/{remote}/HEAD")]) {
        candidates.push(head);
    }
    for b in ["main", "master"] {
        candidates.push(format!("refs/remotes/{remote}/{b}"));
    }
    candidates.push("refs/heads/main".into());
    candidates.push("refs/heads/master".into());
    candidates
        .iter()
        .find_map(|c| git_ok(&["merge-base", c, sha]).filter(|s| !s.is_empty()))
}

/// Dockerfiles changed by the commits being pushed, as `(commit, path)`; `updates` is what git
/// gives a pre-push hook on stdin (`<local ref> <local sha> <remote ref> <remote sha>` lines).
pub fn pushed_files(remote: &str, updates: &str) -> Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    for line in updates.lines() {
        let mut parts = line.split_whitespace();
        let (Some(_local_ref), Some(local), Some(_remote_ref), Some(remote_sha)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if is_zero(local) {
            continue; // deleting a branch
        }
        let base = if is_zero(remote_sha) {
            default_base(remote, local)
        } else if git_ok(&["cat-file", "-e", &format!("{remote_sha}^{{commit}}")]).is_some() {
            Some(remote_sha.to_string())
        } else {
            None
        };
        let changed = match base {
            Some(base) => git(&[
                "diff",
                "--name-only",
                "-z",
                "--no-renames",
                "--diff-filter=ACMRT",
                &base,
                local,
            ])?,
            None => git(&[
                "log",
                "--format=",
                "--name-only",
                "-z",
                "--diff-filter=ACMRT",
                local,
                "--not",
                &format!("--remotes={remote}"),
            ])?,
        };
        for p in names(&changed) {
            files.push((local.to_string(), p));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Staged Dockerfiles, as `("", path)` (the empty revision names the index).
pub fn staged_files() -> Result<Vec<(String, String)>> {
    let out = git(&[
        "diff",
        "--cached",
        "--name-only",
        "-z",
        "--no-renames",
        "--diff-filter=ACMRT",
    ])?;
    Ok(names(&out)
        .into_iter()
        .map(|p| (String::new(), p))
        .collect())
}

/// Reads blobs (`rev:path` each) with one `git cat-file --batch`; `None` for missing ones.
pub fn read_blobs(specs: &[String]) -> Result<Vec<Option<String>>> {
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| git_error("cat-file", e))?;
    let input: String = specs.iter().map(|s| format!("{s}\n")).collect();
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| git_error("cat-file", "no stdin"))?;
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut out = Vec::new();
    if let Some(mut so) = child.stdout.take() {
        so.read_to_end(&mut out)
            .map_err(|e| git_error("cat-file", e))?;
    }
    let _ = writer.join();
    let _ = child.wait();
    let mut blobs = Vec::with_capacity(specs.len());
    let mut rest = out.as_slice();
    for _ in specs {
        let nl = rest
            .iter()
            .position(|b| *b == b'\n')
            .ok_or_else(|| git_error("cat-file", "truncated output"))?;
        let header = String::from_utf8_lossy(&rest[..nl]).into_owned();
        rest = &rest[nl + 1..];
        let size = match header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse::<usize>().ok())
        {
            Some(size) if header.contains(" blob ") => size,
            _ => {
                blobs.push(None); // "missing", or not a blob
                continue;
            }
        };
        let body = rest
            .get(..size)
            .ok_or_else(|| git_error("cat-file", "truncated blob"))?;
        blobs.push(Some(String::from_utf8_lossy(body).into_owned()));
        rest = rest.get(size + 1..).unwrap_or_default();
    }
    Ok(blobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wanted_paths_and_zero_shas() {
        assert!(wants("svc/api/Dockerfile"));
        assert!(wants("x.Dockerfile"));
        assert!(!wants("Dockerfile/README.md"));
        assert!(is_zero("0000000000000000000000000000000000000000"));
        assert!(!is_zero("00000000000000000000000000000000000000a0"));
        assert_eq!(
            names(b"a/Dockerfile\0b.txt\0Containerfile\0"),
            ["a/Dockerfile", "Containerfile"]
        );
    }
}
