//! SC2283: Remove spaces around = to assign.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2283 `spaces-around-assignment` (ShellCheck's check, built in).
pub struct SpacesAroundAssignment;

impl Rule for SpacesAroundAssignment {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2283",
            name: "spaces-around-assignment",
            severity: Severity::Error,
            summary: "Remove spaces around = to assign",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
