//! SC3037: In POSIX sh, echo flags are undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3037 `echo-flags` (ShellCheck's check, built in).
pub struct EchoFlags;

impl Rule for EchoFlags {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3037",
            name: "echo-flags",
            severity: Severity::Warning,
            summary: "In POSIX sh, echo flags are undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
