//! The stage graph: which earlier stage each stage is built `FROM`, which later stages use it,
//! the build targets and the stages that end up in an image a build produces.

use super::scope::Env;
use crate::dockerfile::{Dockerfile, Instruction, Keyword};
use std::collections::HashMap;

/// Stages followed back through their bases (`FROM <stage>`) when a fact is inherited: hostile
/// files may chain thousands, and following each chain to its root would be quadratic.
pub const MAX_BASE_HOPS: usize = 64;

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

/// The stages of one file and how they use each other.
#[derive(Debug)]
pub(super) struct StageGraph {
    pub(super) facts: Vec<StageFacts>,
    /// Lowercased stage name -> the stages of that name, in order.
    names: HashMap<String, Vec<usize>>,
    /// The stage an explicit build target names, when it names one.
    pub(super) target: Option<usize>,
}

impl StageGraph {
    /// The graph of `df` for a build of `target` (see [`StageFacts::in_final_image`]); `globals`
    /// expands the FROM lines.
    pub(super) fn new(df: &Dockerfile, target: Option<&str>, globals: &Env) -> Self {
        let mut names: HashMap<String, Vec<usize>> = HashMap::new();
        for st in &df.stages {
            if let Some(n) = &st.name {
                names
                    .entry(n.to_ascii_lowercase())
                    .or_default()
                    .push(st.index);
            }
        }
        let target = target.and_then(|t| match t.parse::<usize>() {
            Ok(k) => (k < df.stages.len()).then_some(k),
            Err(_) => names
                .get(&t.to_ascii_lowercase())
                .and_then(|v| v.first())
                .copied(),
        });
        StageGraph {
            facts: stage_facts(df, target, globals),
            names,
            target,
        }
    }

    /// The stage whose image a build produces: the explicit target, else the last stage.
    pub(super) fn final_stage(&self) -> Option<usize> {
        self.target.or_else(|| self.facts.len().checked_sub(1))
    }

    /// The earlier stage `stage` is built `FROM`, if any.
    pub(super) fn base(&self, stage: usize) -> Option<usize> {
        self.facts.get(stage).and_then(|s| s.base)
    }

    /// The first stage named `name` (case-insensitive) or numbered `name`, among the stages
    /// before `limit`.
    pub(super) fn named(&self, name: &str, limit: usize) -> Option<usize> {
        if let Ok(n) = name.parse::<usize>() {
            return (n < limit).then_some(n);
        }
        let first = *self.names.get(&name.to_ascii_lowercase())?.first()?;
        (first < limit).then_some(first)
    }

    /// The stage and its bases within the file, nearest first (at most [`MAX_BASE_HOPS`]
    /// bases).
    pub(super) fn chain(&self, stage: usize) -> Vec<usize> {
        let mut out = vec![stage];
        let mut cur = stage;
        while let Some(p) = self.base(cur) {
            if out.len() > MAX_BASE_HOPS || out.contains(&p) {
                break;
            }
            out.push(p);
            cur = p;
        }
        out
    }

    /// True when the stage ends up in an image (instructions before any FROM count as such).
    pub(super) fn in_final_image(&self, stage: Option<usize>) -> bool {
        match stage {
            Some(s) => self.facts.get(s).is_none_or(|f| f.in_final_image),
            None => true,
        }
    }
}

/// The stage graph: bases, dependants, targets and the stages of the images a build produces
/// (of `target`'s image only, when it names a stage). Linear in the file: stage names are
/// looked up in a map of the stages defined so far.
fn stage_facts(df: &Dockerfile, target: Option<usize>, globals: &Env) -> Vec<StageFacts> {
    let n = df.stages.len();
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
    let ends: Vec<usize> = match target {
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
