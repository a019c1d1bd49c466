//! SC2034: A variable appears unused. Verify use (or export if used externally).

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2034 `unused-variable` (ShellCheck's check, built in).
pub struct UnusedVariable;

impl Rule for UnusedVariable {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2034",
            name: "unused-variable",
            severity: Severity::Warning,
            summary: "A variable appears unused. Verify use (or export if used externally)",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
