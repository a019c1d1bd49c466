//! SC2196: egrep is non-standard and deprecated. Use grep -E instead.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2196 `egrep-deprecated` (ShellCheck's check, built in).
pub struct EgrepDeprecated;

impl Rule for EgrepDeprecated {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2196",
            name: "egrep-deprecated",
            severity: Severity::Info,
            summary: "egrep is non-standard and deprecated. Use grep -E instead",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
