//! SC3006: In POSIX sh, standalone ((..)) is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck};
use tree_sitter::Node;

/// SC3006 `standalone-arithmetic` (ShellCheck's check, built in).
pub struct StandaloneArithmetic;

impl Rule for StandaloneArithmetic {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3006",
            name: "standalone-arithmetic",
            severity: Severity::Warning,
            summary: "In POSIX sh, standalone ((..)) is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["compound_statement"],
            visit,
            sh_only: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// A standalone `(( ... ))` in a POSIX `sh` script.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    if cx.text(n).starts_with("((") {
        cx.report(n, "In POSIX sh, standalone ((..)) is undefined.");
    }
}
