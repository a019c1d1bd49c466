//! `dlint lint`: lint Dockerfiles with the configured rules and print the findings.

use crate::cli::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::dockerfile::LineIndex;
use crate::lint::config::{LABEL_TYPES, resolve_rule};
use crate::lint::{self, Config, Registry, Severity, Threshold};
use crate::report::{self, FileReport, RenderOptions, RuleDoc};
use crate::{Error, Result};
use std::io::Write;
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
    /// Config file to use instead of searching for `.dlint.yaml` / `.hadolint.yaml`.
    #[arg(short = 'c', long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not read any config file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
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
}

fn usage(msg: String) -> Error {
    Error::Usage(msg)
}

/// Builds the run's config: the config file (explicit, discovered, or none) overridden by flags.
pub fn build_config(args: &LintArgs, registry: &Registry) -> Result<Config> {
    let mut cfg = if let Some(path) = &args.config {
        Config::load(path, registry)?
    } else if args.no_config {
        Config::default()
    } else {
        let cwd = std::env::current_dir().map_err(|source| Error::Io {
            path: PathBuf::from("."),
            source,
        })?;
        Config::discover(&cwd, registry)?
    };
    let resolve = |flag: &str, key: &str| -> Result<Option<&'static str>> {
        resolve_rule(registry, key).map_err(|e| usage(format!("--{flag}: {e}")))
    };
    for key in &args.ignore {
        if let Some(id) = resolve("ignore", key)? {
            cfg.ignored.insert(id);
        }
    }
    for (flag, sev, list) in [
        ("error", Severity::Error, &args.error),
        ("warning", Severity::Warning, &args.warning),
        ("info", Severity::Info, &args.info),
        ("style", Severity::Style, &args.style),
    ] {
        for key in list {
            if let Some(id) = resolve(flag, key)? {
                cfg.overrides.insert(id, sev);
            }
        }
    }
    if let Some(t) = &args.failure_threshold {
        cfg.failure_threshold = t
            .parse::<Threshold>()
            .map_err(|e| usage(format!("--failure-threshold: {e}")))?;
    }
    cfg.no_fail |= args.no_fail;
    cfg.settings
        .trusted_registries
        .extend(args.trusted_registry.iter().cloned());
    for spec in &args.require_label {
        let (label, ty) = spec
            .split_once(':')
            .ok_or_else(|| usage(format!("--require-label: `{spec}` is not LABEL:TYPE")))?;
        if !LABEL_TYPES.contains(&ty) {
            return Err(usage(format!(
                "--require-label: unknown label type `{ty}` (expected one of {})",
                LABEL_TYPES.join(", ")
            )));
        }
        cfg.settings.label_schema.retain(|(l, _)| l != label);
        cfg.settings
            .label_schema
            .push((label.to_string(), ty.to_string()));
    }
    cfg.settings.strict_labels |= args.strict_labels;
    cfg.disable_ignore_pragma |= args.disable_ignore_pragma;
    cfg.report_unused_ignores |= args.report_unused_ignores;
    Ok(cfg)
}

/// The exit code for a finished run.
pub fn exit_code(files: &[lint::LintedFile], cfg: &Config) -> u8 {
    if files.iter().any(|f| f.error.is_some()) {
        return EXIT_ERROR;
    }
    if cfg.no_fail {
        return EXIT_OK;
    }
    let fails = files.iter().flat_map(|f| &f.diagnostics).any(|d| {
        cfg.failure_threshold.fails(d.severity) || d.rule == lint::registry::PARSE_ERROR_ID
    });
    if fails { EXIT_FINDINGS } else { EXIT_OK }
}

/// Converts lint results to the reports' input (unreadable files included: their DL1002
/// finding must reach every format).
pub fn file_reports(files: &[lint::LintedFile]) -> Vec<FileReport> {
    files
        .iter()
        .map(|f| FileReport {
            path: f.path.display().to_string(),
            lines: LineIndex::new(&f.source),
            source: f.source.clone(),
            diagnostics: f.diagnostics.clone(),
        })
        .collect()
}

/// Rule metadata for the reports, from the registry and the rule pages.
pub fn rule_docs(registry: &Registry) -> Vec<RuleDoc> {
    registry
        .infos()
        .iter()
        .map(|info| {
            let body = info
                .page
                .and_then(|p| lint::pages::split(p).ok())
                .map(|(_, body)| body);
            let summary = body
                .and_then(lint::pages::title)
                .map(|t| {
                    t.split_once(": ")
                        .map_or(t, |(_, rest)| rest)
                        .trim()
                        .to_string()
                })
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| info.summary.to_string());
            let description = body
                .and_then(|b| lint::pages::section(b, "Why"))
                .map(|w| w.trim().to_string())
                .unwrap_or_default();
            RuleDoc {
                id: info.id.to_string(),
                name: info.name.to_string(),
                severity: info.severity,
                summary,
                description,
                help_uri: if info.page.is_some() {
                    format!("{}{}.md", report::RULE_DOCS_BASE, info.id)
                } else {
                    String::new()
                },
            }
        })
        .collect()
}

/// Runs `dlint lint`.
pub fn run(args: LintArgs) -> Result<ExitCode> {
    let registry = Registry::global();
    let cfg = build_config(&args, registry)?;
    let found = lint::discover::expand(&args.paths);
    for e in &found.errors {
        eprintln!("dlint: error: {e}");
    }
    if found.files.is_empty() && found.errors.is_empty() {
        return Err(usage(if args.paths.is_empty() {
            "no Dockerfile found under the current directory (looked for Dockerfile, \
             Dockerfile.*, *.Dockerfile, Containerfile, Containerfile.*)"
                .into()
        } else {
            "no Dockerfile found in the given directories".into()
        }));
    }
    let mut files = lint::lint_files(&found.files, &cfg);
    if let Some(name) = &args.stdin_filename {
        for f in files.iter_mut().filter(|f| f.path.as_os_str() == "-") {
            f.path = name.clone();
        }
    }
    for f in &files {
        if let Some(e) = &f.error {
            eprintln!("dlint: error: {e}");
        }
    }
    let reports = file_reports(&files);
    let format = match args.format {
        Some(f) => f,
        None => match cfg.format.as_deref() {
            Some(name) => {
                // hadolint's names for the formats dlint has
                let name = match name {
                    "tty" => "text",
                    "gnu" => "compact",
                    "gitlab_codeclimate" | "codeclimate" => "gitlab",
                    other => other,
                };
                <report::Format as clap::ValueEnum>::from_str(name, true).map_err(|_| {
                    let file = cfg
                        .path
                        .as_deref()
                        .unwrap_or(std::path::Path::new("config"));
                    Error::Config {
                        path: file.to_path_buf(),
                        message: format!("key `format`: unknown format `{name}`"),
                    }
                })?
            }
            None => report::Format::Text,
        },
    };
    let docs = match format {
        report::Format::Sarif | report::Format::Junit => rule_docs(registry),
        _ => Vec::new(),
    };
    let opts = RenderOptions {
        color: args.color.use_color(),
        rules: &docs,
        ..RenderOptions::default()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = report::render(format, &reports, &opts, &mut out);
    if let Err(source) = written.and_then(|()| out.flush())
        && source.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(Error::Io {
            path: PathBuf::from("<stdout>"),
            source,
        });
    }
    if !found.errors.is_empty() {
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    Ok(ExitCode::from(exit_code(&files, &cfg)))
}
