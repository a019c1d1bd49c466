//! SC2035: Use ./*glob* or -- *glob* so names with dashes won't become options.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_name, in_quotes_or_test};
use tree_sitter::Node;

/// SC2035 `glob-as-option` (ShellCheck's check, built in).
pub struct GlobAsOption;

impl Rule for GlobAsOption {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2035",
            name: "glob-as-option",
            severity: Severity::Info,
            summary: "Use ./*glob* or -- *glob* so names with dashes won't become options",
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

/// `rm *.txt`: a glob argument that passes `-rf.txt` as an option when such a file exists
/// (not after `--`, not for commands that take no options from it).
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    if in_quotes_or_test(up) {
        return;
    }
    let Some(&cmd) = up.last().filter(|p| p.kind() == "command") else {
        return;
    };
    if !cx.text(n).starts_with('*') {
        return;
    }
    let name = command_name(cx, cmd).unwrap_or("");
    if matches!(
        name,
        "echo" | "printf" | "find" | "[" | "test" | "for" | "case"
    ) {
        return;
    }
    let mut cursor = cmd.walk();
    let after_dashdash = cmd
        .named_children(&mut cursor)
        .take_while(|c| c.start_byte() < n.start_byte())
        .any(|c| cx.text(c) == "--");
    if !after_dashdash {
        cx.report(
            n,
            "Use ./*glob* or -- *glob* so names with dashes won't become options.",
        );
    }
}
