//! SC3044: In POSIX sh, 'declare' is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck};
use tree_sitter::Node;

/// SC3044 `declare-in-sh` (ShellCheck's check, built in).
pub struct DeclareInSh;

impl Rule for DeclareInSh {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3044",
            name: "declare-in-sh",
            severity: Severity::Warning,
            summary: "In POSIX sh, 'declare' is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["declaration_command"],
            visit,
            sh_only: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `declare` / `typeset` in a POSIX `sh` script.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    let keyword = n.child(0).map(|k| cx.text(k)).unwrap_or("");
    if matches!(keyword, "declare" | "typeset") {
        cx.report(n, format!("In POSIX sh, '{keyword}' is undefined."));
    }
}
