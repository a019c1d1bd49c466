//! SC2035: Use ./*glob* or -- *glob* so names with dashes won't become options.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2035 `glob-as-option` (ShellCheck's check, built in).
pub struct GlobAsOption;

impl Rule for GlobAsOption {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2035",
            name: "glob-as-option",
            severity: Severity::Info,
            summary: "Use ./*glob* or -- *glob* so names with dashes won't become options",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
