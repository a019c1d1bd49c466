//! Rule engine: the [`Rule`] trait, the registry (which receives its rule set: dlint's is
//! [`crate::rules::registry`]), configuration, inline ignores, fixes and diagnostics.

pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod fix;
pub mod helpers;
pub mod ignore;
pub mod model;
pub mod pages;
pub mod registry;
pub mod rule;
pub mod source;
#[cfg(test)]
pub mod testing;

pub use config::{Config, Threshold};
pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
pub use model::{SemanticModel, StageFacts};
pub use registry::{Registry, RuleInfo};
pub use rule::{Context, Registered, Rule, RuleMeta, RuleSettings};

use crate::dockerfile::{self, Dockerfile};
use rayon::prelude::*;
use std::path::PathBuf;

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
    let model = SemanticModel::new(df);
    for rule in registry.rules() {
        let meta = rule.meta();
        if !enabled(meta.id) {
            continue;
        }
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

/// The outcome of linting one file.
#[derive(Debug)]
pub struct LintedFile {
    /// The path as given (`-` for stdin).
    pub path: PathBuf,
    /// The file's text (empty when it could not be read).
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Set when the file could not be read; the run then exits 2.
    pub error: Option<crate::Error>,
}

/// Lints files in parallel with the rules of `registry`; the result is sorted by path (findings
/// by position).
pub fn lint_files(registry: &Registry, paths: &[PathBuf], config: &Config) -> Vec<LintedFile> {
    let mut out: Vec<LintedFile> = paths
        .par_iter()
        .map(|p| match source::read_source(p) {
            Ok(source) => LintedFile {
                diagnostics: lint_source(registry, &source, config),
                path: p.clone(),
                source,
                error: None,
            },
            Err(e) => LintedFile {
                path: p.clone(),
                source: String::new(),
                diagnostics: Vec::new(),
                error: Some(e),
            },
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}
