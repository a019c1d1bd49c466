//! SC3001: In POSIX sh, process substitution is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck};
use tree_sitter::Node;

/// SC3001 `process-substitution` (ShellCheck's check, built in).
pub struct ProcessSubstitution;

impl Rule for ProcessSubstitution {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3001",
            name: "process-substitution",
            severity: Severity::Warning,
            summary: "In POSIX sh, process substitution is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["process_substitution"],
            visit,
            sh_only: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `<(cmd)` / `>(cmd)` in a POSIX `sh` script.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    cx.report(n, "In POSIX sh, process substitution is undefined.");
}
