//! The semantic model of one Dockerfile, built once per file by the engine and handed to every
//! rule through [`super::Context`] (as ruff's `SemanticModel`): the stages and how they use each
//! other, the ARG/ENV scope at every instruction, the shell analysis of every RUN (and its
//! heredocs) and the parsed `--mount` flags.

use crate::dockerfile::expand::Env;
use crate::dockerfile::{Dockerfile, Instruction, InstructionKind, Keyword, Word};
use crate::shell::run::Analysis;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;

mod distro;
mod users;
mod windows;
pub use distro::sh_is_dash;
pub use users::Home;
pub use windows::{has_drive_path, is_windows_image, is_windows_shell};

/// What the model knows about one stage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageFacts {
    /// 0-based stage index (as [`crate::dockerfile::Stage::index`]).
    pub index: usize,
    /// The earlier stage this one is built `FROM`, if its base names one (after expanding
    /// global ARGs, case-insensitive, the nearest earlier stage of that name).
    pub base: Option<usize>,
    /// Later stages that use this one: as their base (`FROM <stage>`), as a `COPY --from`
    /// source or as a `RUN --mount=from=` source. Sorted, without duplicates.
    pub dependants: Vec<usize>,
    /// A stage a build can target to get something nothing else uses: no other stage uses
    /// it, or it is the last stage.
    pub is_target: bool,
    /// The stage ends up in an image a build produces: a build target (`docker build
    /// --target`, compose's `target:`; the last stage, and every stage nothing else uses) and,
    /// through `FROM <stage>`, the stages it is built on. With an explicit target, only that
    /// target's chain.
    pub in_final_image: bool,
}

/// The semantic model of one Dockerfile.
pub struct SemanticModel<'a> {
    df: &'a Dockerfile,
    stages: Vec<StageFacts>,
    analysis: Analysis,
    /// The global ARGs (the scope of FROM lines), computed on first use.
    globals: OnceCell<Env>,
    /// Who runs each instruction and the users the Dockerfile creates, computed on first use.
    users: OnceCell<users::Users>,
    /// The last scope computed inside a stage: (stage, position in the stage's instructions,
    /// scope there). Rules ask in file order, so the next scope of that stage continues from
    /// it instead of starting at the FROM again, and no scope is stored per instruction: time
    /// linear in the instructions, memory one scope (a file of thousands of ENV lines would
    /// otherwise hold thousands of copies of a growing scope).
    cursor: RefCell<Option<(usize, usize, Env)>>,
    /// Lowercased stage name -> the stages of that name, in order.
    names: HashMap<String, Vec<usize>>,
}

impl std::fmt::Debug for SemanticModel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SemanticModel")
            .field("stages", &self.stages)
            .field("runs", &self.analysis.runs.len())
            .finish()
    }
}

impl<'a> SemanticModel<'a> {
    /// Builds the model of `df`: stage graph and shell analysis now, the variable scope of an
    /// instruction when a rule first asks for it. Every build target counts as an image (see
    /// [`StageFacts::in_final_image`]).
    pub fn new(df: &'a Dockerfile) -> Self {
        Self::with_target(df, None)
    }

    /// As [`SemanticModel::new`], for a build of `target` (`docker build --target`, a stage
    /// name or index): only that stage and the stages it is built on end up in the image. An
    /// unknown target counts as none.
    pub fn with_target(df: &'a Dockerfile, target: Option<&str>) -> Self {
        let stages = stage_facts(df, target);
        let in_final = stages.iter().map(|s| s.in_final_image).collect();
        let bases: Vec<Option<usize>> = stages.iter().map(|s| s.base).collect();
        let mut names: HashMap<String, Vec<usize>> = HashMap::new();
        for st in &df.stages {
            if let Some(n) = &st.name {
                names
                    .entry(n.to_ascii_lowercase())
                    .or_default()
                    .push(st.index);
            }
        }
        SemanticModel {
            df,
            analysis: Analysis::new(df, in_final, &bases),
            names,
            stages,
            globals: OnceCell::new(),
            users: OnceCell::new(),
            cursor: RefCell::new(None),
        }
    }

    /// The Dockerfile the model describes.
    pub fn dockerfile(&self) -> &'a Dockerfile {
        self.df
    }

    /// Every stage's facts, by stage index.
    pub fn stages(&self) -> &[StageFacts] {
        &self.stages
    }

    /// One stage's facts.
    pub fn stage(&self, stage: usize) -> Option<&StageFacts> {
        self.stages.get(stage)
    }

    /// The earlier stage `stage` is built `FROM`, if any.
    pub fn base(&self, stage: usize) -> Option<usize> {
        self.stages.get(stage).and_then(|s| s.base)
    }

    /// The first stage named `name` (case-insensitive) or numbered `name`, among the stages
    /// before `before` (all when `None`). A map lookup: rules may call it per instruction.
    pub fn stage_named(&self, name: &str, before: Option<usize>) -> Option<usize> {
        let limit = before.unwrap_or(self.df.stages.len());
        if let Ok(n) = name.parse::<usize>() {
            return (n < limit).then_some(n);
        }
        let first = *self.names.get(&name.to_ascii_lowercase())?.first()?;
        (first < limit).then_some(first)
    }

    /// True when a stage before `before` is named `name` (case-insensitive): `FROM name` then
    /// builds on that stage, not on an image.
    pub fn is_stage_name(&self, name: &str, before: usize) -> bool {
        self.names
            .get(&name.to_ascii_lowercase())
            .and_then(|v| v.first())
            .is_some_and(|&first| first < before)
    }

    /// The stage and its bases within the file, nearest first.
    pub fn stage_chain(&self, stage: usize) -> Vec<usize> {
        let mut out = vec![stage];
        let mut cur = stage;
        while let Some(p) = self.base(cur) {
            if out.contains(&p) {
                break;
            }
            out.push(p);
            cur = p;
        }
        out
    }

    /// The names the stages `stage` is built `FROM` set with ENV (ARGs end with their stage):
    /// defined when `stage` starts.
    pub fn inherited_env_names(&self, stage: usize) -> std::collections::BTreeSet<String> {
        let df = self.df;
        self.stage_chain(stage)
            .into_iter()
            .skip(1)
            .filter_map(|s| df.stages.get(s))
            .flat_map(|s| s.instructions.iter())
            .filter_map(|&i| match df.instructions.get(i).map(|ins| &ins.kind) {
                Some(crate::dockerfile::InstructionKind::Env(kvs)) => Some(kvs),
                _ => None,
            })
            .flatten()
            .map(|kv| kv.key.value.clone())
            .collect()
    }

    /// True when `stage` is `ancestor` or built (directly or not) `FROM` it.
    pub fn descends_from(&self, stage: usize, ancestor: usize) -> bool {
        self.stage_chain(stage).contains(&ancestor)
    }

    /// True when the stage ends up in the final image (instructions before any FROM count as
    /// final).
    pub fn in_final_image(&self, stage: Option<usize>) -> bool {
        self.analysis.is_final(stage)
    }

    /// The shell analysis of every RUN (shell form, `sh -c` exec form, heredocs), with their
    /// parsed `--mount` flags.
    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// Runs `f` on the ARG/ENV scope in effect when top-level instruction `index` runs (its
    /// own ARG/ENV not yet applied), resolved by [`Dockerfile::env_at`]'s rules: global ARGs
    /// for FROM lines, inheritance through `FROM <stage>`, ENV over ARG. `None` for an index
    /// past the end.
    pub fn with_scope<R>(&self, index: usize, f: impl FnOnce(&Env) -> R) -> Option<R> {
        let df = self.df;
        let inst = df.instructions.get(index)?;
        let globals = self.globals.get_or_init(|| df.global_env());
        let stage = match inst.stage {
            Some(s) if !matches!(inst.kind, InstructionKind::From { .. }) => s,
            _ => return Some(f(globals)),
        };
        let Some(order) = df.stages.get(stage).map(|s| &s.instructions) else {
            return Some(f(globals));
        };
        // the instruction's position in its stage (the list is in file order)
        let pos = order.partition_point(|&i| i < index);
        let Ok(mut cursor) = self.cursor.try_borrow_mut() else {
            // `f` of an outer call asked again: compute this one on its own
            return Some(f(&df.env_at(index)));
        };
        let (from, mut env) = match cursor.take() {
            Some((s, p, env)) if s == stage && p <= pos => (p, env),
            _ => (0, df.stage_start_env(stage, globals, 0)),
        };
        for &i in order.get(from..pos).unwrap_or(&[]) {
            df.apply_scope(&mut env, i, globals);
        }
        let (_, _, env) = cursor.insert((stage, pos, env));
        Some(f(env))
    }

    /// The value of variable `name` (ENV, or ARG with a value) when instruction `index` runs.
    pub fn var(&self, index: usize, name: &str) -> Option<String> {
        self.with_scope(index, |env| env.get(name).map(str::to_string))
            .flatten()
    }

    /// The words of the `SHELL` in effect when instruction `index` runs (in its stage or the
    /// stages it is built on); `None` for the default `/bin/sh -c`.
    pub fn shell_at(&self, index: usize) -> Option<&'a [Word]> {
        let df = self.df;
        let stage = df.instructions.get(index)?.stage?;
        let mut limit = index;
        for s in self.stage_chain(stage) {
            let st = df.stages.get(s)?;
            let last = st
                .instructions
                .iter()
                .filter(|&&i| i < limit)
                .filter_map(|&i| match df.instructions.get(i).map(|x| &x.kind) {
                    Some(InstructionKind::Shell(words)) => Some(words.as_slice()),
                    _ => None,
                })
                .next_back();
            if last.is_some() {
                return last;
            }
            limit = usize::MAX;
        }
        None
    }
}

/// The stage graph: bases, dependants, targets and the stages of the images a build produces
/// (of `target`'s image only, when it names a stage). Linear in the file: stage names are
/// looked up in a map of the stages defined so far.
fn stage_facts(df: &Dockerfile, target: Option<&str>) -> Vec<StageFacts> {
    let n = df.stages.len();
    let globals = df.global_env();
    let mut facts: Vec<StageFacts> = (0..n)
        .map(|index| StageFacts {
            index,
            ..StageFacts::default()
        })
        .collect();
    // Lowercased stage name -> the nearest stage of that name defined so far (BuildKit rejects
    // duplicate names; DL3024 reports them).
    let mut names: HashMap<String, usize> = HashMap::new();
    for (i, st) in df.stages.iter().enumerate() {
        let raw = &st.base.raw;
        let name = globals
            .expand(raw, df.escape)
            .map(|e| e.value)
            .unwrap_or_else(|_| raw.clone());
        if let Some(&b) = names.get(&name.to_ascii_lowercase()) {
            facts[i].base = Some(b);
            facts[b].dependants.push(i);
        }
        // COPY --from / RUN --mount=from= of this stage's instructions (ONBUILD triggers run
        // elsewhere and do not count).
        for inst in st
            .instructions
            .iter()
            .filter_map(|&x| df.instructions.get(x))
        {
            for used in stage_refs(inst) {
                let src = match used.parse::<usize>() {
                    Ok(k) => (k < i).then_some(k),
                    Err(_) => names.get(&used.to_ascii_lowercase()).copied(),
                };
                if let Some(src) = src {
                    facts[src].dependants.push(i);
                }
            }
        }
        if let Some(own) = &st.name {
            names.insert(own.to_ascii_lowercase(), i);
        }
    }
    for f in &mut facts {
        f.dependants.sort_unstable();
        f.dependants.dedup();
        f.is_target = f.dependants.is_empty() || f.index + 1 == n;
    }
    let chosen = target.and_then(|t| match t.parse::<usize>() {
        Ok(k) => (k < n).then_some(k),
        Err(_) => names.get(&t.to_ascii_lowercase()).copied(),
    });
    let ends: Vec<usize> = match chosen {
        Some(t) => vec![t],
        None => facts
            .iter()
            .filter(|f| f.is_target)
            .map(|f| f.index)
            .collect(),
    };
    // Each image: the target stage and its bases.
    for end in ends {
        let mut cur = Some(end);
        while let Some(s) = cur {
            if facts[s].in_final_image {
                break;
            }
            facts[s].in_final_image = true;
            cur = facts[s].base;
        }
    }
    facts
}

/// The stage names or indices an instruction reads from: `COPY --from=`, `RUN --mount=from=`.
fn stage_refs(inst: &Instruction) -> Vec<String> {
    let mut out = Vec::new();
    if inst.keyword == Keyword::Copy
        && let Some(v) = inst.flag_value("from")
    {
        out.push(v.to_string());
    }
    if inst.keyword == Keyword::Run {
        for m in inst.flags.iter().filter(|f| f.name == "mount") {
            if let Some(m) = m.mount()
                && let Some((_, Some(from))) = m.options.iter().find(|(k, _)| k == "from")
            {
                out.push(from.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::parse;

    #[test]
    fn stage_graph() {
        let df = parse(
            "ARG B=base\nFROM debian AS base\nFROM ${B} AS build\nRUN --mount=from=tools,target=/t x\n\
             FROM alpine AS tools\nFROM alpine AS lint\nCOPY --from=0 /a /a\n\
             FROM build\nCOPY --from=tools /t /t\n",
        );
        let m = SemanticModel::new(&df);
        let s = m.stages();
        assert_eq!(s.len(), 5);
        assert_eq!(s[1].base, Some(0), "FROM ${{B}} expands the global ARG");
        assert_eq!(s[4].base, Some(1));
        assert_eq!(s[0].dependants, [1, 3]);
        assert_eq!(s[1].dependants, [4]);
        // `tools` is defined after `build`, so build's mount does not refer to it.
        assert_eq!(s[2].dependants, [4]);
        let targets: Vec<_> = s.iter().filter(|f| f.is_target).map(|f| f.index).collect();
        assert_eq!(targets, [3, 4]);
        let fin: Vec<_> = s
            .iter()
            .filter(|f| f.in_final_image)
            .map(|f| f.index)
            .collect();
        // Every build target is an image: `lint` (nothing uses it) as well as the last stage.
        assert_eq!(fin, [0, 1, 3, 4]);
        let only = |target: &str| -> Vec<usize> {
            SemanticModel::with_target(&df, Some(target))
                .stages()
                .iter()
                .filter(|f| f.in_final_image)
                .map(|f| f.index)
                .collect()
        };
        assert_eq!(only("LINT"), [3]);
        assert_eq!(only("build"), [0, 1]);
        assert_eq!(only("4"), [0, 1, 4]);
        assert_eq!(
            only("nope"),
            [0, 1, 3, 4],
            "an unknown target counts as none"
        );
        assert_eq!(m.stage_chain(4), [4, 1, 0]);
        assert!(m.descends_from(4, 0) && !m.descends_from(3, 0));
    }

    #[test]
    fn scope_and_shell() {
        let df = parse(
            "ARG V=1\nFROM debian AS a\nARG V\nENV X=$V-x\nSHELL [\"/bin/bash\", \"-c\"]\nRUN a\nFROM a\nRUN b\n",
        );
        let m = SemanticModel::new(&df);
        assert_eq!(m.var(2, "V"), None, "global ARG not redeclared yet");
        assert_eq!(m.var(3, "V").as_deref(), Some("1"));
        assert_eq!(
            m.var(7, "X").as_deref(),
            Some("1-x"),
            "inherited through FROM a"
        );
        assert_eq!(m.shell_at(3), None);
        let sh = m.shell_at(7).expect("inherited SHELL");
        assert_eq!(sh[0].value, "/bin/bash");
    }

    /// The incremental scope (continuing from the last one computed in the stage) equals the
    /// one computed from the stage's start, whatever order rules ask in.
    #[test]
    fn scopes_in_any_order_equal_env_at() {
        let df = parse(
            "ARG V=1\nARG W\nFROM debian AS a\nARG V\nENV X=$V-x Y=$X\nENV X=2 Z=$X\nLABEL k=$X\n\
             FROM a AS b\nARG W=$V\nENV Q=$X$W\nRUN a\nFROM scratch\nENV X=3\nRUN b\n",
        );
        let n = df.instructions.len();
        let orders: [Vec<usize>; 3] = [
            (0..n).collect(),
            (0..n).rev().collect(),
            (0..n).map(|i| (i * 5) % n).collect(),
        ];
        for order in orders {
            let m = SemanticModel::new(&df);
            for i in order {
                let want = df.env_at(i);
                let got = m
                    .with_scope(i, |got| (got.args.clone(), got.env.clone()))
                    .expect("an instruction");
                assert_eq!(got, (want.args, want.env), "instruction {i}");
            }
        }
    }

    #[test]
    fn mounts_are_csv_parsed() {
        let df = parse("FROM a\nRUN --mount='type=cache,\"target=/a,b\"' x\n");
        let m = SemanticModel::new(&df);
        let run = &m.analysis().runs[0];
        assert_eq!(run.mounts[0].target.as_deref(), Some("/a,b"));
        assert!(run.mount_covers("/a,b/c"));
    }
}
