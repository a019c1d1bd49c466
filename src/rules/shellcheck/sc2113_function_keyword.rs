//! SC2113: 'function' keyword is non-standard. Use 'foo()' instead of 'function foo'.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck};
use tree_sitter::Node;

/// SC2113 `function-keyword` (ShellCheck's check, built in).
pub struct FunctionKeyword;

impl Rule for FunctionKeyword {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2113",
            name: "function-keyword",
            severity: Severity::Warning,
            summary: "'function' keyword is non-standard. Use 'foo()' instead of 'function foo'",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["function_definition"],
            visit,
            sh_only: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `function f { ... }` in a POSIX `sh` script.
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, _up: &[Node<'_>]) {
    if n.child(0).is_some_and(|k| cx.text(k) == "function") {
        cx.report(
            n,
            "'function' keyword is non-standard. Use 'foo()' instead of 'function foo'.",
        );
    }
}
