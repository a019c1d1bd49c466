//! SC2308: 'expr length' and friends have unspecified results.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_name};
use tree_sitter::Node;

/// SC2308 `expr-nonstandard` (ShellCheck's check, built in).
pub struct ExprNonstandard;

impl Rule for ExprNonstandard {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2308",
            name: "expr-nonstandard",
            severity: Severity::Info,
            summary: "'expr length' and friends have unspecified results",
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

/// `expr length|substr|index|match ...`: unspecified by POSIX.
fn visit<'t>(cx: &mut CheckCx<'t>, n: Node<'t>, _up: &[Node<'t>]) {
    if command_name(cx, n).is_none_or(|name| basename(name) != "expr") {
        return;
    }
    let args = cx.command_args(n);
    let Some(a) = args.first() else {
        return;
    };
    let op = cx.text(*a);
    let prefer = match op {
        "length" => "Prefer ${#var}.",
        "substr" => "Prefer parameter expansion or cut.",
        "index" => "Prefer parameter expansion or case.",
        "match" => "Prefer case or grep.",
        _ => return,
    };
    cx.report(*a, format!("'expr {op}' has unspecified results. {prefer}"));
}
