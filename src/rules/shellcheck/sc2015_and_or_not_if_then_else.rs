//! SC2015: Note that A && B || C is not if-then-else. C may run when A is true.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, children, command_name, first_child_of_kind};
use tree_sitter::Node;

/// SC2015 `and-or-not-if-then-else` (ShellCheck's check, built in).
pub struct AndOrNotIfThenElse;

impl Rule for AndOrNotIfThenElse {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2015",
            name: "and-or-not-if-then-else",
            severity: Severity::Info,
            summary: "Note that A && B || C is not if-then-else. C may run when A is true",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["list"],
            visit,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// A whole `A && B || C` list (its last operator `||`, the one before it `&&`), not inside
/// another `&&`/`||` list nor the condition of an `if`/`while`, where C is not `echo`/`printf`, `exit`/`return` or an
/// assignment. Reported at the `&&`.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    let Some(parent) = n.parent() else {
        return;
    };
    // part of a longer `&&`/`||` list (a loop body inside `for ...; done && x` too): not reported
    if up.iter().any(|a| a.kind() == "list") || in_condition(parent, n) {
        return;
    }
    let [left, op, right] = children(n)[..] else {
        return;
    };
    if op.kind() != "||" || left.kind() != "list" || is_fallback(cx, right) {
        return;
    }
    let [_, and, _] = children(left)[..] else {
        return;
    };
    if and.kind() == "&&" {
        cx.report(
            and,
            "Note that A && B || C is not if-then-else. C may run when A is true.",
        );
    }
}

/// `n` is (part of) the condition of an `if`, `elif`, `while` or `until`.
fn in_condition(parent: Node<'_>, n: Node<'_>) -> bool {
    if !matches!(
        parent.kind(),
        "if_statement" | "elif_clause" | "while_statement" | "until_statement"
    ) {
        return false;
    }
    let mut cursor = parent.walk();
    parent
        .children_by_field_name("condition", &mut cursor)
        .any(|c| c.id() == n.id())
}

/// A right side ShellCheck accepts: `echo`, `printf`, `exit`, `return` or an assignment.
fn is_fallback(cx: &CheckCx<'_>, right: Node<'_>) -> bool {
    match right.kind() {
        "variable_assignment" | "variable_assignments" => true,
        // a command without a name is assignments only
        "command" if first_child_of_kind(right, "command_name").is_none() => true,
        "command" => command_name(cx, right)
            .is_some_and(|name| matches!(basename(name), "echo" | "printf" | "exit" | "return")),
        _ => false,
    }
}
