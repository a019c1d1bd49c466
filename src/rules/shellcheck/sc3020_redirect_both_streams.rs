//! SC3020: In POSIX sh, &> is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3020 `redirect-both-streams` (ShellCheck's check, built in).
pub struct RedirectBothStreams;

impl Rule for RedirectBothStreams {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3020",
            name: "redirect-both-streams",
            severity: Severity::Warning,
            summary: "In POSIX sh, &> is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
