//! SC3006: In POSIX sh, standalone ((..)) is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3006 `standalone-arithmetic` (ShellCheck's check, built in).
pub struct StandaloneArithmetic;

impl Rule for StandaloneArithmetic {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3006",
            name: "standalone-arithmetic",
            severity: Severity::Warning,
            summary: "In POSIX sh, standalone ((..)) is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
