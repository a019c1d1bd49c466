//! SC2006: Use $(...) notation instead of legacy backticks `...`.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck};
use tree_sitter::Node;

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

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["command_substitution"],
            visit,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `` `cmd` ``: legacy backticks.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    if cx.text(n).starts_with('`') {
        cx.report(n, "Use $(...) notation instead of legacy backticks `...`.");
    }
}
