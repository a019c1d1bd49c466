//! Command-line interface: clap definitions and one module per subcommand.

use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::process::ExitCode;

pub mod compare;
pub mod completions;
pub mod docker_plugin;
pub mod explain;
pub mod explore;
pub mod fix;
pub mod fmt;
pub mod hook;
pub mod image;
mod image_family;
mod image_scan;
mod jsonl_stream;
pub mod layer_cache;
pub mod lint;
pub mod lsp;
pub mod man;
pub mod merge;
pub mod optimize;
pub mod parse;
mod project;
pub mod registry;
pub mod rules;
pub mod shared;
mod values;

pub use explain::ExplainArgs;
pub use fix::FixArgs;
pub use hook::HookArgs;
pub use image::ImageArgs;
pub use lint::LintArgs;

pub use compare::CompareArgs;

/// Exit code: no finding at or above the failure threshold.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above the threshold (or a failed gate).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage, I/O, config or input errors.
pub const EXIT_ERROR: u8 = 2;

/// The exit code of a lint run's outcome.
pub fn exit_code(outcome: crate::lint::Outcome) -> u8 {
    match outcome {
        crate::lint::Outcome::Pass => EXIT_OK,
        crate::lint::Outcome::Fail => EXIT_FINDINGS,
        crate::lint::Outcome::Error => EXIT_ERROR,
    }
}

/// dlint: lint Dockerfiles and measure container images.
#[derive(Debug, Parser)]
#[command(name = "dlint", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
// Parsed once per process; boxing the big argument structs would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint Dockerfiles (the default when given paths).
    Lint(LintArgs),
    /// Print the documentation page of a rule.
    Explain(ExplainArgs),
    /// List every rule with id, name, severity, category and fixability.
    Rules(rules::RulesArgs),
    /// Analyse an image archive: per-layer size, waste and leftover caches.
    Image(ImageArgs),
    /// Compare two images side by side.
    Compare(CompareArgs),
    /// Combine the summary lines of `dlint image --from-file` workers into one report.
    Merge(merge::MergeArgs),
    /// Explore an image interactively: layers, file tree per layer, wasted files (like dive).
    Explore(explore::ExploreArgs),
    /// Price every size finding of a Dockerfile in bytes of the image built from it.
    Optimize(optimize::OptimizeArgs),
    /// Apply fixes to Dockerfiles (safe ones; unsafe ones too with `--unsafe-fixes`).
    Fix(FixArgs),
    /// Format Dockerfiles (keywords, blank lines, continuations, RUN chains, package lists).
    Fmt(fmt::FmtArgs),
    /// Install or remove git hooks.
    Hook(HookArgs),
    /// Print the parsed AST of a Dockerfile.
    Parse(parse::ParseArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::CompletionsArgs),
    /// Print the man page (or write all pages with --out-dir).
    Man(man::ManArgs),
    /// Run the language server for editors (LSP over stdin/stdout).
    Lsp(lsp::LspArgs),
    /// Install dlint as the Docker CLI plugin `docker lint` (~/.docker/cli-plugins).
    InstallDockerPlugin(docker_plugin::InstallArgs),
    /// Print the Docker CLI plugin metadata (Docker runs this; see `install-docker-plugin`).
    #[command(hide = true)]
    DockerCliPluginMetadata,
}

const SUBCOMMANDS: &[&str] = &[
    "lint",
    "explain",
    "explore",
    "rules",
    "image",
    "compare",
    "optimize",
    "merge",
    "fix",
    "fmt",
    "hook",
    "parse",
    "completions",
    "man",
    "lsp",
    "install-docker-plugin",
    "docker-cli-plugin-metadata",
    "help",
];

/// Parses the command line; bare paths (`dlint Dockerfile`) mean `dlint lint Dockerfile`,
/// and no arguments at all means `dlint lint` over the current repository.
pub fn parse_args<I, T>(args: I) -> Cli
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    Cli::try_parse_from_args(args).unwrap_or_else(|e| e.exit())
}

impl Cli {
    /// Like [`parse_args`] but returns clap's error instead of exiting (argv[0] included).
    pub fn try_parse_from_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        docker_plugin::plugin_args(&mut args);
        let first = args.get(1).and_then(|a| a.to_str()).map(str::to_string);
        let insert_lint = match first.as_deref() {
            None => true,
            Some("-h" | "--help" | "-V" | "--version") => false,
            Some(a) => !SUBCOMMANDS.contains(&a),
        };
        if let Some(word) = first
            .as_deref()
            .filter(|w| insert_lint && looks_like_command(w))
        {
            return Err(unknown_command(word));
        }
        if insert_lint {
            args.insert(1.min(args.len()), OsString::from("lint"));
        }
        Cli::try_parse_from(args)
    }
}

/// True when the first argument, not a command, reads as a mistyped command rather than a
/// path to lint: one plain word (letters, digits, `-`, `_`), no file or directory of that name,
/// and no Dockerfile name (`dlint Dockerfile` in a directory without one stays a lint whose
/// file is missing).
fn looks_like_command(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    !word.starts_with('-')
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !lower.contains("dockerfile")
        && !lower.contains("containerfile")
        && !std::path::Path::new(word).exists()
}

/// The usage error for `dlint WORD …` when WORD is neither a command nor a file: the closest
/// command, when one is close.
fn unknown_command(word: &str) -> clap::Error {
    let closest = SUBCOMMANDS
        .iter()
        .filter(|c| **c != "help")
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score >= 0.7);
    let hint = match closest {
        Some((_, c)) => format!("did you mean `dlint {c}`?"),
        None => format!(
            "the commands are {}",
            SUBCOMMANDS
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut cmd = <Cli as clap::CommandFactory>::command();
    clap::Error::raw(
        clap::error::ErrorKind::InvalidSubcommand,
        format!("unknown command `{word}` (and no file of that name to lint): {hint}\n"),
    )
    .format(&mut cmd)
}

pub(crate) use crate::report::stdout::{Stdout, stdout_error, write_stdout};

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> crate::Result<ExitCode> {
    match cli.command {
        Command::Parse(args) => parse::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Image(args) => image::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Explore(args) => explore::run(args),
        Command::Optimize(args) => optimize::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Fix(args) => fix::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Hook(args) => hook::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::InstallDockerPlugin(args) => docker_plugin::run_install(args),
        Command::DockerCliPluginMetadata => docker_plugin::run_metadata(),
    }
}
