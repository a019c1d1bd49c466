//! SC2197: fgrep is non-standard and deprecated. Use grep -F instead.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_name};
use tree_sitter::Node;

/// SC2197 `fgrep-deprecated` (ShellCheck's check, built in).
pub struct FgrepDeprecated;

impl Rule for FgrepDeprecated {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2197",
            name: "fgrep-deprecated",
            severity: Severity::Info,
            summary: "fgrep is non-standard and deprecated. Use grep -F instead",
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

/// `fgrep`, deprecated for `grep -F`.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    if command_name(cx, n).is_some_and(|name| basename(name) == "fgrep") {
        cx.report(
            n,
            "fgrep is non-standard and deprecated. Use grep -F instead.",
        );
    }
}
