//! `dlint lint`: lint Dockerfiles with the configured rules and print the findings.

use crate::cli::EXIT_ERROR;
use crate::lint;
use crate::lint::config::Overrides;
use crate::report::{self, RenderOptions, RuleDoc, file_reports};
use crate::{Error, Result};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `dlint lint`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LintArgs {
    /// Dockerfiles, directories (walked for Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile,
    /// Containerfile.*, honouring .gitignore) or globs; `-` reads stdin. Default: the current
    /// directory.
    pub paths: Vec<PathBuf>,
    /// Name shown for the Dockerfile read from stdin (`-`).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Output format (default: the config's `format`, else text).
    #[arg(short = 'f', long, value_enum)]
    pub format: Option<report::Format>,
    /// Colour the text output: auto (when stdout is a terminal and NO_COLOR is unset), always, never.
    #[arg(long, value_enum, default_value_t = report::ColorChoice::Auto, value_name = "WHEN")]
    pub color: report::ColorChoice,
    #[command(flatten)]
    pub config: super::shared::ConfigArgs,
    #[command(flatten)]
    pub base: super::shared::BaseArgs,
    /// Do not run this rule (id or name); repeatable, added to the config's `ignored`.
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Report this rule as an error; repeatable.
    #[arg(long, value_name = "RULE")]
    pub error: Vec<String>,
    /// Report this rule as a warning; repeatable.
    #[arg(long, value_name = "RULE")]
    pub warning: Vec<String>,
    /// Report this rule as info; repeatable.
    #[arg(long, value_name = "RULE")]
    pub info: Vec<String>,
    /// Report this rule as style; repeatable.
    #[arg(long, value_name = "RULE")]
    pub style: Vec<String>,
    /// Fail on findings at or above: error, warning, info (default), style, ignore, none.
    #[arg(short = 't', long, value_name = "THRESHOLD")]
    pub failure_threshold: Option<String>,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    pub no_fail: bool,
    /// Registry allowed in FROM (enables DL3026); repeatable.
    #[arg(long, value_name = "REGISTRY")]
    pub trusted_registry: Vec<String>,
    /// Require a label of a type (`LABEL:text|url|rfc3339|spdx|hash|semver|email`); repeatable.
    #[arg(long, value_name = "LABEL:TYPE")]
    pub require_label: Vec<String>,
    /// Flag labels not in the label schema (DL3050).
    #[arg(long)]
    pub strict_labels: bool,
    /// Ignore inline `# dlint ignore=` / `# hadolint ignore=` / `# check=skip=` comments.
    #[arg(long)]
    pub disable_ignore_pragma: bool,
    /// Report inline ignores that suppressed nothing (DL5100).
    #[arg(long)]
    pub report_unused_ignores: bool,
    /// Check the image of this build target (`docker build --target`): a stage name or index.
    /// Without it every build target (a stage no other stage uses, and the last) counts.
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// A build argument `NAME=VALUE` (`NAME` alone: its value from the environment), the value
    /// of every ARG of that name for the variable rules; repeatable.
    #[arg(long, value_name = "NAME=VALUE")]
    pub build_arg: Vec<String>,
    /// The build context directory, for its `.dockerignore` (default: each Dockerfile's
    /// directory).
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// Also run this `shellcheck` program on the RUN bodies (one process per Dockerfile), for
    /// the ShellCheck codes dlint does not build in; its findings are merged.
    #[arg(long, value_name = "PATH")]
    pub shellcheck: Option<PathBuf>,
}

/// The flags that override config files.
pub(crate) fn overrides(args: &LintArgs) -> Overrides {
    let mut o = Overrides {
        ignore: args.ignore.clone(),
        error: args.error.clone(),
        warning: args.warning.clone(),
        info: args.info.clone(),
        style: args.style.clone(),
        failure_threshold: args.failure_threshold.clone(),
        no_fail: args.no_fail,
        trusted_registries: args.trusted_registry.clone(),
        require_label: args.require_label.clone(),
        strict_labels: args.strict_labels,
        disable_ignore_pragma: args.disable_ignore_pragma,
        report_unused_ignores: args.report_unused_ignores,
        target: args.target.clone(),
        context: args.context.clone(),
        build_args: args
            .build_arg
            .iter()
            .filter_map(|a| match a.split_once('=') {
                Some((k, v)) => Some((k.to_string(), v.to_string())),
                None => std::env::var(a).ok().map(|v| (a.clone(), v)),
            })
            .collect(),
        shellcheck: args.shellcheck.clone(),
        ..Overrides::default()
    };
    args.base
        .apply_to(&mut o, crate::image::base::FactsMode::Off);
    o
}

/// Runs `dlint lint`.
pub fn run(args: LintArgs) -> Result<ExitCode> {
    let registry = crate::rules::registry();
    let overrides = overrides(&args);
    let cfg = args.config.resolve_with(&overrides)?;
    let mut found = lint::discover::expand(&args.paths);
    let projects = super::project::load_all(&args.paths, &mut found);
    for e in &found.errors {
        eprintln!("dlint: error: {e}");
    }
    let builds: usize = projects.iter().map(|p| p.builds.len()).sum();
    if found.files.is_empty() && builds == 0 && found.errors.is_empty() {
        return Err(Error::Usage(if args.paths.is_empty() {
            "no Dockerfile found under the current directory (looked for Dockerfile, \
             Dockerfile.*, *.Dockerfile, Containerfile, Containerfile.*)"
                .into()
        } else {
            "no Dockerfile (or compose/bake file with a build) found in the given paths".into()
        }));
    }
    if cfg.verbose {
        match &cfg.path {
            Some(p) => eprintln!("dlint: config: {}", p.display()),
            None => eprintln!("dlint: config: none (defaults)"),
        }
        eprintln!(
            "dlint: linting {} file(s) with {} rules",
            found.files.len(),
            registry.rules().len()
        );
    }
    // one config for all when named (or none), else each file's nearest one
    let mut files = if args.config.is_explicit() {
        lint::lint_files(registry, &found.files, &cfg)
    } else {
        lint::lint_files_nearest(registry, &found.files, &cfg, &overrides)?
    };
    files.extend(lint::project::lint_builds(
        registry,
        &projects,
        &cfg,
        &overrides,
        args.config.is_explicit(),
    )?);
    if let Some(name) = &args.stdin_filename {
        for f in files.iter_mut().filter(|f| f.path.as_os_str() == "-") {
            f.path = name.clone();
        }
    }
    super::shared::print_base_notes(&cfg);
    for f in &files {
        if let Some(e) = &f.error {
            eprintln!("dlint: error: {e}");
        }
    }
    let format = report::Format::configured(args.format, &cfg)?;
    let docs = match format {
        report::Format::Sarif | report::Format::Junit => RuleDoc::all(registry),
        _ => Vec::new(),
    };
    let opts = RenderOptions {
        color: args.color.use_color_unless(cfg.no_color),
        rules: &docs,
        ..RenderOptions::default()
    };
    let mut out = super::Stdout::new();
    report::render(format, &file_reports(&files), &opts, &mut out).map_err(super::stdout_error)?;
    out.finish()?;
    if !found.errors.is_empty() {
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    Ok(ExitCode::from(super::exit_code(lint::outcome(
        &files, &cfg,
    ))))
}
