//! SC3010: In POSIX sh, [[ ]] is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck};
use tree_sitter::Node;

/// SC3010 `double-bracket-test` (ShellCheck's check, built in).
pub struct DoubleBracketTest;

impl Rule for DoubleBracketTest {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3010",
            name: "double-bracket-test",
            severity: Severity::Warning,
            summary: "In POSIX sh, [[ ]] is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["test_command"],
            visit,
            sh_only: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `[[ ... ]]` in a POSIX `sh` script.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    if cx.text(n).starts_with("[[") {
        cx.report(n, "In POSIX sh, [[ ]] is undefined.");
    }
}
