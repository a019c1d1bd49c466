//! SC3003: In POSIX sh, $'..' is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck};
use tree_sitter::Node;

/// SC3003 `ansi-c-quoting` (ShellCheck's check, built in).
pub struct AnsiCQuoting;

impl Rule for AnsiCQuoting {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3003",
            name: "ansi-c-quoting",
            severity: Severity::Warning,
            summary: "In POSIX sh, $'..' is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["ansi_c_string"],
            visit,
            sh_only: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `$'...'` (ANSI-C quoting) in a POSIX `sh` script.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    cx.report(n, "In POSIX sh, $'..' is undefined.");
}
