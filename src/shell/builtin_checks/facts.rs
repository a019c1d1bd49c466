//! The first pass over a script: `set -e`, `eval`, which variables are assigned what and which
//! are used (the checks that read these facts declare `facts: true`).

use super::{CheckCx, children, command_args, command_name, package_lists};
use tree_sitter::Node;

/// First pass: `set -e`, `eval`, which variables are assigned what and which are used.
pub(super) fn facts<'t>(cx: &mut CheckCx<'t>, n: Node<'_>, up: &[Node<'_>]) {
    match n.kind() {
        "variable_name" => {
            let name = cx.text(n);
            let parent = up.last().map(|p| p.kind());
            match parent {
                // `x=...` assigns; `for x in` assigns (handled at the loop).
                Some("variable_assignment") if is_first_named(up, n) => {}
                Some("for_statement") => {}
                _ => {
                    cx.used_vars.insert(name);
                }
            }
        }
        "variable_assignment" => {
            let mut cursor = n.walk();
            let mut kids = n.named_children(&mut cursor);
            let Some(name) = kids.next().filter(|k| k.kind() == "variable_name") else {
                return;
            };
            let name = cx.text(name);
            let value = kids.next();
            if value.is_none_or(|v| is_literal(cx, v)) {
                cx.literal_vars.insert(name);
            } else {
                cx.unsafe_vars.insert(name);
                match value {
                    Some(v) if package_lists::is_word_list(cx, v) => cx.list_vars.insert(name),
                    _ => cx.other_vars.insert(name),
                };
            }
        }
        "for_statement" => {
            let kids = children(n);
            let Some(var) = kids.iter().find(|k| k.kind() == "variable_name") else {
                return;
            };
            let name = cx.text(*var);
            let values: Vec<_> = kids
                .iter()
                .skip_while(|k| k.kind() != "in")
                .skip(1)
                .take_while(|k| k.kind() != "do_group" && k.kind() != ";")
                .filter(|k| k.is_named())
                .collect();
            if !values.is_empty() && values.iter().all(|v| is_literal(cx, **v)) {
                cx.literal_vars.insert(name);
            } else {
                cx.unsafe_vars.insert(name);
                cx.other_vars.insert(name);
            }
        }
        "command" => match command_name(cx, n) {
            Some("set") => {
                for a in command_args(n) {
                    let t = cx.text(a);
                    if (t.starts_with('-') && !t.starts_with("--") && t.contains('e'))
                        || t == "errexit"
                    {
                        cx.errexit = true;
                    }
                }
            }
            Some("eval") => cx.has_eval = true,
            Some("read" | "getopts" | "mapfile" | "readarray") => {
                for a in command_args(n) {
                    let t = cx.text(a);
                    if !t.starts_with('-') {
                        cx.unsafe_vars.insert(t);
                        cx.other_vars.insert(t);
                    }
                }
            }
            _ => {}
        },
        _ => {}
    }
}

fn is_first_named(up: &[Node<'_>], n: Node<'_>) -> bool {
    up.last()
        .and_then(|p| p.named_child(0))
        .is_some_and(|c| c.id() == n.id())
}

/// A value that needs no quoting: a static word or number without blanks or glob characters.
fn is_literal(cx: &CheckCx<'_>, v: Node<'_>) -> bool {
    match v.kind() {
        "number" => true,
        "word" => !cx.text(v).contains(['*', '?', '[', ' ', '\t', '\n', '\\']),
        "raw_string" | "string" => {
            let t = cx.text(v);
            let inner = t.get(1..t.len().saturating_sub(1)).unwrap_or("");
            let dynamic = v.kind() == "string" && v.named_child_count() > 0 && {
                let mut c = v.walk();
                v.named_children(&mut c)
                    .any(|k| k.kind() != "string_content")
            };
            !dynamic && !inner.contains(['*', '?', '[', ' ', '\t', '\n'])
        }
        _ => false,
    }
}
