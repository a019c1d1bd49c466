//! RUN instructions as scripts: the per-file analysis (built once per file by the semantic
//! model from its facts), mounts, and helpers the shell-based rules share.

use super::builtin_checks::{Dialect, ScChecks, ScSetup};
use super::{Mapping, Script, parse_script, parse_script_as};
use crate::dockerfile::{
    Dockerfile, Instruction, InstructionKind, Keyword, Mount, ShellOrExec, SourceMap,
};
use std::collections::HashMap;

/// A RUN instruction with its parsed script.
#[derive(Debug, Clone)]
pub struct Run {
    /// Index into [`Dockerfile::instructions`].
    pub index: usize,
    /// Stage index (`None` before the first FROM).
    pub stage: Option<usize>,
    /// The shell-form body and any heredoc scripts; `None` for exec form.
    pub script: Option<Script>,
    /// `--mount` flags.
    pub mounts: Vec<Mount>,
    /// An `ONBUILD RUN`: it runs when a child image is built from this one.
    pub onbuild: bool,
}

impl Run {
    /// The instruction.
    pub fn inst<'d>(&self, df: &'d Dockerfile) -> Option<&'d Instruction> {
        df.instructions.get(self.index)
    }

    /// True when a cache or tmpfs mount covers `dir` (its target is `dir` or a parent of it).
    pub fn mount_covers(&self, dir: &str) -> bool {
        self.mounts.iter().any(|m| {
            matches!(m.kind.as_str(), "cache" | "tmpfs")
                && m.target.as_deref().is_some_and(|t| {
                    let t = t.trim_end_matches('/');
                    let d = dir.trim_end_matches('/');
                    !t.is_empty()
                        && (d == t || d.strip_prefix(t).is_some_and(|r| r.starts_with('/')))
                })
        })
    }

    /// True when a cache or tmpfs mount's target is `dir`, a parent of it or a directory
    /// inside it (a mount below a cache directory keeps what is written there out too).
    pub fn mount_covers_or_within(&self, dir: &str) -> bool {
        let d = dir.trim_end_matches('/');
        self.mount_covers(dir)
            || self.mounts.iter().any(|m| {
                matches!(m.kind.as_str(), "cache" | "tmpfs")
                    && m.target.as_deref().is_some_and(|t| {
                        !d.is_empty() && t.strip_prefix(d).is_some_and(|r| r.starts_with('/'))
                    })
            })
    }
}

/// Every RUN of one Dockerfile as a script (part of the semantic model, which builds it).
#[derive(Debug, Default)]
pub struct Analysis {
    /// Every top-level RUN, in file order.
    pub runs: Vec<Run>,
    /// ShellCheck code -> (index into `runs`, index into that script's `sc`) of its findings,
    /// in file order: each code's rule reads its own findings without walking every RUN.
    sc_index: HashMap<&'static str, Vec<(usize, usize)>>,
}

impl Analysis {
    /// The RUN at instruction `index` (binary search: `runs` is in file order).
    pub fn run_at(&self, index: usize) -> Option<&Run> {
        let pos = self.runs.binary_search_by_key(&index, |r| r.index).ok()?;
        self.runs.get(pos)
    }

    /// RUNs of one stage (ONBUILD RUNs excluded: they run in another image). Two binary
    /// searches: `runs` is in file order, so by stage (a filter over every RUN per stage was
    /// quadratic in files of many stages).
    pub fn stage_runs(&self, stage: usize) -> impl Iterator<Item = &Run> {
        let start = self.runs.partition_point(|r| r.stage < Some(stage));
        let end = self.runs.partition_point(|r| r.stage <= Some(stage));
        self.runs
            .get(start..end)
            .unwrap_or(&[])
            .iter()
            .filter(|r| !r.onbuild)
    }
}

/// The shell an instruction runs with, as the shell analysis needs it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunShell {
    /// The dialect shell-form bodies run in; `None` for shells ShellCheck does not check.
    pub dialect: Option<Dialect>,
    /// The shell is dash (`sh` of a Debian or Ubuntu image, or `dash` itself).
    pub dash: bool,
}

/// An ARG/ENV declaration of a name in scope, as the built-in ShellCheck checks see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declared {
    /// The value needs no quoting (no blanks or globs, or no value).
    pub literal: bool,
    /// The value is a list of plain words (no expansions or globs).
    pub list: bool,
}

impl Analysis {
    /// Analyses every RUN of `df`, given two facts of the semantic model: the shell each
    /// instruction runs with (`shell(index)`) and how a name is declared (ARG/ENV) before an
    /// instruction (`declared(index, name)`, see [`ScSetup::declared`]); `checks` are the
    /// built-in ShellCheck checks to run on every script.
    /// At most [`super::MAX_SCRIPT_BYTES`] of script text are analysed per file: a RUN past
    /// that budget is not analysed (memory stays bounded) and is reported as a limit.
    pub fn new(
        df: &Dockerfile,
        shell: &dyn Fn(usize) -> RunShell,
        declared: &dyn Fn(usize, &str) -> Option<Declared>,
        checks: &ScChecks,
    ) -> Self {
        let mut budget = super::MAX_SCRIPT_BYTES;
        let runs: Vec<Run> = df
            .instructions
            .iter()
            .enumerate()
            .filter_map(|(index, inst)| {
                let (run, onbuild) = match &inst.kind {
                    InstructionKind::Onbuild(inner) if inner.keyword == Keyword::Run => {
                        (&**inner, true)
                    }
                    _ if inst.keyword == Keyword::Run => (inst, false),
                    _ => return None,
                };
                let size =
                    run.args.text.len() + run.heredocs.iter().map(|h| h.body.len()).sum::<usize>();
                let script = if size <= budget {
                    budget -= size;
                    let shell = shell(index);
                    let literal = |name: &str| declared(index, name).map(|d| d.literal);
                    let word_list = |name: &str| declared(index, name).is_some_and(|d| d.list);
                    let setup = shell.dialect.map(|dialect| ScSetup {
                        dialect,
                        declared: &literal,
                        dash: shell.dash,
                        word_list: &word_list,
                        checks,
                    });
                    script_of(df, run, setup)
                } else {
                    budget = 0;
                    Some(Script {
                        tolerant: true,
                        limit: Some(super::Limit::Size(inst.span)),
                        ..Script::default()
                    })
                };
                Some(Run {
                    index,
                    stage: inst.stage,
                    script,
                    mounts: mounts(run),
                    onbuild,
                })
            })
            .collect();
        let mut sc_index: HashMap<&'static str, Vec<(usize, usize)>> = HashMap::new();
        for (r, run) in runs.iter().enumerate() {
            for (k, f) in run.script.iter().flat_map(|s| &s.sc).enumerate() {
                sc_index.entry(f.code).or_default().push((r, k));
            }
        }
        Analysis { runs, sc_index }
    }

    /// The built-in ShellCheck findings of `code` in every RUN, in file order.
    pub fn sc_findings(
        &self,
        code: &str,
    ) -> impl Iterator<Item = &super::builtin_checks::ScFinding> {
        self.sc_index
            .get(code)
            .into_iter()
            .flatten()
            .filter_map(|&(r, k)| self.runs.get(r)?.script.as_ref()?.sc.get(k))
    }
}

/// The script a RUN executes: its shell-form text plus heredoc bodies that the shell runs
/// (`RUN <<EOF` or `RUN bash <<EOF`). Exec form gives one command, or the parsed `-c` script
/// of `["sh", "-c", "..."]`. `sc` sets up the built-in ShellCheck checks with the stage's shell
/// (a heredoc's shebang or `bash <<EOF` overrides it); `None` runs none.
pub fn script_of(df: &Dockerfile, inst: &Instruction, sc: Option<ScSetup<'_>>) -> Option<Script> {
    let text = match &inst.kind {
        InstructionKind::Run(ShellOrExec::Shell(text)) => text,
        // `RUN ["sh", "-c", "script"]`: the script is shell too.
        InstructionKind::Run(ShellOrExec::Exec(words)) => {
            let first = words.first()?;
            if !super::is_posix_shell(super::basename(&first.value)) {
                // A plain argv: one command, no shell.
                let words: Vec<super::Word> = words
                    .iter()
                    .map(|w| super::Word {
                        value: w.value.clone(),
                        is_static: true,
                        span: w.span,
                    })
                    .collect();
                let span = words
                    .first()
                    .zip(words.last())
                    .map(|(a, b)| a.span.cover(b.span))
                    .unwrap_or(inst.span);
                return Some(Script {
                    commands: vec![super::Command {
                        start: super::wrapper_len(&words),
                        words,
                        assignments: Vec::new(),
                        span,
                        op_before: None,
                        nested: false,
                        from_sh_c: false,
                        writes: Vec::new(),
                    }],
                    ..Script::default()
                });
            }
            let c = words.iter().position(|w| {
                w.value.starts_with('-') && !w.value.starts_with("--") && w.value.contains('c')
            })?;
            let script = words.get(c + 1)?;
            return Some(parse_script(&script.value, Mapping::Fixed(script.span)));
        }
        _ => return None,
    };
    let _ = df;
    let mut body = text.text.clone();
    let mut heredoc_scripts = Vec::new();
    for h in &inst.heredocs {
        // Blank out the `<<EOF` marker so the shell text parses; remember whether the marker
        // feeds a shell (first word, or the stdin of sh/bash).
        let marker_start = find_marker(&body, &h.delimiter);
        // `Some(dialect)` when the marker feeds a shell: the first word (the stage's shell runs
        // it) or the stdin of `sh`/`bash`.
        let feeds_shell = match marker_start {
            Some(p) => {
                let before = body[..p].trim();
                let last_cmd = before
                    .rsplit(['&', '|', ';', '\n'])
                    .next()
                    .unwrap_or("")
                    .trim();
                let first_word = last_cmd.split_whitespace().next().unwrap_or("");
                if last_cmd.is_empty() {
                    Some(sc.map(|s| s.dialect))
                } else if super::is_posix_shell(super::basename(first_word)) {
                    Some(Dialect::of_program(first_word))
                } else {
                    None
                }
            }
            None => None,
        };
        if let Some(p) = marker_start {
            let end = marker_end(&body, p);
            body.replace_range(p..end, &" ".repeat(end - p));
        }
        if let Some(shell) = feeds_shell {
            // A `#!` line names the interpreter that runs the body.
            let first = h.body.lines().next().unwrap_or("");
            let shell = Dialect::of_shebang(first).unwrap_or(shell);
            heredoc_scripts.push((h, shell));
        }
    }
    let mut script = parse_script_as(
        &body,
        Mapping::Map {
            map: &text.map,
            base: 0,
        },
        sc,
    );
    for (h, shell) in heredoc_scripts {
        let map;
        let mapping = if h.strip_tabs {
            Mapping::Fixed(h.body_span)
        } else {
            map = SourceMap::identity(h.body_span.start, h.body.len());
            Mapping::Map { map: &map, base: 0 }
        };
        let setup = match (sc, shell) {
            (Some(s), Some(dialect)) => Some(ScSetup { dialect, ..s }),
            _ => None,
        };
        script.extend(parse_script_as(&h.body, mapping, setup));
    }
    Some(script)
}

/// Byte offset of a `<<DELIM` / `<<-"DELIM"` marker in `body`.
fn find_marker(body: &str, delim: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = body.get(from..)?.find("<<") {
        let at = from + p;
        let rest = body.get(at + 2..)?;
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        let rest = rest.trim_start_matches(['"', '\'']);
        if rest.starts_with(delim) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

fn marker_end(body: &str, start: usize) -> usize {
    body.get(start..)
        .and_then(|r| r.find(|c: char| c.is_whitespace() || matches!(c, '&' | '|' | ';')))
        .map(|p| start + p)
        .unwrap_or(body.len())
}

/// The `--mount` flags of an instruction (the parser's CSV-correct [`crate::dockerfile::Flag::mount`]).
pub fn mounts(inst: &Instruction) -> Vec<Mount> {
    inst.flags
        .iter()
        .filter(|f| f.name == "mount")
        .filter_map(|f| f.mount())
        .collect()
}

/// True for the values pip and friends accept as "on".
pub fn truthy(v: &str) -> bool {
    matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "on" | "yes")
}

/// Calls `f` for every package-manager invocation in every shell-form RUN.
pub fn for_each_invocation<'a>(
    a: &'a Analysis,
    mut f: impl FnMut(&'a Run, &'a Script, &super::pkg::Invocation<'a>),
) {
    for run in &a.runs {
        let Some(script) = &run.script else { continue };
        for inv in super::pkg::invocations(script) {
            f(run, script, &inv);
        }
    }
}

/// True when a command after index `after` satisfies `pred`.
pub fn later(script: &Script, after: usize, pred: impl Fn(&super::Command) -> bool) -> bool {
    script.commands.iter().skip(after + 1).any(pred)
}

/// True when an `rm`/`find -delete` after index `after` removes `dir`.
pub fn removed_later(script: &Script, after: usize, dir: &str) -> bool {
    let tail = Script {
        commands: script.commands.get(after + 1..).unwrap_or(&[]).to_vec(),
        ..Script::default()
    };
    tail.removes(dir)
}
