//! SC3030: In POSIX sh, arrays are undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3030 `array-in-sh` (ShellCheck's check, built in).
pub struct ArrayInSh;

impl Rule for ArrayInSh {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3030",
            name: "array-in-sh",
            severity: Severity::Warning,
            summary: "In POSIX sh, arrays are undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
