//! SC3004: In POSIX sh, $".." is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC3004 `translated-string` (ShellCheck's check, built in).
pub struct TranslatedString;

impl Rule for TranslatedString {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3004",
            name: "translated-string",
            severity: Severity::Warning,
            summary: "In POSIX sh, $\"..\" is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
