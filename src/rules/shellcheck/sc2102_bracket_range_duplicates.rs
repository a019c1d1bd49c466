//! SC2102: Ranges can only match single chars (mentioned due to duplicates).

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2102 `bracket-range-duplicates` (ShellCheck's check, built in).
pub struct BracketRangeDuplicates;

impl Rule for BracketRangeDuplicates {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2102",
            name: "bracket-range-duplicates",
            severity: Severity::Info,
            summary: "Ranges can only match single chars (mentioned due to duplicates)",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
