//! SC2226: This ln has no destination.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2226 `ln-without-destination` (ShellCheck's check, built in).
pub struct LnWithoutDestination;

impl Rule for LnWithoutDestination {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2226",
            name: "ln-without-destination",
            severity: Severity::Warning,
            summary: "This ln has no destination",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
