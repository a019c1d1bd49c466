//! `dlint hook`: install, remove and run git hooks that lint the Dockerfiles being pushed
//! (pre-push) or committed (pre-commit).
//!
//! The installed script is a few lines of POSIX sh that `exec`s `dlint hook run …`; the logic
//! (which files changed, reading their content from git, linting, the verdict) is here, so it
//! is the same on every platform git runs hooks on.

use crate::cli::lint::{LintArgs, build_config, exit_code, file_reports};
use crate::cli::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::lint::{self, discover::is_dockerfile_name};
use crate::report::{self, RenderOptions};
use crate::{Error, Result};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// Marker line identifying a hook script written by dlint.
pub const MARKER: &str = "# dlint-hook:";
/// Environment variable naming the dlint binary the hook runs (overrides the path recorded at
/// install time).
pub const BIN_ENV: &str = "DLINT_BIN";

/// Arguments of `dlint hook`.
#[derive(Debug, clap::Args)]
pub struct HookArgs {
    #[command(subcommand)]
    pub action: HookAction,
}

/// `dlint hook` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum HookAction {
    /// Install a pre-push hook (or with --pre-commit a pre-commit hook) in the current repository.
    Install(InstallArgs),
    /// Remove the hook dlint installed (never a hook it did not write).
    Uninstall(KindArgs),
    /// Run the hook logic (called by the installed script).
    #[command(hide = true)]
    Run(RunArgs),
}

/// Arguments of `dlint hook install`.
#[derive(Debug, clap::Args)]
pub struct InstallArgs {
    /// Install a pre-commit hook over the staged Dockerfiles instead of a pre-push hook.
    #[arg(long)]
    pub pre_commit: bool,
    /// Replace an existing hook that dlint did not write (it is kept as `<hook>.dlint-backup`).
    #[arg(long)]
    pub force: bool,
    /// Block on findings at or above this severity (default: the config's failure-threshold).
    #[arg(short = 't', long, value_name = "THRESHOLD")]
    pub failure_threshold: Option<String>,
}

/// Arguments of `dlint hook uninstall`.
#[derive(Debug, clap::Args)]
pub struct KindArgs {
    /// Remove the pre-commit hook instead of the pre-push hook.
    #[arg(long)]
    pub pre_commit: bool,
}

/// Which hook runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HookKind {
    PrePush,
    PreCommit,
}

impl HookKind {
    fn file_name(self) -> &'static str {
        match self {
            HookKind::PrePush => "pre-push",
            HookKind::PreCommit => "pre-commit",
        }
    }

    fn from_flag(pre_commit: bool) -> Self {
        if pre_commit {
            HookKind::PreCommit
        } else {
            HookKind::PrePush
        }
    }
}

/// Arguments of `dlint hook run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// pre-push or pre-commit.
    #[arg(value_enum)]
    pub kind: HookKind,
    /// Block on findings at or above this severity.
    #[arg(short = 't', long, value_name = "THRESHOLD")]
    pub failure_threshold: Option<String>,
    /// What git passes to the hook (pre-push: remote name and URL).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub git_args: Vec<String>,
}

/// Runs `dlint hook`.
pub fn run(args: HookArgs) -> Result<ExitCode> {
    match args.action {
        HookAction::Install(a) => install(&a).map(|()| ExitCode::from(EXIT_OK)),
        HookAction::Uninstall(a) => {
            uninstall(HookKind::from_flag(a.pre_commit)).map(|()| ExitCode::from(EXIT_OK))
        }
        HookAction::Run(a) => run_hook(&a),
    }
}

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
fn hooks_dir() -> Result<PathBuf> {
    let out = git(&["rev-parse", "--git-path", "hooks"])
        .map_err(|e| Error::Usage(format!("not inside a git repository ({e})")))?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out).trim()))
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

fn install(args: &InstallArgs) -> Result<()> {
    let kind = HookKind::from_flag(args.pre_commit);
    if let Some(t) = &args.failure_threshold {
        t.parse::<lint::Threshold>()
            .map_err(|e| Error::Usage(format!("--failure-threshold: {e}")))?;
    }
    let dir = hooks_dir()?;
    std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    let path = dir.join(kind.file_name());
    if path.exists() && !is_ours(&path) {
        if !args.force {
            return Err(Error::Usage(format!(
                "{} exists and was not written by dlint; rerun with --force to replace it \
                 (it will be kept as {}.dlint-backup)",
                path.display(),
                kind.file_name()
            )));
        }
        let backup = dir.join(format!("{}.dlint-backup", kind.file_name()));
        std::fs::rename(&path, &backup).map_err(io_err(&path))?;
        eprintln!("dlint: kept the previous hook as {}", backup.display());
    }
    let bin = std::env::current_exe().map_err(io_err(Path::new("dlint")))?;
    let text = script(kind, &bin, args.failure_threshold.as_deref());
    std::fs::write(&path, text).map_err(io_err(&path))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(io_err(&path))?;
    }
    eprintln!("dlint: installed {}", path.display());
    Ok(())
}

fn uninstall(kind: HookKind) -> Result<()> {
    let dir = hooks_dir()?;
    let path = dir.join(kind.file_name());
    if !path.exists() {
        eprintln!("dlint: no {} hook installed", kind.file_name());
        return Ok(());
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
        eprintln!("dlint: removed the dlint hook and restored the previous one");
    } else {
        eprintln!("dlint: removed {}", path.display());
    }
    Ok(())
}

fn is_zero(sha: &str) -> bool {
    sha.bytes().all(|b| b == b'0')
}

fn wants(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    is_dockerfile_name(name)
}

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

/// Dockerfiles changed by the commits being pushed, as `(commit, path)`.
fn pushed_files(remote: &str, updates: &str) -> Result<Vec<(String, String)>> {
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

/// Reads blobs (`rev:path` each) with one `git cat-file --batch`; `None` for missing ones.
fn read_blobs(specs: &[String]) -> Result<Vec<Option<String>>> {
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

fn run_hook(args: &RunArgs) -> Result<ExitCode> {
    let files: Vec<(String, String)> = match args.kind {
        HookKind::PrePush => {
            let remote = args
                .git_args
                .first()
                .map(String::as_str)
                .unwrap_or("origin");
            let mut updates = String::new();
            std::io::stdin()
                .read_to_string(&mut updates)
                .map_err(io_err(Path::new("<stdin>")))?;
            pushed_files(remote, &updates)?
        }
        HookKind::PreCommit => {
            let out = git(&[
                "diff",
                "--cached",
                "--name-only",
                "-z",
                "--no-renames",
                "--diff-filter=ACMRT",
            ])?;
            names(&out)
                .into_iter()
                .map(|p| (String::new(), p))
                .collect()
        }
    };
    if files.is_empty() {
        return Ok(ExitCode::from(EXIT_OK));
    }
    let specs: Vec<String> = files.iter().map(|(rev, p)| format!("{rev}:{p}")).collect();
    let blobs = read_blobs(&specs)?;
    let registry = crate::rules::registry();
    let lint_args = LintArgs {
        failure_threshold: args.failure_threshold.clone(),
        ..LintArgs::default()
    };
    let cfg = build_config(&lint_args, registry)?;
    let mut linted = Vec::new();
    for ((_, path), blob) in files.iter().zip(blobs) {
        let Some(source) = blob else { continue };
        if linted
            .iter()
            .any(|l: &lint::LintedFile| l.path == Path::new(path) && l.source == source)
        {
            continue;
        }
        linted.push(lint::LintedFile {
            diagnostics: lint::lint_source(registry, &source, &cfg),
            path: PathBuf::from(path),
            source,
            error: None,
        });
    }
    let code = exit_code(&linted, &cfg);
    let reports = file_reports(&linted);
    // Git does not always pass a hook's stdout to the user: findings go to stderr.
    let no_color = cfg.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let opts = RenderOptions {
        color: report::ColorChoice::Auto.resolve(std::io::stderr().is_terminal(), no_color),
        ..RenderOptions::default()
    };
    let mut out = std::io::stderr().lock();
    report::render(report::Format::Text, &reports, &opts, &mut out)
        .and_then(|()| out.flush())
        .map_err(io_err(Path::new("<stderr>")))?;
    if code == EXIT_FINDINGS || code == EXIT_ERROR {
        let what = match args.kind {
            HookKind::PrePush => "push",
            HookKind::PreCommit => "commit",
        };
        eprintln!(
            "dlint: {what} blocked by findings in {} Dockerfile{} (fix them, or bypass with --no-verify)",
            linted.len(),
            if linted.len() == 1 { "" } else { "s" }
        );
    }
    Ok(ExitCode::from(code))
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
