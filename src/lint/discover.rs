//! Which files `dlint lint` reads: explicit files, directories and globs from the command line,
//! `-` for stdin, and with no paths every Dockerfile under the current directory.
//!
//! Directory walks honour `.gitignore`, `.ignore` and `.git/info/exclude` (the `ignore` crate,
//! the walker behind ripgrep), run in parallel, include hidden directories such as
//! `.devcontainer/` (but never `.git/`), and keep only files named like Dockerfiles (see
//! [`is_dockerfile_name`]). Files named explicitly are always linted, whatever their name.

use crate::Error;
use globset::{GlobBuilder, GlobMatcher};
use ignore::{WalkBuilder, WalkState};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// The path that means "read standard input".
pub const STDIN: &str = "-";

/// The outcome of expanding the command line's paths.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Files to lint, sorted and without duplicates; may contain [`STDIN`].
    pub files: Vec<PathBuf>,
    /// Compose and bake files (named, or found by a walk: see
    /// [`super::project::is_build_file_name`]), sorted and without duplicates.
    pub build_files: Vec<PathBuf>,
    /// Problems found while expanding (unreadable directory, glob that matched nothing…);
    /// each one makes the run exit 2, but the files found are still linted.
    pub errors: Vec<Error>,
}

/// True for file names dlint lints when walking directories: `Dockerfile`, `Dockerfile.*`,
/// `*.Dockerfile` (also `*.dockerfile`), `Containerfile`, `Containerfile.*`. BuildKit's
/// per-Dockerfile ignore files (`*.dockerignore`) and editor/patch leftovers are excluded.
pub fn is_dockerfile_name(name: &str) -> bool {
    const LEFTOVERS: &[&str] = &[".dockerignore", ".orig", ".rej", ".bak", ".swp", ".md", "~"];
    if LEFTOVERS.iter().any(|s| name.ends_with(s)) {
        return false;
    }
    let prefixed = |base: &str| {
        name == base
            || name
                .strip_prefix(base)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|rest| !rest.is_empty())
    };
    prefixed("Dockerfile")
        || prefixed("Containerfile")
        || name
            .strip_suffix(".Dockerfile")
            .or_else(|| name.strip_suffix(".dockerfile"))
            .is_some_and(|stem| !stem.is_empty())
}

/// Expands command-line paths relative to the current directory. See [`expand_in`].
pub fn expand(args: &[PathBuf]) -> Discovered {
    expand_in(Path::new("."), args)
}

/// Expands command-line paths, resolving relative ones against `cwd`:
/// no paths walks `cwd`; `-` is stdin; an existing directory is walked; a path with glob
/// characters (`* ? [ {`) that does not exist as a file is matched against the files under
/// its literal prefix (`**` crosses directories, `*` does not); anything else is taken as a
/// file (a missing one fails when it is read, as an error for that file).
///
/// Returned paths are as the user wrote them (walked ones without a leading `./`).
pub fn expand_in(cwd: &Path, args: &[PathBuf]) -> Discovered {
    let mut found = Discovered::default();
    if args.is_empty() {
        walk(cwd, Path::new(""), None, &mut found);
    }
    for arg in args {
        let text = arg.to_string_lossy();
        let resolved = cwd.join(arg);
        if text == STDIN {
            found.files.push(arg.clone());
        } else if !resolved.is_dir() && super::project::is_build_file_path(arg) {
            found.build_files.push(without_curdir(arg));
        } else if resolved.is_dir() {
            walk(cwd, arg, None, &mut found);
        } else if !resolved.exists() && text.contains(['*', '?', '[', '{']) {
            let base = glob_base(arg);
            let pattern = text.strip_prefix("./").unwrap_or(&text);
            match GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map(|g| g.compile_matcher())
            {
                Ok(m) => {
                    let before = found.files.len();
                    walk(cwd, &base, Some(&m), &mut found);
                    if found.files.len() == before {
                        found
                            .errors
                            .push(Error::Usage(format!("{text}: no file matches this glob")));
                    }
                }
                Err(e) => found
                    .errors
                    .push(Error::Usage(format!("{text}: invalid glob: {e}"))),
            }
        } else {
            found.files.push(without_curdir(arg));
        }
    }
    found.files.sort();
    found.files.dedup();
    found.build_files.sort();
    found.build_files.dedup();
    found
}

/// `./a/./b` as `a/b` (so `./Dockerfile` and `Dockerfile` are one file).
fn without_curdir(p: &Path) -> PathBuf {
    let cleaned: PathBuf = p.components().filter(|c| *c != Component::CurDir).collect();
    if cleaned.as_os_str().is_empty() {
        p.to_path_buf()
    } else {
        cleaned
    }
}

/// The leading components of a glob that contain no glob characters.
fn glob_base(glob: &Path) -> PathBuf {
    let mut base = PathBuf::new();
    for c in glob.components() {
        match c {
            Component::Normal(s) if s.to_string_lossy().contains(['*', '?', '[', '{']) => break,
            Component::CurDir => {}
            other => base.push(other),
        }
    }
    // The last literal component may be the file itself only when nothing glob-like follows,
    // which `expand_in` never passes here.
    base
}

/// Walks `cwd/dir` in parallel, pushing Dockerfile-named files (or, with a glob, files whose
/// `dir`-relative display path matches it) as display paths (`dir/...`).
fn walk(cwd: &Path, dir: &Path, glob: Option<&GlobMatcher>, found: &mut Discovered) {
    let root = if dir.as_os_str().is_empty() {
        cwd.to_path_buf()
    } else {
        cwd.join(dir)
    };
    let files = Mutex::new(Vec::new());
    let build_files = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    WalkBuilder::new(&root)
        .hidden(false)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build_parallel()
        .run(|| {
            let (files, build_files, errors, root) = (&files, &build_files, &errors, &root);
            Box::new(move |entry| {
                let entry = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        if let Ok(mut errs) = errors.lock() {
                            errs.push(Error::Other(format!("{}: {err}", root.display())));
                        }
                        return WalkState::Continue;
                    }
                };
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return WalkState::Continue;
                }
                let Ok(rel) = entry.path().strip_prefix(root) else {
                    return WalkState::Continue;
                };
                let shown = if dir.as_os_str().is_empty() {
                    rel.to_path_buf()
                } else {
                    dir.join(rel)
                };
                let keep = match glob {
                    Some(m) => m.is_match(&shown),
                    None => entry.file_name().to_str().is_some_and(is_dockerfile_name),
                };
                let build_file = glob.is_none()
                    && entry
                        .file_name()
                        .to_str()
                        .is_some_and(super::project::is_build_file_name);
                if build_file && let Ok(mut f) = build_files.lock() {
                    f.push(shown);
                } else if keep && let Ok(mut f) = files.lock() {
                    f.push(shown);
                }
                WalkState::Continue
            })
        });
    found.files.extend(files.into_inner().unwrap_or_default());
    found.build_files.extend(
        build_files
            .into_inner()
            .unwrap_or_default()
            .iter()
            .map(|p| without_curdir(p)),
    );
    found.errors.extend(errors.into_inner().unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for yes in [
            "Dockerfile",
            "Dockerfile.dev",
            "Dockerfile.alpine.arm64",
            "api.Dockerfile",
            "api.dockerfile",
            "Containerfile",
            "Containerfile.rhel",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "dockerfile.txt",
            "Dockerfile.",
            "Dockerfiles",
            ".Dockerfile",
            "Dockerfile.dockerignore",
            "api.Dockerfile.dockerignore",
            "Dockerfile.orig",
            "Dockerfile~",
            "Dockerfile.md",
            "docker-compose.yml",
            "MyDockerfile",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }

    #[test]
    fn glob_base_stops_at_first_glob() {
        assert_eq!(
            glob_base(Path::new("docker/*/Dockerfile")),
            Path::new("docker")
        );
        assert_eq!(glob_base(Path::new("./a/b/**/x")), Path::new("a/b"));
        assert_eq!(glob_base(Path::new("*.Dockerfile")), Path::new(""));
    }
}
