//! The engine of ShellCheck's checks, built in: one pass over the tree-sitter tree the shell
//! analysis already parsed (no second parse), findings with ShellCheck's codes and messages
//! mapped to Dockerfile spans. Each check lives in its rule's file (`src/rules/shellcheck/`,
//! [`ScCheck`]: the node kinds it looks at and what it does there); the engine walks the tree
//! once and calls, at each node, only the enabled checks of that node's kind ([`ScChecks`]), so
//! a disabled code costs nothing and a script with none enabled is not walked at all. Shared
//! here: the walk (iterative with an explicit ancestor stack, no `Node::parent`, which
//! tree-sitter computes from the root, so a script costs time linear in its nodes), the facts
//! of a first pass (`facts.rs`), word and quoting helpers, the package-list exception
//! (`package_lists.rs`), the parse-error classifier (`parse_error.rs`) and the
//! `# shellcheck disable=SC2086` comments, honoured here.

mod facts;
mod package_lists;
pub mod parse_error;
mod quoting;

pub use package_lists::is_package_list;
pub use quoting::{Place, place};

use super::Mapping;
use crate::dockerfile::Span;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::OnceLock;
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

/// One built-in ShellCheck check, declared in its rule's file (`Rule::shell_check`): the node
/// kinds it looks at and what it does at each. The code is the rule's id.
#[derive(Clone, Copy)]
pub struct ScCheck {
    /// tree-sitter-bash node kinds (`"command"`, `"simple_expansion"`) `visit` is called on.
    pub kinds: &'static [&'static str],
    /// Called on every node of those kinds with its ancestors (nearest last); reports
    /// through [`CheckCx::report`].
    pub visit: for<'t> fn(&mut CheckCx<'t>, Node<'t>, &[Node<'t>]),
    /// Only for POSIX `sh` scripts (the bash-isms, SC3xxx).
    pub sh_only: bool,
    /// Reads the facts of the first pass (variables assigned and used, `set -e`, `eval`).
    pub facts: bool,
}

impl ScCheck {
    /// No kinds, no facts, any dialect: start a check from it with `..ScCheck::DEFAULT`.
    pub const DEFAULT: ScCheck = ScCheck {
        kinds: &[],
        visit: |_, _, _| {},
        sh_only: false,
        facts: false,
    };

    /// The check of a parse-error code ([`parse_error::CODES`]): no tree to visit, the
    /// classifier runs when the script does not parse.
    pub const PARSE_ERROR: ScCheck = ScCheck::DEFAULT;
}

impl std::fmt::Debug for ScCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScCheck")
            .field("kinds", &self.kinds)
            .field("sh_only", &self.sh_only)
            .field("facts", &self.facts)
            .finish()
    }
}

/// The enabled checks of one lint run, indexed by tree-sitter node kind for dispatch.
#[derive(Debug, Default)]
pub struct ScChecks {
    /// By node kind id: the checks (code and check) visiting that kind.
    by_kind: Vec<Vec<(&'static str, ScCheck)>>,
    /// Every enabled code.
    codes: Vec<&'static str>,
    /// Some enabled check reads the first pass's facts.
    facts: bool,
}

/// No check: scripts are parsed for the other rules only.
pub static NO_CHECKS: ScChecks = ScChecks {
    by_kind: Vec::new(),
    codes: Vec::new(),
    facts: false,
};

/// Every node kind id of tree-sitter-bash by kind name (aliases give one name several ids).
fn kind_ids() -> &'static HashMap<String, Vec<u16>> {
    static IDS: OnceLock<HashMap<String, Vec<u16>>> = OnceLock::new();
    IDS.get_or_init(|| {
        let language: tree_sitter::Language = tree_sitter_bash::LANGUAGE.into();
        let mut ids: HashMap<String, Vec<u16>> = HashMap::new();
        for id in 0..u16::try_from(language.node_kind_count()).unwrap_or(u16::MAX) {
            if let Some(kind) = language.node_kind_for_id(id) {
                ids.entry(kind.to_string()).or_default().push(id);
            }
        }
        ids
    })
}

impl ScChecks {
    /// Indexes `checks` (each with its code) by the node kinds they visit.
    pub fn new(checks: impl IntoIterator<Item = (&'static str, ScCheck)>) -> Self {
        let mut out = ScChecks::default();
        let ids = kind_ids();
        for (code, check) in checks {
            out.codes.push(code);
            out.facts |= check.facts;
            for kind in check.kinds {
                for &id in ids.get(*kind).into_iter().flatten() {
                    let id = usize::from(id);
                    if out.by_kind.len() <= id {
                        out.by_kind.resize_with(id + 1, Vec::new);
                    }
                    out.by_kind[id].push((code, check));
                }
            }
        }
        out
    }

    /// True when `code` is enabled.
    pub fn has(&self, code: &str) -> bool {
        self.codes.contains(&code)
    }

    /// True when no check visits the tree.
    fn visits_nothing(&self) -> bool {
        self.by_kind.is_empty()
    }

    /// True when some parse-error code is enabled.
    pub(super) fn wants_parse_errors(&self) -> bool {
        parse_error::CODES.iter().any(|c| self.has(c))
    }

    /// Every kind name the checks ask for that tree-sitter-bash does not have (a typo in a
    /// check would make it silently never run).
    pub fn unknown_kinds(checks: &[(&'static str, ScCheck)]) -> Vec<(&'static str, &'static str)> {
        checks
            .iter()
            .flat_map(|(code, c)| c.kinds.iter().map(move |k| (*code, *k)))
            .filter(|(_, k)| !kind_ids().contains_key(*k))
            .collect()
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
    /// The checks to run.
    pub checks: &'a ScChecks,
}

impl std::fmt::Debug for ScSetup<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScSetup")
            .field("dialect", &self.dialect)
            .field("dash", &self.dash)
            .field("checks", &self.checks.codes)
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

/// What a check sees of the script: its text and dialect, the facts of the first pass (when
/// some enabled check asks for them), and where findings go.
pub struct CheckCx<'t> {
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
    /// The code of the check being run.
    code: &'static str,
    /// The name and arguments of the `command` node the checks are visiting, computed once
    /// for all of them.
    command: Option<CommandWords<'t>>,
    out: Vec<Raw>,
}

/// What [`command_name`] and [`CheckCx::command_args`] give for one `command` node: the name
/// read when the walk reaches the node, the arguments when a check first asks for them.
struct CommandWords<'t> {
    id: usize,
    name: Option<&'t str>,
    args: OnceCell<Rc<[Node<'t>]>>,
}

impl<'t> CheckCx<'t> {
    /// The script text of `n`.
    pub fn text(&self, n: Node<'_>) -> &'t str {
        self.src.get(n.start_byte()..n.end_byte()).unwrap_or("")
    }

    /// The whole script.
    pub fn src(&self) -> &'t str {
        self.src
    }

    /// The dialect the script is checked as.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The shell is dash: its `echo` expands backslash escapes.
    pub fn is_dash(&self) -> bool {
        self.dash
    }

    /// The script runs `set -e` (a fact of the first pass).
    pub fn errexit(&self) -> bool {
        self.errexit
    }

    /// The script calls `eval` (a fact of the first pass).
    pub fn has_eval(&self) -> bool {
        self.has_eval
    }

    /// The variable is referenced somewhere in the script (a fact of the first pass).
    pub fn is_used(&self, name: &str) -> bool {
        self.used_vars.contains(name)
    }

    /// `n` ends the script's last top-level statement (its status is the RUN's status).
    pub fn ends_script(&self, n: Node<'_>) -> bool {
        n.end_byte() == self.last_statement_end
    }

    /// Reports the running check's code at `n`.
    pub fn report(&mut self, n: Node<'_>, message: impl Into<String>) {
        self.report_at(n.start_byte(), n.end_byte(), message);
    }

    /// Reports the running check's code at script bytes `start..end`.
    pub fn report_at(&mut self, start: usize, end: usize, message: impl Into<String>) {
        self.out.push(Raw {
            code: self.code,
            start,
            end,
            message: message.into(),
        });
    }

    /// The argument nodes of `cmd` (see [`command_args`]), computed once per `command` node
    /// for all the checks that visit it.
    pub fn command_args(&self, cmd: Node<'t>) -> Rc<[Node<'t>]> {
        match &self.command {
            Some(c) if c.id == cmd.id() => c.args.get_or_init(|| command_args(cmd).into()).clone(),
            _ => command_args(cmd).into(),
        }
    }

    /// A variable that never needs quotes: only ever assigned literals without blanks or globs,
    /// in the script or by the Dockerfile's ARG/ENV (as hadolint tells ShellCheck).
    pub fn is_literal_var(&self, name: &str) -> bool {
        if self.unsafe_vars.contains(name) {
            return false;
        }
        self.literal_vars.contains(name) || (self.declared)(name) == Some(true)
    }
}

/// Children of `n` (all, named or not), collected with one cursor.
pub fn children<'t>(n: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = n.walk();
    n.children(&mut cursor).collect()
}

/// The static name of a `command` node (`None` when it is an expansion); read once per node
/// for all the checks that visit it.
pub fn command_name<'t>(cx: &CheckCx<'t>, cmd: Node<'_>) -> Option<&'t str> {
    match &cx.command {
        Some(c) if c.id == cmd.id() => c.name,
        _ => read_command_name(cx, cmd),
    }
}

fn read_command_name<'t>(cx: &CheckCx<'t>, cmd: Node<'_>) -> Option<&'t str> {
    let name = first_child_of_kind(cmd, "command_name")?;
    let word = name.named_child(0)?;
    matches!(word.kind(), "word").then(|| cx.text(word))
}

/// The argument nodes of a `command` (everything after the name, redirects excluded).
pub fn command_args<'t>(cmd: Node<'t>) -> Vec<Node<'t>> {
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

pub fn first_child_of_kind<'t>(n: Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut cursor = n.walk();
    n.children(&mut cursor).find(|c| c.kind() == kind)
}

/// Calls `f` on every node with its ancestors (nearest last), iteratively.
pub(crate) fn walk<'t>(root: Node<'t>, mut f: impl FnMut(Node<'t>, &[Node<'t>])) {
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

/// True when `n` is or holds an expansion (`$x`, `${x}`, `$(cmd)`, `$((1+2))`).
pub fn has_expansion(n: Node<'_>) -> bool {
    if matches!(
        n.kind(),
        "simple_expansion" | "expansion" | "command_substitution" | "arithmetic_expansion"
    ) {
        return true;
    }
    let mut cursor = n.walk();
    n.named_children(&mut cursor).any(has_expansion)
}

/// True for a shell variable name (`[A-Za-z_][A-Za-z0-9_]*`).
pub fn is_name(s: &str) -> bool {
    let mut b = s.bytes();
    b.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// True inside a string, a raw string or a heredoc body (`up` are the ancestors).
pub fn inside_quotes(up: &[Node<'_>]) -> bool {
    up.iter()
        .any(|a| matches!(a.kind(), "string" | "raw_string" | "heredoc_body"))
}

/// True inside quotes, a heredoc body, a `[ ]`/`[[ ]]` test or a `case` item: where a word is
/// not an argument the shell globs.
pub fn in_quotes_or_test(up: &[Node<'_>]) -> bool {
    up.iter().any(|a| {
        matches!(
            a.kind(),
            "string" | "heredoc_body" | "raw_string" | "test_command" | "case_item"
        )
    })
}

/// True when the `xargs` command `cmd` reads NUL- or delimiter-separated input (`-0`,
/// `--null`, `-d`, `--delimiter`).
pub fn xargs_null(cx: &CheckCx<'_>, cmd: Node<'_>) -> bool {
    command_args(cmd).iter().any(|w| {
        let t = cx.text(*w);
        t == "-0"
            || t == "--null"
            || t.starts_with("-d")
            || t.starts_with("--delimiter")
            || (t.starts_with('-') && !t.starts_with("--") && t.contains('0'))
    })
}

/// Runs the enabled checks of `setup` on `root`, a tree parsed from `src` without errors (and
/// no deeper than the analysis' depth limit). With none enabled, the tree is not walked.
pub(super) fn check<'t>(
    root: Node<'t>,
    src: &'t str,
    mapping: Mapping<'_>,
    setup: ScSetup<'t>,
) -> Vec<ScFinding> {
    let checks = setup.checks;
    if checks.visits_nothing() {
        return Vec::new();
    }
    let mut cx = CheckCx {
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
        last_statement_end: 0,
        code: "",
        command: None,
        out: Vec::new(),
    };
    if checks.facts {
        cx.last_statement_end = last_statement_end(root, src);
        walk(root, |n, up| facts::facts(&mut cx, n, up));
    }
    walk(root, |n, up| {
        let Some(at) = checks.by_kind.get(usize::from(n.kind_id())) else {
            return;
        };
        if at.is_empty() {
            return;
        }
        cx.command = (n.kind() == "command").then(|| CommandWords {
            id: n.id(),
            name: read_command_name(&cx, n),
            args: OnceCell::new(),
        });
        for &(code, c) in at {
            if c.sh_only && cx.dialect != Dialect::Sh {
                continue;
            }
            cx.code = code;
            (c.visit)(&mut cx, n, up);
        }
    });
    if cx.out.is_empty() {
        return Vec::new();
    }
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
