//! SC3046: In POSIX sh, 'source' in place of '.' is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_name};
use tree_sitter::Node;

/// SC3046 `source-in-sh` (ShellCheck's check, built in).
pub struct SourceInSh;

impl Rule for SourceInSh {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3046",
            name: "source-in-sh",
            severity: Severity::Warning,
            summary: "In POSIX sh, 'source' in place of '.' is undefined",
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

/// `source file` in a POSIX `sh` script (`.` is the POSIX spelling).
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    if command_name(cx, n).is_some_and(|name| basename(name) == "source") {
        cx.report(n, "In POSIX sh, 'source' in place of '.' is undefined.");
    }
}
