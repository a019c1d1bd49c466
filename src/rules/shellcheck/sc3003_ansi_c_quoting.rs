//! SC3003: In POSIX sh, $'..' is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3003 `ansi-c-quoting` (ShellCheck's check, built in).
pub struct AnsiCQuoting;

impl Rule for AnsiCQuoting {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3003",
            name: "ansi-c-quoting",
            severity: Severity::Warning,
            summary: "In POSIX sh, $'..' is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
