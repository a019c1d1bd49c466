//! A second-order saving: apt's binary caches (`var/cache/apt/pkgcache.bin`,
//! `srcpkgcache.bin`) that a later RUN rebuilds are mostly the index of the package lists an
//! earlier RUN left. When the fix of that earlier RUN deletes the lists (DL3009), the later
//! RUN rebuilds its caches from the dpkg status alone: about 3.4 MB instead of 40 MB on Debian
//! 12. That difference is the earlier fix's saving, not the later (manual) cache finding's.
//! Measured on the `purge-after-compile` rebuild (docs/rebuild.md): 36.7 MB.

use super::delivered::Fixable;
use super::{Finding, FixKind, Status};
use crate::image::ImageReport;
use crate::image::ledger::Ledger;

/// apt's two caches built from the dpkg status with no package lists, Debian 12 (apt 2.6):
/// 1,770,511 + 1,594,388 bytes with the 88 packages of bookworm minbase, 1,771,113 +
/// 1,594,388 with 101 (`apt-cache stats` in the rebuild base; the size hardly depends on the
/// number of packages).
pub const STATUS_ONLY_CACHES: u64 = 3_365_000;

/// The two cache files apt rebuilds.
const CACHES: &[&str] = &[
    "var/cache/apt/pkgcache.bin",
    "var/cache/apt/srcpkgcache.bin",
];

/// Moves the part of each manual apt-cache finding that a fixable DL3009 of an earlier RUN
/// removes to that DL3009 finding, and updates `fixable`. Nothing moves when a RUN in between
/// stored lists of its own (an `apt-get update`).
pub(super) fn move_rebuilt_apt_caches(
    findings: &mut [Finding],
    report: &ImageReport,
    ledger: &Ledger,
    fixable: &mut Fixable,
) {
    let lists_stored = |l: usize| {
        ledger
            .cells
            .iter()
            .any(|((added, _, c), t)| *added == l && c.name() == "var/lib/apt/lists" && t.bytes > 0)
    };
    for k in 0..findings.len() {
        let f2 = &findings[k];
        let (Some(l2), Some(b2)) = (f2.layer, f2.bytes) else {
            continue;
        };
        if f2.status != Status::Measured
            || f2.fix != FixKind::Manual
            || !matches!(f2.rule.as_str(), "cache-left" | "DL5005")
        {
            continue;
        }
        let rebuilt: u64 = CACHES
            .iter()
            .filter_map(|p| report.files.get(*p))
            .filter(|f| f.layer == l2)
            .map(|f| f.size)
            .sum();
        let moved = rebuilt.saturating_sub(STATUS_ONLY_CACHES).min(b2);
        if moved == 0 {
            continue;
        }
        let Some(j) = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                f.rule == "DL3009"
                    && f.status == Status::Measured
                    && f.fix != FixKind::Manual
                    && f.layer.is_some_and(|l1| l1 < l2)
            })
            .max_by_key(|(_, f)| f.layer)
            .map(|(j, _)| j)
        else {
            continue;
        };
        let l1 = findings[j].layer.unwrap_or(l2);
        if (l1 + 1..=l2).any(lists_stored) {
            continue;
        }
        let line2 = findings[k].line;
        findings[k].bytes = Some(b2 - moved);
        let f1 = &mut findings[j];
        f1.bytes = Some(f1.bytes.unwrap_or(0) + moved);
        let why = format!(
            "includes {} of apt's caches that line {} rebuilds from these lists: without them \
             it rebuilds about {} from the dpkg status alone",
            crate::units::human(moved),
            line2.map_or("?".to_string(), |l| l.to_string()),
            crate::units::human(STATUS_ONLY_CACHES)
        );
        f1.note = Some(match f1.note.take() {
            Some(n) => format!("{n}; {why}"),
            None => why,
        });
        fixable.manual = fixable.manual.saturating_sub(moved);
        match f1.fix {
            FixKind::Safe => fixable.safe += moved,
            _ => fixable.unsafe_ += moved,
        }
    }
}
