//! SC3010: In POSIX sh, [[ ]] is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3010 `double-bracket-test` (ShellCheck's check, built in).
pub struct DoubleBracketTest;

impl Rule for DoubleBracketTest {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3010",
            name: "double-bracket-test",
            severity: Severity::Warning,
            summary: "In POSIX sh, [[ ]] is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
