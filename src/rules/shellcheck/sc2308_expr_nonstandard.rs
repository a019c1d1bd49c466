//! SC2308: 'expr length' and friends have unspecified results.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2308 `expr-nonstandard` (ShellCheck's check, built in).
pub struct ExprNonstandard;

impl Rule for ExprNonstandard {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2308",
            name: "expr-nonstandard",
            severity: Severity::Info,
            summary: "'expr length' and friends have unspecified results",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
