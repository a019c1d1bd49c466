//! SC1090: ShellCheck can't follow non-constant source.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::basename;
use crate::shell::builtin_checks::{CheckCx, ScCheck, command_args, command_name, has_expansion};
use tree_sitter::Node;

/// SC1090 `source-non-constant` (ShellCheck's check, built in).
pub struct SourceNonConstant;

impl Rule for SourceNonConstant {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC1090",
            name: "source-non-constant",
            severity: Severity::Warning,
            summary: "ShellCheck can't follow non-constant source. Use a directive to specify location",
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

/// `. "$DIR/file"` / `source $F`: a path with an expansion (other than a leading `$HOME`,
/// which ShellCheck reads as `~` and reports as SC1091).
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    if !command_name(cx, n).is_some_and(|name| matches!(basename(name), "." | "source")) {
        return;
    }
    if let Some(a) = command_args(n).first()
        && has_expansion(*a)
    {
        let path = cx.text(*a).trim_start_matches('"');
        let home = ["$HOME/", "${HOME}/"]
            .iter()
            .any(|p| path.strip_prefix(p).is_some_and(|rest| !rest.contains('$')));
        if !home {
            cx.report(
                *a,
                "ShellCheck can't follow non-constant source. Use a directive to specify location.",
            );
        }
    }
}
