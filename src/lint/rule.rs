//! The [`Rule`] trait every check implements.

use super::diagnostic::{Diagnostic, Fix, Severity};
use crate::dockerfile::{Dockerfile, Span};

/// Static description of a rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// `DL3009` style id (hadolint's where the meaning matches; dlint's own from DL5001).
    pub id: &'static str,
    /// kebab-case name, accepted wherever an id is.
    pub name: &'static str,
    pub severity: Severity,
    /// One-line summary.
    pub summary: &'static str,
}

/// Settings rules may read (from `.dlint.yaml` / `.hadolint.yaml` and CLI flags).
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    pub trusted_registries: Vec<String>,
    /// label name -> type (`text`, `url`, `rfc3339`, `spdx`, `hash`, `semver`, `email`).
    pub label_schema: Vec<(String, String)>,
    pub strict_labels: bool,
}

/// What a rule's check gets.
pub struct Context<'a> {
    pub dockerfile: &'a Dockerfile,
    pub settings: &'a RuleSettings,
    out: Vec<Diagnostic>,
    meta: RuleMeta,
}

impl<'a> Context<'a> {
    /// A context for running one rule.
    pub fn new(dockerfile: &'a Dockerfile, settings: &'a RuleSettings, meta: RuleMeta) -> Self {
        Context {
            dockerfile,
            settings,
            out: Vec::new(),
            meta,
        }
    }

    /// Reports a finding at `span` with the rule's default severity.
    pub fn report(&mut self, span: Span, message: impl Into<String>) {
        self.report_with_fix(span, message, None);
    }

    /// Reports a finding with an attached fix.
    pub fn report_with_fix(&mut self, span: Span, message: impl Into<String>, fix: Option<Fix>) {
        self.out.push(Diagnostic {
            rule: self.meta.id,
            name: self.meta.name,
            severity: self.meta.severity,
            message: message.into(),
            span,
            fix,
        });
    }

    /// The findings collected so far.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.out
    }
}

/// A lint rule. Rules never print; they report through the [`Context`].
pub trait Rule: Send + Sync {
    fn meta(&self) -> RuleMeta;
    fn check(&self, cx: &mut Context<'_>);
}
