//! SC2155: Declare and assign separately to avoid masking return values.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2155 `declare-and-assign` (ShellCheck's check, built in).
pub struct DeclareAndAssign;

impl Rule for DeclareAndAssign {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2155",
            name: "declare-and-assign",
            severity: Severity::Warning,
            summary: "Declare and assign separately to avoid masking return values",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
