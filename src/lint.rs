//! Rule engine: the [`Rule`] trait, the registry (which receives its rule set: dlint's is
//! [`crate::rules::registry`]), configuration, inline ignores, fixes and diagnostics.

pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod external_shellcheck;
pub mod fix;
pub mod helpers;
pub mod ignore;
pub mod index_readers;
pub mod pages;
pub mod project;
pub mod read;
pub mod registry;
pub mod removals;
pub mod rule;
pub mod stop_signal;
#[cfg(test)]
pub mod testing;

pub use crate::semantic::{SemanticModel, StageFacts};
pub use config::{Config, Threshold};
pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
pub use registry::{Registry, RuleEntry};
pub use rule::{Context, Rule, RuleMeta, RuleSettings, RuleWithCategory};

use crate::dockerfile::{self, Dockerfile};
use crate::shell::Limit;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Parses and lints one file's text with the rules of `registry`. Parse errors become DL1000
/// findings; linting continues.
pub fn lint_source(registry: &Registry, source: &str, config: &Config) -> Vec<Diagnostic> {
    lint_with(registry, &dockerfile::parse(source), config)
}

/// Lints a parsed Dockerfile with the rules of `registry`: runs the enabled rules, applies inline ignores, severity
/// overrides, and sorts the findings by position.
pub fn lint_with(registry: &Registry, df: &Dockerfile, config: &Config) -> Vec<Diagnostic> {
    let enabled = |id: &str| config.is_enabled(id, registry.default_enabled(id));
    let mut diags = Vec::new();
    if enabled(registry::PARSE_ERROR_ID) {
        for e in &df.errors {
            diags.push(Diagnostic {
                rule: registry::PARSE_ERROR_ID,
                name: registry::PARSE_ERROR_NAME,
                severity: Severity::Error,
                message: e.message.clone(),
                span: e.span,
                fix: None,
            });
        }
    }
    let bases = match &config.base_resolver {
        Some(r) => crate::semantic::StageBases::resolve(df, r),
        None => crate::semantic::StageBases::default(),
    };
    // the enabled rules, decided once (a lookup per rule), and their built-in ShellCheck
    // checks: a disabled code is not run at all
    let active: Vec<(&dyn Rule, RuleMeta)> = registry
        .rules()
        .iter()
        .map(|rule| (rule.as_ref(), rule.meta()))
        .filter(|(_, meta)| enabled(meta.id))
        .collect();
    let checks = crate::shell::builtin_checks::ScChecks::new(
        active
            .iter()
            .filter_map(|(rule, meta)| rule.shell_check().map(|c| (meta.id, c))),
    );
    let model = SemanticModel::for_build(
        df,
        config.target.as_deref(),
        &bases,
        &checks,
        config.build_args.clone(),
    );
    for &(rule, meta) in &active {
        let mut cx = Context::new(&model, &config.settings, meta);
        // A rule bug must not take the whole run down: report it as a finding instead.
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            rule.check(&mut cx);
            cx.into_diagnostics()
        }));
        match ran {
            Ok(found) => diags.extend(found),
            Err(_) => diags.push(Diagnostic {
                rule: meta.id,
                name: meta.name,
                severity: Severity::Error,
                message: format!(
                    "internal error: rule {} crashed on this file (please report it)",
                    meta.id
                ),
                span: dockerfile::Span::new(0, 0),
                fix: None,
            }),
        }
    }
    if enabled(registry::ANALYSIS_LIMIT_ID) {
        diags.extend(nesting_limits(model.analysis()));
    }
    if let Some(program) = &config.shellcheck {
        match external_shellcheck::check(program, &model, &diags) {
            Ok(found) => diags.extend(
                found
                    .into_iter()
                    .filter(|d| !config.ignored_other.contains(d.rule)),
            ),
            Err(e) => diags.push(Diagnostic {
                rule: registry::ANALYSIS_LIMIT_ID,
                name: registry::ANALYSIS_LIMIT_NAME,
                severity: Severity::Warning,
                message: format!("--shellcheck: {e}; its findings are missing"),
                span: dockerfile::Span::new(0, 0),
                fix: None,
            }),
        }
    }
    if !config.disable_ignore_pragma {
        let mut ignores = ignore::Ignores::new(df, registry);
        diags.retain(|d| !ignores.suppresses(d, df));
        if config.report_unused_ignores {
            diags.extend(ignores.unused(enabled));
        }
    }
    for d in &mut diags {
        d.severity = config.severity_of(d.rule, d.severity);
    }
    diags.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            b.rule,
            &b.message,
        ))
    });
    diags
}

/// DL1003 findings: RUN scripts nested deeper than the shell analysis descends, or past the
/// per-file size budget.
fn nesting_limits(analysis: &crate::shell::run::Analysis) -> Vec<Diagnostic> {
    analysis
        .runs
        .iter()
        .filter_map(|r| r.script.as_ref()?.limit)
        .scan(false, |size_seen, limit| {
            // the size budget is reported once, at the first script past it
            let first = !matches!(limit, Limit::Size(_)) || !std::mem::replace(size_seen, true);
            Some(first.then_some(limit))
        })
        .flatten()
        .map(|limit| Diagnostic {
            rule: registry::ANALYSIS_LIMIT_ID,
            name: registry::ANALYSIS_LIMIT_NAME,
            severity: Severity::Warning,
            message: match limit {
                Limit::Nesting(_) => format!(
                    "this script is nested more than {} syntax levels deep: dlint split it with \
                     its simple tokenizer, so findings inside it may be missing",
                    crate::shell::MAX_NESTING
                ),
                Limit::Size(_) => format!(
                    "the file's RUN scripts exceed {} MiB: this one and the ones after it were \
                     not analysed, so findings in them are missing",
                    crate::shell::MAX_SCRIPT_BYTES >> 20
                ),
            },
            span: limit.span(),
            fix: None,
        })
        .collect()
}

/// The outcome of linting one file.
#[derive(Debug)]
pub struct LintedFile {
    /// The path as given (`-` for stdin).
    pub path: PathBuf,
    /// The file's text (empty when it could not be read; invalid UTF-8 replaced by U+FFFD).
    pub source: String,
    /// Findings; a file that could not be read or is not UTF-8 has a DL1002 finding.
    pub diagnostics: Vec<Diagnostic>,
    /// Set when the file could not be read or is not UTF-8; the run then exits 2.
    pub error: Option<crate::Error>,
    /// The compose service or bake target whose build this lint is (`None` for a Dockerfile
    /// linted on its own).
    pub origin: Option<project::Origin>,
}

/// Reads and lints one file. An unreadable file gives one DL1002 finding; a file that is not
/// UTF-8 is linted with the bad bytes replaced, plus a DL1002 finding at the first of them.
pub fn lint_path(registry: &Registry, path: &Path, config: &Config) -> LintedFile {
    let bytes = match read::read_bytes(path) {
        Ok(b) => b,
        Err(e) => {
            return LintedFile {
                path: path.to_path_buf(),
                source: String::new(),
                diagnostics: vec![read::unreadable(&e, dockerfile::Span::new(0, 0))],
                error: Some(e),
                origin: None,
            };
        }
    };
    if let Some(e) = read::not_text(path, &bytes) {
        // no lint of binary bytes: one finding, and nothing of the file is printed
        return LintedFile {
            path: path.to_path_buf(),
            source: String::new(),
            diagnostics: vec![read::unreadable(&e, dockerfile::Span::new(0, 0))],
            error: Some(e),
            origin: None,
        };
    }
    let decoded = read::decode(bytes);
    let mut diagnostics = lint_text_at(registry, path, &dockerfile::parse(&decoded.text), config);
    let error = decoded.invalid.map(|bad| {
        let e = bad.error(path, &decoded.text);
        let d = read::unreadable(&e, bad.span());
        let at = diagnostics.partition_point(|x| x.span.start < d.span.start);
        diagnostics.insert(at, d);
        e
    });
    LintedFile {
        path: path.to_path_buf(),
        source: decoded.text,
        diagnostics,
        error,
        origin: None,
    }
}

/// Lints `df`, the text of the file at `path` (an editor's buffer, say) as [`lint_path`] would:
/// the `.dockerignore` of its build context applies.
pub fn lint_text_at(
    registry: &Registry,
    path: &Path,
    df: &Dockerfile,
    config: &Config,
) -> Vec<Diagnostic> {
    match dockerignore_for(path, config) {
        Some(ignore) => {
            let mut cfg = config.clone();
            cfg.settings.dockerignore = Some(ignore);
            lint_with(registry, df, &cfg)
        }
        None => lint_with(registry, df, config),
    }
}

/// The ignore file BuildKit applies to a build of `dockerfile`: `<name>.dockerignore` beside it,
/// else `.dockerignore` at the root of the build context (`context:` / `--context`, or the
/// Dockerfile's directory). `None` for stdin or when there is none.
fn dockerignore_for(
    dockerfile: &Path,
    config: &Config,
) -> Option<std::sync::Arc<dockerfile::dockerignore::Dockerignore>> {
    if dockerfile.as_os_str() == "-" {
        return None;
    }
    let dir = dockerfile.parent().unwrap_or(Path::new(""));
    let own = dockerfile
        .file_name()
        .map(|n| dir.join(format!("{}.dockerignore", n.to_string_lossy())));
    let context = config.context.clone().unwrap_or_else(|| dir.to_path_buf());
    let candidates = own.into_iter().chain([context.join(".dockerignore")]);
    for candidate in candidates {
        // Bounded: an ignore file is a few lines; a huge one is not read.
        let small = std::fs::metadata(&candidate).is_ok_and(|m| m.is_file() && m.len() <= 1 << 20);
        if small && let Ok(text) = std::fs::read_to_string(&candidate) {
            return Some(std::sync::Arc::new(
                dockerfile::dockerignore::Dockerignore::parse(&text),
            ));
        }
    }
    None
}

/// Lints files in parallel with the rules of `registry`; the result is sorted by path (findings
/// by position).
pub fn lint_files(registry: &Registry, paths: &[PathBuf], config: &Config) -> Vec<LintedFile> {
    let mut out: Vec<LintedFile> = paths
        .par_iter()
        .map(|p| lint_path(registry, p, config))
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Lints `files`, each with the config nearest to it (a monorepo's per-service
/// `.dlint.yaml`/`.hadolint.yaml`, see [`Config::per_directory`], searched from the working
/// directory) with `overrides` applied; the files `run_cfg`'s file governs use `run_cfg` as it
/// is. Sorted by path.
pub fn lint_files_nearest(
    registry: &Registry,
    files: &[PathBuf],
    run_cfg: &Config,
    overrides: &config::Overrides,
) -> crate::Result<Vec<LintedFile>> {
    let cwd = std::env::current_dir().map_err(|source| crate::Error::Io {
        path: PathBuf::from("."),
        source,
    })?;
    let mut out = Vec::with_capacity(files.len());
    for (mut cfg, group) in Config::per_directory(files, &cwd, registry)? {
        if cfg.path == run_cfg.path {
            out.extend(lint_files(registry, &group, run_cfg));
            continue;
        }
        cfg.apply(overrides, registry)?;
        out.extend(lint_files(registry, &group, &cfg));
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// What a finished lint run amounts to (the command line maps it to its exit code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No finding at or above the failure threshold, or `no-fail`.
    Pass,
    /// A finding at or above the failure threshold, or a parse error.
    Fail,
    /// A file could not be read (or is not UTF-8).
    Error,
}

/// The outcome of linting `files` under `cfg`'s failure threshold and `no-fail`.
pub fn outcome(files: &[LintedFile], cfg: &Config) -> Outcome {
    if files.iter().any(|f| f.error.is_some()) {
        return Outcome::Error;
    }
    if cfg.no_fail {
        return Outcome::Pass;
    }
    let fails = files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .any(|d| cfg.failure_threshold.fails(d.severity) || d.rule == registry::PARSE_ERROR_ID);
    if fails { Outcome::Fail } else { Outcome::Pass }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(severity: Severity, rule: &'static str) -> LintedFile {
        LintedFile {
            path: "Dockerfile".into(),
            source: String::new(),
            diagnostics: vec![Diagnostic {
                rule,
                name: "x",
                severity,
                message: String::new(),
                span: dockerfile::Span::new(0, 0),
                fix: None,
            }],
            error: None,
            origin: None,
        }
    }

    #[test]
    fn outcome_follows_threshold_no_fail_and_read_errors() {
        let mut cfg = Config {
            failure_threshold: Threshold::Severity(Severity::Warning),
            ..Config::default()
        };
        assert_eq!(
            outcome(&[file(Severity::Info, "DL3000")], &cfg),
            Outcome::Pass
        );
        assert_eq!(
            outcome(&[file(Severity::Warning, "DL3000")], &cfg),
            Outcome::Fail
        );
        cfg.failure_threshold = Threshold::Never;
        assert_eq!(
            outcome(&[file(Severity::Error, "DL3000")], &cfg),
            Outcome::Pass
        );
        let parse = file(Severity::Info, registry::PARSE_ERROR_ID);
        assert_eq!(outcome(&[parse], &cfg), Outcome::Fail);
        cfg.failure_threshold = Threshold::Severity(Severity::Style);
        cfg.no_fail = true;
        assert_eq!(
            outcome(&[file(Severity::Error, "DL3000")], &cfg),
            Outcome::Pass
        );
        let mut unreadable = file(Severity::Info, "DL3000");
        unreadable.error = Some(crate::Error::Other("unreadable".into()));
        assert_eq!(outcome(&[unreadable], &cfg), Outcome::Error);
    }
}
