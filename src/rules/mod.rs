//! Every lint rule, one file per rule, grouped by family folders.
//!
//! - `layers`: layer structure (unchained RUN, COPY ordering)
//! - `cache`: leftover package-manager caches
//! - `packages`: package-manager usage (version pins, non-interactive flags)
//! - `shell_usage`: other RUN-body checks (cd, sudo, wget, pipes, comments swallowing commands)
//! - `correctness`: instructions that do not do what they seem to
//! - `best_practice`: FROM tags, exec form, WORKDIR, MAINTAINER, ...
//! - `security`: users, trusted registries, secrets
//! - `labels`: label schema checks

pub mod best_practice;
pub mod cache;
pub mod correctness;
pub mod labels;
pub mod layers;
pub mod packages;
pub mod security;
pub mod shell_usage;

use crate::lint::Rule;

/// Every rule dlint knows, in no particular order.
pub fn all() -> Vec<Box<dyn Rule>> {
    let mut v = Vec::new();
    v.extend(layers::rules());
    v.extend(cache::rules());
    v.extend(packages::rules());
    v.extend(shell_usage::rules());
    v.extend(correctness::rules());
    v.extend(best_practice::rules());
    v.extend(security::rules());
    v.extend(labels::rules());
    v
}
