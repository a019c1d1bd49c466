//! Registry-wide scans: many images analysed one after the other (`dlint image --from-file`),
//! each summarised on one JSON line ([`Summary`]); the references split between N workers by a
//! stable hash ([`Shard`]); and the lines of every worker combined into one report
//! ([`merge()`]). The scheduling is left to the engine people already run (a CI matrix, a
//! Kubernetes Indexed Job): see docs/registry-scans.md.

mod merge;
mod shard;
mod summary;

pub use merge::{Fleet, FleetCache, FleetImage, SharedLayer, merge, parse_lines};
pub use shard::{Shard, read_refs};
pub use summary::{Summary, SummaryCache, SummaryLayer};
