//! SC2164: Use 'cd ... || exit' in case cd fails.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, children, command_name};
use tree_sitter::Node;

/// SC2164 `cd-without-check` (ShellCheck's check, built in).
pub struct CdWithoutCheck;

impl Rule for CdWithoutCheck {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2164",
            name: "cd-without-check",
            severity: Severity::Warning,
            summary: "Use 'cd ... || exit' in case cd fails",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["command"],
            visit,
            facts: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// A `cd` whose failure nobody checks: no `set -e`, not the left side of `&&`/`||`, not a
/// condition, not the script's last statement (whose status is the RUN's).
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    if command_name(cx, n).is_none_or(|name| basename(name) != "cd") || cx.errexit() {
        return;
    }
    let Some(parent) = up.last() else { return };
    // `cd x && make`, `a && cd x || exit`: checked when cd (or the list it ends, as lists nest
    // to the left) is followed by `&&` or `||`.
    let mut current = n;
    for a in up.iter().rev() {
        match a.kind() {
            "list" => {
                let kids = children(*a);
                let pos = kids.iter().position(|k| k.id() == current.id());
                let next = pos.and_then(|p| kids.get(p + 1)).map(|k| k.kind());
                if matches!(next, Some("&&" | "||")) {
                    return;
                }
                current = *a;
            }
            "redirected_statement" => current = *a,
            "if_statement"
            | "while_statement"
            | "elif_clause"
            | "negated_command"
            | "pipeline"
            | "command_substitution" => return,
            _ => break,
        }
    }
    if cx.ends_script(n) && parent.kind() == "program" {
        return;
    }
    cx.report(
        n,
        "Use 'cd ... || exit' or 'cd ... || return' in case cd fails.",
    );
}
