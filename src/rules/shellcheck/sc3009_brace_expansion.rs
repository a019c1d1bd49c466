//! SC3009: In POSIX sh, brace expansion is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3009 `brace-expansion` (ShellCheck's check, built in).
pub struct BraceExpansion;

impl Rule for BraceExpansion {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3009",
            name: "brace-expansion",
            severity: Severity::Warning,
            summary: "In POSIX sh, brace expansion is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
