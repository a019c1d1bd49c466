//! SC2059: Don't use variables in the printf format string.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_name, has_expansion};
use tree_sitter::Node;

/// SC2059 `printf-format-variable` (ShellCheck's check, built in).
pub struct PrintfFormatVariable;

impl Rule for PrintfFormatVariable {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2059",
            name: "printf-format-variable",
            severity: Severity::Info,
            summary: "Don't use variables in the printf format string",
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

/// `printf "$fmt"`: a variable in the format string.
fn visit<'t>(cx: &mut CheckCx<'t>, n: Node<'t>, _up: &[Node<'t>]) {
    if command_name(cx, n).is_none_or(|name| basename(name) != "printf") {
        return;
    }
    let args = cx.command_args(n);
    let format = args.iter().find(|a| !cx.text(**a).starts_with('-'));
    if let Some(f) = format
        && has_expansion(*f)
    {
        cx.report(
            *f,
            "Don't use variables in the printf format string. Use printf '..%s..' \"$foo\".",
        );
    }
}
