//! SC1133: Unexpected start of line. If breaking lines, |/||/&& should be at the end of the previous one.
//!
//! Reported when the RUN body does not parse: a line that starts with `|`, `||` or `&&` (the operator belongs at the end of the previous line). One classifier
//! ([`crate::shell::builtin_checks::parse_error`]) gives the first error one of the five
//! parse-error codes, as ShellCheck does; the other checks do not run on such a script.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::ScCheck;

/// SC1133 `line-starts-with-operator` (ShellCheck's parse error, built in): a line starts with `|`, `||` or `&&`.
pub struct LineStartsWithOperator;

impl Rule for LineStartsWithOperator {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC1133",
            name: "line-starts-with-operator",
            severity: Severity::Error,
            summary: "Unexpected start of line. If breaking lines, |/||/&& should be at the end of the previous one.",
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
