//! SC2034: A variable appears unused. Verify use (or export if used externally).

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::builtin_checks::{CheckCx, ScCheck};
use tree_sitter::Node;

/// SC2034 `unused-variable` (ShellCheck's check, built in).
pub struct UnusedVariable;

impl Rule for UnusedVariable {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC2034",
            name: "unused-variable",
            severity: Severity::Warning,
            summary: "A variable appears unused. Verify use (or export if used externally)",
            ..RuleMeta::DEFAULT
        }
    }

    fn shell_check(&self) -> Option<ScCheck> {
        Some(ScCheck {
            kinds: &["variable_assignment"],
            visit,
            facts: true,
            ..ScCheck::DEFAULT
        })
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

/// `x=1` as a statement, and `x` never read in the script (nor `eval` in it, nor a variable the
/// shell itself reads).
fn visit(cx: &mut CheckCx<'_>, n: Node<'_>, up: &[Node<'_>]) {
    if cx.has_eval() {
        return;
    }
    // Only statements: not `X=1 cmd` (the command's environment), not `export X=1`.
    let parent = up.last().map(|p| p.kind());
    let statement = match parent {
        Some(
            "program" | "list" | "compound_statement" | "do_group" | "subshell" | "else_clause",
        ) => true,
        Some("variable_assignments") => up.iter().rev().nth(1).is_some_and(|g| {
            matches!(
                g.kind(),
                "program" | "list" | "compound_statement" | "do_group" | "subshell"
            )
        }),
        _ => false,
    };
    if !statement {
        return;
    }
    let Some(var) = n.named_child(0).filter(|v| v.kind() == "variable_name") else {
        return;
    };
    let name = cx.text(var);
    if cx.is_used(name) || SHELL_VARIABLES.contains(&name) || name.starts_with("LC_") {
        return;
    }
    cx.report(
        var,
        format!("{name} appears unused. Verify use (or export if used externally)."),
    );
}

/// Variables ShellCheck never reports unused: the shell reads them itself.
const SHELL_VARIABLES: &[&str] = &[
    "IFS",
    "PS1",
    "PS2",
    "PS4",
    "PATH",
    "HOME",
    "CDPATH",
    "OPTIND",
    "OPTERR",
    "LANG",
    "LC_ALL",
    "TMOUT",
    "ENV",
    "PWD",
    "OLDPWD",
    "SHELLOPTS",
    "TMPDIR",
];
