//! SC2185: Some finds don't have a default path. Specify '.' explicitly.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{
    CheckCx, ScCheck, command_args, command_name, first_child_of_kind,
};
use tree_sitter::Node;

/// SC2185 `find-without-path` (ShellCheck's check, built in).
pub struct FindWithoutPath;

impl Rule for FindWithoutPath {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2185",
            name: "find-without-path",
            severity: Severity::Info,
            summary: "Some finds don't have a default path. Specify '.' explicitly",
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

/// `find` whose first operand (after `-H`/`-L`/`-P`/`-O…`) is an expression, not a path.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    if command_name(cx, n).is_none_or(|name| basename(name) != "find") {
        return;
    }
    let args = command_args(n);
    let literal = |a: Node<'_>| cx.text(a).trim_matches(['"', '\'']).to_string();
    if args.iter().any(|a| literal(*a) == "--help") {
        return;
    }
    let has_path = args
        .iter()
        .map(|a| literal(*a))
        .find(|t| !(t.starts_with('-') && (t.len() <= 2 || t.starts_with("-O"))))
        .is_some_and(|t| !t.starts_with('-'));
    if !has_path && let Some(name) = first_child_of_kind(n, "command_name") {
        cx.report(
            name,
            "Some finds don't have a default path. Specify '.' explicitly.",
        );
    }
}
