//! SC2046: Quote this to prevent word splitting.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2046 `unquoted-substitution` (ShellCheck's check, built in).
pub struct UnquotedSubstitution;

impl Rule for UnquotedSubstitution {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2046",
            name: "unquoted-substitution",
            severity: Severity::Warning,
            summary: "Quote this to prevent word splitting",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
