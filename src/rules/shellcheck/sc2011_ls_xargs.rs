//! SC2011: Use 'find .. -print0 | xargs -0 ..' instead of ls | xargs.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck, children, command_name, xargs_null};
use tree_sitter::Node;

/// SC2011 `ls-xargs` (ShellCheck's check, built in).
pub struct LsXargs;

impl Rule for LsXargs {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2011",
            name: "ls-xargs",
            severity: Severity::Warning,
            summary: "Use 'find .. -print0 | xargs -0 ..' instead of ls | xargs",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["pipeline"],
            visit,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `ls | xargs` without `-0`: `ls` output is no list of file names.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    let stages: Vec<Node<'_>> = children(n).into_iter().filter(|c| c.is_named()).collect();
    for pair in stages.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if command_name(cx, a) == Some("ls")
            && command_name(cx, b) == Some("xargs")
            && !xargs_null(cx, b)
        {
            cx.report(
                a,
                "Use 'find .. -print0 | xargs -0 ..' or 'find .. -exec .. +' to allow non-alphanumeric filenames.",
            );
        }
    }
}
