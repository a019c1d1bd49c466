//! SC2102: Ranges can only match single chars (mentioned due to duplicates).

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck, in_quotes_or_test};
use tree_sitter::Node;

/// SC2102 `bracket-range-duplicates` (ShellCheck's check, built in).
pub struct BracketRangeDuplicates;

impl Rule for BracketRangeDuplicates {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2102",
            name: "bracket-range-duplicates",
            severity: Severity::Info,
            summary: "Ranges can only match single chars (mentioned due to duplicates)",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["word", "concatenation"],
            visit,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `pip install pkg[full]`: `[full]` is a glob bracket matching one of f, u, l (reported when a
/// bracket repeats a character).
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    let Some(parent) = up.last() else { return };
    if n.kind() == "word" {
        if in_quotes_or_test(up)
            || matches!(
                parent.kind(),
                "command_name" | "variable_assignment" | "concatenation"
            )
        {
            return;
        }
    } else {
        // `pkg[full]` parses as the words `pkg`, `[`, `full`, `]`.
        let quoted = up.iter().any(|a| {
            matches!(
                a.kind(),
                "string" | "heredoc_body" | "test_command" | "case_item"
            )
        });
        if quoted || parent.kind() != "command" {
            return;
        }
    }
    let text = cx.text(n);
    let mut from = 0;
    while let Some(open) = text.get(from..).and_then(|t| t.find('[')) {
        let open = from + open;
        let Some(close) = text.get(open + 1..).and_then(|t| t.find(']')) else {
            return;
        };
        let inner = &text[open + 1..open + 1 + close];
        from = open + 1 + close + 1;
        if inner.len() < 2 || inner.contains([':', '[', '\\', '$']) || inner.starts_with(['!', '^'])
        {
            continue;
        }
        let chars: Vec<char> = inner.chars().filter(|&c| c != '-').collect();
        let dup = chars
            .iter()
            .enumerate()
            .any(|(i, c)| chars[i + 1..].contains(c));
        if dup {
            let at = n.start_byte() + open;
            cx.report_at(
                at,
                at + close + 2,
                "Ranges can only match single chars (mentioned due to duplicates).",
            );
            return;
        }
    }
}
