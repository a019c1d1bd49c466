//! SC3001: In POSIX sh, process substitution is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3001 `process-substitution` (ShellCheck's check, built in).
pub struct ProcessSubstitution;

impl Rule for ProcessSubstitution {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3001",
            name: "process-substitution",
            severity: Severity::Warning,
            summary: "In POSIX sh, process substitution is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
