//! SC2043: This loop will only ever run once.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck, has_expansion};
use tree_sitter::Node;

/// SC2043 `loop-runs-once` (ShellCheck's check, built in).
pub struct LoopRunsOnce;

impl Rule for LoopRunsOnce {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2043",
            name: "loop-runs-once",
            severity: Severity::Warning,
            summary: "This loop will only ever run once. Bad quoting or missing glob/expansion?",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["for_statement"],
            visit,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `for x in one; do`: a single literal word without a glob or an expansion.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    let mut cursor = n.walk();
    let values: Vec<Node<'_>> = n.children_by_field_name("value", &mut cursor).collect();
    let [only] = values.as_slice() else {
        return;
    };
    let text = cx.text(*only);
    let unquoted = !text.starts_with(['"', '\'']);
    if has_expansion(*only) || (unquoted && text.contains(['*', '?', '[', '{'])) {
        return;
    }
    cx.report(
        *only,
        "This loop will only ever run once. Bad quoting or missing glob/expansion?",
    );
}
