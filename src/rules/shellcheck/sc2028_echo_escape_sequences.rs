//! SC2028: echo may not expand escape sequences. Use printf.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2028 `echo-escape-sequences` (ShellCheck's check, built in).
pub struct EchoEscapeSequences;

impl Rule for EchoEscapeSequences {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2028",
            name: "echo-escape-sequences",
            severity: Severity::Info,
            summary: "echo may not expand escape sequences. Use printf",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
