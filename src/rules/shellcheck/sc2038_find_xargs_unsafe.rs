//! SC2038: Use -print0/-0 or -exec + to allow for non-alphanumeric filenames.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{
    CheckCx, ScCheck, children, command_args, command_name, xargs_null,
};
use tree_sitter::Node;

/// SC2038 `find-xargs-unsafe` (ShellCheck's check, built in).
pub struct FindXargsUnsafe;

impl Rule for FindXargsUnsafe {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2038",
            name: "find-xargs-unsafe",
            severity: Severity::Warning,
            summary: "Use -print0/-0 or -exec + to allow for non-alphanumeric filenames",
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

/// `find ... | xargs` without `-print0`/`-0`: names with blanks or quotes break.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    let stages: Vec<Node<'_>> = children(n).into_iter().filter(|c| c.is_named()).collect();
    for pair in stages.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if command_name(cx, a) != Some("find") || command_name(cx, b) != Some("xargs") {
            continue;
        }
        if xargs_null(cx, b) {
            continue;
        }
        let print0 = command_args(a)
            .iter()
            .any(|w| matches!(cx.text(*w), "-print0" | "-printf" | "-fprint0"));
        if !print0 {
            cx.report(
                a,
                "Use -print0/-0 or -exec + to allow for non-alphanumeric filenames.",
            );
        }
    }
}
