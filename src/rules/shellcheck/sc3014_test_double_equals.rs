//! SC3014: In POSIX sh, == in place of = is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3014 `test-double-equals` (ShellCheck's check, built in).
pub struct TestDoubleEquals;

impl Rule for TestDoubleEquals {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3014",
            name: "test-double-equals",
            severity: Severity::Warning,
            summary: "In POSIX sh, == in place of = is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
