//! SC3039: In POSIX sh, 'let' is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_name};
use tree_sitter::Node;

/// SC3039 `let-in-sh` (ShellCheck's check, built in).
pub struct LetInSh;

impl Rule for LetInSh {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3039",
            name: "let-in-sh",
            severity: Severity::Warning,
            summary: "In POSIX sh, 'let' is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["command"],
            visit,
            sh_only: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `let x=1` in a POSIX `sh` script.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    if command_name(cx, n).is_some_and(|name| basename(name) == "let") {
        cx.report(n, "In POSIX sh, 'let' is undefined.");
    }
}
