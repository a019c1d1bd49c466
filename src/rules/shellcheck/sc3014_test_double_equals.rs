//! SC3014: In POSIX sh, == in place of = is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck};
use tree_sitter::Node;

/// SC3014 `test-double-equals` (ShellCheck's check, built in).
pub struct TestDoubleEquals;

impl Rule for TestDoubleEquals {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3014",
            name: "test-double-equals",
            severity: Severity::Warning,
            summary: "In POSIX sh, == in place of = is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["test_operator", "=="],
            visit,
            sh_only: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `[ a == b ]` in a POSIX `sh` script (`==` inside a single-bracket test).
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    if cx.text(n) != "==" {
        return;
    }
    let single = up
        .iter()
        .rev()
        .find(|a| a.kind() == "test_command")
        .is_some_and(|t| !cx.text(*t).starts_with("[["));
    if single {
        cx.report(n, "In POSIX sh, == in place of = is undefined.");
    }
}
