//! Package-manager caches left in the final filesystem.

use super::model::Model;
use super::{CacheFinding, FileKind};

/// Package-manager cache and index directories: the package model's table
/// ([`crate::shell::pkg::MANAGER_DIRS`]), so a directory a rule names is one `dlint image`
/// and the optimizer measure.
pub use crate::shell::pkg::MANAGER_DIRS as CACHE_DIRS;

/// The caches of [`CACHE_DIRS`] that hold regular files in the final filesystem of `m`.
pub(crate) fn find_caches(m: &Model) -> Vec<CacheFinding> {
    let mut out = Vec::new();
    for d in CACHE_DIRS {
        let dir = d.rel();
        let mut c = CacheFinding {
            path: dir.to_string(),
            tool: d.tool.to_string(),
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
        if c.bytes > 0 {
            c.layers.sort_unstable();
            out.push(c);
        }
    }
    out
}
