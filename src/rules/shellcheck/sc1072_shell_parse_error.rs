//! SC1072: Unexpected token. Fix any mentioned problems and try again.
//!
//! Reported when the RUN body does not parse: any other parse error: the first token tree-sitter could not place. One classifier
//! ([`crate::shell::builtin_checks::parse_error`]) gives the first error one of the five
//! parse-error codes, as ShellCheck does; the other checks do not run on such a script.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::ScCheck;

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

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck::PARSE_ERROR)
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
