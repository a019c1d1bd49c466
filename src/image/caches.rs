//! Package-manager caches left in the final filesystem.

use super::model::Model;
use super::{CacheFinding, FileKind};

/// Package-manager cache directories: (path, tool).
pub const CACHE_DIRS: &[(&str, &str)] = &[
    ("var/lib/apt/lists", "apt"),
    ("var/cache/apt", "apt"),
    ("var/cache/apk", "apk"),
    ("etc/apk/cache", "apk"),
    ("root/.cache/pip", "pip"),
    ("root/.npm", "npm"),
    ("usr/local/share/.cache/yarn", "yarn"),
    ("root/.cache/yarn", "yarn"),
    ("root/.yarn/berry/cache", "yarn"),
    ("root/.local/share/pnpm/store", "pnpm"),
    ("root/.cache/go-build", "go"),
    ("root/go/pkg/mod/cache", "go"),
    ("go/pkg/mod/cache", "go"),
    ("var/cache/dnf", "dnf"),
    ("var/cache/yum", "yum"),
    ("var/cache/zypp", "zypper"),
    ("root/.gem", "gem"),
    ("usr/local/bundle/cache", "bundler"),
    ("root/.cache/composer", "composer"),
    ("root/.composer/cache", "composer"),
    ("opt/conda/pkgs", "conda"),
    ("root/.conda/pkgs", "conda"),
    ("root/.cargo/registry", "cargo"),
    ("usr/local/cargo/registry", "cargo"),
    ("root/.m2/repository", "maven"),
    ("root/.gradle/caches", "gradle"),
    ("root/.cache/uv", "uv"),
];

/// The caches of [`CACHE_DIRS`] that hold regular files in the final filesystem of `m`.
pub(crate) fn find_caches(m: &Model) -> Vec<CacheFinding> {
    let mut out = Vec::new();
    for (dir, tool) in CACHE_DIRS {
        let mut c = CacheFinding {
            path: (*dir).to_string(),
            tool: (*tool).to_string(),
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
