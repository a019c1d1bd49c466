//! SC2002: Useless cat. Consider 'cmd < file | ..' or 'cmd file | ..' instead.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{
    CheckCx, ScCheck, children, command_args, command_name, first_child_of_kind,
};
use tree_sitter::Node;

/// SC2002 `useless-cat` (ShellCheck's check, built in).
pub struct UselessCat;

impl Rule for UselessCat {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2002",
            name: "useless-cat",
            severity: Severity::Info,
            summary: "Useless cat. Consider 'cmd < file | ..' or 'cmd file | ..' instead",
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

/// `cat file | cmd`: `cmd < file` reads it without the extra process.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    let stages: Vec<Node<'_>> = children(n).into_iter().filter(|c| c.is_named()).collect();
    if let Some(first) = stages.first()
        && stages.len() > 1
        && command_name(cx, *first) == Some("cat")
        && first_child_of_kind(*first, "file_redirect").is_none()
    {
        let args = command_args(*first);
        if let [file] = args.as_slice()
            && !cx.text(*file).starts_with('-')
        {
            cx.report(
                *file,
                "Useless cat. Consider 'cmd < file | ..' or 'cmd file | ..' instead.",
            );
        }
    }
}
