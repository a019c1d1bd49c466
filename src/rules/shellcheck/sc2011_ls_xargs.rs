//! SC2011: Use 'find .. -print0 | xargs -0 ..' instead of ls | xargs.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2011 `ls-xargs` (ShellCheck's check, built in).
pub struct LsXargs;

impl Rule for LsXargs {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2011",
            name: "ls-xargs",
            severity: Severity::Warning,
            summary: "Use 'find .. -print0 | xargs -0 ..' instead of ls | xargs",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
