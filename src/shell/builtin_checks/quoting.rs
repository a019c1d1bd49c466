//! Where a word sits as far as word splitting is concerned (SC2086 and SC2046 ask).

use super::{CheckCx, Dialect};
use tree_sitter::Node;

/// Where an expansion sits, as far as word splitting is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Split and globbed: quoting matters.
    Split,
    /// Not split (double quotes, assignments, `[[ ]]`, `case`, arithmetic, a nested expansion).
    Safe,
    /// The command's name (`$CMD args`): ShellCheck does not ask for quotes there.
    CommandName,
    /// The word list of a `for` loop.
    ForList,
    /// The operand of `[ -n ... ]` / `[ -z ... ]` (ShellCheck's SC2070 territory).
    TestOperand,
}

/// Classifies the place of `n` from its ancestors (nearest last), up to the command that
/// contains it.
pub fn place(cx: &CheckCx<'_>, n: Node<'_>, up: &[Node<'_>]) -> Place {
    let mut child = n;
    for a in up.iter().rev() {
        match a.kind() {
            "string"
            | "heredoc_body"
            | "raw_string"
            | "arithmetic_expansion"
            | "subscript"
            | "expansion"
            | "case_statement"
            | "case_item"
            | "heredoc_redirect" => return Place::Safe,
            "test_command" => {
                if cx.text(*a).starts_with("[[") {
                    return Place::Safe;
                }
                return Place::Split;
            }
            "unary_expression" => {
                let op = a.child(0).map(|o| cx.text(o)).unwrap_or("");
                if matches!(op, "-n" | "-z") {
                    return Place::TestOperand;
                }
            }
            "variable_assignment" => {
                // `export x=$y` splits in sh (not in bash); a plain assignment never does.
                let in_declaration = up
                    .iter()
                    .rev()
                    .skip_while(|u| u.id() != a.id())
                    .nth(1)
                    .is_some_and(|p| p.kind() == "declaration_command");
                if in_declaration && cx.dialect == Dialect::Sh {
                    return Place::Split;
                }
                return Place::Safe;
            }
            "for_statement" => return Place::ForList,
            "command_name" => return Place::CommandName,
            "command"
            | "declaration_command"
            | "unset_command"
            | "file_redirect"
            | "herestring_redirect"
            | "command_substitution"
            | "process_substitution" => {
                return Place::Split;
            }
            _ => {}
        }
        child = *a;
    }
    let _ = child;
    Place::Split
}
