//! SC3044: In POSIX sh, 'declare' is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3044 `declare-in-sh` (ShellCheck's check, built in).
pub struct DeclareInSh;

impl Rule for DeclareInSh {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3044",
            name: "declare-in-sh",
            severity: Severity::Warning,
            summary: "In POSIX sh, 'declare' is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
