//! The Dockerfile AST. Every node carries the byte [`Span`] of the source it came from.
//!
//! Contract for the rest of the crate: fields may be added, but the ones here are relied on by
//! rules, reports and the optimizer.

use super::span::{LineIndex, SourceMap, Span};
use serde::Serialize;

/// A parsed Dockerfile.
#[derive(Debug, Clone, Serialize)]
pub struct Dockerfile {
    /// The original text, byte for byte (BOM included).
    #[serde(skip)]
    pub source: String,
    #[serde(skip)]
    pub lines: LineIndex,
    /// True when the file starts with a UTF-8 byte order mark.
    pub bom: bool,
    /// Parser directives at the top of the file (`# syntax=`, `# escape=`, `# check=`).
    pub directives: Vec<Directive>,
    /// The active escape character (`\\` or `` ` ``).
    pub escape: char,
    /// Top-level instructions in file order (ONBUILD triggers are nested inside theirs).
    pub instructions: Vec<Instruction>,
    /// Every comment line outside heredoc bodies, in file order, including comment lines
    /// inside continued instructions (flagged by `inside_instruction`).
    pub comments: Vec<Comment>,
    /// Build stages, one per FROM, in order.
    pub stages: Vec<Stage>,
    /// Whitespace-only lines outside instructions (line terminator excluded).
    pub blank_lines: Vec<Span>,
    /// Parse errors; parsing continues after each one.
    pub errors: Vec<ParseError>,
}

/// A parser directive such as `# syntax=docker/dockerfile:1`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Directive {
    /// Lowercased directive name (`syntax`, `escape`, `check`).
    pub name: String,
    pub value: String,
    /// The whole comment line.
    pub span: Span,
    pub value_span: Span,
}

/// A `#` comment line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// From `#` to the end of the line (line terminator excluded).
    pub span: Span,
    /// Text after the `#`, untrimmed.
    pub text: String,
    /// True for a comment line inside a continued instruction.
    pub inside_instruction: bool,
}

/// One build stage: a FROM and the instructions up to the next FROM.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    /// 0-based stage index.
    pub index: usize,
    /// `AS name`, lowercased as BuildKit does.
    pub name: Option<String>,
    /// Index into [`Dockerfile::instructions`] of the FROM.
    pub from: usize,
    /// Indices into [`Dockerfile::instructions`] of the stage's instructions, FROM excluded.
    pub instructions: Vec<usize>,
    /// The base image as written (before variable expansion).
    pub base: ImageRef,
}

/// A parsed image reference `[registry/]name[:tag][@digest]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ImageRef {
    /// The reference text as written.
    pub raw: String,
    /// Registry host when the first path component looks like one (has `.` or `:`, or is `localhost`).
    pub registry: Option<String>,
    /// Repository path without registry, e.g. `library/debian` is kept as written (`debian`).
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// A positioned parse error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
    /// Which BuildKit stage would reject the input.
    pub kind: ParseErrorKind,
}

/// Where BuildKit rejects an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParseErrorKind {
    /// BuildKit's line parser (`parser.Parse`) rejects the file.
    Syntax,
    /// The line parser accepts it, but BuildKit's instruction parser rejects it
    /// (unknown instruction or flag, wrong argument count, ...).
    Instruction,
}

/// A word of an instruction's arguments: the raw source span and the value after
/// continuations are joined (quotes and escapes kept unless the field says otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Word {
    pub span: Span,
    pub value: String,
}

/// A `--name[=value]` flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// The whole flag, `--` included.
    pub span: Span,
    /// Name without the leading `--`, as written.
    pub name: String,
    pub name_span: Span,
    pub value: Option<Word>,
}

impl Flag {
    /// Parses a `--mount` value into a [`Mount`] (`None` when the flag has no value).
    pub fn mount(&self) -> Option<Mount> {
        self.value.as_ref().map(|v| super::parse_mount(&v.value))
    }

    /// The flag as BuildKit reports it: `--name` or `--name=value` (quotes removed).
    pub fn text(&self) -> String {
        match &self.value {
            Some(v) => format!("--{}={}", self.name, v.value),
            None => format!("--{}", self.name),
        }
    }
}

/// A `RUN --mount=...` flag value split into its options.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Mount {
    /// `bind` (default), `cache`, `tmpfs`, `secret`, `ssh`.
    pub kind: String,
    /// `target`/`dst`/`destination`.
    pub target: Option<String>,
    /// All key=value (or bare key) options in order.
    pub options: Vec<(String, Option<String>)>,
}

/// Shell form (a command string for the stage's SHELL) or exec (JSON array) form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ShellOrExec {
    Shell(ShellText),
    Exec(Vec<Word>),
}

/// Shell-form text with continuations joined, mappable back to the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShellText {
    /// The logical command text: escape+newline pairs and comment lines removed, as BuildKit
    /// hands it to the shell.
    pub text: String,
    /// Logical offsets in `text` -> source offsets.
    pub map: SourceMap,
    /// Source span of the whole text.
    pub span: Span,
}

/// A heredoc attached to RUN / COPY / ADD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    /// The `<<EOF` / `<<-"EOF"` marker.
    pub marker_span: Span,
    /// Delimiter word without quotes.
    pub delimiter: String,
    /// `<<-`: leading tabs are stripped from body lines.
    pub strip_tabs: bool,
    /// Quoted delimiter: the body is not variable-expanded.
    pub quoted: bool,
    /// Body text (after tab stripping), without the terminating delimiter line.
    pub body: String,
    /// Source span of the body lines (not including the delimiter line).
    pub body_span: Span,
    /// Source span from the first body line to the end of the delimiter line.
    pub span: Span,
}

/// A key/value pair of ENV, LABEL or ARG.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyValue {
    pub span: Span,
    pub key: Word,
    /// Value with quotes removed and escapes processed, as BuildKit would store it before
    /// variable expansion. `None` for `ARG name` with no default.
    pub value: Option<Word>,
    /// The value exactly as written (quotes and escapes kept, continuations joined).
    pub raw_value: Option<String>,
    /// The whole pair as written (`k=v`; for the legacy form, the whole argument text).
    pub raw: String,
    /// Legacy `ENV key value` / `LABEL key value` form (no `=`).
    pub legacy: bool,
}

/// Instruction keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Keyword {
    From,
    Run,
    Cmd,
    Label,
    Maintainer,
    Expose,
    Env,
    Add,
    Copy,
    Entrypoint,
    Volume,
    User,
    Workdir,
    Arg,
    Onbuild,
    Stopsignal,
    Healthcheck,
    Shell,
    /// Anything else (an error is recorded as well).
    Unknown,
}

impl Keyword {
    /// Parses a keyword case-insensitively.
    pub fn parse(s: &str) -> Keyword {
        match s.to_ascii_uppercase().as_str() {
            "FROM" => Keyword::From,
            "RUN" => Keyword::Run,
            "CMD" => Keyword::Cmd,
            "LABEL" => Keyword::Label,
            "MAINTAINER" => Keyword::Maintainer,
            "EXPOSE" => Keyword::Expose,
            "ENV" => Keyword::Env,
            "ADD" => Keyword::Add,
            "COPY" => Keyword::Copy,
            "ENTRYPOINT" => Keyword::Entrypoint,
            "VOLUME" => Keyword::Volume,
            "USER" => Keyword::User,
            "WORKDIR" => Keyword::Workdir,
            "ARG" => Keyword::Arg,
            "ONBUILD" => Keyword::Onbuild,
            "STOPSIGNAL" => Keyword::Stopsignal,
            "HEALTHCHECK" => Keyword::Healthcheck,
            "SHELL" => Keyword::Shell,
            _ => Keyword::Unknown,
        }
    }

    /// Upper-case name (`RUN`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Keyword::From => "FROM",
            Keyword::Run => "RUN",
            Keyword::Cmd => "CMD",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Expose => "EXPOSE",
            Keyword::Env => "ENV",
            Keyword::Add => "ADD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Volume => "VOLUME",
            Keyword::User => "USER",
            Keyword::Workdir => "WORKDIR",
            Keyword::Arg => "ARG",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Shell => "SHELL",
            Keyword::Unknown => "UNKNOWN",
        }
    }
}

/// One instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instruction {
    /// From the keyword to the end of the last line (line terminator excluded), including
    /// continuation lines and heredoc bodies.
    pub span: Span,
    pub keyword: Keyword,
    /// The keyword as written.
    pub keyword_span: Span,
    pub flags: Vec<Flag>,
    /// Everything after the keyword and flags, continuations joined (the "rest of line").
    pub args: ShellText,
    pub kind: InstructionKind,
    pub heredocs: Vec<Heredoc>,
    /// Lines inside the continuation that were empty (BuildKit warns on these).
    pub empty_continuation_lines: Vec<Span>,
    /// Stage index this instruction belongs to; `None` before the first FROM.
    pub stage: Option<usize>,
    /// True when the arguments were written in JSON (exec) form.
    pub json: bool,
    /// Indices into [`Dockerfile::comments`] of the comment lines BuildKit attaches to this
    /// instruction (comment lines since the previous instruction; an empty `#` resets).
    pub leading_comments: Vec<usize>,
}

impl Instruction {
    /// First flag with this name (case-sensitive, without `--`).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// Value of the first flag with this name.
    pub fn flag_value(&self, name: &str) -> Option<&str> {
        self.flag(name)
            .and_then(|f| f.value.as_ref())
            .map(|w| w.value.as_str())
    }
}

/// Per-instruction payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum InstructionKind {
    From {
        image: Word,
        /// `AS name` as written.
        alias: Option<Word>,
    },
    Run(ShellOrExec),
    Cmd(ShellOrExec),
    Entrypoint(ShellOrExec),
    /// SHELL is always exec form.
    Shell(Vec<Word>),
    /// COPY and ADD. Sources may be heredoc markers (see [`Instruction::heredocs`]).
    Copy {
        sources: Vec<Word>,
        dest: Option<Word>,
        /// True when written in JSON array form.
        json: bool,
    },
    Arg(Vec<KeyValue>),
    Env(Vec<KeyValue>),
    Label(Vec<KeyValue>),
    Expose(Vec<Word>),
    Volume {
        paths: Vec<Word>,
        json: bool,
    },
    User(Word),
    Workdir(Word),
    Stopsignal(Word),
    Maintainer(Word),
    Healthcheck(Option<ShellOrExec>),
    Onbuild(Box<Instruction>),
    /// Unknown keyword or an instruction whose arguments could not be parsed.
    Invalid,
}
