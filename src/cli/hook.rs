//! `dlint hook`: install, remove and run the git hooks of [`crate::hook`].

use crate::cli::EXIT_OK;
use crate::hook::{self, HookKind, Uninstalled};
use crate::lint;
use crate::report::{self, RenderOptions, file_reports};
use crate::{Error, Result};
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

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

/// Which hook runs (the command-line spelling of [`HookKind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    PrePush,
    PreCommit,
}

/// Arguments of `dlint hook run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// pre-push or pre-commit.
    #[arg(value_enum)]
    pub kind: KindArg,
    /// Block on findings at or above this severity.
    #[arg(short = 't', long, value_name = "THRESHOLD")]
    pub failure_threshold: Option<String>,
    /// What git passes to the hook (pre-push: remote name and URL).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub git_args: Vec<String>,
}

fn kind(pre_commit: bool) -> HookKind {
    if pre_commit {
        HookKind::PreCommit
    } else {
        HookKind::PrePush
    }
}

/// Runs `dlint hook`.
pub fn run(args: HookArgs) -> Result<ExitCode> {
    match args.action {
        HookAction::Install(a) => {
            let bin = std::env::current_exe().map_err(|source| Error::Io {
                path: PathBuf::from("dlint"),
                source,
            })?;
            let done = hook::install(
                kind(a.pre_commit),
                &bin,
                a.force,
                a.failure_threshold.as_deref(),
            )?;
            if let Some(backup) = &done.backup {
                eprintln!("dlint: kept the previous hook as {}", backup.display());
            }
            eprintln!("dlint: installed {}", done.path.display());
            Ok(ExitCode::from(EXIT_OK))
        }
        HookAction::Uninstall(a) => {
            let kind = kind(a.pre_commit);
            match hook::uninstall(kind)? {
                Uninstalled::Absent => eprintln!("dlint: no {} hook installed", kind.file_name()),
                Uninstalled::Removed(p) => eprintln!("dlint: removed {}", p.display()),
                Uninstalled::Restored(_) => {
                    eprintln!("dlint: removed the dlint hook and restored the previous one")
                }
            }
            Ok(ExitCode::from(EXIT_OK))
        }
        HookAction::Run(a) => run_hook(&a),
    }
}

fn run_hook(args: &RunArgs) -> Result<ExitCode> {
    let kind = kind(args.kind == KindArg::PreCommit);
    let mut updates = String::new();
    if kind == HookKind::PrePush {
        std::io::stdin()
            .read_to_string(&mut updates)
            .map_err(|source| Error::Io {
                path: PathBuf::from("<stdin>"),
                source,
            })?;
    }
    let remote = args.git_args.first().map_or("origin", String::as_str);
    let registry = crate::rules::registry();
    let threshold = args.failure_threshold.clone();
    let Some(checked) = hook::check(registry, kind, remote, &updates, threshold)? else {
        return Ok(ExitCode::from(EXIT_OK));
    };
    let (linted, cfg) = (&checked.linted, &checked.config);
    // Git does not always pass a hook's stdout to the user: findings go to stderr.
    let no_color = cfg.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let opts = RenderOptions {
        color: report::ColorChoice::Auto.resolve(std::io::stderr().is_terminal(), no_color),
        ..RenderOptions::default()
    };
    let mut out = std::io::stderr().lock();
    report::render(report::Format::Text, &file_reports(linted), &opts, &mut out)
        .and_then(|()| out.flush())
        .map_err(|source| Error::Io {
            path: PathBuf::from("<stderr>"),
            source,
        })?;
    if checked.outcome != lint::Outcome::Pass {
        eprintln!(
            "dlint: {} blocked by findings in {} Dockerfile{} (fix them, or bypass with --no-verify)",
            kind.action(),
            linted.len(),
            if linted.len() == 1 { "" } else { "s" }
        );
    }
    Ok(ExitCode::from(super::exit_code(checked.outcome)))
}
