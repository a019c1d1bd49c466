//! RUN instructions as scripts: the per-file analysis (built once per file by
//! [`crate::lint::SemanticModel`]), mounts, and helpers the shell-based rules share.

use super::sc::{Dialect, ScSetup};
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
    /// The shell dialect the RUN's shell-form body runs in (`None`: PowerShell, cmd, a
    /// Windows stage without SHELL, or a shell ShellCheck does not check).
    pub dialect: Option<Dialect>,
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
}

/// Everything the shell-based rules need from one Dockerfile.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Every top-level RUN, in file order.
    pub runs: Vec<Run>,
    /// Per stage: true when the stage ends up in the final image (the last stage and, through
    /// `FROM <stage>`, the stages it builds on).
    pub in_final_image: Vec<bool>,
}

impl Analysis {
    /// The RUN at instruction `index` (binary search: `runs` is in file order).
    pub fn run_at(&self, index: usize) -> Option<&Run> {
        let pos = self.runs.binary_search_by_key(&index, |r| r.index).ok()?;
        self.runs.get(pos)
    }

    /// RUNs of one stage (ONBUILD RUNs excluded: they run in another image).
    pub fn stage_runs(&self, stage: usize) -> impl Iterator<Item = &Run> {
        self.runs
            .iter()
            .filter(move |r| r.stage == Some(stage) && !r.onbuild)
    }

    /// True when the instruction's stage is in the final image (instructions before any FROM
    /// count as final).
    pub fn is_final(&self, stage: Option<usize>) -> bool {
        match stage {
            Some(s) => self.in_final_image.get(s).copied().unwrap_or(true),
            None => true,
        }
    }
}

impl Analysis {
    /// Analyses every RUN of `df`; `in_final_image` is the per-stage flag of the semantic model,
    /// `bases` the earlier stage each stage is built `FROM` (it inherits that stage's `SHELL`).
    /// At most [`super::MAX_SCRIPT_BYTES`] of script text are analysed per file: a RUN past
    /// that budget is not analysed (memory stays bounded) and is reported as a limit.
    pub fn new(df: &Dockerfile, in_final_image: Vec<bool>, bases: &[Option<usize>]) -> Self {
        let mut budget = super::MAX_SCRIPT_BYTES;
        let facts = ShellFacts::new(df, bases);
        let runs =
            df.instructions
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
                    let size = run.args.text.len()
                        + run.heredocs.iter().map(|h| h.body.len()).sum::<usize>();
                    let script =
                        if size <= budget {
                            budget -= size;
                            let declared = |name: &str| {
                                inst.stage
                                    .and_then(|st| facts.lookup(st, index, name))
                                    .map(|(literal, _)| literal)
                            };
                            let word_list = |name: &str| {
                                inst.stage
                                    .and_then(|st| facts.lookup(st, index, name))
                                    .is_some_and(|(_, list)| list)
                            };
                            let setup =
                                facts.dialects.get(index).copied().flatten().map(|dialect| {
                                    ScSetup {
                                        dialect,
                                        declared: &declared,
                                        dash: facts.dash.get(index).copied().unwrap_or(false),
                                        word_list: &word_list,
                                    }
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
                        dialect: facts.dialects.get(index).copied().flatten(),
                    })
                })
                .collect();
        Analysis {
            runs,
            in_final_image,
        }
    }
}

/// What the built-in ShellCheck checks know about each RUN from the Dockerfile, computed in one
/// pass: the shell each instruction runs with (the stage's last `SHELL` so far, inherited from
/// the base stage, `sh` by default; `None` for shells ShellCheck does not check, PowerShell or
/// cmd, and for stages built on Windows images without a `SHELL`), and the ARG/ENV names each
/// stage declares.
struct ShellFacts {
    /// Indexed like [`Dockerfile::instructions`].
    dialects: Vec<Option<Dialect>>,
    /// Indexed like [`Dockerfile::instructions`]: the shell is dash (`sh` of a Debian or
    /// Ubuntu image, or `dash` itself).
    dash: Vec<bool>,
    /// Per stage: name -> its declarations, in file order.
    declared: Vec<HashMap<String, Vec<Declared>>>,
    /// Per stage: the earlier stage it is built on.
    bases: Vec<Option<usize>>,
}

/// An ARG/ENV declaration of a name, as the ShellCheck checks see it.
struct Declared {
    /// The instruction.
    index: usize,
    /// The value needs no quoting (no blanks or globs, or no value).
    literal: bool,
    /// The value is a list of plain words (no expansions or globs).
    list: bool,
}

/// The program of a `# hadolint shell=NAME` / `# dlint shell=NAME` comment (its text after `#`).
fn shell_pragma(comment: &str) -> Option<&str> {
    let mut words = comment.split_whitespace();
    let tool = words.next()?;
    if !tool.eq_ignore_ascii_case("hadolint") && !tool.eq_ignore_ascii_case("dlint") {
        return None;
    }
    let program = words.next()?.strip_prefix("shell=")?;
    (!program.is_empty()).then_some(program)
}

/// Stages followed back through their bases when looking a name up (hostile files may chain
/// thousands).
const MAX_BASE_HOPS: usize = 64;

impl ShellFacts {
    fn new(df: &Dockerfile, bases: &[Option<usize>]) -> Self {
        let mut dialects = vec![None; df.instructions.len()];
        let mut at_end: Vec<Option<Dialect>> = Vec::with_capacity(df.stages.len());
        let mut dash = vec![false; df.instructions.len()];
        // per stage: the image's `sh` is dash, and the shell at the stage's end is dash
        let mut image_dash: Vec<bool> = Vec::with_capacity(df.stages.len());
        let mut dash_at_end: Vec<bool> = Vec::with_capacity(df.stages.len());
        let mut declared = Vec::with_capacity(df.stages.len());
        let mut stage_bases = Vec::with_capacity(df.stages.len());
        // `# hadolint shell=powershell` (or `# dlint shell=bash`) sets the shell of every stage
        // without a SHELL of its own, as hadolint's pragma does
        let pragma = df.comments.iter().find_map(|c| shell_pragma(&c.text));
        for (s, stage) in df.stages.iter().enumerate() {
            let base = bases.get(s).copied().flatten().filter(|&b| b < s);
            stage_bases.push(base);
            let windows = crate::lint::model::is_windows_image(&stage.base.name)
                || stage.base.name.to_ascii_lowercase().contains("powershell");
            let mut current = match (base, pragma) {
                (Some(b), _) => at_end.get(b).copied().flatten(),
                (None, Some(program)) => Dialect::of_program(program),
                (None, None) if windows => None,
                (None, None) => Some(Dialect::Sh),
            };
            let sh_dash = match base {
                Some(b) => image_dash.get(b).copied().unwrap_or(false),
                None => crate::lint::model::sh_is_dash(&stage.base),
            };
            let is_dash = |program: &str| match super::basename(program) {
                "dash" => true,
                "sh" => sh_dash,
                _ => false,
            };
            let mut current_dash = match (base, pragma) {
                (Some(b), _) => dash_at_end.get(b).copied().unwrap_or(false),
                (None, Some(program)) => is_dash(program),
                (None, None) => sh_dash && !windows,
            };
            let mut names: HashMap<String, Vec<Declared>> = HashMap::new();
            for &i in &stage.instructions {
                let Some(inst) = df.instructions.get(i) else {
                    continue;
                };
                match &inst.kind {
                    InstructionKind::Shell(words) => {
                        current = words.first().and_then(|w| Dialect::of_program(&w.value));
                        current_dash = words.first().is_some_and(|w| is_dash(&w.value));
                    }
                    InstructionKind::Arg(pairs) | InstructionKind::Env(pairs) => {
                        for kv in pairs {
                            let literal = kv.value.as_ref().is_none_or(|v| {
                                !v.value.contains([' ', '\t', '\n', '*', '?', '['])
                            });
                            let list = kv
                                .value
                                .as_ref()
                                .is_some_and(|v| !v.value.contains(['*', '?', '[', '$', '`']));
                            names
                                .entry(kv.key.value.clone())
                                .or_default()
                                .push(Declared {
                                    index: i,
                                    literal,
                                    list,
                                });
                        }
                    }
                    _ => {}
                }
                if let Some(slot) = dialects.get_mut(i) {
                    *slot = current;
                }
                if let Some(slot) = dash.get_mut(i) {
                    *slot = current_dash;
                }
            }
            at_end.push(current);
            image_dash.push(sh_dash);
            dash_at_end.push(current_dash);
            declared.push(names);
        }
        ShellFacts {
            dialects,
            dash,
            declared,
            bases: stage_bases,
        }
    }

    /// Whether `name` is declared (ARG/ENV) before instruction `index` of `stage` or in the
    /// stages it is built on: whether its value needs no quoting, and whether it is a list of
    /// plain words.
    fn lookup(&self, stage: usize, index: usize, name: &str) -> Option<(bool, bool)> {
        let mut at = Some(stage);
        let mut limit = index;
        for _ in 0..MAX_BASE_HOPS {
            let s = at?;
            if let Some(decls) = self.declared.get(s).and_then(|m| m.get(name)) {
                let pos = decls.partition_point(|d| d.index < limit);
                if let Some(d) = pos.checked_sub(1).and_then(|p| decls.get(p)) {
                    return Some((d.literal, d.list));
                }
            }
            at = self.bases.get(s).copied().flatten();
            limit = usize::MAX;
        }
        None
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
