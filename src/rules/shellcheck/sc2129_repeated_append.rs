//! SC2129: Consider using { cmd1; cmd2; } >> file instead of individual redirects.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2129 `repeated-append` (ShellCheck's check, built in).
pub struct RepeatedAppend;

impl Rule for RepeatedAppend {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2129",
            name: "repeated-append",
            severity: Severity::Info,
            summary: "Consider using { cmd1; cmd2; } >> file instead of individual redirects",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
