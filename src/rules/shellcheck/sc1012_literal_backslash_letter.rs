//! SC1012: \t is just literal 't' here.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC1012 `literal-backslash-letter` (ShellCheck's check, built in).
pub struct LiteralBackslashLetter;

impl Rule for LiteralBackslashLetter {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC1012",
            name: "literal-backslash-letter",
            severity: Severity::Warning,
            summary: "\\t is just literal 't' here",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
