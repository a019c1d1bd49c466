//! SC2164: Use 'cd ... || exit' in case cd fails.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2164 `cd-without-check` (ShellCheck's check, built in).
pub struct CdWithoutCheck;

impl Rule for CdWithoutCheck {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2164",
            name: "cd-without-check",
            severity: Severity::Warning,
            summary: "Use 'cd ... || exit' in case cd fails",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
