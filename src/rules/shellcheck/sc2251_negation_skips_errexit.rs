//! SC2251: This ! is not on a condition and skips errexit.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck, children};
use tree_sitter::Node;

/// SC2251 `negation-skips-errexit` (ShellCheck's check, built in).
pub struct NegationSkipsErrexit;

impl Rule for NegationSkipsErrexit {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2251",
            name: "negation-skips-errexit",
            severity: Severity::Info,
            summary: "This ! is not on a condition and skips errexit",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["negated_command"],
            visit,
            facts: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// Under `set -e`, `! cmd` as a statement never fails the script.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    if !cx.errexit() {
        return;
    }
    // tree-sitter-bash binds `!` tighter than `|`: `! a | b` is pipeline(negated(a), b), while
    // the shell negates the whole pipeline. The statement is then the pipeline.
    let (mut n, mut up) = (n, up);
    if let Some((parent, rest)) = up.split_last()
        && parent.kind() == "pipeline"
        && parent.named_child(0).is_some_and(|c| c.id() == n.id())
    {
        n = *parent;
        up = rest;
    }
    let Some(parent) = up.last() else { return };
    match parent.kind() {
        "program" | "compound_statement" | "do_group" | "subshell" | "else_clause" => {}
        "if_statement" | "elif_clause" => {
            // The body (after `then`), not the condition.
            let kids = children(*parent);
            let then = kids.iter().position(|k| k.kind() == "then");
            let pos = kids.iter().position(|k| k.id() == n.id());
            if !matches!((then, pos), (Some(t), Some(p)) if p > t) {
                return;
            }
        }
        _ => return,
    }
    if parent.kind() == "program" && cx.ends_script(n) {
        return;
    }
    cx.report(
        n,
        "This ! is not on a condition and skips errexit. Use `&& exit 1` instead, or make sure $? is checked.",
    );
}
