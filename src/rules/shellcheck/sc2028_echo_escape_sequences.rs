//! SC2028: echo may not expand escape sequences. Use printf.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_name};
use tree_sitter::Node;

/// SC2028 `echo-escape-sequences` (ShellCheck's check, built in).
pub struct EchoEscapeSequences;

impl Rule for EchoEscapeSequences {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2028",
            name: "echo-escape-sequences",
            severity: Severity::Info,
            summary: "echo may not expand escape sequences. Use printf",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["command"],
            visit,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `echo "a\nb"` without `-e`: POSIX echo may print the backslash. Not reported for dash (the
/// `sh` of Debian and Ubuntu), whose echo expands the escapes, as the author saw.
fn visit<'t>(cx: &mut CheckCx<'t>, n: Node<'t>, _up: &[Node<'t>]) {
    if command_name(cx, n).is_none_or(|name| basename(name) != "echo") {
        return;
    }
    let args = cx.command_args(n);
    let has_e = args
        .iter()
        .take_while(|a| cx.text(**a).starts_with('-'))
        .any(|a| cx.text(*a).contains('e'));
    if !has_e
        && !cx.is_dash()
        && let Some(a) = args
            .iter()
            .find(|a| matches!(a.kind(), "string" | "raw_string") && has_escape(cx.text(**a)))
    {
        cx.report(*a, "echo may not expand escape sequences. Use printf.");
    }
}

fn has_escape(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(2).any(|w| {
        w[0] == b'\\'
            && matches!(
                w[1],
                b'n' | b't' | b'r' | b'a' | b'b' | b'f' | b'v' | b'e' | b'0' | b'c'
            )
    })
}
