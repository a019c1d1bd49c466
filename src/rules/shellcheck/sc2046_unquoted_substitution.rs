//! SC2046: Quote this to prevent word splitting.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, Place, ScCheck, place};
use tree_sitter::Node;

/// SC2046 `unquoted-substitution` (ShellCheck's check, built in).
pub struct UnquotedSubstitution;

impl Rule for UnquotedSubstitution {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2046",
            name: "unquoted-substitution",
            severity: Severity::Warning,
            summary: "Quote this to prevent word splitting",
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

/// An unquoted `$(cmd)` where the shell splits and globs its output.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    if place(cx, n, up) == Place::Split {
        cx.report(n, "Quote this to prevent word splitting.");
    }
}
