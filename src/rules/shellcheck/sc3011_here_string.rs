//! SC3011: In POSIX sh, here-strings are undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck};
use tree_sitter::Node;

/// SC3011 `here-string` (ShellCheck's check, built in).
pub struct HereString;

impl Rule for HereString {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3011",
            name: "here-string",
            severity: Severity::Warning,
            summary: "In POSIX sh, here-strings are undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["herestring_redirect"],
            visit,
            sh_only: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `cmd <<< word` in a POSIX `sh` script.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    cx.report(n, "In POSIX sh, here-strings are undefined.");
}
