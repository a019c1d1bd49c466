//! SC2116: Useless echo? Instead of 'cmd $(echo foo)', just use 'cmd foo'.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2116 `useless-echo-in-substitution` (ShellCheck's check, built in).
pub struct UselessEchoInSubstitution;

impl Rule for UselessEchoInSubstitution {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2116",
            name: "useless-echo-in-substitution",
            severity: Severity::Info,
            summary: "Useless echo? Instead of 'cmd $(echo foo)', just use 'cmd foo'",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
