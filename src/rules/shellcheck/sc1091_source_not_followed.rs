//! SC1091: Not following: a sourced file was not specified as input.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC1091 `source-not-followed` (ShellCheck's check, built in).
pub struct SourceNotFollowed;

impl Rule for SourceNotFollowed {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC1091",
            name: "source-not-followed",
            severity: Severity::Info,
            summary: "Not following: a sourced file was not specified as input",
            default_enabled: false,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
