//! SC2288: This is interpreted as a command name ending with a symbol.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_name};
use tree_sitter::Node;

/// SC2288 `command-name-trailing-symbol` (ShellCheck's check, built in).
pub struct CommandNameTrailingSymbol;

impl Rule for CommandNameTrailingSymbol {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2288",
            name: "command-name-trailing-symbol",
            severity: Severity::Warning,
            summary: "This is interpreted as a command name ending with a symbol",
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

/// `echo foo;` typed as `foo%`, Windows `%VAR%`, a stray `,`: a command name ending with a
/// symbol.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    let Some(name) = command_name(cx, n) else {
        return;
    };
    if name.len() > 1
        && name.ends_with([
            '%', ',', '.', '(', ')', '{', '}', '[', ']', '<', '>', '#', '&', '|',
        ])
        && !name.starts_with('.')
        && let Some(last) = name.chars().next_back()
    {
        cx.report(
            n,
            format!(
                "This is interpreted as a command name ending with '{last}'. Double check syntax."
            ),
        );
    }
}
