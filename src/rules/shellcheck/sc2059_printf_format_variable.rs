//! SC2059: Don't use variables in the printf format string.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2059 `printf-format-variable` (ShellCheck's check, built in).
pub struct PrintfFormatVariable;

impl Rule for PrintfFormatVariable {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2059",
            name: "printf-format-variable",
            severity: Severity::Info,
            summary: "Don't use variables in the printf format string",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
