//! Whether a `WORKDIR` is in effect at each instruction: set earlier in its stage, or
//! inherited from a stage it is built on (`FROM base`, at most [`MAX_BASE_HOPS`] stages up, as
//! [`StageGraph::chain`] follows them). One pass over the file: the stages of a chain come
//! before the stage built on them, so each stage's distance to the nearest base with a WORKDIR
//! extends its base's.

use super::stages::{MAX_BASE_HOPS, StageGraph};
use crate::dockerfile::{Dockerfile, Keyword};

/// By instruction index: a WORKDIR is in effect before the instruction runs. Instructions
/// before any FROM count a WORKDIR among them.
pub(super) fn workdir_set(df: &Dockerfile, stages: &StageGraph) -> Vec<bool> {
    let count = df.stages.len();
    let mut has = vec![false; count];
    for inst in &df.instructions {
        if inst.keyword == Keyword::Workdir
            && let Some(s) = inst.stage
            && let Some(h) = has.get_mut(s)
        {
            *h = true;
        }
    }
    // hops to the nearest base stage with a WORKDIR (`None`: none within reach)
    let mut hops: Vec<Option<usize>> = vec![None; count];
    for s in 0..count {
        hops[s] = match stages.base(s) {
            Some(p) if p < s && has[p] => Some(1),
            Some(p) if p < s => hops[p].map(|h| h + 1),
            _ => None,
        };
    }
    let mut seen = vec![false; count];
    let mut before_from = false;
    df.instructions
        .iter()
        .map(|inst| {
            let set = match inst.stage {
                Some(s) => {
                    let inherited = hops
                        .get(s)
                        .copied()
                        .flatten()
                        .is_some_and(|h| h <= MAX_BASE_HOPS);
                    inherited || seen.get(s).copied().unwrap_or(false)
                }
                None => before_from,
            };
            if inst.keyword == Keyword::Workdir {
                match inst.stage.and_then(|s| seen.get_mut(s)) {
                    Some(w) => *w = true,
                    None => before_from = true,
                }
            }
            set
        })
        .collect()
}
