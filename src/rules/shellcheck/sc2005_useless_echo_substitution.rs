//! SC2005: Useless echo? Instead of 'echo $(cmd)', just use 'cmd'.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, children, command_name};
use tree_sitter::Node;

/// SC2005 `useless-echo-substitution` (ShellCheck's check, built in).
pub struct UselessEchoSubstitution;

impl Rule for UselessEchoSubstitution {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2005",
            name: "useless-echo-substitution",
            severity: Severity::Info,
            summary: "Useless echo? Instead of 'echo $(cmd)', just use 'cmd'",
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

/// `echo $(cmd)` / `echo "$(cmd)"`: the echo only repeats `cmd`'s output.
fn visit<'t>(cx: &mut CheckCx<'t>, n: Node<'t>, _up: &[Node<'t>]) {
    if command_name(cx, n).is_none_or(|name| basename(name) != "echo") {
        return;
    }
    let args = cx.command_args(n);
    let [only] = &args[..] else {
        return;
    };
    let sub = match only.kind() {
        "command_substitution" => true,
        "string" => {
            let inner: Vec<Node<'_>> = children(*only)
                .into_iter()
                .filter(|c| c.is_named())
                .collect();
            matches!(inner.as_slice(), [c] if c.kind() == "command_substitution")
                && cx.text(*only).len()
                    == inner.first().map_or(0, |c| c.end_byte() - c.start_byte()) + 2
        }
        _ => false,
    };
    if sub {
        cx.report(
            *only,
            "Useless echo? Instead of 'echo $(cmd)', just use 'cmd'.",
        );
    }
}
