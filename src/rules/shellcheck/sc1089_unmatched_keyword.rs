//! SC1089: Parsing stopped here. Is this keyword correctly matched up?
//!
//! Reported when the RUN body does not parse: a parse error at a keyword that closes nothing (`fi`, `done`, `}` ...). One classifier
//! ([`crate::shell::builtin_checks::parse_error`]) gives the first error one of the five
//! parse-error codes, as ShellCheck does; the other checks do not run on such a script.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::ScCheck;

/// SC1089 `unmatched-keyword` (ShellCheck's parse error, built in): a keyword that closes nothing.
pub struct UnmatchedKeyword;

impl Rule for UnmatchedKeyword {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC1089",
            name: "unmatched-keyword",
            severity: Severity::Error,
            summary: "Parsing stopped here. Is this keyword correctly matched up?",
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
