//! SC1072: Unexpected token. Fix any mentioned problems and try again.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC1072 `shell-parse-error` (ShellCheck's parse error, built in): the RUN body is not valid shell.
pub struct ShellParseError;

impl Rule for ShellParseError {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC1072",
            name: "shell-parse-error",
            severity: Severity::Error,
            summary: "Unexpected token. Fix any mentioned problems and try again.",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
