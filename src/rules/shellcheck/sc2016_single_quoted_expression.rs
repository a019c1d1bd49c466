//! SC2016: Expressions don't expand in single quotes, use double quotes for that.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2016 `single-quoted-expression` (ShellCheck's check, built in).
pub struct SingleQuotedExpression;

impl Rule for SingleQuotedExpression {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2016",
            name: "single-quoted-expression",
            severity: Severity::Info,
            summary: "Expressions don't expand in single quotes, use double quotes for that",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
