//! Git hooks that lint the Dockerfiles being pushed (pre-push) or committed (pre-commit).
//!
//! The installed script is a few lines of POSIX sh that `exec`s `dlint hook run …`; the logic
//! (which files changed, reading their content from git, linting) is here, so it is the same
//! on every platform git runs hooks on. `dlint hook` (in `cli`) only prints the outcome.

pub mod git;

use crate::lint::{self, Config};
use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// Marker line identifying a hook script written by dlint.
pub const MARKER: &str = "# dlint-hook:";
/// Environment variable naming the dlint binary the hook runs (overrides the path recorded at
/// install time).
pub const BIN_ENV: &str = "DLINT_BIN";

/// Which hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookKind {
    /// Lints the Dockerfiles changed by the commits being pushed.
    PrePush,
    /// Lints the staged Dockerfiles.
    PreCommit,
}

impl HookKind {
    /// The hook's file name in the hooks directory.
    pub fn file_name(self) -> &'static str {
        match self {
            HookKind::PrePush => "pre-push",
            HookKind::PreCommit => "pre-commit",
        }
    }

    /// What the hook guards: `push` or `commit`.
    pub fn action(self) -> &'static str {
        match self {
            HookKind::PrePush => "push",
            HookKind::PreCommit => "commit",
        }
    }
}

/// Single-quotes a string for sh.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The hook script for `kind`, running `bin` (unless `DLINT_BIN` is set).
pub fn script(kind: HookKind, bin: &Path, threshold: Option<&str>) -> String {
    let threshold = threshold
        .map(|t| format!(" --failure-threshold {}", sh_quote(t)))
        .unwrap_or_default();
    format!(
        "#!/bin/sh\n\
         {MARKER} {name} (installed by `dlint hook install`; remove with `dlint hook uninstall`)\n\
         dlint=\"${{{BIN_ENV}:-{bin}}}\"\n\
         if [ ! -x \"$dlint\" ] && ! command -v \"$dlint\" >/dev/null 2>&1; then\n\
         \x20 if command -v dlint >/dev/null 2>&1; then\n\
         \x20   dlint=dlint\n\
         \x20 else\n\
         \x20   echo \"dlint hook: cannot find dlint (install it, or set {BIN_ENV}); bypass with --no-verify\" >&2\n\
         \x20   exit 1\n\
         \x20 fi\n\
         fi\n\
         exec \"$dlint\" hook run {name}{threshold} -- \"$@\"\n",
        name = kind.file_name(),
        bin = sh_quote(&bin.display().to_string()),
    )
}

fn is_ours(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|s| s.lines().any(|l| l.starts_with(MARKER)))
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What [`install`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// The hook written.
    pub path: PathBuf,
    /// Where a previous hook dlint did not write was kept (`--force`).
    pub backup: Option<PathBuf>,
}

/// Writes the `kind` hook of the repository around the current directory, running `bin`.
/// A hook dlint did not write is replaced only with `force` (and kept as
/// `<hook>.dlint-backup`).
pub fn install(
    kind: HookKind,
    bin: &Path,
    force: bool,
    threshold: Option<&str>,
) -> Result<Installed> {
    if let Some(t) = threshold {
        t.parse::<lint::Threshold>()
            .map_err(|e| Error::Usage(format!("--failure-threshold: {e}")))?;
    }
    let dir = git::hooks_dir()?;
    std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    let path = dir.join(kind.file_name());
    let mut backup = None;
    if path.exists() && !is_ours(&path) {
        if !force {
            return Err(Error::Usage(format!(
                "{} exists and was not written by dlint; rerun with --force to replace it \
                 (it will be kept as {}.dlint-backup)",
                path.display(),
                kind.file_name()
            )));
        }
        let kept = dir.join(format!("{}.dlint-backup", kind.file_name()));
        std::fs::rename(&path, &kept).map_err(io_err(&path))?;
        backup = Some(kept);
    }
    std::fs::write(&path, script(kind, bin, threshold)).map_err(io_err(&path))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(io_err(&path))?;
    }
    Ok(Installed { path, backup })
}

/// What [`uninstall`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uninstalled {
    /// There was no such hook.
    Absent,
    /// The hook at this path was removed.
    Removed(PathBuf),
    /// The hook was removed and the one it had replaced restored.
    Restored(PathBuf),
}

/// Removes the `kind` hook dlint installed (never a hook it did not write).
pub fn uninstall(kind: HookKind) -> Result<Uninstalled> {
    let dir = git::hooks_dir()?;
    let path = dir.join(kind.file_name());
    if !path.exists() {
        return Ok(Uninstalled::Absent);
    }
    if !is_ours(&path) {
        return Err(Error::Usage(format!(
            "{} was not written by dlint; leaving it alone",
            path.display()
        )));
    }
    std::fs::remove_file(&path).map_err(io_err(&path))?;
    let backup = dir.join(format!("{}.dlint-backup", kind.file_name()));
    if backup.exists() {
        std::fs::rename(&backup, &path).map_err(io_err(&backup))?;
        return Ok(Uninstalled::Restored(path));
    }
    Ok(Uninstalled::Removed(path))
}

/// The Dockerfiles the hook guards, as `(revision, path)`: for a pre-push hook those changed
/// by the commits being pushed (`remote` and `updates` are what git passes to the hook), for a
/// pre-commit hook the staged ones (revision `""`, the index).
pub fn changed_files(kind: HookKind, remote: &str, updates: &str) -> Result<Vec<(String, String)>> {
    match kind {
        HookKind::PrePush => git::pushed_files(remote, updates),
        HookKind::PreCommit => git::staged_files(),
    }
}

/// Lints `files` (from [`changed_files`]) as git has them, not as the work tree has them.
/// Identical content at the same path is linted once; a path git has no blob for is skipped.
pub fn lint_changed(
    registry: &lint::Registry,
    files: &[(String, String)],
    cfg: &Config,
) -> Result<Vec<lint::LintedFile>> {
    let specs: Vec<String> = files.iter().map(|(rev, p)| format!("{rev}:{p}")).collect();
    let blobs = git::read_blobs(&specs)?;
    let mut linted: Vec<lint::LintedFile> = Vec::new();
    for ((_, path), blob) in files.iter().zip(blobs) {
        let Some(source) = blob else { continue };
        if linted
            .iter()
            .any(|l| l.path == Path::new(path) && l.source == source)
        {
            continue;
        }
        linted.push(lint::LintedFile {
            diagnostics: lint::lint_source(registry, &source, cfg),
            path: PathBuf::from(path),
            source,
            error: None,
            origin: None,
        });
    }
    Ok(linted)
}

/// What the installed hook found ([`check`]).
#[derive(Debug)]
pub struct Checked {
    /// The Dockerfiles linted, as git has them.
    pub linted: Vec<lint::LintedFile>,
    /// The config they were linted with.
    pub config: Config,
    /// Whether they block the push (or commit).
    pub outcome: lint::Outcome,
}

/// The work of the installed hook: lints the Dockerfiles the push (or commit) changes (see
/// [`changed_files`]) with the config found from the working directory, `threshold` overriding
/// its failure threshold. `None` when no Dockerfile changed.
pub fn check(
    registry: &lint::Registry,
    kind: HookKind,
    remote: &str,
    updates: &str,
    threshold: Option<String>,
) -> Result<Option<Checked>> {
    let files = changed_files(kind, remote, updates)?;
    if files.is_empty() {
        return Ok(None);
    }
    let overrides = lint::config::Overrides {
        failure_threshold: threshold,
        ..Default::default()
    };
    let config = Config::resolve_with(None, false, &overrides, registry)?;
    let linted = lint_changed(registry, &files, &config)?;
    let outcome = lint::outcome(&linted, &config);
    Ok(Some(Checked {
        linted,
        config,
        outcome,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_is_marked_and_quotes_the_binary() {
        let s = script(
            HookKind::PrePush,
            Path::new("/opt/it's/dlint"),
            Some("warning"),
        );
        assert!(s.starts_with("#!/bin/sh\n"));
        assert!(s.lines().any(|l| l.starts_with(MARKER)));
        assert!(
            s.contains(r#"dlint="${DLINT_BIN:-'/opt/it'\''s/dlint'}""#),
            "{s}"
        );
        assert!(s.contains("hook run pre-push --failure-threshold 'warning' -- \"$@\""));
    }
}
