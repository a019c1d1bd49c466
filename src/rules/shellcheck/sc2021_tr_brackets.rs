//! SC2021: Don't use [] around classes in tr, it replaces literal square brackets.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_args, command_name, has_expansion};
use tree_sitter::Node;

/// SC2021 `tr-brackets` (ShellCheck's check, built in).
pub struct TrBrackets;

impl Rule for TrBrackets {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2021",
            name: "tr-brackets",
            severity: Severity::Info,
            summary: "Don't use [] around classes in tr, it replaces literal square brackets",
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

/// `tr '[a-z]' '[A-Z]'`: a set written as a bracket range (`[:alpha:]` and `[=e=]` are classes).
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    if command_name(cx, n).is_none_or(|name| basename(name) != "tr") {
        return;
    }
    for a in command_args(n) {
        if has_expansion(a) {
            continue;
        }
        let text = cx.text(a);
        let set = text
            .strip_prefix(['\'', '"'])
            .and_then(|t| t.strip_suffix(['\'', '"']))
            .unwrap_or(text);
        let Some(inner) = set.strip_prefix('[').and_then(|s| s.strip_suffix(']')) else {
            continue;
        };
        let class = inner.starts_with([':', '=']);
        if !inner.is_empty() && !class && !inner.contains(['[', ']']) {
            cx.report(
                a,
                "Don't use [] around classes in tr, it replaces literal square brackets.",
            );
        }
    }
}
