//! SC2197: fgrep is non-standard and deprecated. Use grep -F instead.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2197 `fgrep-deprecated` (ShellCheck's check, built in).
pub struct FgrepDeprecated;

impl Rule for FgrepDeprecated {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2197",
            name: "fgrep-deprecated",
            severity: Severity::Info,
            summary: "fgrep is non-standard and deprecated. Use grep -F instead",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
