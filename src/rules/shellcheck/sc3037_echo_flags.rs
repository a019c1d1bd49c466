//! SC3037: In POSIX sh, echo flags are undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_name};
use tree_sitter::Node;

/// SC3037 `echo-flags` (ShellCheck's check, built in).
pub struct EchoFlags;

impl Rule for EchoFlags {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3037",
            name: "echo-flags",
            severity: Severity::Warning,
            summary: "In POSIX sh, echo flags are undefined",
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

/// `echo -n` / `echo -e` in a POSIX `sh` script.
fn visit<'t>(cx: &mut CheckCx<'t>, n: Node<'t>, _up: &[Node<'t>]) {
    if command_name(cx, n).is_none_or(|name| basename(name) != "echo") {
        return;
    }
    if let Some(flag) = cx.command_args(n).first()
        && is_echo_flag(cx.text(*flag))
    {
        cx.report(*flag, "In POSIX sh, echo flags are undefined.");
    }
}

/// `-n`, `-e`, `-ne`, `-E`: the flags bash's echo takes.
fn is_echo_flag(t: &str) -> bool {
    t.strip_prefix('-')
        .is_some_and(|f| !f.is_empty() && f.bytes().all(|b| matches!(b, b'n' | b'e' | b'E')))
}
