//! SC2283: Remove spaces around = to assign.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_name, is_name};
use tree_sitter::Node;

/// SC2283 `spaces-around-assignment` (ShellCheck's check, built in).
pub struct SpacesAroundAssignment;

impl Rule for SpacesAroundAssignment {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2283",
            name: "spaces-around-assignment",
            severity: Severity::Error,
            summary: "Remove spaces around = to assign",
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

/// `FOO = bar` runs `FOO` with two arguments.
fn visit<'t>(cx: &mut CheckCx<'t>, n: Node<'t>, _up: &[Node<'t>]) {
    let Some(name) = command_name(cx, n) else {
        return;
    };
    let args = cx.command_args(n);
    if let Some(eq) = args.first()
        && cx.text(*eq) == "="
        && is_name(name)
    {
        cx.report(
            *eq,
            "Remove spaces around = to assign (or use [ ] to compare, or quote '=' if literal).",
        );
    }
}
