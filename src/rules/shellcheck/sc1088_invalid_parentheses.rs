//! SC1088: Parsing stopped here. Invalid use of parentheses?
//!
//! Reported when the RUN body does not parse: a parse error at a parenthesis where none can be. One classifier
//! ([`crate::shell::builtin_checks::parse_error`]) gives the first error one of the five
//! parse-error codes, as ShellCheck does; the other checks do not run on such a script.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::ScCheck;

/// SC1088 `invalid-parentheses` (ShellCheck's parse error, built in): parentheses where the shell allows none.
pub struct InvalidParentheses;

impl Rule for InvalidParentheses {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC1088",
            name: "invalid-parentheses",
            severity: Severity::Error,
            summary: "Parsing stopped here. Invalid use of parentheses?",
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
