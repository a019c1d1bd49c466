//! What installing a package writes besides its own files, which goes too when the package is
//! not installed: debconf's database (`var/cache/debconf/*.dat` and their `-old` copies, 1.5
//! MB on Debian 12, rewritten by the install of any package that ships debconf templates) and
//! the files its maintainer scripts generate in directories only it (and other dropped
//! packages) own (`etc/ssl/certs/ca-certificates.crt`, made by ca-certificates' trigger).
//! Measured on the `dl3015-recommends` rebuild (docs/rebuild.md): 1.8 MB of the 3.9 MB the
//! fix realized.

use crate::image::{FileKind, ImageReport};
use std::collections::{BTreeSet, HashSet};

/// debconf's database, rewritten whole by an install that registers templates.
const DEBCONF_DIR: &str = "var/cache/debconf/";

/// Does the dpkg database hold a file of `pkg` with this extension (`templates`)?
fn has_info(report: &ImageReport, pkg: &str, ext: &str) -> bool {
    let plain = format!("var/lib/dpkg/info/{pkg}.{ext}");
    let prefix = format!("var/lib/dpkg/info/{pkg}:");
    report.files.contains_key(&plain)
        || report
            .files
            .range(prefix.clone()..format!("{prefix}\u{10ffff}"))
            .any(|(p, _)| p.ends_with(&format!(".{ext}")))
}

/// The paths the packages list, split by whether they are dropped (no leading `/`, resolved
/// through top-level symlinks).
pub(super) struct Listed {
    /// Listed by a dropped package.
    pub dropped: BTreeSet<String>,
    /// Listed by any other installed package.
    pub others: HashSet<String>,
}

/// Visible bytes `layer` stored that installing `dropped` (packages of that layer's RUN) wrote
/// besides their own files, each path once across calls (`counted`). `kept` are the other
/// packages the same layer installed.
pub(super) fn rewritten_by(
    report: &ImageReport,
    layer: usize,
    dropped: &[&str],
    kept: &[&str],
    listed: &Listed,
    counted: &mut HashSet<String>,
) -> u64 {
    if dropped.is_empty() {
        return 0;
    }
    let mut total = 0;
    let take = |p: &str, counted: &mut HashSet<String>| -> u64 {
        match report.files.get(p) {
            Some(f) if f.layer == layer && f.kind == FileKind::File && counted.insert(p.into()) => {
                f.size
            }
            _ => 0,
        }
    };
    // debconf rewrites its database when a package with templates is installed: if only the
    // dropped packages of this RUN have templates, the layer's copies go with them
    let templates = |n: &&str| has_info(report, n, "templates");
    if dropped.iter().any(templates) && !kept.iter().any(templates) {
        let hi = format!("{DEBCONF_DIR}\u{10ffff}");
        let paths: Vec<String> = report
            .files
            .range(DEBCONF_DIR.to_string()..hi)
            .map(|(p, _)| p.clone())
            .collect();
        for p in paths {
            total += take(&p, counted);
        }
    }
    // files no package lists, in a directory only dropped packages list
    let theirs = listed
        .dropped
        .iter()
        .filter(|p| {
            report
                .files
                .get(*p)
                .is_some_and(|f| f.kind == FileKind::Dir)
        })
        .filter(|p| !listed.others.contains(*p) && p.split('/').count() >= 3);
    for dir in theirs {
        let lo = format!("{dir}/");
        let hi = format!("{dir}0");
        let paths: Vec<String> = report
            .files
            .range(lo..hi)
            .filter(|(p, _)| !p[dir.len() + 1..].contains('/'))
            .filter(|(p, _)| !listed.dropped.contains(*p) && !listed.others.contains(*p))
            .map(|(p, _)| p.clone())
            .collect();
        for p in paths {
            total += take(&p, counted);
        }
    }
    total
}
