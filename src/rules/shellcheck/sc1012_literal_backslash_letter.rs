//! SC1012: \t is just literal 't' here.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck, in_quotes_or_test};
use tree_sitter::Node;

/// SC1012 `literal-backslash-letter` (ShellCheck's check, built in).
pub struct LiteralBackslashLetter;

impl Rule for LiteralBackslashLetter {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC1012",
            name: "literal-backslash-letter",
            severity: Severity::Warning,
            summary: "\\t is just literal 't' here",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["word"],
            visit,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `\t` outside quotes is a plain `t` (also `\n`, `\r`).
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    if in_quotes_or_test(up) {
        return;
    }
    let Some(parent) = up.last() else { return };
    if matches!(parent.kind(), "command_name" | "variable_assignment") {
        return;
    }
    let bytes = cx.text(n).as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'\\' {
            let what = match bytes[i + 1] {
                b't' => Some(("t", "tab", "\\t")),
                b'n' => Some(("n", "line feed", "\\n")),
                b'r' => Some(("r", "carriage return", "\\r")),
                _ => None,
            };
            if let Some((letter, name, esc)) = what {
                let at = n.start_byte() + i;
                cx.report_at(
                    at,
                    at + 2,
                    format!("{esc} is just literal '{letter}' here. For {name}, use \"$(printf '{esc}')\" instead."),
                );
                return;
            }
            i += 2;
            continue;
        }
        i += 1;
    }
}
