//! SC2166: Prefer [ p ] || [ q ] as [ p -o q ] is not well defined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2166 `test-and-or` (ShellCheck's check, built in).
pub struct TestAndOr;

impl Rule for TestAndOr {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2166",
            name: "test-and-or",
            severity: Severity::Warning,
            summary: "Prefer [ p ] || [ q ] as [ p -o q ] is not well defined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
