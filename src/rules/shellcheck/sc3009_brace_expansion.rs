//! SC3009: In POSIX sh, brace expansion is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck, children, inside_quotes};
use tree_sitter::Node;

/// SC3009 `brace-expansion` (ShellCheck's check, built in).
pub struct BraceExpansion;

impl Rule for BraceExpansion {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3009",
            name: "brace-expansion",
            severity: Severity::Warning,
            summary: "In POSIX sh, brace expansion is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["brace_expression", "concatenation"],
            visit,
            sh_only: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `{a,b}` / `{1..3}` outside quotes in a POSIX `sh` script.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    if inside_quotes(up) {
        return;
    }
    if n.kind() == "brace_expression" {
        cx.report(n, "In POSIX sh, brace expansion is undefined.");
        return;
    }
    // `{a,b}` parsed as a concatenation of `{`, `a,b`, `}`.
    let kids = children(n);
    for (i, k) in kids.iter().enumerate() {
        if cx.text(*k) != "{" {
            continue;
        }
        let Some(close) = kids[i + 1..].iter().position(|c| cx.text(*c) == "}") else {
            continue;
        };
        let inner = &kids[i + 1..i + 1 + close];
        let list = inner.iter().any(|c| {
            c.kind() == "word" && (cx.text(*c).contains(',') || cx.text(*c).contains(".."))
        });
        if list {
            cx.report(*k, "In POSIX sh, brace expansion is undefined.");
            return;
        }
    }
}
