//! The facts of the base image of each stage built `FROM` an image (not a stage, not
//! `scratch`), when a [`Resolver`] knows them. Without facts every stage has `None` and the
//! rules behave as they always did.

use super::scope::Scopes;
use super::stages::StageGraph;
use crate::dockerfile::Dockerfile;
use crate::image::base::{BaseFacts, Resolver};
use std::sync::Arc;

/// The base-image facts of every stage, by stage index.
#[derive(Debug, Default)]
pub struct StageBases {
    facts: Vec<Option<Arc<BaseFacts>>>,
}

/// No facts for any stage.
pub(super) static NONE: StageBases = StageBases { facts: Vec::new() };

impl StageBases {
    /// The facts of the images `df`'s stages are built on, looked up with `resolver` (FROM
    /// expanded with the global ARGs, `--platform` when it has a value without variables).
    pub fn resolve(df: &Dockerfile, resolver: &Resolver) -> StageBases {
        if !resolver.is_active() {
            return StageBases::default();
        }
        let scopes = Scopes::new(df);
        let graph = StageGraph::new(df, None, &scopes.globals);
        let wanted: Vec<Option<(String, Option<String>)>> = df
            .stages
            .iter()
            .enumerate()
            .map(|(i, st)| {
                if graph.base(i).is_some() {
                    return None;
                }
                let image = scopes.globals.expand(&st.base.raw, df.escape).ok()?;
                if !image.unset.is_empty()
                    || image.value.is_empty()
                    || image.value.eq_ignore_ascii_case("scratch")
                {
                    return None;
                }
                let platform = df
                    .instructions
                    .get(st.from)
                    .and_then(|f| f.flag_value("platform"))
                    .and_then(|p| scopes.globals.expand(p, df.escape).ok())
                    .filter(|p| p.unset.is_empty() && !p.value.is_empty())
                    .map(|p| p.value);
                Some((image.value, platform))
            })
            .collect();
        // the images are looked up in parallel: a file with several bases waits for the
        // slowest lookup, not for their sum
        use rayon::prelude::*;
        let facts = wanted
            .par_iter()
            .map(|w| {
                let (image, platform) = w.as_ref()?;
                resolver.facts(image, platform.as_deref())
            })
            .collect();
        StageBases { facts }
    }

    /// Facts given directly, by stage index (for tests and callers that resolved them).
    pub fn from_facts(facts: Vec<Option<Arc<BaseFacts>>>) -> StageBases {
        StageBases { facts }
    }

    /// The facts of the image stage `stage` is built `FROM` (not following stage bases).
    pub(super) fn get(&self, stage: usize) -> Option<&BaseFacts> {
        self.facts.get(stage)?.as_deref()
    }

    /// True when no stage has facts.
    pub fn is_empty(&self) -> bool {
        self.facts.iter().all(Option::is_none)
    }
}
