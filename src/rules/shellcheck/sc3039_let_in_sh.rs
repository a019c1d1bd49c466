//! SC3039: In POSIX sh, 'let' is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3039 `let-in-sh` (ShellCheck's check, built in).
pub struct LetInSh;

impl Rule for LetInSh {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3039",
            name: "let-in-sh",
            severity: Severity::Warning,
            summary: "In POSIX sh, 'let' is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
