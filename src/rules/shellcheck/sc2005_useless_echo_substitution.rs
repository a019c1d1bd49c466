//! SC2005: Useless echo? Instead of 'echo $(cmd)', just use 'cmd'.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2005 `useless-echo-substitution` (ShellCheck's check, built in).
pub struct UselessEchoSubstitution;

impl Rule for UselessEchoSubstitution {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2005",
            name: "useless-echo-substitution",
            severity: Severity::Info,
            summary: "Useless echo? Instead of 'echo $(cmd)', just use 'cmd'",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
