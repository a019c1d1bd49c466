//! SC2288: This is interpreted as a command name ending with a symbol.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2288 `command-name-trailing-symbol` (ShellCheck's check, built in).
pub struct CommandNameTrailingSymbol;

impl Rule for CommandNameTrailingSymbol {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2288",
            name: "command-name-trailing-symbol",
            severity: Severity::Warning,
            summary: "This is interpreted as a command name ending with a symbol",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
