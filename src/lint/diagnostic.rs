//! Findings produced by rules, with severities and optional fixes.

pub use crate::dockerfile::Edit;
use crate::dockerfile::Span;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How serious a finding is. Ordered: `Style < Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Style,
    Info,
    Warning,
    Error,
}

impl Severity {
    /// Lower-case name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Style => "style",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "style" => Ok(Severity::Style),
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!(
                "unknown severity `{other}` (expected error, warning, info or style)"
            )),
        }
    }
}

/// Whether a fix can change what the built image does (as in ruff).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Cannot change what the image does; applied by `dlint fix`.
    Safe,
    /// May change what the image does; applied only with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    /// Lower-case name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// A fix: a set of non-overlapping edits applied together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// Short imperative description, e.g. "merge with the previous RUN".
    pub description: String,
    pub edits: Vec<Edit>,
    /// Whether applying it can change what the image does.
    pub applicability: Applicability,
}

impl Fix {
    /// A fix that cannot change what the image does.
    pub fn safe(description: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            description: description.into(),
            edits,
            applicability: Applicability::Safe,
        }
    }

    /// A fix that may change what the image does (applied only with `--unsafe-fixes`).
    pub fn unsafe_edit(description: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            description: description.into(),
            edits,
            applicability: Applicability::Unsafe,
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Rule id, e.g. `DL3009` (or `DL1000` for parse errors).
    pub rule: &'static str,
    /// Rule name, e.g. `apt-lists-not-removed`.
    pub name: &'static str,
    pub severity: Severity,
    /// Message naming the concrete thing at fault.
    pub message: String,
    pub span: Span,
    pub fix: Option<Fix>,
}
