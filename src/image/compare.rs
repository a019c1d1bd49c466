//! The comparison of two analysed images (`dlint compare A B`): totals side by side with the
//! difference and the ratio, shared layers, size by directory, packages, largest changed files,
//! caches, and the `--max-growth` gate.
//!
//! The comparison works on [`Side`], a small summary of one analysed image, so it can be built
//! and tested without archives.

pub mod base;
mod growth;
pub mod pair;
mod side;

pub use base::{BaseSplit, DockerfileHint, SideBase, load_sides_with_bases};
pub use growth::{Growth, GrowthCheck};
pub use side::{Side, SideCache, SideLayer};

use crate::image::packages::{Ecosystem, LangPackage, OsPackage, PackageDb};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap};

/// One figure for both sides.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Delta {
    /// Baseline value.
    pub a: u64,
    /// Candidate value.
    pub b: u64,
    /// `b - a`.
    pub diff: i64,
    /// `b / a`, absent when `a` is 0.
    pub ratio: Option<f64>,
}

impl Delta {
    /// The delta between `a` and `b`.
    pub fn new(a: u64, b: u64) -> Self {
        let diff = (i128::from(b) - i128::from(a)).clamp(i64::MIN.into(), i64::MAX.into()) as i64;
        let ratio = (a != 0).then(|| b as f64 / a as f64);
        Delta { a, b, diff, ratio }
    }
}

/// Efficiency of both sides (fractions 0..=1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FloatDelta {
    /// Baseline.
    pub a: f64,
    /// Candidate.
    pub b: f64,
    /// `b - a`.
    pub diff: f64,
}

/// Image totals side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    /// Sum of compressed layer blobs.
    pub compressed: Delta,
    /// Sum of uncompressed layer tars (the stored size).
    pub uncompressed: Delta,
    /// Visible bytes of the final filesystem.
    pub visible: Delta,
    /// Number of layers.
    pub layers: Delta,
    /// Regular files in the final filesystem.
    pub files: Delta,
    /// Wasted bytes.
    pub wasted: Delta,
    /// Efficiency.
    pub efficiency: FloatDelta,
}

/// A layer in the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerRow {
    /// Index in its image, bottom first.
    pub index: usize,
    /// diff_id.
    pub diff_id: String,
    /// Compressed size.
    pub compressed: u64,
    /// Uncompressed size.
    pub uncompressed: u64,
    /// Entries.
    pub files: u64,
    /// Creating instruction.
    pub created_by: String,
    /// True when the other image has a layer with the same diff_id.
    pub shared: bool,
}

/// Layers of both images.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layers {
    /// Baseline layers.
    pub a: Vec<LayerRow>,
    /// Candidate layers.
    pub b: Vec<LayerRow>,
    /// Number of distinct diff_ids present in both.
    pub shared: usize,
    /// Uncompressed bytes of the shared layers (counted once).
    pub shared_bytes: u64,
    /// Number of leading layers identical in both (the common base).
    pub common_prefix: usize,
}

/// Size of one directory in both images.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirRow {
    /// Directory (`/usr/lib`), or `/` for files directly in the root.
    pub path: String,
    /// Bytes of regular files under it, both sides.
    #[serde(flatten)]
    pub size: Delta,
}

/// A package present in only one image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PackageRow {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Installed bytes, when known.
    pub size: Option<u64>,
}

/// A package present in both with different versions (or sizes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangedPackage {
    /// Name.
    pub name: String,
    /// Baseline version.
    pub a_version: String,
    /// Candidate version.
    pub b_version: String,
    /// Baseline size.
    pub a_size: Option<u64>,
    /// Candidate size.
    pub b_size: Option<u64>,
}

/// OS packages of both images.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OsPackages {
    /// Database read on the baseline side.
    pub a_db: Option<PackageDb>,
    /// Database read on the candidate side.
    pub b_db: Option<PackageDb>,
    /// Package count and summed installed size per side.
    pub count: Delta,
    /// Sum of the known installed sizes.
    pub size: Delta,
    /// Only in the baseline, by name.
    pub only_a: Vec<PackageRow>,
    /// Only in the candidate, by name.
    pub only_b: Vec<PackageRow>,
    /// In both with a different version, by name.
    pub changed: Vec<ChangedPackage>,
    /// In both with the same version.
    pub same: usize,
    /// What was not read (rpm, …), per side, prefixed `A:`/`B:`.
    pub notes: Vec<String>,
}

/// Language packages of one ecosystem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LangPackages {
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Package count per side.
    pub count: Delta,
    /// Summed bytes per side.
    pub bytes: Delta,
    /// Only in the baseline.
    pub only_a: Vec<PackageRow>,
    /// Only in the candidate.
    pub only_b: Vec<PackageRow>,
    /// Different versions.
    pub changed: Vec<ChangedPackage>,
    /// Same version in both.
    pub same: usize,
}

/// A file in the final filesystem of one side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileRow {
    /// Path with a leading `/`.
    pub path: String,
    /// Size.
    pub size: u64,
    /// Layer index that made it visible.
    pub layer: usize,
}

/// A path in both final filesystems with different sizes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangedFile {
    /// Path with a leading `/`.
    pub path: String,
    /// Sizes.
    #[serde(flatten)]
    pub size: Delta,
}

/// Files of both final filesystems.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Files {
    /// Count and bytes of files only in the baseline.
    pub only_a_count: u64,
    /// Bytes of files only in the baseline.
    pub only_a_bytes: u64,
    /// Count of files only in the candidate.
    pub only_b_count: u64,
    /// Bytes of files only in the candidate.
    pub only_b_bytes: u64,
    /// Paths in both with different sizes.
    pub changed_count: u64,
    /// Paths in both with the same size.
    pub same_count: u64,
    /// Largest files only in the baseline (top N).
    pub only_a: Vec<FileRow>,
    /// Largest files only in the candidate (top N).
    pub only_b: Vec<FileRow>,
    /// Changed files with the largest absolute difference (top N).
    pub changed: Vec<ChangedFile>,
}

/// Caches left in each image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Caches {
    /// Total cache bytes.
    pub bytes: Delta,
    /// Baseline caches.
    pub a: Vec<SideCache>,
    /// Candidate caches.
    pub b: Vec<SideCache>,
}

/// The comparison of a baseline (A) and a candidate (B).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Baseline label.
    pub a: String,
    /// Candidate label.
    pub b: String,
    /// True when both images have the same layers (diff_ids) in the same order: identical
    /// filesystem content, whatever the archive format or compression.
    pub identical_content: bool,
    /// Totals.
    pub totals: Totals,
    /// The base image of each side and the split of the difference (see [`base`]).
    pub base: BaseSplit,
    /// Layers.
    pub layers: Layers,
    /// Directory depth used for [`Comparison::directories`].
    pub depth: usize,
    /// Size by directory, sorted by absolute difference (largest first), then by the larger
    /// size and path; directories holding no bytes in either image are left out.
    pub directories: Vec<DirRow>,
    /// OS packages.
    pub os_packages: OsPackages,
    /// Language packages per ecosystem present in either image.
    pub lang_packages: Vec<LangPackages>,
    /// Files.
    pub files: Files,
    /// Caches.
    pub caches: Caches,
}

/// Options of [`compare`].
#[derive(Debug, Clone, Copy)]
pub struct CompareOptions {
    /// Directory depth for the size-by-directory table (1 = top level).
    pub depth: usize,
    /// Rows kept in the largest-files lists.
    pub top: usize,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions { depth: 1, top: 10 }
    }
}

/// The directory of `path` cut at `depth` components (`usr/lib/x/y`, 2 -> `/usr/lib`); files
/// shallower than `depth` count for their parent directory, files in the root for `/`.
fn dir_at_depth(path: &str, depth: usize) -> String {
    let comps: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    let dirs = comps.len().saturating_sub(1).min(depth);
    if dirs == 0 {
        return "/".to_string();
    }
    let mut s = String::new();
    for c in comps.iter().take(dirs) {
        s.push('/');
        s.push_str(c);
    }
    s
}

fn dir_sizes(side: &Side, depth: usize) -> HashMap<String, u64> {
    let mut m: HashMap<String, u64> = HashMap::new();
    for (p, (size, _)) in &side.files {
        *m.entry(dir_at_depth(p, depth)).or_default() += size;
    }
    m
}

fn layer_rows(side: &Side, other: &BTreeSet<&str>) -> Vec<LayerRow> {
    side.layers
        .iter()
        .enumerate()
        .map(|(index, l)| LayerRow {
            index,
            diff_id: l.diff_id.clone(),
            compressed: l.compressed,
            uncompressed: l.uncompressed,
            files: l.files,
            created_by: l.created_by.clone(),
            shared: other.contains(l.diff_id.as_str()),
        })
        .collect()
}

/// The `n` smallest keys offered (a key starts with its `lead`), kept in a heap whose top is
/// the one to drop first; a key is built only when its lead can enter.
struct Top<K> {
    n: usize,
    heap: BinaryHeap<K>,
}

/// A key whose first part orders it before the rest.
trait Lead {
    fn lead(&self) -> Reverse<u64>;
}

impl<T: Ord> Lead for (Reverse<u64>, String, T) {
    fn lead(&self) -> Reverse<u64> {
        self.0
    }
}

impl<T: Ord, U: Ord> Lead for (Reverse<u64>, String, T, U) {
    fn lead(&self) -> Reverse<u64> {
        self.0
    }
}

impl<K: Ord + Lead> Top<K> {
    fn new(n: usize) -> Self {
        Top {
            n,
            heap: BinaryHeap::new(),
        }
    }

    fn offer(&mut self, lead: Reverse<u64>, make: impl FnOnce() -> K) {
        if self.heap.len() < self.n {
            self.heap.push(make());
            return;
        }
        let Some(worst) = self.heap.peek() else {
            return; // n == 0
        };
        if lead > worst.lead() {
            return;
        }
        let k = make();
        if k < *worst {
            self.heap.pop();
            self.heap.push(k);
        }
    }

    /// The kept keys, smallest first.
    fn into_sorted(self) -> Vec<K> {
        self.heap.into_sorted_vec()
    }
}

fn slash(p: &str) -> String {
    format!("/{}", p.trim_start_matches('/'))
}

/// Compares package lists keyed by name: (only_a, only_b, changed, same).
fn diff_packages(
    a: &BTreeMap<String, PackageRow>,
    b: &BTreeMap<String, PackageRow>,
) -> (Vec<PackageRow>, Vec<PackageRow>, Vec<ChangedPackage>, usize) {
    let only_a = a
        .iter()
        .filter(|(k, _)| !b.contains_key(*k))
        .map(|(_, v)| v.clone())
        .collect();
    let only_b = b
        .iter()
        .filter(|(k, _)| !a.contains_key(*k))
        .map(|(_, v)| v.clone())
        .collect();
    let mut changed = Vec::new();
    let mut same = 0;
    for (k, pa) in a {
        let Some(pb) = b.get(k) else { continue };
        if pa.version == pb.version {
            same += 1;
        } else {
            changed.push(ChangedPackage {
                name: pa.name.clone(),
                a_version: pa.version.clone(),
                b_version: pb.version.clone(),
                a_size: pa.size,
                b_size: pb.size,
            });
        }
    }
    (only_a, only_b, changed, same)
}

fn os_rows(pkgs: Option<&[OsPackage]>) -> BTreeMap<String, PackageRow> {
    pkgs.unwrap_or_default()
        .iter()
        .map(|p| {
            let row = PackageRow {
                name: p.name.clone(),
                version: p.version.clone(),
                size: p.size,
            };
            (p.name.clone(), row)
        })
        .collect()
}

/// Language packages of one ecosystem keyed by key; several copies of one package (nested
/// node_modules) merge into one row with their versions joined by `, ` and bytes summed.
fn lang_rows(pkgs: &[LangPackage], eco: Ecosystem) -> BTreeMap<String, PackageRow> {
    let mut m: BTreeMap<String, (String, BTreeSet<String>, Option<u64>)> = BTreeMap::new();
    for p in pkgs.iter().filter(|p| p.ecosystem == eco) {
        let e = m
            .entry(p.key.clone())
            .or_insert_with(|| (p.name.clone(), BTreeSet::new(), None));
        e.1.insert(p.version.clone());
        if let Some(b) = p.bytes {
            e.2 = Some(e.2.unwrap_or(0) + b);
        }
    }
    m.into_iter()
        .map(|(k, (name, versions, size))| {
            let version = versions.into_iter().collect::<Vec<_>>().join(", ");
            (
                k,
                PackageRow {
                    name,
                    version,
                    size,
                },
            )
        })
        .collect()
}

fn sum_sizes(rows: &BTreeMap<String, PackageRow>) -> u64 {
    rows.values().filter_map(|r| r.size).sum()
}

/// Opens both inputs (in parallel) and analyses them together: layers present in both (same
/// diff_id) are decoded once (see [`pair`]).
pub fn load_sides(
    a: &std::path::Path,
    b: &std::path::Path,
    open_a: &crate::image::OpenOptions,
    open_b: &crate::image::OpenOptions,
    opts: &crate::image::AnalyzeOptions,
) -> Result<(Side, Side), crate::image::ImageError> {
    let (ia, ib) = rayon::join(
        || crate::image::open(a, open_a),
        || crate::image::open(b, open_b),
    );
    let (ia, ib) = (ia?, ib?);
    // the reports' per-path maps are not built: each side's files come from its model
    let opts = crate::image::AnalyzeOptions {
        files: false,
        ..opts.clone()
    };
    let [(ra, fa), (rb, fb)] = pair::analyze_pair_side_files(&ia, &ib, &opts)?;
    let side_a = Side::from_parts(a.display().to_string(), &ra, fa);
    drop(ra);
    Ok((side_a, Side::from_parts(b.display().to_string(), &rb, fb)))
}

/// Compares a baseline `a` with a candidate `b`.
pub fn compare(a: &Side, b: &Side, opts: &CompareOptions) -> Comparison {
    let depth = opts.depth.max(1);
    let ids_a: BTreeSet<&str> = a.layers.iter().map(|l| l.diff_id.as_str()).collect();
    let ids_b: BTreeSet<&str> = b.layers.iter().map(|l| l.diff_id.as_str()).collect();
    let shared_ids: BTreeSet<&str> = ids_a.intersection(&ids_b).copied().collect();
    let shared_bytes = shared_ids
        .iter()
        .filter_map(|id| a.layers.iter().find(|l| l.diff_id == *id))
        .map(|l| l.uncompressed)
        .sum();
    let common_prefix = a
        .layers
        .iter()
        .zip(&b.layers)
        .take_while(|(x, y)| x.diff_id == y.diff_id)
        .count();
    let identical_content = a.layers.len() == b.layers.len() && common_prefix == a.layers.len();

    let totals = Totals {
        compressed: Delta::new(a.compressed, b.compressed),
        uncompressed: Delta::new(a.uncompressed, b.uncompressed),
        visible: Delta::new(a.visible, b.visible),
        layers: Delta::new(a.layers.len() as u64, b.layers.len() as u64),
        files: Delta::new(a.file_count, b.file_count),
        wasted: Delta::new(a.wasted, b.wasted),
        efficiency: FloatDelta {
            a: a.efficiency,
            b: b.efficiency,
            diff: b.efficiency - a.efficiency,
        },
    };

    // Directories.
    let (da, db) = (dir_sizes(a, depth), dir_sizes(b, depth));
    let keys: BTreeSet<&String> = da.keys().chain(db.keys()).collect();
    let mut directories: Vec<DirRow> = keys
        .into_iter()
        .map(|k| DirRow {
            path: k.clone(),
            size: Delta::new(
                da.get(k).copied().unwrap_or(0),
                db.get(k).copied().unwrap_or(0),
            ),
        })
        .filter(|d| d.size.a != 0 || d.size.b != 0)
        .collect();
    directories.sort_by(|x, y| {
        y.size
            .diff
            .unsigned_abs()
            .cmp(&x.size.diff.unsigned_abs())
            .then_with(|| (y.size.a.max(y.size.b)).cmp(&x.size.a.max(x.size.b)))
            .then_with(|| x.path.cmp(&y.path))
    });

    // OS packages.
    let oa = a.packages.os.as_ref();
    let ob = b.packages.os.as_ref();
    let ra = os_rows(oa.map(|o| o.packages.as_slice()));
    let rb = os_rows(ob.map(|o| o.packages.as_slice()));
    let (only_a, only_b, changed, same) = diff_packages(&ra, &rb);
    let mut notes: Vec<String> = a.packages.notes.iter().map(|n| format!("A: {n}")).collect();
    notes.extend(b.packages.notes.iter().map(|n| format!("B: {n}")));
    let os_packages = OsPackages {
        a_db: oa.map(|o| o.db),
        b_db: ob.map(|o| o.db),
        count: Delta::new(ra.len() as u64, rb.len() as u64),
        size: Delta::new(sum_sizes(&ra), sum_sizes(&rb)),
        only_a,
        only_b,
        changed,
        same,
        notes,
    };

    // Language packages.
    let ecos: BTreeSet<Ecosystem> = a
        .packages
        .lang
        .iter()
        .chain(&b.packages.lang)
        .map(|p| p.ecosystem)
        .collect();
    let lang_packages = ecos
        .into_iter()
        .map(|eco| {
            let la = lang_rows(&a.packages.lang, eco);
            let lb = lang_rows(&b.packages.lang, eco);
            let (only_a, only_b, changed, same) = diff_packages(&la, &lb);
            LangPackages {
                ecosystem: eco,
                count: Delta::new(la.len() as u64, lb.len() as u64),
                bytes: Delta::new(sum_sizes(&la), sum_sizes(&lb)),
                only_a,
                only_b,
                changed,
                same,
            }
        })
        .collect();

    // Files.
    let mut files = Files {
        only_a_count: 0,
        only_a_bytes: 0,
        only_b_count: 0,
        only_b_bytes: 0,
        changed_count: 0,
        same_count: 0,
        only_a: Vec::new(),
        only_b: Vec::new(),
        changed: Vec::new(),
    };
    // the biggest rows only: a path string is made only for a row that can enter the lists
    let mut only_a = Top::new(opts.top);
    let mut changed = Top::new(opts.top);
    for (p, &(size, layer)) in &a.files {
        match b.files.get(p) {
            None => {
                files.only_a_count += 1;
                files.only_a_bytes += size;
                only_a.offer(Reverse(size), || (Reverse(size), slash(p), layer));
            }
            Some(&(bsize, _)) if bsize != size => {
                files.changed_count += 1;
                let d = Delta::new(size, bsize);
                let lead = Reverse(d.diff.unsigned_abs());
                changed.offer(lead, || (lead, slash(p), size, bsize));
            }
            Some(_) => files.same_count += 1,
        }
    }
    let mut only_b = Top::new(opts.top);
    for (p, &(size, layer)) in &b.files {
        if !a.files.contains_key(p) {
            files.only_b_count += 1;
            files.only_b_bytes += size;
            only_b.offer(Reverse(size), || (Reverse(size), slash(p), layer));
        }
    }
    let rows = |t: Top<(Reverse<u64>, String, usize)>| -> Vec<FileRow> {
        t.into_sorted()
            .into_iter()
            .map(|(Reverse(size), path, layer)| FileRow { path, size, layer })
            .collect()
    };
    let (only_a, only_b) = (rows(only_a), rows(only_b));
    let changed: Vec<ChangedFile> = changed
        .into_sorted()
        .into_iter()
        .map(|(_, path, a, b)| ChangedFile {
            path,
            size: Delta::new(a, b),
        })
        .collect();
    files.only_a = only_a;
    files.only_b = only_b;
    files.changed = changed;

    let caches = Caches {
        bytes: Delta::new(
            a.caches.iter().map(|c| c.bytes).sum(),
            b.caches.iter().map(|c| c.bytes).sum(),
        ),
        a: a.caches.clone(),
        b: b.caches.clone(),
    };

    Comparison {
        a: a.label.clone(),
        b: b.label.clone(),
        identical_content,
        totals,
        base: base::split(a, b),
        layers: Layers {
            a: layer_rows(a, &ids_b),
            b: layer_rows(b, &ids_a),
            shared: shared_ids.len(),
            shared_bytes,
            common_prefix,
        },
        depth,
        directories,
        os_packages,
        lang_packages,
        files,
        caches,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(id: &str, size: u64, by: &str) -> SideLayer {
        SideLayer {
            diff_id: id.into(),
            compressed: size / 2,
            uncompressed: size,
            files: 1,
            created_by: by.into(),
        }
    }

    fn side(label: &str, layers: Vec<SideLayer>, files: &[(&str, u64, usize)]) -> Side {
        Side {
            label: label.into(),
            compressed: layers.iter().map(|l| l.compressed).sum(),
            uncompressed: layers.iter().map(|l| l.uncompressed).sum(),
            layers,
            file_count: files.len() as u64,
            files: files
                .iter()
                .map(|(p, s, l)| (p.to_string(), (*s, *l)))
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn layers_dirs_files() {
        let a = side(
            "a",
            vec![
                layer("sha256:base", 1000, "base"),
                layer("sha256:a1", 500, "RUN a"),
            ],
            &[
                ("etc/os", 10, 0),
                ("usr/lib/x", 300, 0),
                ("usr/bin/a", 200, 1),
                ("top", 5, 0),
            ],
        );
        let b = side(
            "b",
            vec![
                layer("sha256:base", 1000, "base"),
                layer("sha256:b1", 900, "RUN b"),
            ],
            &[
                ("etc/os", 10, 0),
                ("usr/lib/x", 350, 1),
                ("usr/bin/b", 600, 1),
                ("top", 5, 0),
            ],
        );
        let c = compare(&a, &b, &CompareOptions { depth: 1, top: 10 });
        assert!(!c.identical_content);
        assert_eq!(c.totals.uncompressed, Delta::new(1500, 1900));
        assert_eq!(c.totals.uncompressed.diff, 400);
        assert_eq!(c.layers.shared, 1);
        assert_eq!(c.layers.shared_bytes, 1000);
        assert_eq!(c.layers.common_prefix, 1);
        assert!(c.layers.a[0].shared && !c.layers.a[1].shared && !c.layers.b[1].shared);
        let dirs: Vec<_> = c
            .directories
            .iter()
            .map(|d| (d.path.as_str(), d.size.a, d.size.b))
            .collect();
        assert_eq!(
            dirs,
            vec![("/usr", 500, 950), ("/etc", 10, 10), ("/", 5, 5)]
        );
        assert_eq!((c.files.only_a_count, c.files.only_a_bytes), (1, 200));
        assert_eq!((c.files.only_b_count, c.files.only_b_bytes), (1, 600));
        assert_eq!((c.files.changed_count, c.files.same_count), (1, 2));
        assert_eq!(c.files.changed[0].path, "/usr/lib/x");
        assert_eq!(c.files.changed[0].size.diff, 50);
        let c2 = compare(&a, &b, &CompareOptions { depth: 2, top: 10 });
        let dirs: Vec<_> = c2.directories.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(dirs, vec!["/usr/bin", "/usr/lib", "/etc", "/"]);
        assert!(compare(&a, &a, &CompareOptions::default()).identical_content);
    }

    #[test]
    fn growth_parse_and_gate() {
        assert_eq!("5%".parse::<Growth>(), Ok(Growth::Percent(5.0)));
        assert_eq!("20MB".parse::<Growth>(), Ok(Growth::Bytes(20_000_000)));
        assert_eq!(
            "1.5 GiB".parse::<Growth>(),
            Ok(Growth::Bytes(1_610_612_736))
        );
        assert_eq!("4096".parse::<Growth>(), Ok(Growth::Bytes(4096)));
        assert!("5 parsecs".parse::<Growth>().is_err());
        assert!("-5%".parse::<Growth>().is_err());
        assert!("".parse::<Growth>().is_err());
        let a = side("a", vec![layer("sha256:1", 1000, "x")], &[]);
        let b = side("b", vec![layer("sha256:2", 1060, "y")], &[]);
        let c = compare(&a, &b, &CompareOptions::default());
        assert!(GrowthCheck::check(&c, Growth::Percent(5.0)).exceeded);
        assert!(!GrowthCheck::check(&c, Growth::Percent(6.0)).exceeded);
        assert!(GrowthCheck::check(&c, Growth::Bytes(59)).exceeded);
        assert!(!GrowthCheck::check(&c, Growth::Bytes(60)).exceeded);
        let shrink = compare(&b, &a, &CompareOptions::default());
        assert!(!GrowthCheck::check(&shrink, Growth::Bytes(0)).exceeded);
        assert!(!GrowthCheck::check(&shrink, Growth::Percent(0.0)).exceeded);
    }

    #[test]
    fn dir_depth() {
        assert_eq!(dir_at_depth("a", 1), "/");
        assert_eq!(dir_at_depth("a/b", 1), "/a");
        assert_eq!(dir_at_depth("a/b/c/d", 2), "/a/b");
        assert_eq!(dir_at_depth("a/b", 3), "/a");
    }
}
