//! SC2143: Use grep -q instead of comparing output with [ -n .. ].

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2143 `grep-output-test` (ShellCheck's check, built in).
pub struct GrepOutputTest;

impl Rule for GrepOutputTest {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2143",
            name: "grep-output-test",
            severity: Severity::Info,
            summary: "Use grep -q instead of comparing output with [ -n .. ]",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
