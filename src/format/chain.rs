//! The shell side of formatting a RUN body, from its tree-sitter-bash tree: the top-level
//! chain (`a && b || c; d`) the formatter puts one command per line, and which line breaks
//! sit where whitespace does not matter (never inside quotes, substitutions or heredocs).

use tree_sitter::{Node, Tree};

/// Node kinds inside which whitespace is content (or changes a word's text).
const VERBATIM: &[&str] = &[
    "string",
    "string_content",
    "raw_string",
    "ansi_c_string",
    "translated_string",
    "heredoc_body",
    "heredoc_content",
    "heredoc_redirect",
    "heredoc_start",
    "command_substitution",
    "process_substitution",
    "expansion",
    "simple_expansion",
    "arithmetic_expansion",
    "concatenation",
    "word",
    "comment",
    "regex",
    "extglob_pattern",
    "number",
    "ERROR",
];

/// A parsed RUN body.
pub struct ShellTree {
    tree: Tree,
}

/// One command of the top-level chain: its byte range and the operator after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub start: usize,
    pub end: usize,
    /// The operator joining it to the next link (`&&`, `||`, `;`); `None` for the last.
    pub op: Option<&'static str>,
}

impl ShellTree {
    /// Parses `text`; `None` when it does not parse cleanly.
    pub fn parse(text: &str) -> Option<ShellTree> {
        let tree = crate::shell::syntax_tree(text)?;
        if tree.root_node().has_error() {
            return None;
        }
        Some(ShellTree { tree })
    }

    /// The root node of the tree.
    pub fn root(&self) -> Node<'_> {
        self.tree.root_node()
    }

    /// The top-level chain, when the body is one: two or more commands joined by `&&`, `||`
    /// or `;` (no `&`, no top-level comment). A trailing `;` stays with the last command.
    pub fn chain(&self, text: &str) -> Option<Vec<Link>> {
        let root = self.tree.root_node();
        if root.kind() != "program" {
            return None;
        }
        let mut links: Vec<Link> = Vec::new();
        let mut op_end = 0;
        // iterative flattening of left-nested `list` nodes
        let mut stack: Vec<Node<'_>> = Vec::new();
        let mut cursor = root.walk();
        let top: Vec<Node<'_>> = root.children(&mut cursor).collect();
        for n in top.into_iter().rev() {
            stack.push(n);
        }
        while let Some(n) = stack.pop() {
            if n.is_named() {
                match n.kind() {
                    "list" => {
                        let mut c = n.walk();
                        let kids: Vec<Node<'_>> = n.children(&mut c).collect();
                        for k in kids.into_iter().rev() {
                            stack.push(k);
                        }
                    }
                    "comment" => return None,
                    _ => {
                        if links.last().is_some_and(|l| l.op.is_none()) {
                            return None;
                        }
                        links.push(Link {
                            start: n.start_byte(),
                            end: n.end_byte(),
                            op: None,
                        });
                    }
                }
                continue;
            }
            let op = match n.kind() {
                "&&" => "&&",
                "||" => "||",
                ";" => ";",
                _ => return None,
            };
            match links.last_mut() {
                Some(l) if l.op.is_none() => {
                    l.op = Some(op);
                    op_end = n.end_byte();
                }
                _ => return None,
            }
        }
        if let Some(last) = links.last_mut()
            && last.op == Some(";")
        {
            // a trailing `;` belongs to the last command
            last.end = op_end;
            last.op = None;
        }
        if links.len() < 2 || links[..links.len() - 1].iter().any(|l| l.op.is_none()) {
            return None;
        }
        // `cmd || true`, `cd x || exit 1`: a fallback stays on its command's line
        let mut merged: Vec<Link> = Vec::with_capacity(links.len());
        for link in links {
            if let Some(prev) = merged.last_mut()
                && prev.op == Some("||")
                && is_fallback(text.get(link.start..link.end).unwrap_or(""))
            {
                prev.end = link.end;
                prev.op = link.op;
                continue;
            }
            merged.push(link);
        }
        (merged.len() >= 2).then_some(merged)
    }

    /// True when the line break at byte `at` of the text sits in whitespace between tokens,
    /// outside quotes, substitutions, heredocs and comments (so its amount may change).
    pub fn break_is_free(&self, text: &str, at: usize) -> bool {
        let Some((a, b)) = whitespace_around(text, at) else {
            return false;
        };
        let root = self.tree.root_node();
        let Some(mut node) = root.descendant_for_byte_range(a, b) else {
            return false;
        };
        loop {
            if VERBATIM.contains(&node.kind()) {
                return false;
            }
            match node.parent() {
                Some(p) => node = p,
                None => return true,
            }
        }
    }
}

/// Compound commands whose bodies are indented one more level.
const COMPOUND: &[&str] = &[
    "if_statement",
    "do_group",
    "compound_statement",
    "subshell",
    "case_statement",
];

/// Simple-command-like nodes whose continuation lines are indented one more level.
const COMMANDISH: &[&str] = &[
    "command",
    "declaration_command",
    "unset_command",
    "pipeline",
    "list",
    "redirected_statement",
    "test_command",
    "negated_command",
];

/// Keywords that close (or continue) a compound command: their line goes one level out.
const CLOSERS: &[&str] = &["fi", "done", "esac", "}", ")", "else", "elif", ";;"];

impl ShellTree {
    /// The nesting of the line that starts at byte `at`: how many compound commands enclose
    /// it (a closing `fi`/`done`/... counts one less) and whether it continues a command.
    pub fn nesting(&self, text: &str, at: usize) -> (usize, bool) {
        let next = text.get(at..).unwrap_or("").trim_start();
        let closes = CLOSERS.iter().any(|c| {
            next.strip_prefix(c)
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', ';', '|', '&', ')']))
        });
        let start = text.len() - next.len();
        let root = self.tree.root_node();
        let Some(mut node) = root.descendant_for_byte_range(start, start) else {
            return (0, false);
        };
        let (mut depth, mut cont, mut seen_compound) = (0usize, false, false);
        loop {
            let kind = node.kind();
            // a node that starts at the line start is the line itself, not its container
            let contains = node.start_byte() < start;
            if contains && COMPOUND.contains(&kind) {
                depth += 1;
                seen_compound = true;
            } else if contains && !seen_compound && COMMANDISH.contains(&kind) {
                cont = true;
            }
            match node.parent() {
                Some(p) => node = p,
                None => break,
            }
        }
        if closes {
            depth = depth.saturating_sub(1);
        }
        (depth, cont && !closes)
    }
}

/// `true`, `:`, `false`, `exit N`, `return N`: the usual right side of a `||` fallback.
fn is_fallback(cmd: &str) -> bool {
    let first = cmd.split_whitespace().next().unwrap_or("");
    matches!(first, "true" | ":" | "false" | "exit" | "return") && cmd.len() <= 16
}

/// The run of spaces and tabs around `at`, when there is one.
pub fn whitespace_around(text: &str, at: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    if at > bytes.len() {
        return None;
    }
    let mut a = at;
    while a > 0 && matches!(bytes[a - 1], b' ' | b'\t') {
        a -= 1;
    }
    let mut b = at;
    while b < bytes.len() && matches!(bytes[b], b' ' | b'\t') {
        b += 1;
    }
    (a < b).then_some((a, b))
}

/// For non-shell arguments: true when `at` is in whitespace outside `'…'` and `"…"` quotes
/// (escape character `escape` inside double quotes and outside quotes).
pub fn break_is_free_plain(text: &str, at: usize, escape: char) -> bool {
    if whitespace_around(text, at).is_none() {
        return false;
    }
    let mut quote: Option<char> = None;
    let mut skip = false;
    for (i, c) in text.char_indices() {
        if i >= at {
            break;
        }
        if skip {
            skip = false;
            continue;
        }
        match quote {
            Some('\'') if c == '\'' => quote = None,
            Some('"') if c == '"' => quote = None,
            Some('"') if c == escape || c == '\\' => skip = true,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == escape => skip = true,
            None => {}
        }
    }
    quote.is_none() && !skip
}
