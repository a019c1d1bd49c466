//! SC2038: Use -print0/-0 or -exec + to allow for non-alphanumeric filenames.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2038 `find-xargs-unsafe` (ShellCheck's check, built in).
pub struct FindXargsUnsafe;

impl Rule for FindXargsUnsafe {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2038",
            name: "find-xargs-unsafe",
            severity: Severity::Warning,
            summary: "Use -print0/-0 or -exec + to allow for non-alphanumeric filenames",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
