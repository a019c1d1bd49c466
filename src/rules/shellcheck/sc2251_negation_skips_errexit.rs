//! SC2251: This ! is not on a condition and skips errexit.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2251 `negation-skips-errexit` (ShellCheck's check, built in).
pub struct NegationSkipsErrexit;

impl Rule for NegationSkipsErrexit {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2251",
            name: "negation-skips-errexit",
            severity: Severity::Info,
            summary: "This ! is not on a condition and skips errexit",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
