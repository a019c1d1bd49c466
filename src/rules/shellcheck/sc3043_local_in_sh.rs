//! SC3043: In POSIX sh, 'local' is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck};
use tree_sitter::Node;

/// SC3043 `local-in-sh` (ShellCheck's check, built in).
pub struct LocalInSh;

impl Rule for LocalInSh {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3043",
            name: "local-in-sh",
            severity: Severity::Warning,
            summary: "In POSIX sh, 'local' is undefined",
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

/// `local x` in a POSIX `sh` script.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    if n.child(0).is_some_and(|k| cx.text(k) == "local") {
        cx.report(n, "In POSIX sh, 'local' is undefined.");
    }
}
