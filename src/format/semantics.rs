//! What a Dockerfile means, independent of layout: the formatter's guard and its tests compare
//! these before and after formatting.
//!
//! Per instruction: the keyword, the flags, the arguments as the parser reads them (words and
//! key/value pairs, continuations joined) and, for shell forms, the commands tree-sitter-bash
//! finds (words per simple command and the operators between them). Package words of an
//! install command are compared as a multiset, since the formatter sorts them. Comments and
//! heredoc bodies are compared as text.

use crate::dockerfile::{
    Dockerfile, Instruction, InstructionKind, KeyValue, ShellOrExec, Span, Word,
};
use crate::shell::{self, Mapping, Op};

/// The meaning of a Dockerfile, as far as the formatter must keep it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Semantics {
    /// Parser directives (name, value).
    pub directives: Vec<(String, String)>,
    /// The escape character.
    pub escape: char,
    /// One entry per top-level instruction.
    pub instructions: Vec<InstructionSemantics>,
    /// Every comment line's text, trimmed, in file order.
    pub comments: Vec<String>,
}

/// The meaning of one instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstructionSemantics {
    /// Upper-case keyword.
    pub keyword: String,
    /// Flags as BuildKit reports them (`--name=value`).
    pub flags: Vec<String>,
    /// The arguments.
    pub args: Args,
    /// Heredocs: delimiter, `<<-`, quoted, body.
    pub heredocs: Vec<(String, bool, bool, String)>,
}

/// Instruction arguments, by form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Args {
    /// A shell form: the commands tree-sitter-bash (or the tolerant tokenizer) finds.
    Shell(Vec<CommandSemantics>),
    /// An exec (JSON) form or any list of words.
    Words(Vec<String>),
    /// Key/value pairs (ENV, LABEL, ARG): key, value, legacy form.
    Pairs(Vec<(String, Option<String>, bool)>),
    /// A nested instruction (ONBUILD).
    Nested(Box<InstructionSemantics>),
    /// Anything else: the argument text.
    Text(String),
}

/// One simple command of a shell form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandSemantics {
    /// The operator before it (`&&`, `||`, `;`, `|`, `&`).
    pub op: Option<&'static str>,
    /// Prefix assignments.
    pub assignments: Vec<String>,
    /// Words, wrappers included; the package words of an install command sorted.
    pub words: Vec<String>,
    /// Inside a substitution.
    pub nested: bool,
    /// Output redirect targets.
    pub writes: Vec<String>,
}

/// The semantics of a parsed Dockerfile.
pub fn of(df: &Dockerfile) -> Semantics {
    Semantics {
        directives: df
            .directives
            .iter()
            .map(|d| (d.name.clone(), d.value.clone()))
            .collect(),
        escape: df.escape,
        instructions: {
            let posix = super::posix_shells(df);
            df.instructions
                .iter()
                .enumerate()
                .map(|(i, inst)| instruction(inst, posix.get(i).copied().unwrap_or(false)))
                .collect()
        },
        comments: df
            .comments
            .iter()
            .map(|c| c.text.trim().to_string())
            .collect(),
    }
}

fn instruction(inst: &Instruction, posix: bool) -> InstructionSemantics {
    let keyword = match inst.keyword {
        crate::dockerfile::Keyword::Unknown => String::new(),
        k => k.as_str().to_string(),
    };
    InstructionSemantics {
        keyword,
        flags: inst.flags.iter().map(|f| f.text()).collect(),
        args: args(inst, posix),
        heredocs: inst
            .heredocs
            .iter()
            .map(|h| (h.delimiter.clone(), h.strip_tabs, h.quoted, h.body.clone()))
            .collect(),
    }
}

fn values(words: &[Word]) -> Vec<String> {
    words.iter().map(|w| w.value.clone()).collect()
}

fn pairs(kvs: &[KeyValue]) -> Args {
    Args::Pairs(
        kvs.iter()
            .map(|kv| {
                (
                    kv.key.value.clone(),
                    kv.value.as_ref().map(|v| v.value.clone()),
                    kv.legacy,
                )
            })
            .collect(),
    )
}

fn args(inst: &Instruction, posix: bool) -> Args {
    match &inst.kind {
        InstructionKind::Run(form) | InstructionKind::Cmd(form) => shell_or_exec(form, posix),
        InstructionKind::Entrypoint(form) => shell_or_exec(form, posix),
        InstructionKind::Healthcheck(Some(form)) => shell_or_exec(form, posix),
        InstructionKind::Healthcheck(None) => Args::Text(inst.args.text.trim().to_string()),
        InstructionKind::From { image, alias } => {
            let mut w = vec![image.value.clone()];
            w.extend(alias.iter().map(|a| a.value.clone()));
            Args::Words(w)
        }
        InstructionKind::Shell(words) | InstructionKind::Expose(words) => {
            Args::Words(values(words))
        }
        InstructionKind::Copy {
            sources,
            dest,
            json,
        } => {
            let mut w = values(sources);
            w.extend(dest.iter().map(|d| d.value.clone()));
            w.push(format!("json={json}"));
            Args::Words(w)
        }
        InstructionKind::Arg(kvs) | InstructionKind::Env(kvs) | InstructionKind::Label(kvs) => {
            pairs(kvs)
        }
        InstructionKind::Volume { paths, json } => {
            let mut w = values(paths);
            w.push(format!("json={json}"));
            Args::Words(w)
        }
        InstructionKind::User(w)
        | InstructionKind::Workdir(w)
        | InstructionKind::Stopsignal(w)
        | InstructionKind::Maintainer(w) => Args::Words(vec![w.value.clone()]),
        InstructionKind::Onbuild(inner) => Args::Nested(Box::new(instruction(inner, posix))),
        InstructionKind::Invalid => Args::Text(inst.args.text.trim().to_string()),
    }
}

/// A shell form of a POSIX shell as its commands; of any other shell (cmd, PowerShell) as its
/// text, which the formatter does not change.
fn shell_or_exec(form: &ShellOrExec, posix: bool) -> Args {
    match form {
        ShellOrExec::Exec(words) => Args::Words(values(words)),
        ShellOrExec::Shell(text) if posix => Args::Shell(commands(&text.text)),
        ShellOrExec::Shell(text) => Args::Text(text.text.trim_end().to_string()),
    }
}

/// The normalized command list of a script.
pub fn commands(text: &str) -> Vec<CommandSemantics> {
    let script = shell::parse_script(text, Mapping::Fixed(Span::default()));
    script
        .commands
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut words: Vec<String> = c.words.iter().map(|w| w.value.clone()).collect();
            if let Some(inv) = shell::pkg::invocation(i, c)
                && super::packages::sorts(&inv)
            {
                // the words after the command name, as a multiset
                let from = (c.start + 1).min(words.len());
                words[from..].sort();
            }
            CommandSemantics {
                op: c.op_before.map(op),
                assignments: c.assignments.clone(),
                words,
                nested: c.nested,
                writes: c.writes.iter().map(|w| w.value.clone()).collect(),
            }
        })
        .collect()
}

fn op(o: Op) -> &'static str {
    match o {
        Op::And => "&&",
        Op::Or => "||",
        Op::Seq => ";",
        Op::Pipe => "|",
        Op::Background => "&",
    }
}
