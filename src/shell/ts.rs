//! tree-sitter-bash front end: walks the syntax tree into a flat [`Script`].

use super::{Command, Mapping, Op, Script, ShComment, Word, is_posix_shell, wrapper_len};
use crate::dockerfile::Span;
use std::cell::RefCell;
use tree_sitter::{Node, Parser, TreeCursor};

/// Deepest `sh -c` nesting that is parsed recursively.
const MAX_DEPTH: usize = 4;

/// Deepest syntax tree, in nodes, that the (recursive) walk descends into, `sh -c` scripts
/// included: their depth counts from the node of the `sh -c` command. Real RUN bodies stay far
/// below it; deeper scripts go to the tolerant tokenizer instead and are reported.
pub(super) const MAX_TREE_DEPTH: usize = 256;

/// Outcome of a tree-sitter parse.
pub(super) enum Parsed {
    /// The flat script.
    Script(Script),
    /// The tree has errors (or tree-sitter is unavailable): use the tolerant tokenizer. With
    /// the ShellCheck checks on, ShellCheck's parse-error finding for the first error.
    Invalid(Option<super::builtin_checks::ScFinding>),
    /// The tree is nested deeper than the remaining depth budget, first at this span.
    TooDeep(Span),
}

thread_local! {
    /// tree-sitter parsers are not `Sync`; keep one per thread.
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parses with tree-sitter. `depth` is the `sh -c` nesting level, `budget` the number of tree
/// levels the walk may still descend ([`MAX_TREE_DEPTH`] at the top).
/// `sc` says how to run the built-in ShellCheck checks (`None`: don't).
pub(super) fn parse(
    text: &str,
    mapping: Mapping<'_>,
    depth: usize,
    budget: usize,
    sc: Option<super::builtin_checks::ScSetup<'_>>,
) -> Parsed {
    let tree = parse_tree(text);
    let Some(tree) = tree else {
        return Parsed::Invalid(None);
    };
    let root = tree.root_node();
    if root.has_error() {
        // valid shell the grammar rejects (`( a ) else`, `fi fi`): parse it with the `;`
        // the grammar wants, when that alone makes it parse
        if let Some((separated, at)) = super::recover::separate_closers(text)
            && let Some(fixed) = parse_tree(&separated)
            && !fixed.root_node().has_error()
            && super::recover::confirmed(fixed.root_node(), &at)
        {
            return walk_tree(fixed.root_node(), &separated, mapping, depth, budget, sc);
        }
        let error = sc.filter(|s| s.checks.wants_parse_errors()).and_then(|s| {
            super::builtin_checks::parse_error::parse_error(root, text, mapping)
                .filter(|f| s.checks.has(f.code))
        });
        return Parsed::Invalid(error);
    }
    walk_tree(root, text, mapping, depth, budget, sc)
}

/// Parses `text` with the thread's parser (`None` when tree-sitter is unavailable).
pub(crate) fn parse_tree(text: &str) -> Option<tree_sitter::Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.try_borrow_mut().ok()?;
        if slot.is_none() {
            let mut p = Parser::new();
            p.set_language(&tree_sitter_bash::LANGUAGE.into()).ok()?;
            *slot = Some(p);
        }
        slot.as_mut()?.parse(text, None)
    })
}

/// Walks a tree without errors into the flat script and runs the checks `sc` asks for.
fn walk_tree(
    root: Node<'_>,
    text: &str,
    mapping: Mapping<'_>,
    depth: usize,
    budget: usize,
    sc: Option<super::builtin_checks::ScSetup<'_>>,
) -> Parsed {
    if let Some(deep) = deeper_than(root, budget) {
        return Parsed::TooDeep(mapping.span(deep.start_byte(), deep.end_byte()));
    }
    let mut w = Walker {
        src: text,
        mapping,
        depth,
        budget,
        script: Script::default(),
        pending: None,
    };
    w.walk(root, false, 0);
    if let Some(setup) = sc {
        w.script.sc = super::builtin_checks::check(root, text, mapping, setup);
    }
    Parsed::Script(w.script)
}

/// The first node found more than `limit` levels below `root` (an iterative walk: the tree
/// may be arbitrarily deep).
fn deeper_than(root: Node<'_>, limit: usize) -> Option<Node<'_>> {
    let mut cursor: TreeCursor<'_> = root.walk();
    let mut level = 0usize;
    loop {
        if level > limit {
            return Some(cursor.node());
        }
        if cursor.goto_first_child() {
            level += 1;
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return None;
            }
            level = level.saturating_sub(1);
        }
    }
}

/// Walks a tree no deeper than its `budget` (checked by [`deeper_than`] before the walk), so
/// the recursion below is bounded by [`MAX_TREE_DEPTH`] levels in all.
struct Walker<'s, 'm> {
    src: &'s str,
    mapping: Mapping<'m>,
    depth: usize,
    budget: usize,
    script: Script,
    pending: Option<Op>,
}

impl Walker<'_, '_> {
    fn text(&self, n: Node<'_>) -> &str {
        self.src.get(n.start_byte()..n.end_byte()).unwrap_or("")
    }

    /// `level` is the node's depth in the tree (the root is 0).
    fn walk(&mut self, node: Node<'_>, nested: bool, level: usize) {
        match node.kind() {
            "command" => self.command(node, nested, level),
            "declaration_command" | "unset_command" => self.declaration(node, nested, level),
            "comment" => {
                let span = self.mapping.span(node.start_byte(), node.end_byte());
                self.script.comments.push(ShComment {
                    text: self.text(node).to_string(),
                    span,
                });
            }
            "command_substitution" | "process_substitution" => {
                let saved = self.pending.take();
                self.children(node, true, level);
                self.pending = saved;
            }
            "heredoc_body" | "heredoc_start" | "heredoc_end" => {}
            "redirected_statement" => self.redirected(node, nested, level),
            "variable_assignment" => {
                if !nested {
                    let raw = self.text(node).to_string();
                    self.script
                        .assignments
                        .push((self.script.commands.len(), raw));
                }
                self.children(node, nested, level)
            }
            _ => self.children(node, nested, level),
        }
    }

    fn children(&mut self, node: Node<'_>, nested: bool, level: usize) {
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.is_named() {
                self.walk(child, nested, level + 1);
                continue;
            }
            let op = match child.kind() {
                "&&" => Op::And,
                "||" => Op::Or,
                "|" | "|&" => {
                    if !nested {
                        self.script.has_pipes = true;
                    }
                    Op::Pipe
                }
                ";" | ";;" | "\n" => Op::Seq,
                "&" => Op::Background,
                _ => continue,
            };
            self.pending = Some(op);
        }
    }

    fn word(&self, n: Node<'_>) -> Word {
        let (value, is_static) = self.word_value(n);
        Word {
            value,
            is_static,
            span: self.mapping.span(n.start_byte(), n.end_byte()),
        }
    }

    fn word_value(&self, n: Node<'_>) -> (String, bool) {
        let raw = self.text(n);
        match n.kind() {
            "word" | "number" => (unescape_bare(raw), true),
            "raw_string" => (strip_pair(raw, '\'').to_string(), true),
            "ansi_c_string" => (
                raw.strip_prefix('$')
                    .map(|r| strip_pair(r, '\''))
                    .unwrap_or(raw)
                    .to_string(),
                true,
            ),
            "string" => {
                let inner = strip_pair(raw, '"');
                let mut cursor = n.walk();
                let dynamic = n
                    .named_children(&mut cursor)
                    .any(|c| c.kind() != "string_content");
                if dynamic {
                    (inner.to_string(), false)
                } else {
                    (unescape_double(inner), true)
                }
            }
            "concatenation" => {
                let mut out = String::new();
                let mut all = true;
                let mut cursor = n.walk();
                for c in n.children(&mut cursor) {
                    let (v, s) = if c.is_named() {
                        self.word_value(c)
                    } else {
                        (self.text(c).to_string(), true)
                    };
                    out.push_str(&v);
                    all &= s;
                }
                (out, all)
            }
            _ => (raw.to_string(), false),
        }
    }

    fn emit(&mut self, mut cmd: Command, nested: bool) {
        let first = self.script.commands.is_empty();
        cmd.op_before = match self.pending.take() {
            Some(op) => Some(op),
            None if first => None,
            None => Some(Op::Seq),
        };
        cmd.nested = nested;
        self.script.commands.push(cmd);
    }

    fn command(&mut self, node: Node<'_>, nested: bool, level: usize) {
        let mut words = Vec::new();
        let mut assignments = Vec::new();
        let mut writes = Vec::new();
        let mut subs = Vec::new();
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "variable_assignment" => {
                    assignments.push(self.text(child).to_string());
                    subs.push(child);
                }
                "command_name" => {
                    let inner = child.named_child(0).unwrap_or(child);
                    words.push(self.word(inner));
                    subs.push(inner);
                }
                k if k.ends_with("redirect") => {
                    self.write_targets(child, &mut writes);
                    subs.push(child);
                }
                "comment" => self.walk(child, nested, level + 1),
                _ => {
                    words.push(self.word(child));
                    subs.push(child);
                }
            }
        }
        let start = wrapper_len(&words);
        let cmd = Command {
            span: self.mapping.span(node.start_byte(), node.end_byte()),
            start,
            words,
            assignments,
            op_before: None,
            nested,
            from_sh_c: false,
            writes,
        };
        let inner = self.sh_c_script(&cmd, node, level);
        self.emit(cmd, nested);
        let saved = self.pending.take();
        for s in subs {
            // `command_name`'s child sits two levels down; the others one (an upper bound).
            self.find_substitutions(s, level + 2);
        }
        self.pending = saved;
        if let Some(mut inner) = inner {
            for (i, c) in inner.commands.iter_mut().enumerate() {
                c.from_sh_c = true;
                c.nested |= nested;
                if i == 0 {
                    c.op_before = Some(Op::And);
                }
            }
            self.script.commands.extend(inner.commands);
            self.script.comments.extend(inner.comments);
            self.script.has_pipes |= inner.has_pipes && !nested;
            self.script.errexit |= inner.errexit;
            self.script.pipefail |= inner.pipefail;
            self.script.limit = self.script.limit.or(inner.limit);
        }
    }

    /// `BODY > FILE...`: the body is walked as usual, then the redirects (for their
    /// substitutions). The targets of the output redirects go to the command they apply to:
    /// the command itself, the first of a group or loop, and the last one of a `&&`/`||` list
    /// or a pipeline (tree-sitter-bash parses `a && b > f` with the list as the body, while
    /// the shell redirects `b` only).
    fn redirected(&mut self, node: Node<'_>, nested: bool, level: usize) {
        let mut writes = Vec::new();
        let mut target = None;
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind().ends_with("redirect") {
                self.write_targets(child, &mut writes);
                self.walk(child, nested, level + 1);
                continue;
            }
            let before = self.script.commands.len();
            self.walk(child, nested, level + 1);
            if target.is_some() {
                continue;
            }
            let body = self.script.commands.get(before..).unwrap_or_default();
            let own = |c: &Command| c.nested == nested && !c.from_sh_c;
            target = Some(if matches!(child.kind(), "list" | "pipeline") {
                body.iter().rposition(own).map(|i| before + i)
            } else {
                body.iter().position(own).map(|i| before + i)
            });
        }
        if let Some(c) = target
            .flatten()
            .and_then(|i| self.script.commands.get_mut(i))
        {
            c.writes.extend(writes);
        }
    }

    /// The targets of the output redirects in `r`: a `file_redirect` itself, or the ones a
    /// `heredoc_redirect` carries (`cat <<EOF > FILE`). Looks at most two levels down.
    fn write_targets(&self, r: Node<'_>, out: &mut Vec<Word>) {
        match r.kind() {
            "file_redirect" => {
                let mut cursor = r.walk();
                let writes = r
                    .children(&mut cursor)
                    .any(|c| !c.is_named() && matches!(c.kind(), ">" | ">>" | ">|" | "&>" | "&>>"));
                if writes && let Some(d) = r.child_by_field_name("destination") {
                    out.push(self.word(d));
                }
            }
            "heredoc_redirect" => {
                let mut cursor = r.walk();
                for c in r.named_children(&mut cursor) {
                    if c.kind() == "file_redirect" {
                        self.write_targets(c, out);
                    }
                }
            }
            _ => {}
        }
    }

    /// Walks only command/process substitutions below `n` (commands nested in words).
    fn find_substitutions(&mut self, n: Node<'_>, level: usize) {
        if matches!(n.kind(), "command_substitution" | "process_substitution") {
            self.walk(n, true, level);
            return;
        }
        let mut cursor = n.walk();
        for c in n.named_children(&mut cursor) {
            self.find_substitutions(c, level + 1);
        }
    }

    /// The parsed `-c` string of `sh -c '...'`, `bash -ec "..."` etc.
    fn sh_c_script(&self, cmd: &Command, node: Node<'_>, level: usize) -> Option<Script> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        let name = cmd.name()?;
        if !is_posix_shell(name) {
            return None;
        }
        let args = cmd.args();
        let pos = args.iter().position(|w| {
            let v = w.value.as_str();
            v.starts_with('-') && !v.starts_with("--") && v.contains('c')
        })?;
        // The script is the first operand after the options.
        let script_word = args
            .get(pos + 1..)?
            .iter()
            .find(|w| !w.value.starts_with('-') || w.value.contains(' '))?;
        // Find the node of that word to compute an exact mapping where possible.
        let mut cursor = node.walk();
        let wnode = node
            .named_children(&mut cursor)
            .find(|c| self.mapping.span(c.start_byte(), c.end_byte()) == script_word.span);
        let mapping = match (wnode, self.mapping) {
            (Some(n), Mapping::Map { map, base })
                if n.kind() == "raw_string"
                    || (n.kind() == "string" && !self.text(n).contains('\\')) =>
            {
                Mapping::Map {
                    map,
                    base: base + n.start_byte() + 1,
                }
            }
            _ => Mapping::Fixed(script_word.span),
        };
        let text = if script_word.is_static {
            script_word.value.clone()
        } else {
            // A partially dynamic string: parse its text anyway (expansions stay words).
            script_word.value.clone()
        };
        let budget = self.budget.saturating_sub(level + 1);
        Some(super::parse_depth(
            &text,
            mapping,
            self.depth + 1,
            budget,
            None,
        ))
    }

    fn declaration(&mut self, node: Node<'_>, nested: bool, level: usize) {
        let mut words = Vec::new();
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.is_named() {
                let (value, is_static) = match child.kind() {
                    "variable_assignment" | "variable_name" => (self.text(child).to_string(), true),
                    _ => self.word_value(child),
                };
                words.push(Word {
                    value,
                    is_static,
                    span: self.mapping.span(child.start_byte(), child.end_byte()),
                });
            } else if words.is_empty() {
                words.push(self.word(child));
                if let Some(w) = words.last_mut() {
                    w.is_static = true;
                }
            }
        }
        let cmd = Command {
            span: self.mapping.span(node.start_byte(), node.end_byte()),
            start: 0,
            words,
            assignments: Vec::new(),
            op_before: None,
            nested,
            from_sh_c: false,
            writes: Vec::new(),
        };
        self.emit(cmd, nested);
        let saved = self.pending.take();
        self.find_substitutions(node, level);
        self.pending = saved;
    }
}

fn strip_pair(s: &str, q: char) -> &str {
    let s = s.strip_prefix(q).unwrap_or(s);
    s.strip_suffix(q).unwrap_or(s)
}

/// Removes backslash escapes from an unquoted word.
fn unescape_bare(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(n) = it.next()
                && n != '\n'
            {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Removes the escapes that are special inside double quotes.
fn unescape_double(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\'
            && let Some(&n) = it.peek()
            && matches!(n, '"' | '\\' | '$' | '`' | '\n')
        {
            it.next();
            if n != '\n' {
                out.push(n);
            }
            continue;
        }
        out.push(c);
    }
    out
}
