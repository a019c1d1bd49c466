//! Package-manager caches left in the final filesystem.

use super::model::Model;
use super::{CacheFinding, FileKind};

/// Package-manager cache and index directories: the package model's table
/// ([`crate::shell::pkg::MANAGER_DIRS`]), so a directory a rule names is one `dlint image`
/// and the optimizer measure.
pub use crate::shell::pkg::MANAGER_DIRS as CACHE_DIRS;

/// The caches of [`CACHE_DIRS`] that hold regular files in the final filesystem of `m`; the
/// per-user ones (`root/.npm`) in every home under `home/` too (`home/node/.npm`).
pub(crate) fn find_caches(m: &Model) -> Vec<CacheFinding> {
    let homes = m.children("home");
    let mut out = Vec::new();
    for d in CACHE_DIRS {
        out.extend(cache_at(m, d.rel(), d.tool));
        if let Some(rel) = d.home_rel() {
            for home in &homes {
                out.extend(cache_at(m, &format!("{home}/{rel}"), d.tool));
            }
        }
    }
    out
}

/// The regular files under `dir`, when there are any.
fn cache_at(m: &Model, dir: &str, tool: &str) -> Option<CacheFinding> {
    let mut c = CacheFinding {
        path: dir.to_string(),
        tool: tool.to_string(),
        bytes: 0,
        files: 0,
        layers: Vec::new(),
    };
    for (kind, size, layer) in m.under(dir) {
        if matches!(kind, FileKind::File | FileKind::Hardlink) {
            c.bytes += size;
            c.files += 1;
            if !c.layers.contains(&layer) {
                c.layers.push(layer);
            }
        }
    }
    c.layers.sort_unstable();
    (c.bytes > 0).then_some(c)
}
