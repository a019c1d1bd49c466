//! ShellCheck's checks, built in: one pass over the tree-sitter tree the shell analysis already
//! parsed (no second parse), findings with ShellCheck's codes and messages mapped to Dockerfile
//! spans. The walk is iterative with an explicit ancestor stack (no `Node::parent`, which
//! tree-sitter computes from the root), so a script costs time linear in its nodes. The rules in
//! `src/rules/shellcheck/` report the findings; `# shellcheck disable=SC2086` comments in the
//! script are honoured here.

mod commands;
mod dialect;
mod package_lists;
mod quoting;

use super::Mapping;
use crate::dockerfile::Span;
use std::collections::HashSet;
use tree_sitter::Node;

/// The shell dialect a script is checked as (ShellCheck's `--shell`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// POSIX `sh` (also dash, ash, busybox): bash-isms raise the SC3xxx codes.
    Sh,
    /// bash.
    Bash,
    /// ksh and mksh.
    Ksh,
}

impl Dialect {
    /// The dialect of a shell program (`/bin/sh`, `bash`, ...); `None` for programs ShellCheck
    /// does not check (PowerShell, cmd, zsh, fish, interpreters).
    pub fn of_program(program: &str) -> Option<Dialect> {
        match super::basename(program) {
            "sh" | "dash" | "ash" | "busybox" => Some(Dialect::Sh),
            "bash" => Some(Dialect::Bash),
            "ksh" | "mksh" | "ksh93" => Some(Dialect::Ksh),
            _ => None,
        }
    }

    /// The dialect a `#!` line names (`#!/bin/bash`, `#!/usr/bin/env -S bash -e`): `None` when
    /// `line` is no shebang, `Some(None)` when it names a program ShellCheck does not check.
    pub fn of_shebang(line: &str) -> Option<Option<Dialect>> {
        let rest = line.strip_prefix("#!")?;
        let mut words = rest.split_whitespace();
        let mut program = words.next().unwrap_or("");
        if super::basename(program) == "env" {
            program = words.find(|w| !w.starts_with('-')).unwrap_or("");
        }
        Some(Dialect::of_program(program))
    }
}

/// What the checks of one script know from the Dockerfile.
#[derive(Clone, Copy)]
pub struct ScSetup<'a> {
    /// The shell the script runs with.
    pub dialect: Dialect,
    /// ARG/ENV names declared before the RUN: `Some(true)` when the value needs no quoting
    /// (no blanks or globs, or no default), `Some(false)` when it does, `None` when undeclared.
    pub declared: &'a dyn Fn(&str) -> Option<bool>,
    /// The shell is dash (`sh` of a Debian or Ubuntu image): its `echo` expands backslash
    /// escapes, as the script's author saw when trying it.
    pub dash: bool,
    /// ARG/ENV names declared before the RUN whose value is a list of plain words
    /// (`ARG DEPS="curl git"`): meant to be split into package names.
    pub word_list: &'a dyn Fn(&str) -> bool,
}

impl std::fmt::Debug for ScSetup<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScSetup")
            .field("dialect", &self.dialect)
            .field("dash", &self.dash)
            .finish()
    }
}

/// One ShellCheck finding in a RUN body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScFinding {
    /// ShellCheck's code, `SC2086`.
    pub code: &'static str,
    /// Where, in the Dockerfile.
    pub span: Span,
    /// ShellCheck's message.
    pub message: String,
}

/// A finding in script byte offsets, before mapping.
struct Raw {
    code: &'static str,
    start: usize,
    end: usize,
    message: String,
}

/// What the checks share: the script text, its dialect, facts of the first pass and findings.
struct Cx<'t> {
    src: &'t str,
    dialect: Dialect,
    declared: &'t dyn Fn(&str) -> Option<bool>,
    /// The shell is dash (see [`ScSetup::dash`]).
    dash: bool,
    /// The script runs `set -e`.
    errexit: bool,
    /// The script calls `eval` (every variable may be used).
    has_eval: bool,
    /// Variables assigned a value that needs quoting somewhere in the script.
    unsafe_vars: HashSet<&'t str>,
    /// Variables assigned only literals that need no quoting (`n=4`, `for i in 1 2`).
    literal_vars: HashSet<&'t str>,
    /// Variables assigned a list of plain words (`deps='curl git'`) somewhere in the script.
    list_vars: HashSet<&'t str>,
    /// Variables assigned something that is neither a literal nor a plain word list.
    other_vars: HashSet<&'t str>,
    /// See [`ScSetup::word_list`].
    word_list: &'t dyn Fn(&str) -> bool,
    /// Variables referenced (expanded, exported, in arithmetic) anywhere.
    used_vars: HashSet<&'t str>,
    /// End byte of the script's last top-level statement.
    last_statement_end: usize,
    out: Vec<Raw>,
}

impl<'t> Cx<'t> {
    fn text(&self, n: Node<'_>) -> &'t str {
        self.src.get(n.start_byte()..n.end_byte()).unwrap_or("")
    }

    fn report(&mut self, code: &'static str, n: Node<'_>, message: impl Into<String>) {
        self.report_at(code, n.start_byte(), n.end_byte(), message);
    }

    fn report_at(
        &mut self,
        code: &'static str,
        start: usize,
        end: usize,
        message: impl Into<String>,
    ) {
        self.out.push(Raw {
            code,
            start,
            end,
            message: message.into(),
        });
    }

    /// A variable that never needs quotes: only ever assigned literals without blanks or globs,
    /// in the script or by the Dockerfile's ARG/ENV (as hadolint tells ShellCheck).
    fn is_literal_var(&self, name: &str) -> bool {
        if self.unsafe_vars.contains(name) {
            return false;
        }
        self.literal_vars.contains(name) || (self.declared)(name) == Some(true)
    }
}

/// Children of `n` (all, named or not), collected with one cursor.
fn children<'t>(n: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = n.walk();
    n.children(&mut cursor).collect()
}

/// The static name of a `command` node (`None` when it is an expansion).
fn command_name<'t>(cx: &Cx<'t>, cmd: Node<'_>) -> Option<&'t str> {
    let name = first_child_of_kind(cmd, "command_name")?;
    let word = name.named_child(0)?;
    matches!(word.kind(), "word").then(|| cx.text(word))
}

/// The argument nodes of a `command` (everything after the name, redirects excluded).
fn command_args<'t>(cmd: Node<'t>) -> Vec<Node<'t>> {
    let mut seen_name = false;
    children(cmd)
        .into_iter()
        .filter(|c| {
            if c.kind() == "command_name" {
                seen_name = true;
                return false;
            }
            seen_name && c.is_named() && !c.kind().ends_with("redirect") && c.kind() != "comment"
        })
        .collect()
}

fn first_child_of_kind<'t>(n: Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut cursor = n.walk();
    n.children(&mut cursor).find(|c| c.kind() == kind)
}

/// Calls `f` on every node with its ancestors (nearest last), iteratively.
fn walk<'t>(root: Node<'t>, mut f: impl FnMut(Node<'t>, &[Node<'t>])) {
    let mut cursor = root.walk();
    let mut up: Vec<Node<'t>> = Vec::new();
    loop {
        let node = cursor.node();
        f(node, &up);
        if cursor.goto_first_child() {
            up.push(node);
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            up.pop();
        }
    }
}

/// Runs every check on `root`, a tree parsed from `src` without errors (and no deeper than the
/// analysis' depth limit), as `setup` says.
pub(super) fn check(
    root: Node<'_>,
    src: &str,
    mapping: Mapping<'_>,
    setup: ScSetup<'_>,
) -> Vec<ScFinding> {
    let mut cx = Cx {
        src,
        dialect: setup.dialect,
        declared: setup.declared,
        dash: setup.dash && setup.dialect == Dialect::Sh,
        errexit: false,
        has_eval: false,
        unsafe_vars: HashSet::new(),
        literal_vars: HashSet::new(),
        list_vars: HashSet::new(),
        other_vars: HashSet::new(),
        word_list: setup.word_list,
        used_vars: HashSet::new(),
        last_statement_end: last_statement_end(root, src),
        out: Vec::new(),
    };
    walk(root, |n, up| facts(&mut cx, n, up));
    walk(root, |n, up| {
        quoting::visit(&mut cx, n, up);
        commands::visit(&mut cx, n, up);
        if cx.dialect == Dialect::Sh {
            dialect::visit(&mut cx, n, up);
        }
    });
    let disabled = directives(root, src);
    let mut out: Vec<ScFinding> = cx
        .out
        .into_iter()
        .filter(|r| {
            !disabled.iter().any(|(s, e, codes)| {
                *s <= r.start && r.start < *e && codes.contains(&r.code.trim_start_matches("SC"))
            })
        })
        .map(|r| ScFinding {
            code: r.code,
            span: mapping.span(r.start, r.end),
            message: r.message,
        })
        .collect();
    out.sort_by_key(|f| (f.span.start, f.code));
    out.dedup();
    out
}

fn last_statement_end(root: Node<'_>, src: &str) -> usize {
    children(root)
        .into_iter()
        // tree-sitter-bash reads `! { a | b; }` as `{` commands and a lone `}` statement.
        .filter(|c| {
            c.is_named()
                && c.kind() != "comment"
                && src.get(c.start_byte()..c.end_byte()) != Some("}")
        })
        .map(|c| c.end_byte())
        .next_back()
        .unwrap_or(0)
}

/// First pass: `set -e`, `eval`, which variables are assigned what and which are used.
fn facts<'t>(cx: &mut Cx<'t>, n: Node<'_>, up: &[Node<'_>]) {
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
fn is_literal(cx: &Cx<'_>, v: Node<'_>) -> bool {
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

/// `# shellcheck disable=SC2086,SC2046` comments: the byte range each covers (the next
/// statement, or the whole script when the comment comes before the first statement) and the
/// codes (digits only).
fn directives<'s>(root: Node<'_>, src: &'s str) -> Vec<(usize, usize, Vec<&'s str>)> {
    let mut out = Vec::new();
    walk(root, |n, up| {
        if n.kind() != "comment" {
            return;
        }
        let Some(text) = src.get(n.start_byte()..n.end_byte()) else {
            return;
        };
        let body = text.trim_start_matches('#').trim_start();
        let Some(rest) = body.strip_prefix("shellcheck") else {
            return;
        };
        let mut codes = Vec::new();
        for part in rest.split_whitespace() {
            if let Some(list) = part.strip_prefix("disable=") {
                for c in list.split(',') {
                    let c = c.trim();
                    codes.push(c.strip_prefix("SC").unwrap_or(c));
                }
            }
        }
        if codes.is_empty() {
            return;
        }
        let Some(parent) = up.last() else {
            return;
        };
        let kids = children(*parent);
        let pos = kids.iter().position(|k| k.id() == n.id()).unwrap_or(0);
        let before_any = parent.kind() == "program"
            && kids[..pos]
                .iter()
                .all(|k| !k.is_named() || k.kind() == "comment");
        let next = kids[pos + 1..]
            .iter()
            .find(|k| k.is_named() && k.kind() != "comment");
        let range = match next {
            _ if before_any => (0, src.len()),
            Some(k) => (k.start_byte(), k.end_byte()),
            None => return,
        };
        out.push((range.0, range.1, codes));
    });
    out
}

#[cfg(test)]
mod tests;

/// ShellCheck's parse-error finding for a script tree-sitter could not parse: the first error
/// (or missing token) in the tree, classified as ShellCheck names it: SC1133 for a line that
/// starts with `|`, `||` or `&&`, SC1065 for a function declared with parameters, SC1089 for a
/// keyword that closes nothing, SC1088 for parentheses where none can be, SC1072 otherwise.
/// Other checks do not run on such a script.
pub(super) fn parse_error(root: Node<'_>, src: &str, mapping: Mapping<'_>) -> Option<ScFinding> {
    let mut first = None;
    walk(root, |n, _| {
        if first.is_none() && (n.is_error() || n.is_missing()) {
            first = Some(n);
        }
    });
    let mut start = first?.start_byte().min(src.len());
    // an error node may begin with the blanks before the token it could not place
    if let Some(rest) = src.get(start..) {
        let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        start += blanks;
    }
    let line_start = src
        .get(..start)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line_end = src
        .get(start..)
        .and_then(|s| s.find('\n'))
        .map_or(src.len(), |i| start + i);
    let line = src.get(line_start..line_end).unwrap_or("");
    let indent = line.len() - line.trim_start().len();
    let region = src.get(start..line_end).unwrap_or("");
    let token_len = |text: &str| {
        text.char_indices()
            .find(|&(i, c)| i > 0 && (c.is_whitespace() || c == ';'))
            .map_or(text.len(), |(i, _)| i)
    };
    let token = region.get(..token_len(region)).unwrap_or("");
    let found = |code, at: usize, len: usize, message: String| {
        let end = (at + len.max(1)).min(src.len());
        Some(ScFinding {
            code,
            span: mapping.span(at.min(end), end),
            message,
        })
    };
    let body = line.trim_start();
    if line_start > 0 && (body.starts_with('|') || body.starts_with("&&")) {
        let len = if body.starts_with("||") || body.starts_with("&&") {
            2
        } else {
            1
        };
        return found(
            "SC1133",
            line_start + indent,
            len,
            "Unexpected start of line. If breaking lines, |/||/&& should be at the end of the previous one.".to_string(),
        );
    }
    if declares_parameters(body)
        && let Some(open) = body.find('(')
    {
        return found(
            "SC1065",
            line_start + indent + open + 1,
            1,
            "Trying to declare parameters? Don't. Use () and refer to params as $1, $2.."
                .to_string(),
        );
    }
    let closing = |t: &str| matches!(t, "fi" | "done" | "esac" | "}");
    let before = src.get(..start).unwrap_or("").trim_end();
    let previous = before
        .rsplit(|c: char| c.is_whitespace() || c == ';')
        .next()
        .unwrap_or("");
    if closing(token) && closing(previous) && !before.ends_with(';') {
        // `done done`: a compound command ending a loop body without a `;` is valid shell
        // that tree-sitter-bash does not parse. When a keyword before it is still open, say
        // nothing rather than guess.
        let opener = match token {
            "fi" => "if",
            "done" => "do",
            "esac" => "case",
            _ => "{",
        };
        let unquoted = without_quoted_text(before);
        let words = unquoted.split(|c: char| c.is_whitespace() || c == ';');
        let open = words.fold(0i64, |n, w| {
            n + i64::from(w == opener) - i64::from(w == token)
        });
        if open > 0 {
            return None;
        }
    }
    if matches!(
        token,
        "fi" | "done" | "esac" | "then" | "else" | "elif" | "do" | "}" | ")" | "in"
    ) {
        return found(
            "SC1089",
            start,
            token.len(),
            "Parsing stopped here. Is this keyword correctly matched up?".to_string(),
        );
    }
    if let Some(open) = region.find('(') {
        return found(
            "SC1088",
            start + open,
            1,
            "Parsing stopped here. Invalid use of parentheses?".to_string(),
        );
    }
    let message = if token.is_empty() {
        "Unexpected end of input. Fix any mentioned problems and try again.".to_string()
    } else {
        format!(
            "The shell cannot parse this, from `{token}` on. Fix any mentioned problems and try again."
        )
    };
    found("SC1072", start, token.len(), message)
}

/// `text` with the contents of its quoted strings blanked (keywords inside quotes are words).
fn without_quoted_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote = None;
    let mut escaped = false;
    for c in text.chars() {
        match quote {
            _ if escaped => escaped = false,
            Some(q) if c == q => quote = None,
            Some('"') if c == '\\' => escaped = true,
            Some(_) => {
                out.push(' ');
                continue;
            }
            None if c == '\\' => escaped = true,
            None if c == '\'' || c == '"' => quote = Some(c),
            None => {}
        }
        out.push(c);
    }
    out
}

/// `f(a, b) {` or `function f(x) {`: a function header with something between its parentheses.
fn declares_parameters(text: &str) -> bool {
    let t = text.trim_start();
    let t = t.strip_prefix("function ").unwrap_or(t).trim_start();
    let name_len = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(t.len());
    if name_len == 0 {
        return false;
    }
    let after = t.get(name_len..).unwrap_or("").trim_start();
    let Some(inner) = after.strip_prefix('(') else {
        return false;
    };
    let Some(close) = inner.find(')') else {
        return false;
    };
    let params = inner.get(..close).unwrap_or("");
    !params.trim().is_empty()
        && !params.contains(['$', '"', '\''])
        && inner
            .get(close + 1..)
            .unwrap_or("")
            .trim_start()
            .starts_with('{')
}
