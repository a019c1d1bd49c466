//! SC1088: Parsing stopped here. Invalid use of parentheses?

use crate::lint::{Context, Rule, RuleMeta, Severity};

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

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
