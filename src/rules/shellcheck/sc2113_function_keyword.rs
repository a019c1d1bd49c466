//! SC2113: 'function' keyword is non-standard. Use 'foo()' instead of 'function foo'.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2113 `function-keyword` (ShellCheck's check, built in).
pub struct FunctionKeyword;

impl Rule for FunctionKeyword {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2113",
            name: "function-keyword",
            severity: Severity::Warning,
            summary: "'function' keyword is non-standard. Use 'foo()' instead of 'function foo'",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
