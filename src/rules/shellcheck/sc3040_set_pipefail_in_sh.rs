//! SC3040: In POSIX sh, set option pipefail is undefined.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_name};
use tree_sitter::Node;

/// SC3040 `set-pipefail-in-sh` (ShellCheck's check, built in).
pub struct SetPipefailInSh;

impl Rule for SetPipefailInSh {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC3040",
            name: "set-pipefail-in-sh",
            severity: Severity::Warning,
            summary: "In POSIX sh, set option pipefail is undefined",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["command"],
            visit,
            sh_only: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `set -o pipefail` in a POSIX `sh` script.
fn visit<'t>(cx: &mut CheckCx<'t>, n: Node<'t>, _up: &[Node<'t>]) {
    if command_name(cx, n).is_none_or(|name| basename(name) != "set") {
        return;
    }
    let args = cx.command_args(n);
    for (i, a) in args.iter().enumerate() {
        let t = cx.text(*a);
        let short_o = t.starts_with('-') && !t.starts_with("--") && t.ends_with('o');
        if short_o
            && let Some(opt) = args.get(i + 1)
            && cx.text(*opt) == "pipefail"
        {
            cx.report(*opt, "In POSIX sh, set option pipefail is undefined.");
        }
    }
}
