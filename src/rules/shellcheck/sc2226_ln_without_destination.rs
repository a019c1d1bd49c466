//! SC2226: This ln has no destination.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_name};
use tree_sitter::Node;

/// SC2226 `ln-without-destination` (ShellCheck's check, built in).
pub struct LnWithoutDestination;

impl Rule for LnWithoutDestination {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2226",
            name: "ln-without-destination",
            severity: Severity::Warning,
            summary: "This ln has no destination",
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

/// `ln -s target` with one operand and no `-t`: no destination.
fn visit<'t>(cx: &mut CheckCx<'t>, n: Node<'t>, _up: &[Node<'t>]) {
    if command_name(cx, n).is_none_or(|name| basename(name) != "ln") {
        return;
    }
    let args = cx.command_args(n);
    let has_target_dir = args.iter().any(|a| {
        let t = cx.text(*a);
        t == "-t"
            || t.starts_with("--target-directory")
            || (t.starts_with('-') && !t.starts_with("--") && t.contains('t'))
    });
    let operands = args
        .iter()
        .filter(|a| !cx.text(**a).starts_with('-'))
        .count();
    if operands == 1 && !has_target_dir {
        cx.report(
            n,
            "This ln has no destination. Check the arguments, or specify '.' explicitly.",
        );
    }
}
