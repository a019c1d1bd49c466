//! SC3030: In POSIX sh, arrays are undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck};
use tree_sitter::Node;

/// SC3030 `array-in-sh` (ShellCheck's check, built in).
pub struct ArrayInSh;

impl Rule for ArrayInSh {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3030",
            name: "array-in-sh",
            severity: Severity::Warning,
            summary: "In POSIX sh, arrays are undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["variable_assignment"],
            visit,
            sh_only: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `a=(1 2)` (an array) in a POSIX `sh` script.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    if n.named_child(1).is_some_and(|v| v.kind() == "array") {
        cx.report(n, "In POSIX sh, arrays are undefined.");
    }
}
