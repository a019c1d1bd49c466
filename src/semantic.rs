//! The semantic layer: the facts about one Dockerfile that rules share, computed once per file
//! by the engine and handed to every rule through its context (as ruff's
//! `SemanticModel`). Each fact has one owner here, and rules, [`crate::shell::run`] and the
//! removal analysis only read it:
//!
//! - [`stages`]: the stage graph, build targets and which stages end up in an image;
//! - [`scope`]: the ARG/ENV scope at every instruction, the global ARGs, the names inherited
//!   from base stages and the names declared before a RUN;
//! - [`shell`]: the shell (and its dialect) every instruction runs with, the shell pragma
//!   honoured;
//! - [`workdir`]: whether a `WORKDIR` is in effect at each instruction (own or inherited);
//! - the shell analysis of every RUN (and its heredocs) with its parsed `--mount` flags
//!   ([`Analysis`], built from the facts above).
//!
//! The package-manager invocations of the RUNs belong here too, as one more module
//! (`packages.rs`) built from the analysis, when the package model moves over.

pub mod bases;
pub mod distro;
pub mod scope;
pub mod shell;
pub mod stages;
pub mod users;
pub mod windows;
pub mod workdir;

pub use bases::StageBases;
pub use distro::sh_is_dash;
pub use scope::{BuildArgs, Env};
pub use shell::ShellInEffect;
pub use stages::StageFacts;
pub use users::Home;
pub use windows::{has_drive_path, is_windows_image, is_windows_shell};

use crate::dockerfile::{Dockerfile, Word};
use crate::image::base::BaseFacts as BaseFactsRef;
use crate::shell::builtin_checks::{NO_CHECKS, ScChecks};
use crate::shell::run::Analysis;
use scope::Scopes;
use stages::StageGraph;
use std::collections::BTreeSet;

/// The semantic model of one Dockerfile.
pub struct SemanticModel<'a> {
    df: &'a Dockerfile,
    stages: StageGraph,
    scopes: Scopes,
    /// The shell in effect at each instruction, indexed like [`Dockerfile::instructions`].
    shells: Vec<ShellInEffect<'a>>,
    analysis: Analysis,
    /// Who runs each instruction and the users the Dockerfile creates, computed on first use.
    users: std::cell::OnceCell<users::Users>,
    /// Whether a WORKDIR is in effect at each instruction, computed on first use.
    workdirs: std::cell::OnceCell<Vec<bool>>,
    /// Whether each stage runs Windows (`is_windows_stage`), computed on first use.
    windows: std::cell::OnceCell<Vec<bool>>,
    /// The facts of the images the stages are built on, when known.
    bases: &'a StageBases,
}

impl std::fmt::Debug for SemanticModel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SemanticModel")
            .field("stages", &self.stages.facts)
            .field("runs", &self.analysis.runs.len())
            .finish()
    }
}

/// The shell in effect at every top-level instruction (as [`SemanticModel::shell`] gives it),
/// without building the rest of the model: for the formatter, which needs only this (and no
/// base-image facts: a file formats the same wherever it is).
pub fn shells(df: &Dockerfile) -> Vec<ShellInEffect<'_>> {
    let scopes = Scopes::new(df);
    let stages = StageGraph::new(df, None, &scopes.globals);
    shell::shells(df, &stages, &bases::NONE)
}

impl<'a> SemanticModel<'a> {
    /// Builds the model of `df`: stage graph, shells and shell analysis now, the variable scope
    /// of an instruction when a rule first asks for it. Every build target counts as an image
    /// (see [`StageFacts::in_final_image`]).
    pub fn new(df: &'a Dockerfile) -> Self {
        Self::with_target(df, None)
    }

    /// As [`SemanticModel::new`], for a build of `target` (`docker build --target`, a stage
    /// name or index): only that stage and the stages it is built on end up in the image. An
    /// unknown target counts as none.
    pub fn with_target(df: &'a Dockerfile, target: Option<&str>) -> Self {
        Self::with_bases(df, target, &bases::NONE)
    }

    /// As [`SemanticModel::with_target`], knowing the base images' facts (ENV, USER, SHELL,
    /// platforms): the shells start from the base's `SHELL`, and [`SemanticModel::base_facts`]
    /// answers.
    pub fn with_bases(df: &'a Dockerfile, target: Option<&str>, bases: &'a StageBases) -> Self {
        Self::with_checks(df, target, bases, &NO_CHECKS)
    }

    /// As [`SemanticModel::with_bases`], running the built-in ShellCheck `checks` (the enabled
    /// ones of the lint run) on every RUN script; the other constructors run none.
    pub fn with_checks(
        df: &'a Dockerfile,
        target: Option<&str>,
        bases: &'a StageBases,
        checks: &ScChecks,
    ) -> Self {
        Self::for_build(df, target, bases, checks, scope::BuildArgs::new())
    }

    /// As [`SemanticModel::with_checks`], for a build given `build_args` (`--build-arg`, a
    /// compose service's or bake target's `args`): every ARG of such a name takes its value.
    pub fn for_build(
        df: &'a Dockerfile,
        target: Option<&str>,
        bases: &'a StageBases,
        checks: &ScChecks,
        build_args: scope::BuildArgs,
    ) -> Self {
        let scopes = Scopes::with_build_args(df, build_args);
        let stages = StageGraph::new(df, target, &scopes.globals);
        let shells = shell::shells(df, &stages, bases);
        let shell = |index: usize| {
            shells
                .get(index)
                .map(|s| crate::shell::run::RunShell {
                    dialect: s.dialect,
                    dash: s.dash,
                })
                .unwrap_or_default()
        };
        let declared = |index: usize, name: &str| {
            let stage = df.instructions.get(index)?.stage?;
            scopes.declared(&stages, stage, index, name)
        };
        let analysis = Analysis::new(df, &shell, &declared, checks);
        SemanticModel {
            df,
            stages,
            scopes,
            shells,
            analysis,
            users: std::cell::OnceCell::new(),
            workdirs: std::cell::OnceCell::new(),
            windows: std::cell::OnceCell::new(),
            bases,
        }
    }

    /// True when a `WORKDIR` is in effect before instruction `index` runs: set earlier in its
    /// stage or in a stage it is built on (`FROM base`); for instructions before any FROM, a
    /// WORKDIR among them. The working directory a base *image* sets is not known here.
    pub fn workdir_set(&self, index: usize) -> bool {
        self.workdirs
            .get_or_init(|| workdir::workdir_set(self.df, &self.stages))
            .get(index)
            .copied()
            .unwrap_or(false)
    }

    /// The facts of the image `stage` is built on, following `FROM <stage>` to the first
    /// stage built on an image; `None` without facts (or for `scratch`).
    pub fn base_facts(&self, stage: usize) -> Option<&'a BaseFactsRef> {
        let root = *self.stages.chain(stage).last()?;
        if self.stages.base(root).is_some() {
            return None;
        }
        self.bases.get(root)
    }

    /// The stage an explicit build target (`--target`) names; `None` without one or when it
    /// names no stage.
    pub fn build_target(&self) -> Option<usize> {
        self.stages.target
    }

    /// The built stage, whose image the build produces: the stage `--target` names, else the
    /// last stage; `None` for a file without FROM.
    pub fn final_stage(&self) -> Option<usize> {
        self.stages.final_stage()
    }

    /// The Dockerfile the model describes.
    pub fn dockerfile(&self) -> &'a Dockerfile {
        self.df
    }

    /// Every stage's facts, by stage index.
    pub fn stages(&self) -> &[StageFacts] {
        &self.stages.facts
    }

    /// One stage's facts.
    pub fn stage(&self, stage: usize) -> Option<&StageFacts> {
        self.stages.facts.get(stage)
    }

    /// The earlier stage `stage` is built `FROM`, if any.
    pub fn base(&self, stage: usize) -> Option<usize> {
        self.stages.base(stage)
    }

    /// The first stage named `name` (case-insensitive) or numbered `name`, among the stages
    /// before `before` (all when `None`). A map lookup: rules may call it per instruction.
    pub fn stage_named(&self, name: &str, before: Option<usize>) -> Option<usize> {
        self.stages
            .named(name, before.unwrap_or(self.df.stages.len()))
    }

    /// True when a stage before `before` is named `name` (case-insensitive): `FROM name` then
    /// builds on that stage, not on an image.
    pub fn is_stage_name(&self, name: &str, before: usize) -> bool {
        name.parse::<usize>().is_err() && self.stages.named(name, before).is_some()
    }

    /// The stage and its bases within the file, nearest first (at most
    /// [`stages::MAX_BASE_HOPS`] bases: hostile files chain thousands).
    pub fn stage_chain(&self, stage: usize) -> Vec<usize> {
        self.stages.chain(stage)
    }

    /// True when `stage` is `ancestor` or built (directly or not) `FROM` it.
    pub fn descends_from(&self, stage: usize, ancestor: usize) -> bool {
        self.stages.chain(stage).contains(&ancestor)
    }

    /// True when the stage ends up in the final image (instructions before any FROM count as
    /// final).
    pub fn in_final_image(&self, stage: Option<usize>) -> bool {
        self.stages.in_final_image(stage)
    }

    /// The shell analysis of every RUN (shell form, `sh -c` exec form, heredocs), with their
    /// parsed `--mount` flags.
    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// Runs `f` on the ARG/ENV scope in effect when top-level instruction `index` runs (its
    /// own ARG/ENV not yet applied): global ARGs for FROM lines and instructions before the
    /// first FROM, inheritance through `FROM <stage>`, ENV over ARG (see [`scope`]). `None`
    /// for an index past the end. Asking in file order costs time linear in the file.
    pub fn with_scope<R>(&self, index: usize, f: impl FnOnce(&Env) -> R) -> Option<R> {
        self.scopes.with_scope(self.df, &self.stages, index, f)
    }

    /// The value of variable `name` (ENV, or ARG with a value) when instruction `index` runs.
    pub fn var(&self, index: usize, name: &str) -> Option<String> {
        self.with_scope(index, |env| env.get(name).map(str::to_string))
            .flatten()
    }

    /// Expands `word` as BuildKit would at top-level instruction `index`, e.g.
    /// `model.resolve(from_index, "${BASE}:tag")`; `None` for an index past the end.
    pub fn resolve(
        &self,
        index: usize,
        word: &str,
    ) -> Option<Result<String, crate::dockerfile::expand::ExpandError>> {
        self.with_scope(index, |env| {
            env.expand(word, self.df.escape).map(|e| e.value)
        })
    }

    /// The global ARGs (before the first FROM) with their values expanded: the scope of FROM
    /// lines.
    pub fn global_env(&self) -> &Env {
        &self.scopes.globals
    }

    /// The global ARGs as written: name and default value (unexpanded), in file order.
    pub fn global_args(&self) -> &[(String, Option<String>)] {
        &self.scopes.global_args
    }

    /// True when `name` is a global ARG (declared before the first FROM).
    pub fn is_global_arg(&self, name: &str) -> bool {
        self.scopes.global_names.contains(name)
    }

    /// The names the stages `stage` is built `FROM` set with ENV (ARGs end with their stage):
    /// defined when `stage` starts.
    pub fn inherited_env_names(&self, stage: usize) -> BTreeSet<String> {
        scope::inherited_env_names(self.df, &self.stages, stage)
    }

    /// The shell in effect when instruction `index` runs (its own `SHELL` not yet applied).
    pub fn shell(&self, index: usize) -> ShellInEffect<'a> {
        self.shells.get(index).copied().unwrap_or_default()
    }

    /// The words of the `SHELL` in effect when instruction `index` runs (in its stage or the
    /// stages it is built on); `None` for the default `/bin/sh -c`.
    pub fn shell_at(&self, index: usize) -> Option<&'a [Word]> {
        self.shell(index).words
    }
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
        assert_eq!(
            m.shell_at(4),
            None,
            "a SHELL applies from the next instruction on"
        );
        assert_eq!(
            m.shell(5).dialect,
            Some(crate::shell::builtin_checks::Dialect::Bash)
        );
    }

    #[test]
    fn shell_pragma_sets_the_shell_of_stages_without_shell() {
        let df = parse(
            "# hadolint shell=powershell\nFROM windows AS a\nRUN a\nSHELL [\"bash\", \"-c\"]\nFROM a\nRUN b\nFROM debian\nRUN c\n",
        );
        let m = SemanticModel::new(&df);
        // instructions: 0 FROM, 1 RUN a, 2 SHELL, 3 FROM a, 4 RUN b, 5 FROM debian, 6 RUN c
        assert_eq!(m.shell(1).program(), Some("powershell"));
        assert_eq!(m.shell(1).dialect, None);
        assert_eq!(m.shell(4).program(), Some("bash"), "inherited SHELL wins");
        assert_eq!(m.shell(6).program(), Some("powershell"));
    }

    #[test]
    fn scoping() {
        let df = parse(
            "ARG BASE=debian\nARG TAG=12\nFROM ${BASE}:${TAG} AS b\nARG TAG\nENV A=$TAG B=x\nENV C=$A\nRUN x\nFROM b\nRUN y\n",
        );
        assert!(df.errors.is_empty(), "{:?}", df.errors);
        let m = SemanticModel::new(&df);
        let at = |i: usize, word: &str| m.resolve(i, word).and_then(Result::ok);
        assert_eq!(at(2, "${BASE}:${TAG}").as_deref(), Some("debian:12"));
        assert_eq!(at(4, "$A-$TAG").as_deref(), Some("-12"));
        assert_eq!(at(6, "$A $B $C").as_deref(), Some("12 x 12"));
        // Inherited from stage `b`.
        assert_eq!(at(8, "$C").as_deref(), Some("12"));
        // ARGs end with their stage: `b`'s `ARG TAG` is not visible in the child.
        assert_eq!(at(8, "${TAG:-none}").as_deref(), Some("none"));
        // Global ARGs are not visible in a stage without redeclaration.
        assert_eq!(at(8, "${BASE:-none}").as_deref(), Some("none"));
        assert_eq!(
            m.global_args()[0],
            ("BASE".to_string(), Some("debian".to_string()))
        );
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
                // a fresh model computes the scope from the stage's start
                let want = SemanticModel::new(&df)
                    .with_scope(i, Env::clone)
                    .expect("an instruction");
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
