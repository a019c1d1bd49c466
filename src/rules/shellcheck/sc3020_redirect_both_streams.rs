//! SC3020: In POSIX sh, &> is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck};
use tree_sitter::Node;

/// SC3020 `redirect-both-streams` (ShellCheck's check, built in).
pub struct RedirectBothStreams;

impl Rule for RedirectBothStreams {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3020",
            name: "redirect-both-streams",
            severity: Severity::Warning,
            summary: "In POSIX sh, &> is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["file_redirect"],
            visit,
            sh_only: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `&>` / `&>>` (both streams to a file) in a POSIX `sh` script.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    if let Some(op) = n.child(0)
        && matches!(cx.text(op), "&>" | "&>>")
    {
        cx.report(op, "In POSIX sh, &> is undefined.");
    }
}
