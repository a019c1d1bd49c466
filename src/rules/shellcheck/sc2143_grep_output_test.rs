//! SC2143: Use grep -q instead of comparing output with [ -n .. ].

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck, children, command_name, first_child_of_kind};
use tree_sitter::Node;

/// SC2143 `grep-output-test` (ShellCheck's check, built in).
pub struct GrepOutputTest;

impl Rule for GrepOutputTest {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2143",
            name: "grep-output-test",
            severity: Severity::Info,
            summary: "Use grep -q instead of comparing output with [ -n .. ]",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["test_command"],
            visit,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `[ -n "$(grep ...)" ]` instead of `grep -q`.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    if !cx.text(n).starts_with('[') {
        return;
    }
    let Some(expr) = children(n).into_iter().find(|c| c.is_named()) else {
        return;
    };
    let (op, operand) = match expr.kind() {
        "unary_expression" => {
            let op = expr.child(0).map(|o| cx.text(o)).unwrap_or("");
            (
                op,
                expr.named_child(expr.named_child_count().saturating_sub(1) as u32),
            )
        }
        "string" | "command_substitution" => ("-n", Some(expr)),
        _ => return,
    };
    if !matches!(op, "-n" | "-z") {
        return;
    }
    let Some(operand) = operand else { return };
    let sub = if operand.kind() == "command_substitution" {
        Some(operand)
    } else {
        first_child_of_kind(operand, "command_substitution")
    };
    let Some(sub) = sub else { return };
    // The substitution's output comes from grep (alone or last in a pipeline).
    let Some(body) = children(sub).into_iter().find(|c| c.is_named()) else {
        return;
    };
    let last = if body.kind() == "pipeline" {
        children(body).into_iter().rfind(|c| c.is_named())
    } else {
        Some(body)
    };
    let greps = last
        .and_then(|c| command_name(cx, c))
        .is_some_and(|name| matches!(name, "grep" | "egrep" | "fgrep"));
    if greps {
        let message = if op == "-z" {
            "Use ! grep -q instead of comparing output with [ -z .. ]."
        } else {
            "Use grep -q instead of comparing output with [ -n .. ]."
        };
        cx.report(expr, message);
    }
}
