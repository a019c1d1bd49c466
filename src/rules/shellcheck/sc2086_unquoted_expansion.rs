//! SC2086: Double quote to prevent globbing and word splitting.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2086 `unquoted-expansion` (ShellCheck's check, built in).
pub struct UnquotedExpansion;

impl Rule for UnquotedExpansion {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2086",
            name: "unquoted-expansion",
            severity: Severity::Info,
            summary: "Double quote to prevent globbing and word splitting",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
