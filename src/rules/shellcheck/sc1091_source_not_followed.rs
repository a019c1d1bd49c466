//! SC1091: Not following: a sourced file was not specified as input.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_name, has_expansion};
use tree_sitter::Node;

/// SC1091 `source-not-followed` (ShellCheck's check, built in).
pub struct SourceNotFollowed;

impl Rule for SourceNotFollowed {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC1091",
            name: "source-not-followed",
            severity: Severity::Info,
            summary: "Not following: a sourced file was not specified as input",
            default_enabled: false,
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

/// `. file` / `source file` with a static path: ShellCheck cannot follow it.
fn visit<'t>(cx: &mut CheckCx<'t>, n: Node<'t>, _up: &[Node<'t>]) {
    if !command_name(cx, n).is_some_and(|name| matches!(basename(name), "." | "source")) {
        return;
    }
    if let Some(a) = cx.command_args(n).first()
        && !has_expansion(*a)
    {
        let path = cx.text(*a).trim_matches(['"', '\'']);
        cx.report(
            *a,
            format!("Not following: {path} was not specified as input (see shellcheck -x)."),
        );
    }
}
