//! SC2116: Useless echo? Instead of 'cmd $(echo foo)', just use 'cmd foo'.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck, children, command_args, command_name};
use tree_sitter::Node;

/// SC2116 `useless-echo-in-substitution` (ShellCheck's check, built in).
pub struct UselessEchoInSubstitution;

impl Rule for UselessEchoInSubstitution {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2116",
            name: "useless-echo-in-substitution",
            severity: Severity::Info,
            summary: "Useless echo? Instead of 'cmd $(echo foo)', just use 'cmd foo'",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["command_substitution"],
            visit,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `$(echo foo)` is `foo`.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    let inner: Vec<Node<'_>> = children(n).into_iter().filter(|c| c.is_named()).collect();
    let [only] = inner.as_slice() else { return };
    if only.kind() != "command" || command_name(cx, *only) != Some("echo") {
        return;
    }
    let args = command_args(*only);
    if args.iter().any(|a| cx.text(*a).starts_with('-')) || args.is_empty() {
        return;
    }
    cx.report(
        n,
        "Useless echo? Instead of 'cmd $(echo foo)', just use 'cmd foo'.",
    );
}
