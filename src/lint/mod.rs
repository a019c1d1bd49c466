//! Rule engine: rules, registry, configuration, inline ignores and diagnostics.

pub mod diagnostic;
pub mod rule;

pub use diagnostic::{Diagnostic, Edit, Fix, Severity};
pub use rule::{Context, Rule, RuleMeta, RuleSettings};
