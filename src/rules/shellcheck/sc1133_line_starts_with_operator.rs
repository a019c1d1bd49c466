//! SC1133: Unexpected start of line. If breaking lines, |/||/&& should be at the end of the previous one.

use crate::lint::{Context, Rule, RuleMeta, Severity};

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

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
