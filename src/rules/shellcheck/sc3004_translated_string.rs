//! SC3004: In POSIX sh, $".." is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck, inside_quotes};
use tree_sitter::Node;

/// SC3004 `translated-string` (ShellCheck's check, built in).
pub struct TranslatedString;

impl Rule for TranslatedString {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3004",
            name: "translated-string",
            severity: Severity::Warning,
            summary: "In POSIX sh, $\"..\" is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["translated_string", "string"],
            visit,
            sh_only: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `$"..."` (a translated string) in a POSIX `sh` script.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    if n.kind() == "translated_string" {
        cx.report(n, "In POSIX sh, $\"..\" is undefined.");
        return;
    }
    // tree-sitter-bash parses `$"..."` as a `$` token and a string.
    if inside_quotes(up) || n.start_byte() == 0 {
        return;
    }
    let before = cx.src().as_bytes().get(..n.start_byte()).unwrap_or(&[]);
    if before.ends_with(b"$") && !before.ends_with(b"\\$") && !before.ends_with(b"$$") {
        let start = n.start_byte() - 1;
        cx.report_at(start, n.end_byte(), "In POSIX sh, $\"..\" is undefined.");
    }
}
