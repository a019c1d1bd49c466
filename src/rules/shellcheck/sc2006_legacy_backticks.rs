//! SC2006: Use $(...) notation instead of legacy backticks `...`.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC2006 `legacy-backticks` (ShellCheck's check, built in).
pub struct LegacyBackticks;

impl Rule for LegacyBackticks {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2006",
            name: "legacy-backticks",
            severity: Severity::Style,
            summary: "Use $(...) notation instead of legacy backticks `...`",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}
