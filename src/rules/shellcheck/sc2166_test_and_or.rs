//! SC2166: Prefer [ p ] || [ q ] as [ p -o q ] is not well defined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck, first_child_of_kind};
use tree_sitter::Node;

/// SC2166 `test-and-or` (ShellCheck's check, built in).
pub struct TestAndOr;

impl Rule for TestAndOr {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2166",
            name: "test-and-or",
            severity: Severity::Warning,
            summary: "Prefer [ p ] || [ q ] as [ p -o q ] is not well defined",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["binary_expression"],
            visit,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `[ p -o q ]` / `[ p -a q ]`: not well defined by POSIX.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    let in_single_bracket = up
        .iter()
        .rev()
        .find(|a| a.kind() == "test_command")
        .is_some_and(|t| cx.text(*t).starts_with('[') && !cx.text(*t).starts_with("[["));
    if !in_single_bracket {
        return;
    }
    let Some(op) = first_child_of_kind(n, "test_operator") else {
        return;
    };
    let message = match cx.text(op) {
        "-o" => "Prefer [ p ] || [ q ] as [ p -o q ] is not well defined.",
        "-a" => "Prefer [ p ] && [ q ] as [ p -a q ] is not well defined.",
        _ => return,
    };
    cx.report(op, message);
}
