//! SC3040: In POSIX sh, set option pipefail is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3040 `set-pipefail-in-sh` (ShellCheck's check, built in).
pub struct SetPipefailInSh;

impl Rule for SetPipefailInSh {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3040",
            name: "set-pipefail-in-sh",
            severity: Severity::Warning,
            summary: "In POSIX sh, set option pipefail is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
