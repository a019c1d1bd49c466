//! SC2086: Double quote to prevent globbing and word splitting.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, Place, ScCheck, is_package_list, place};
use tree_sitter::Node;

/// SC2086 `unquoted-expansion` (ShellCheck's check, built in).
pub struct UnquotedExpansion;

impl Rule for UnquotedExpansion {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2086",
            name: "unquoted-expansion",
            severity: Severity::Info,
            summary: "Double quote to prevent globbing and word splitting",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["simple_expansion", "expansion"],
            visit,
            facts: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// An unquoted `$var` / `${var}` where the shell splits and globs it, unless the variable only
/// ever holds a literal without blanks or globs (assigned so in the script, or by an ARG/ENV) or
/// holds a list of package names meant to be split ([`is_package_list`]).
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    if place(cx, n, up) != Place::Split {
        return;
    }
    let text = cx.text(n);
    if text.starts_with("${#") || text.starts_with("${!") {
        return;
    }
    let mut cursor = n.walk();
    let name = n
        .named_children(&mut cursor)
        .find(|c| matches!(c.kind(), "variable_name" | "special_variable_name"))
        .map(|c| cx.text(c));
    let Some(name) = name else { return };
    // `$#`, `$?`, `$$`, `$!`, `$-` hold no blanks; `$@` is SC2068's.
    if matches!(name, "#" | "?" | "$" | "!" | "-" | "@") {
        return;
    }
    if cx.is_literal_var(name) || is_package_list(cx, name, n, up) {
        return;
    }
    cx.report(n, "Double quote to prevent globbing and word splitting.");
}
