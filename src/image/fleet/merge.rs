//! `dlint merge`: the summary lines of every worker of a scan, combined into one report.

use super::summary::{SCHEMA, Summary};
use serde::Serialize;
use std::collections::BTreeMap;

/// The combined report of a registry-wide scan. Independent of how the images were split
/// between workers and of the order of the lines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fleet {
    /// Images analysed.
    pub images: usize,
    /// Images that could not be analysed: (reference, error), by reference.
    pub failed: Vec<(String, String)>,
    /// Sum of the images' blobs (shared layers counted in every image).
    pub compressed_size: u64,
    /// Sum of the images' uncompressed sizes.
    pub uncompressed_size: u64,
    /// Sum of the images' wasted bytes.
    pub wasted_bytes: u64,
    /// Largest images (uncompressed), biggest first.
    pub largest: Vec<FleetImage>,
    /// Images wasting the most bytes, most first.
    pub most_wasted: Vec<FleetImage>,
    /// Caches left in the images, by directory and tool, most bytes first.
    pub caches: Vec<FleetCache>,
    /// Layers found in several images (base layers), most bytes saved by sharing first.
    pub shared_layers: Vec<SharedLayer>,
}

/// An image in a top list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FleetImage {
    /// Reference.
    pub reference: String,
    /// Uncompressed size.
    pub uncompressed_size: u64,
    /// Wasted bytes.
    pub wasted_bytes: u64,
    /// Visible / stored bytes.
    pub efficiency: f64,
}

/// One cache directory across the images that left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FleetCache {
    /// Directory (no leading `/`).
    pub path: String,
    /// Tool owning it.
    pub tool: String,
    /// Images that have it.
    pub images: usize,
    /// Bytes in it, summed over those images.
    pub bytes: u64,
}

/// A layer (by diff_id) in more than one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharedLayer {
    /// Uncompressed digest.
    pub diff_id: String,
    /// Images that have it.
    pub images: usize,
    /// Its uncompressed size.
    pub uncompressed_size: u64,
    /// Its blob size.
    pub compressed_size: u64,
    /// Bytes a registry or node stores once instead of `images` times (uncompressed):
    /// `uncompressed_size * (images - 1)`.
    pub saved_bytes: u64,
    /// The first image (by reference) that has it.
    pub example: String,
}

/// The summary lines of `text` (one JSON object per line, blank lines skipped); `name` for
/// errors.
pub fn parse_lines(name: &str, text: &str) -> Result<Vec<Summary>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let s: Summary = serde_json::from_str(line)
            .map_err(|e| format!("{name}:{}: not a summary line: {e}", n + 1))?;
        if s.schema != SCHEMA {
            return Err(format!(
                "{name}:{}: schema {:?}, expected {SCHEMA:?}",
                n + 1,
                s.schema
            ));
        }
        out.push(s);
    }
    Ok(out)
}

/// Combines summaries into the report, `top` rows per list. A reference listed twice counts
/// once (its first line in reference order).
pub fn merge(mut lines: Vec<Summary>, top: usize) -> Fleet {
    lines.sort_by(|a, b| a.reference.cmp(&b.reference));
    lines.dedup_by(|b, a| a.reference == b.reference);
    let (failed, ok): (Vec<Summary>, Vec<Summary>) =
        lines.into_iter().partition(|s| s.error.is_some());
    let row = |s: &Summary| FleetImage {
        reference: s.reference.clone(),
        uncompressed_size: s.uncompressed_size,
        wasted_bytes: s.wasted_bytes,
        efficiency: s.efficiency,
    };
    let mut largest: Vec<FleetImage> = ok.iter().map(row).collect();
    largest.sort_by_key(|i| std::cmp::Reverse(i.uncompressed_size));
    largest.truncate(top);
    let mut most_wasted: Vec<FleetImage> =
        ok.iter().filter(|s| s.wasted_bytes > 0).map(row).collect();
    most_wasted.sort_by_key(|i| std::cmp::Reverse(i.wasted_bytes));
    most_wasted.truncate(top);

    let mut caches: BTreeMap<(String, String), FleetCache> = BTreeMap::new();
    let mut layers: BTreeMap<String, SharedLayer> = BTreeMap::new();
    for s in &ok {
        for c in &s.caches {
            let e = caches
                .entry((c.path.clone(), c.tool.clone()))
                .or_insert_with(|| FleetCache {
                    path: c.path.clone(),
                    tool: c.tool.clone(),
                    images: 0,
                    bytes: 0,
                });
            e.images += 1;
            e.bytes = e.bytes.saturating_add(c.bytes);
        }
        let mut seen = std::collections::HashSet::new();
        for l in &s.layers {
            if !seen.insert(&l.diff_id) {
                continue; // a layer twice in one image counts once
            }
            let e = layers
                .entry(l.diff_id.clone())
                .or_insert_with(|| SharedLayer {
                    diff_id: l.diff_id.clone(),
                    images: 0,
                    uncompressed_size: l.uncompressed_size,
                    compressed_size: l.compressed_size,
                    saved_bytes: 0,
                    example: s.reference.clone(),
                });
            e.images += 1;
        }
    }
    let mut caches: Vec<FleetCache> = caches.into_values().collect();
    caches.sort_by_key(|c| std::cmp::Reverse(c.bytes));
    caches.truncate(top);
    let mut shared: Vec<SharedLayer> = layers
        .into_values()
        .filter(|l| l.images > 1)
        .map(|mut l| {
            l.saved_bytes = l.uncompressed_size.saturating_mul(l.images as u64 - 1);
            l
        })
        .collect();
    shared.sort_by_key(|l| std::cmp::Reverse(l.saved_bytes));
    shared.truncate(top);
    Fleet {
        images: ok.len(),
        failed: failed
            .into_iter()
            .map(|s| (s.reference, s.error.unwrap_or_default()))
            .collect(),
        compressed_size: ok.iter().map(|s| s.compressed_size).sum(),
        uncompressed_size: ok.iter().map(|s| s.uncompressed_size).sum(),
        wasted_bytes: ok.iter().map(|s| s.wasted_bytes).sum(),
        largest,
        most_wasted,
        caches,
        shared_layers: shared,
    }
}

#[cfg(test)]
mod tests {
    use super::super::summary::{SummaryCache, SummaryLayer};
    use super::*;

    fn line(r: &str, size: u64, wasted: u64, layers: &[(&str, u64)]) -> Summary {
        let mut s = Summary::failed(r, String::new());
        s.error = None;
        s.uncompressed_size = size;
        s.wasted_bytes = wasted;
        s.caches = vec![SummaryCache {
            path: "var/cache/apt".into(),
            tool: "apt".into(),
            bytes: wasted / 2,
        }];
        s.layers = layers
            .iter()
            .map(|(d, n)| SummaryLayer {
                diff_id: d.to_string(),
                compressed_size: n / 2,
                uncompressed_size: *n,
            })
            .collect();
        s
    }

    #[test]
    fn merge_is_order_independent_and_ranks() {
        let lines = vec![
            line("r/a", 300, 10, &[("base", 200), ("a", 100)]),
            line("r/b", 500, 40, &[("base", 200), ("b", 300)]),
            line("r/c", 100, 0, &[("other", 100)]),
            Summary::failed("r/d", "no such image".into()),
            line("r/a", 300, 10, &[("base", 200), ("a", 100)]),
        ];
        let f = merge(lines.clone(), 10);
        let mut rev = lines;
        rev.reverse();
        assert_eq!(f, merge(rev, 10));
        assert_eq!(f.images, 3);
        assert_eq!(f.failed, [("r/d".to_string(), "no such image".to_string())]);
        assert_eq!(f.uncompressed_size, 900);
        let names = |v: &[FleetImage]| v.iter().map(|i| i.reference.clone()).collect::<Vec<_>>();
        assert_eq!(names(&f.largest), ["r/b", "r/a", "r/c"]);
        assert_eq!(names(&f.most_wasted), ["r/b", "r/a"]);
        assert_eq!(f.shared_layers.len(), 1);
        assert_eq!(f.shared_layers[0].diff_id, "base");
        assert_eq!(
            (f.shared_layers[0].images, f.shared_layers[0].saved_bytes),
            (2, 200)
        );
        assert_eq!((f.caches[0].images, f.caches[0].bytes), (3, 25));
        assert_eq!(merge(Vec::new(), 1).images, 0);
    }

    #[test]
    fn lines_are_checked() {
        let good = serde_json::to_string(&line("r/a", 1, 0, &[])).unwrap();
        assert_eq!(
            parse_lines("x", &format!("{good}\n\n{good}\n"))
                .unwrap()
                .len(),
            2
        );
        let e = parse_lines("x.jsonl", &format!("{good}\n{{\"a\":1}}\n")).unwrap_err();
        assert!(e.starts_with("x.jsonl:2:"), "{e}");
        let other = good.replace(SCHEMA, "other/1");
        assert!(parse_lines("x", &other).unwrap_err().contains("schema"));
    }
}
