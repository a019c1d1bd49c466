//! SC2129: Consider using { cmd1; cmd2; } >> file instead of individual redirects.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck, children};
use tree_sitter::Node;

/// SC2129 `repeated-append` (ShellCheck's check, built in).
pub struct RepeatedAppend;

impl Rule for RepeatedAppend {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2129",
            name: "repeated-append",
            severity: Severity::Info,
            summary: "Consider using { cmd1; cmd2; } >> file instead of individual redirects",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &[
                "program",
                "compound_statement",
                "do_group",
                "subshell",
                "list",
            ],
            visit,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// Three or more statements in a row appending to the same file (`a >> f; b >> f; c >> f`).
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    let kids: Vec<Node<'_>> = children(n)
        .into_iter()
        .filter(|c| c.is_named() && c.kind() != "comment")
        .collect();
    let mut run: Option<(&str, Node<'_>, usize)> = None;
    for k in kids {
        let target = append_target(cx, k);
        match (target, run) {
            (Some(t), Some((cur, first, count))) if t == cur => run = Some((cur, first, count + 1)),
            (Some(t), _) => {
                flush(cx, run);
                run = Some((t, k, 1));
            }
            (None, _) => {
                flush(cx, run);
                run = None;
            }
        }
    }
    flush(cx, run);
}

fn flush(cx: &mut CheckCx<'_>, run: Option<(&str, Node<'_>, usize)>) {
    if let Some((_, first, count)) = run
        && count >= 3
    {
        cx.report(
            first,
            "Consider using { cmd1; cmd2; } >> file instead of individual redirects.",
        );
    }
}

/// The file a `cmd >> file` statement appends to (static targets only).
fn append_target<'t>(cx: &CheckCx<'t>, n: Node<'_>) -> Option<&'t str> {
    if n.kind() != "redirected_statement" {
        return None;
    }
    let mut cursor = n.walk();
    let redirects: Vec<Node<'_>> = n
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "file_redirect")
        .collect();
    let [r] = redirects.as_slice() else {
        return None;
    };
    let op = r.child(0).map(|o| cx.text(o))?;
    if op != ">>" {
        return None;
    }
    let target = r.named_child(0)?;
    (target.kind() == "word").then(|| cx.text(target))
}
