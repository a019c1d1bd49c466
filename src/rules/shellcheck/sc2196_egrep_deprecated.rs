//! SC2196: egrep is non-standard and deprecated. Use grep -E instead.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_name};
use tree_sitter::Node;

/// SC2196 `egrep-deprecated` (ShellCheck's check, built in).
pub struct EgrepDeprecated;

impl Rule for EgrepDeprecated {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2196",
            name: "egrep-deprecated",
            severity: Severity::Info,
            summary: "egrep is non-standard and deprecated. Use grep -E instead",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["command"],
            visit,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `egrep`, deprecated for `grep -E`.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    if command_name(cx, n).is_some_and(|name| basename(name) == "egrep") {
        cx.report(
            n,
            "egrep is non-standard and deprecated. Use grep -E instead.",
        );
    }
}
