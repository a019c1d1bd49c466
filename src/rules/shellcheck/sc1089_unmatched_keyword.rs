//! SC1089: Parsing stopped here. Is this keyword correctly matched up?

use crate::lint::{Context, Rule, RuleMeta, Severity};

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

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
