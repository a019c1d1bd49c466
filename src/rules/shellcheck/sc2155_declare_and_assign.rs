//! SC2155: Declare and assign separately to avoid masking return values.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck};
use tree_sitter::Node;

/// SC2155 `declare-and-assign` (ShellCheck's check, built in).
pub struct DeclareAndAssign;

impl Rule for DeclareAndAssign {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2155",
            name: "declare-and-assign",
            severity: Severity::Warning,
            summary: "Declare and assign separately to avoid masking return values",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["declaration_command"],
            visit,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `export X=$(cmd)` hides `cmd`'s exit status behind `export`'s.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    let keyword = n.child(0).map(|k| cx.text(k)).unwrap_or("");
    if !matches!(
        keyword,
        "export" | "local" | "declare" | "typeset" | "readonly"
    ) {
        return;
    }
    let mut cursor = n.walk();
    let assignments: Vec<Node<'_>> = n
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "variable_assignment")
        .collect();
    for a in assignments {
        let Some(value) = a.named_child(1) else {
            continue;
        };
        let substitutes = value.kind() == "command_substitution" || {
            let mut c = value.walk();
            matches!(value.kind(), "string" | "concatenation")
                && value
                    .named_children(&mut c)
                    .any(|k| k.kind() == "command_substitution")
        };
        if substitutes {
            cx.report(
                a,
                "Declare and assign separately to avoid masking return values.",
            );
        }
    }
}
