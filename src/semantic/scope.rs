//! ARG/ENV scopes with BuildKit's rules: global ARGs (declared before the first FROM) are the
//! scope of FROM lines; inside a stage the scope starts from the ENV of its base when that is an
//! earlier stage (ARGs end with their stage), an `ARG NAME` without default imports the global
//! value, and ENV wins over ARG of the same name.

pub use crate::dockerfile::expand::Env;

use super::stages::{MAX_BASE_HOPS, StageGraph};
use crate::dockerfile::{Dockerfile, InstructionKind, KeyValue};
use crate::shell::run::Declared;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The variable scopes of one file.
#[derive(Debug)]
pub(super) struct Scopes {
    /// The global ARGs with their values expanded: the scope of FROM lines.
    pub(super) globals: Env,
    /// The global ARGs as written: name and default value (unexpanded), in order.
    pub(super) global_args: Vec<(String, Option<String>)>,
    /// The names of the global ARGs.
    pub(super) global_names: HashSet<String>,
    /// The last scope computed inside a stage: (stage, position in the stage's instructions,
    /// scope there). Rules ask in file order, so the next scope of that stage continues from
    /// it instead of starting at the FROM again, and no scope is stored per instruction: time
    /// linear in the instructions, memory one scope (a file of thousands of ENV lines would
    /// otherwise hold thousands of copies of a growing scope).
    cursor: RefCell<Option<(usize, usize, Env)>>,
    /// Per stage: name -> (instruction index, value needs no quoting), in file order.
    declared: Vec<HashMap<String, Vec<(usize, Declared)>>>,
    /// Build arguments (`--build-arg`, compose/bake `args`): the value of every ARG of that
    /// name, in place of its default.
    build_args: BuildArgs,
}

/// Build arguments by name (`docker build --build-arg NAME=VALUE`).
pub type BuildArgs = std::collections::BTreeMap<String, String>;

impl Scopes {
    /// The scopes of `df` (global ARGs now, stage scopes when asked for).
    pub(super) fn new(df: &Dockerfile) -> Self {
        Self::with_build_args(df, BuildArgs::new())
    }

    /// [`Scopes::new`] for a build given `build_args`: a declared ARG takes the build
    /// argument's value instead of its default (an undeclared one stays invisible, as in
    /// BuildKit).
    pub(super) fn with_build_args(df: &Dockerfile, build_args: BuildArgs) -> Self {
        let mut globals = Env::default();
        let mut global_args = Vec::new();
        for ins in &df.instructions {
            match &ins.kind {
                InstructionKind::From { .. } => break,
                InstructionKind::Arg(kvs) => {
                    apply_arg(df, &mut globals, None, &build_args, kvs);
                    global_args.extend(kvs.iter().map(|kv| {
                        (
                            kv.key.value.clone(),
                            kv.value.as_ref().map(|v| v.value.clone()),
                        )
                    }));
                }
                _ => {}
            }
        }
        Scopes {
            globals,
            global_names: global_args.iter().map(|(k, _)| k.clone()).collect(),
            global_args,
            cursor: RefCell::new(None),
            declared: declared_names(df),
            build_args,
        }
    }

    /// Runs `f` on the scope in effect when top-level instruction `index` runs (its own ARG/ENV
    /// not yet applied); `None` for an index past the end.
    pub(super) fn with_scope<R>(
        &self,
        df: &Dockerfile,
        graph: &StageGraph,
        index: usize,
        f: impl FnOnce(&Env) -> R,
    ) -> Option<R> {
        let inst = df.instructions.get(index)?;
        let globals = &self.globals;
        let args = &self.build_args;
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
            let mut env = stage_start_env(df, graph, stage, globals, args);
            for &i in order.get(..pos).unwrap_or(&[]) {
                apply_scope(df, &mut env, i, globals, args);
            }
            return Some(f(&env));
        };
        let (from, mut env) = match cursor.take() {
            Some((s, p, env)) if s == stage && p <= pos => (p, env),
            _ => (0, stage_start_env(df, graph, stage, globals, args)),
        };
        for &i in order.get(from..pos).unwrap_or(&[]) {
            apply_scope(df, &mut env, i, globals, args);
        }
        let (_, _, env) = cursor.insert((stage, pos, env));
        Some(f(env))
    }

    /// How `name` is declared (ARG/ENV) before instruction `index` of `stage` or in the stages
    /// it is built on: whether its value needs no quoting, and whether it is a list of plain
    /// words.
    pub(super) fn declared(
        &self,
        graph: &StageGraph,
        stage: usize,
        index: usize,
        name: &str,
    ) -> Option<Declared> {
        let mut limit = index;
        for s in graph.chain(stage) {
            if let Some(decls) = self.declared.get(s).and_then(|m| m.get(name)) {
                let pos = decls.partition_point(|(i, _)| *i < limit);
                if let Some((_, declared)) = pos.checked_sub(1).and_then(|p| decls.get(p)) {
                    return Some(*declared);
                }
            }
            limit = usize::MAX;
        }
        None
    }
}

/// The names the stages `stage` is built `FROM` set with ENV (ARGs end with their stage):
/// defined when `stage` starts.
pub(super) fn inherited_env_names(
    df: &Dockerfile,
    graph: &StageGraph,
    stage: usize,
) -> BTreeSet<String> {
    graph
        .chain(stage)
        .into_iter()
        .skip(1)
        .filter_map(|s| df.stages.get(s))
        .flat_map(|s| s.instructions.iter())
        .filter_map(|&i| match df.instructions.get(i).map(|ins| &ins.kind) {
            Some(InstructionKind::Env(kvs)) => Some(kvs),
            _ => None,
        })
        .flatten()
        .map(|kv| kv.key.value.clone())
        .collect()
}

/// Per stage, the ARG/ENV names it declares: name -> (instruction, how).
fn declared_names(df: &Dockerfile) -> Vec<HashMap<String, Vec<(usize, Declared)>>> {
    df.stages
        .iter()
        .map(|stage| {
            let mut names: HashMap<String, Vec<(usize, Declared)>> = HashMap::new();
            for &i in &stage.instructions {
                if let Some(InstructionKind::Arg(pairs) | InstructionKind::Env(pairs)) =
                    df.instructions.get(i).map(|x| &x.kind)
                {
                    for kv in pairs {
                        let literal = kv
                            .value
                            .as_ref()
                            .is_none_or(|v| !v.value.contains([' ', '\t', '\n', '*', '?', '[']));
                        let list = kv
                            .value
                            .as_ref()
                            .is_some_and(|v| !v.value.contains(['*', '?', '[', '$', '`']));
                        names
                            .entry(kv.key.value.clone())
                            .or_default()
                            .push((i, Declared { literal, list }));
                    }
                }
            }
            names
        })
        .collect()
}

/// Applies one ARG instruction: its values are expanded in the environment from before it
/// (computed first, then inserted), `ARG NAME` without default imports the global value; a
/// build argument of that name wins over both.
fn apply_arg(
    df: &Dockerfile,
    env: &mut Env,
    globals: Option<&Env>,
    build_args: &BuildArgs,
    kvs: &[KeyValue],
) {
    let values: Vec<(String, Option<String>)> = kvs
        .iter()
        .map(|kv| {
            let name = kv.key.value.clone();
            if let Some(v) = build_args.get(&name) {
                return (name, Some(v.clone()));
            }
            let value = match &kv.raw_value {
                Some(raw) => Some(
                    env.expand(raw, df.escape)
                        .map(|e| e.value)
                        .unwrap_or_else(|_| raw.clone()),
                ),
                None => globals.and_then(|g| g.args.get(&name)).cloned(),
            };
            (name, value)
        })
        .collect();
    for (name, value) in values {
        if let Some(v) = value {
            env.args.insert(name, v);
        }
    }
}

/// Applies one ENV instruction, its values expanded in the environment from before it.
fn apply_env(df: &Dockerfile, env: &mut Env, kvs: &[KeyValue]) {
    let values: Vec<(String, String)> = kvs
        .iter()
        .map(|kv| {
            let raw = kv.raw_value.clone().unwrap_or_default();
            let v = env.expand(&raw, df.escape).map(|e| e.value).unwrap_or(raw);
            (kv.key.value.clone(), v)
        })
        .collect();
    env.env.extend(values);
}

/// Applies top-level instruction `index` to `env` if it is an ARG or ENV of a stage
/// (`globals` for `ARG NAME` without default).
fn apply_scope(df: &Dockerfile, env: &mut Env, index: usize, globals: &Env, args: &BuildArgs) {
    match df.instructions.get(index).map(|ins| &ins.kind) {
        Some(InstructionKind::Arg(kvs)) => apply_arg(df, env, Some(globals), args, kvs),
        Some(InstructionKind::Env(kvs)) => apply_env(df, env, kvs),
        _ => {}
    }
}

/// The environment a stage starts with, right after its FROM: the ENV its bases within the file
/// set (at most [`MAX_BASE_HOPS`] of them; ARGs end with their stage), otherwise empty (the
/// base image's ENV is unknown).
fn stage_start_env(
    df: &Dockerfile,
    graph: &StageGraph,
    stage: usize,
    globals: &Env,
    args: &BuildArgs,
) -> Env {
    let chain = graph.chain(stage);
    let mut env = HashMap::new();
    for &s in chain.iter().skip(1).take(MAX_BASE_HOPS).rev() {
        let mut scope = Env {
            args: HashMap::new(),
            env,
        };
        for &i in df
            .stages
            .get(s)
            .map(|st| &st.instructions[..])
            .unwrap_or(&[])
        {
            apply_scope(df, &mut scope, i, globals, args);
        }
        env = scope.env;
    }
    Env {
        args: HashMap::new(),
        env,
    }
}
