//! SC1065: Trying to declare parameters? Don't. Use () and refer to params as $1, $2..
//!
//! Reported when the RUN body does not parse: a function header with parameters between its parentheses (`f(a, b) {`). One classifier
//! ([`crate::shell::builtin_checks::parse_error`]) gives the first error one of the five
//! parse-error codes, as ShellCheck does; the other checks do not run on such a script.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::ScCheck;

/// SC1065 `function-parameters-declared` (ShellCheck's parse error, built in): parameters declared in a function header.
pub struct FunctionParametersDeclared;

impl Rule for FunctionParametersDeclared {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC1065",
            name: "function-parameters-declared",
            severity: Severity::Error,
            summary: "Trying to declare parameters? Don't. Use () and refer to params as $1, $2..",
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
