//! SC3046: In POSIX sh, 'source' in place of '.' is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3046 `source-in-sh` (ShellCheck's check, built in).
pub struct SourceInSh;

impl Rule for SourceInSh {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3046",
            name: "source-in-sh",
            severity: Severity::Warning,
            summary: "In POSIX sh, 'source' in place of '.' is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
