//! SC3011: In POSIX sh, here-strings are undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3011 `here-string` (ShellCheck's check, built in).
pub struct HereString;

impl Rule for HereString {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3011",
            name: "here-string",
            severity: Severity::Warning,
            summary: "In POSIX sh, here-strings are undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
