//! SC3043: In POSIX sh, 'local' is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3043 `local-in-sh` (ShellCheck's check, built in).
pub struct LocalInSh;

impl Rule for LocalInSh {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3043",
            name: "local-in-sh",
            severity: Severity::Warning,
            summary: "In POSIX sh, 'local' is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
