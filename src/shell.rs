//! Analysis of RUN bodies: commands, `&&` chains and package-manager invocations.
//!
//! [`parse_script`] turns a shell script (a RUN body, a heredoc, an `sh -c` string) into a flat
//! [`Script`]: every simple command in execution order with its argv (quotes removed where the
//! word is static), the operator that joins it to the previous command, and spans mapped back
//! into the Dockerfile. It uses tree-sitter-bash and falls back to a tolerant tokenizer when the
//! script does not parse. [`pkg`] models package-manager invocations on top, and [`run`] ties
//! scripts to Dockerfile instructions (mounts, heredocs; built once per file by
//! [`crate::lint::SemanticModel`]).

pub mod builtin_checks;
pub mod edit;
pub mod pkg;
mod recover;
pub mod run;
mod tokenize;
mod ts;

use crate::dockerfile::{SourceMap, Span};

/// Operator between a command and the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;` or a newline
    Seq,
    /// `|` or `|&`
    Pipe,
    /// `&`
    Background,
}

/// A shell word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The value with quotes and escapes removed when the word is static; otherwise the raw
    /// text (outer quotes removed).
    pub value: String,
    /// False when the word contains a parameter expansion or command substitution.
    pub is_static: bool,
    /// Source span in the Dockerfile.
    pub span: Span,
}

/// One simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// All words, wrappers (`sudo`, `env`, ...) included.
    pub words: Vec<Word>,
    /// Index into `words` of the effective command name, after wrappers such as `sudo`,
    /// `env A=b`, `nice -n 5`, `time`, `command`, `exec` and `xargs`.
    pub start: usize,
    /// `NAME=value` prefixes (raw text).
    pub assignments: Vec<String>,
    /// Source span of the command.
    pub span: Span,
    /// Operator joining this command to the previous one (`None` for the first command).
    pub op_before: Option<Op>,
    /// Inside `$(...)`, backticks or a process substitution.
    pub nested: bool,
    /// Came from an `sh -c "..."` string.
    pub from_sh_c: bool,
    /// Targets of the output redirects (`>`, `>>`, `>|`, `&>`, `&>>`) that apply to this command
    /// (for a redirected `{ ...; }`, loop or subshell: its first command).
    pub writes: Vec<Word>,
}

impl Command {
    /// The effective argv (wrappers skipped).
    pub fn argv(&self) -> &[Word] {
        self.words.get(self.start..).unwrap_or(&[])
    }

    /// Basename of the effective command name, if static.
    pub fn name(&self) -> Option<&str> {
        let w = self.argv().first()?;
        if !w.is_static {
            return None;
        }
        Some(basename(&w.value))
    }

    /// Arguments after the effective command name.
    pub fn args(&self) -> &[Word] {
        self.argv().get(1..).unwrap_or(&[])
    }

    /// True when the effective command is `name` and has every one of `args` among its arguments.
    pub fn is(&self, name: &str, args: &[&str]) -> bool {
        self.name() == Some(name)
            && args
                .iter()
                .all(|a| self.args().iter().any(|w| w.value == *a))
    }

    /// True when an option is present: `long` as `--long` or `--long=...`, `short` as `-s` or
    /// inside a cluster such as `-rf` (short options only before the first `--`).
    pub fn has_option(&self, short: Option<char>, long: Option<&str>) -> bool {
        for w in self.args() {
            let v = w.value.as_str();
            if v == "--" {
                break;
            }
            if let Some(l) = long
                && let Some(rest) = v.strip_prefix("--")
                && (rest == l || rest.strip_prefix(l).is_some_and(|r| r.starts_with('=')))
            {
                return true;
            }
            if let Some(s) = short
                && v.starts_with('-')
                && !v.starts_with("--")
                && v.len() > 1
                && v[1..].chars().all(|c| c.is_ascii_alphanumeric())
                && v[1..].contains(s)
            {
                return true;
            }
        }
        false
    }

    /// Static non-option arguments (those not starting with `-`).
    pub fn operands(&self) -> impl Iterator<Item = &Word> {
        self.args().iter().filter(|w| !w.value.starts_with('-'))
    }
}

/// A `#` comment in a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShComment {
    /// Text including the `#`.
    pub text: String,
    /// Source span.
    pub span: Span,
}

/// A parsed script.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    /// Every simple command in source order (commands inside substitutions, loops and
    /// conditionals included, flagged where relevant).
    pub commands: Vec<Command>,
    /// Standalone assignments (`NAME="a b"` as a statement of its own), raw text, each with
    /// the number of [`Script::commands`] before it.
    pub assignments: Vec<(usize, String)>,
    pub comments: Vec<ShComment>,
    /// A `|` pipe appears outside command substitutions.
    pub has_pipes: bool,
    /// The script runs `set -e` (or `set -o errexit`).
    pub errexit: bool,
    /// The script runs `set -o pipefail`.
    pub pipefail: bool,
    /// The script did not parse; commands come from the tolerant tokenizer.
    pub tolerant: bool,
    /// Set when a limit stopped the analysis (commands may be missing).
    pub limit: Option<Limit>,
    /// Built-in ShellCheck findings (scripts parsed with a dialect, see [`parse_script_as`]).
    pub sc: Vec<builtin_checks::ScFinding>,
}

/// An analysis limit a script hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Nested deeper than [`MAX_NESTING`], first at this span; the commands come from the
    /// tolerant tokenizer.
    Nesting(Span),
    /// The file's shell text is over [`MAX_SCRIPT_BYTES`]: this script (at this span) was
    /// not analysed at all.
    Size(Span),
}

impl Limit {
    /// Where the limit was hit.
    pub fn span(&self) -> Span {
        match *self {
            Limit::Nesting(s) | Limit::Size(s) => s,
        }
    }
}

/// Shell text (RUN bodies and heredocs) analysed per Dockerfile. Real files hold a few KiB;
/// analysis keeps about 100 bytes per word, so this bounds it to a few hundred MiB. Scripts
/// past it are reported and not analysed.
pub const MAX_SCRIPT_BYTES: usize = 4 << 20;

impl Script {
    /// Commands whose effective name is `name`.
    pub fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Command> + 'a {
        self.commands.iter().filter(move |c| c.name() == Some(name))
    }

    /// True when any command is `name` with all of `args`.
    pub fn any(&self, name: &str, args: &[&str]) -> bool {
        self.commands.iter().any(|c| c.is(name, args))
    }

    /// True when an `rm` (or `find DIR -delete`) removes `dir` or everything in it.
    pub fn removes(&self, dir: &str) -> bool {
        self.commands.iter().any(|c| match c.name() {
            Some("rm") => c.operands().any(|w| path_covers(&w.value, dir)),
            Some("find") => {
                c.args().iter().any(|w| w.value == "-delete")
                    && c.operands()
                        .next()
                        .is_some_and(|w| path_covers(&w.value, dir))
            }
            _ => false,
        })
    }

    /// Appends another script's commands (used for heredocs).
    pub fn extend(&mut self, other: Script) {
        let first = self.commands.is_empty();
        let offset = self.commands.len();
        self.assignments
            .extend(other.assignments.into_iter().map(|(k, a)| (k + offset, a)));
        for (i, mut c) in other.commands.into_iter().enumerate() {
            if i == 0 && !first {
                c.op_before = Some(Op::Seq);
            }
            self.commands.push(c);
        }
        self.comments.extend(other.comments);
        self.has_pipes |= other.has_pipes;
        self.errexit |= other.errexit;
        self.pipefail |= other.pipefail;
        self.tolerant |= other.tolerant;
        self.limit = self.limit.or(other.limit);
        self.sc.extend(other.sc);
    }
}

/// How offsets in a script's text map to the Dockerfile source.
#[derive(Debug, Clone, Copy)]
pub enum Mapping<'a> {
    /// Through a source map, after adding `base` to the script offset.
    Map { map: &'a SourceMap, base: usize },
    /// Everything maps to one span (text that was unescaped, e.g. an `sh -c "..."` string).
    Fixed(Span),
}

impl Mapping<'_> {
    /// Source span of script bytes `[start, end)`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        match *self {
            Mapping::Map { map, base } => map.span_to_source(base + start, base + end),
            Mapping::Fixed(s) => s,
        }
    }
}

/// The raw tree-sitter-bash tree of `text` (`None` when tree-sitter is unavailable), for
/// callers that need node positions rather than commands (the formatter).
pub fn syntax_tree(text: &str) -> Option<tree_sitter::Tree> {
    ts::parse_tree(text)
}

/// Parses a script. Never fails: unparsable text goes through the tolerant tokenizer.
pub fn parse_script(text: &str, mapping: Mapping<'_>) -> Script {
    parse_depth(text, mapping, 0, MAX_NESTING, None)
}

/// Parses a script and runs the built-in ShellCheck checks on it as `setup` says (none when
/// `None`, or when the script does not parse).
pub fn parse_script_as(
    text: &str,
    mapping: Mapping<'_>,
    setup: Option<builtin_checks::ScSetup<'_>>,
) -> Script {
    parse_depth(text, mapping, 0, MAX_NESTING, setup)
}

/// Deepest shell syntax tree (in tree-sitter nodes, `sh -c` strings included) that is
/// analysed; a deeper script is split by the tolerant tokenizer and flagged in
/// [`Script::limit`].
pub const MAX_NESTING: usize = ts::MAX_TREE_DEPTH;

fn parse_depth(
    text: &str,
    mapping: Mapping<'_>,
    depth: usize,
    budget: usize,
    sc: Option<builtin_checks::ScSetup<'_>>,
) -> Script {
    let mut script = match ts::parse(text, mapping, depth, budget, sc) {
        ts::Parsed::Script(s) => s,
        ts::Parsed::Invalid(error) => {
            let mut script = tokenize::parse(text, mapping);
            script.sc.extend(error);
            script
        }
        ts::Parsed::TooDeep(span) => Script {
            limit: Some(Limit::Nesting(span)),
            ..tokenize::parse(text, mapping)
        },
    };
    for c in &script.commands {
        if c.name() == Some("set") {
            let args = c.args();
            for (i, w) in args.iter().enumerate() {
                let v = w.value.as_str();
                let short = v.starts_with('-') && !v.starts_with("--");
                if short && v.contains('e') && !v.contains('o') {
                    script.errexit = true;
                }
                if short && v.contains('o') {
                    // `-o pipefail`, `-eo pipefail`, `-euxo pipefail`
                    if v.contains('e') {
                        script.errexit = true;
                    }
                    match args.get(i + 1).map(|w| w.value.as_str()) {
                        Some("pipefail") => script.pipefail = true,
                        Some("errexit") => script.errexit = true,
                        _ => {}
                    }
                }
            }
        }
    }
    script
}

/// Shells whose `-c` argument is parsed recursively.
pub fn is_posix_shell(name: &str) -> bool {
    matches!(
        name,
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh"
    )
}

/// The last path component.
pub fn basename(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

/// Number of leading wrapper words (`sudo -u x`, `env A=b`, `nice -n 5`, `time`, ...).
pub(crate) fn wrapper_len(words: &[Word]) -> usize {
    let mut i = 0;
    loop {
        let Some(w) = words.get(i) else { return i };
        if !w.is_static {
            return i;
        }
        let name = basename(&w.value);
        let (value_opts, more): (&[&str], bool) = match name {
            "sudo" => (
                &["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"],
                true,
            ),
            "env" => (&["-u", "-C", "-S"], true),
            "nice" => (&["-n"], true),
            "xargs" => (&["-n", "-I", "-L", "-P", "-d", "-E", "-s", "-a"], true),
            "time" | "command" | "exec" | "nohup" | "builtin" => (&[], true),
            "stdbuf" | "timeout" => (&[], true),
            _ => (&[], false),
        };
        if !more {
            return i;
        }
        i += 1;
        // timeout takes a DURATION operand first.
        let mut need_operand = name == "timeout";
        while let Some(w) = words.get(i) {
            let v = w.value.as_str();
            if v == "--" {
                i += 1;
                break;
            }
            if v.starts_with('-') && v.len() > 1 {
                i += 1;
                if value_opts.contains(&v) {
                    i += 1;
                }
                continue;
            }
            if name == "env" && v.contains('=') && !v.starts_with('=') {
                i += 1;
                continue;
            }
            if need_operand {
                need_operand = false;
                i += 1;
                continue;
            }
            break;
        }
    }
}

/// True when removing `arg` (an rm operand, possibly ending in `/*` or `*`) removes `dir` or
/// all of its contents.
pub fn path_covers(arg: &str, dir: &str) -> bool {
    let home = ["~/", "$HOME/", "${HOME}/"]
        .iter()
        .find_map(|h| arg.strip_prefix(h))
        .map(|rest| format!("/root/{rest}"));
    let arg = home.as_deref().unwrap_or(arg);
    let globbed = arg.ends_with('*');
    let mut a = arg.trim_end_matches('*').trim_end_matches('/');
    if a.is_empty() {
        return false;
    }
    // `/var/lib/apt/lists/*` and `/var/lib/apt/lists` both clear the directory.
    if let Some(stripped) = a.strip_suffix("/.") {
        a = stripped;
    }
    let dir = dir.trim_end_matches('/');
    if a == dir {
        return true;
    }
    // A parent directory; `parent/*` does not match hidden entries such as `.cache`.
    match dir.strip_prefix(a).and_then(|r| r.strip_prefix('/')) {
        Some(rest) => !(globbed && rest.starts_with('.')),
        None => false,
    }
}

#[cfg(test)]
mod tests;
