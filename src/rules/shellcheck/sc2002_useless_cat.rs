//! SC2002: Useless cat. Consider 'cmd < file | ..' or 'cmd file | ..' instead.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2002 `useless-cat` (ShellCheck's check, built in).
pub struct UselessCat;

impl Rule for UselessCat {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2002",
            name: "useless-cat",
            severity: Severity::Info,
            summary: "Useless cat. Consider 'cmd < file | ..' or 'cmd file | ..' instead",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
