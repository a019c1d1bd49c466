//! The [`Rule`] trait every check implements.

use super::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::dockerfile::{Dockerfile, Span};
use crate::semantic::SemanticModel;
use crate::shell::builtin_checks::ScCheck;
use crate::shell::run::Analysis;

/// Everything dlint knows about a rule, declared once in the rule's own file. The category is
/// not declared: it is the family folder the file lives in (see [`crate::rules`]). The rule page
/// (`rules/ID.md`) holds prose and examples only.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// `DL3009` style id (hadolint's where the meaning matches; dlint's own from DL5001).
    pub id: &'static str,
    /// kebab-case name, accepted wherever an id is.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One-line summary.
    pub summary: &'static str,
    /// The applicability of the fixes the rule attaches; `None` when it never attaches one.
    pub fix: Option<Applicability>,
    /// False for opt-in rules, which only run when a severity override names them (as
    /// hadolint's "ignore"-severity rules).
    pub default_enabled: bool,
    /// Other names the rule answers to wherever an id is accepted (ignores, config, `explain`):
    /// BuildKit check names (`SecretsUsedInArgOrEnv`, matched case-sensitively by
    /// `# check=skip=`) and former dlint ids (`DL5108`, written `DL` and four digits).
    pub aliases: &'static [&'static str],
}

impl RuleMeta {
    /// The defaults of the optional fields, for `..RuleMeta::DEFAULT`: no fix, enabled by
    /// default, no aliases (id, name and summary are empty and must be set).
    pub const DEFAULT: RuleMeta = RuleMeta {
        id: "",
        name: "",
        severity: Severity::Warning,
        summary: "",
        fix: None,
        default_enabled: true,
        aliases: &[],
    };
}

/// A rule as the rule set hands it to [`super::Registry::new`]: the rule and its category (the
/// family folder it is filed under, `best_practice` written `best-practice`).
pub struct RuleWithCategory {
    pub category: &'static str,
    pub rule: Box<dyn Rule>,
}

/// Settings rules may read (from `.dlint.yaml` / `.hadolint.yaml` and CLI flags).
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    pub trusted_registries: Vec<String>,
    /// label name -> type (`text`, `url`, `rfc3339`, `spdx`, `hash`, `semver`, `email`).
    pub label_schema: Vec<(String, String)>,
    pub strict_labels: bool,
    /// The build context's `.dockerignore` (or the Dockerfile's own `<name>.dockerignore`),
    /// when the linted file is on disk and one exists.
    pub dockerignore: Option<std::sync::Arc<crate::dockerfile::dockerignore::Dockerignore>>,
    /// How the cache rules' fixes keep a cache out of the layer (`fix-style:`).
    pub fix_style: super::fix::FixStyle,
}

/// What a rule's check gets: the file, its semantic model (shared by every rule of the run),
/// the settings, and where findings go.
pub struct Context<'a> {
    pub dockerfile: &'a Dockerfile,
    pub settings: &'a RuleSettings,
    model: &'a SemanticModel<'a>,
    out: Vec<Diagnostic>,
    meta: RuleMeta,
}

impl<'a> Context<'a> {
    /// A context for running one rule on the file `model` describes.
    pub fn new(model: &'a SemanticModel<'a>, settings: &'a RuleSettings, meta: RuleMeta) -> Self {
        Context {
            dockerfile: model.dockerfile(),
            settings,
            model,
            out: Vec::new(),
            meta,
        }
    }

    /// The file's semantic model: stages, variable scopes, shell analysis, mounts.
    pub fn model(&self) -> &'a SemanticModel<'a> {
        self.model
    }

    /// The shell analysis of every RUN (shorthand for `cx.model().analysis()`).
    pub fn analysis(&self) -> &'a Analysis {
        self.model.analysis()
    }

    /// The id of the rule being run.
    pub fn rule_id(&self) -> &'static str {
        self.meta.id
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
    /// The rule's metadata (a constant).
    fn meta(&self) -> RuleMeta;
    /// The built-in ShellCheck check of a `shellcheck`-family rule: what the shell analysis
    /// runs on every RUN script (only for enabled rules); `check` then reports its findings.
    fn shell_check(&self) -> Option<ScCheck> {
        None
    }
    /// Reports the rule's findings on `cx.dockerfile`.
    fn check(&self, cx: &mut Context<'_>);
}
