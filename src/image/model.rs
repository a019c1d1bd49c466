//! The overlay model: applies layer entries the way the container runtime does (whiteouts of
//! lower layers first, then the layer's entries in tar order) and accounts every regular-file
//! byte as visible or wasted.

use super::walk::{Entries, Op};
use super::{FileKind, FsEntry, HiddenBy, LargeFile, WastedPath};
use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// A copy of file data shared by hard links (a regular file plus every link to it).
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub size: u64,
    /// Layer that stored the data.
    pub layer: usize,
    /// Paths of the filesystem still reaching it.
    pub refs: u32,
}

/// Per-layer byte accounting produced by the model.
#[derive(Debug, Default, Clone)]
pub(crate) struct LayerBytes {
    pub added: u64,
    pub overwritten: u64,
    pub removed: u64,
    pub files: u64,
    pub whiteouts: u64,
}

/// The `n` smallest items pushed, in a heap whose top is the one to drop first.
#[derive(Debug)]
struct Smallest<T> {
    n: usize,
    heap: BinaryHeap<T>,
}

impl<T: Ord> Smallest<T> {
    fn new(n: usize) -> Self {
        Smallest {
            n,
            heap: BinaryHeap::new(),
        }
    }

    fn push(&mut self, item: T) {
        if self.heap.len() < self.n {
            self.heap.push(item);
        } else if self.heap.peek().is_some_and(|worst| item < *worst) {
            self.heap.pop();
            self.heap.push(item);
        }
    }

    /// The kept items, smallest first.
    fn into_sorted(self) -> Vec<T> {
        self.heap.into_sorted_vec()
    }
}

impl<T: Ord> Default for Smallest<T> {
    fn default() -> Self {
        Smallest::new(0)
    }
}

/// A hidden copy ordered biggest first, then by path and layers, the order the report lists.
#[derive(Debug)]
struct Ranked(WastedPath);

impl Ranked {
    fn key(&self) -> (Reverse<u64>, &str, usize, usize) {
        let w = &self.0;
        (
            Reverse(w.size),
            w.path.as_str(),
            w.added_layer,
            w.hidden_layer,
        )
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

/// The merged filesystem after applying layers.
#[derive(Debug, Default)]
pub(crate) struct Model {
    /// The merged filesystem. A regular file's entry carries its data's size and layer; a hard
    /// link carries its target's size, and both are in `linked` so the data counts once.
    pub fs: BTreeMap<String, FsEntry>,
    /// Paths that share data through hard links -> their group in `groups`.
    linked: HashMap<String, u32>,
    groups: Vec<Group>,
    /// Bytes of every regular-file copy stored by some layer.
    stored: u64,
    /// Bytes of copies no path of the filesystem reaches any more.
    wasted: u64,
    pub layers: Vec<LayerBytes>,
    /// The biggest stored copies that ended hidden (as many as the report lists).
    hidden: Smallest<Ranked>,
    /// dive-compatible bookkeeping: hash of the path -> (cumulative size, min size, copies).
    /// A 64-bit hash instead of the path keeps this small; a collision among a million paths
    /// has a chance of about 1 in 30 million and would only move dive's informational score.
    pub dive: HashMap<u64, (u64, u64, u32)>,
    /// Where every copy went, by layers and path class (only when the optimizer asks).
    pub ledger: Option<super::ledger::Ledger>,
}

fn path_hash(path: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    path.hash(&mut h);
    h.finish()
}

/// Keys equal to `p` or under `p/`.
fn subtree_keys(fs: &BTreeMap<String, FsEntry>, p: &str) -> Vec<String> {
    let mut keys = Vec::new();
    if fs.contains_key(p) {
        keys.push(p.to_string());
    }
    if p.is_empty() {
        keys.extend(fs.keys().cloned());
        return keys;
    }
    let lo = format!("{p}/");
    let hi = format!("{p}0"); // '0' follows '/'
    keys.extend(fs.range(lo..hi).map(|(k, _)| k.clone()));
    keys
}

impl Model {
    /// An empty model that keeps the `top` biggest hidden copies.
    pub(crate) fn new(top: usize) -> Self {
        Model {
            hidden: Smallest::new(top),
            ..Model::default()
        }
    }

    /// The kept hidden copies, biggest first (ties by path, then layers).
    pub(crate) fn take_hidden(&mut self) -> Vec<WastedPath> {
        std::mem::take(&mut self.hidden)
            .into_sorted()
            .into_iter()
            .map(|r| r.0)
            .collect()
    }

    fn remove(&mut self, path: &str, layer: usize, reason: HiddenBy, counts: &mut LayerBytes) {
        let Some(node) = self.fs.remove(path) else {
            return;
        };
        let (size, added_layer) = match self.linked.remove(path) {
            Some(g) => {
                let Some(group) = self.groups.get_mut(g as usize) else {
                    return;
                };
                group.refs = group.refs.saturating_sub(1);
                if group.refs > 0 {
                    return;
                }
                (group.size, group.layer)
            }
            None if node.kind == FileKind::File => (node.size, node.layer),
            None => return,
        };
        match reason {
            HiddenBy::Overwritten => counts.overwritten += size,
            _ => counts.removed += size,
        }
        self.wasted += size;
        if let Some(l) = &mut self.ledger {
            l.hidden(path, size, added_layer, layer);
        }
        self.hidden.push(Ranked(WastedPath {
            path: path.to_string(),
            size,
            added_layer,
            hidden_layer: layer,
            reason,
        }));
    }

    fn remove_tree(
        &mut self,
        p: &str,
        layer: usize,
        top: HiddenBy,
        below: HiddenBy,
        c: &mut LayerBytes,
    ) {
        for k in subtree_keys(&self.fs, p) {
            let reason = if k == p { top } else { below };
            self.remove(&k, layer, reason, c);
        }
    }

    /// dive's view of a whiteout: the size of the directory it deletes (0 for a file).
    fn dive_whiteout_size(&self, p: &str) -> u64 {
        match self.fs.get(p) {
            // only a directory declared by a tar entry: dive's implicit parents have no
            // file info, so it sizes their whiteouts 0 (checked against dive 0.13)
            Some(n) if n.kind == FileKind::Dir => subtree_keys(&self.fs, p)
                .iter()
                .filter_map(|k| self.fs.get(k))
                .filter(|n| n.kind == FileKind::File)
                .map(|n| n.size)
                .sum(),
            _ => 0,
        }
    }

    fn dive_record(&mut self, path: &str, size: u64) {
        let e = self.dive.entry(path_hash(path)).or_insert((0, u64::MAX, 0));
        e.0 += size;
        e.1 = e.1.min(size);
        e.2 += 1;
    }

    /// Applies one layer. Errors are plain messages; the caller names archive and layer.
    pub(crate) fn apply(&mut self, layer: usize, entries: &Entries) -> Result<(), String> {
        let mut c = LayerBytes::default();
        // dive's leaves: entries with nothing below them in this layer. Every ancestor of every
        // entry goes in the set; going up stops at the first one already there.
        let mut ancestors: HashSet<&str> = HashSet::new();
        for e in entries.iter() {
            let mut p = e.path;
            while let Some((parent, _)) = p.rsplit_once('/') {
                if !ancestors.insert(parent) {
                    break;
                }
                p = parent;
            }
        }
        let has_children = |p: &str| ancestors.contains(p);
        // 1. whiteouts hide lower layers only
        for e in entries.iter() {
            match &e.op {
                Op::Whiteout => {
                    c.whiteouts += 1;
                    let ds = self.dive_whiteout_size(e.path);
                    self.dive_record(e.path, ds);
                    self.remove_tree(
                        e.path,
                        layer,
                        HiddenBy::Whiteout,
                        HiddenBy::DirectoryWhiteout,
                        &mut c,
                    );
                }
                Op::Opaque => {
                    c.whiteouts += 1;
                    let keys = subtree_keys(&self.fs, e.path);
                    for k in keys {
                        if k != e.path {
                            self.remove(&k, layer, HiddenBy::Opaque, &mut c);
                        }
                    }
                }
                _ => {}
            }
        }
        // 2. entries in tar order
        for e in entries.iter() {
            let kind = match &e.op {
                Op::Whiteout | Op::Opaque => continue,
                Op::File(_) => FileKind::File,
                Op::Dir => FileKind::Dir,
                Op::Symlink(_) => FileKind::Symlink,
                Op::Hardlink(_) => FileKind::Hardlink,
                Op::Other => FileKind::Other,
            };
            let tar_size = if let Op::File(s) = e.op { s } else { 0 };
            if kind != FileKind::Dir || !has_children(e.path) {
                self.dive_record(e.path, tar_size);
            }
            if kind != FileKind::Dir {
                c.files += 1;
            }
            // resolve a hard link before anything at its own path is replaced
            let mut link_to: Option<(u32, u64)> = None;
            let mut link_kind = kind;
            if let Op::Hardlink(t) = e.op {
                let target = self.fs.get(t).ok_or_else(|| {
                    format!("hard link {:?} points to missing target {t:?}", e.path)
                })?;
                if matches!(target.kind, FileKind::File | FileKind::Hardlink) {
                    let (size, data_layer) = (target.size, target.layer);
                    let g = match self.linked.get(t) {
                        Some(&g) => g,
                        None => {
                            let g = u32::try_from(self.groups.len())
                                .map_err(|_| "too many hard links".to_string())?;
                            self.groups.push(Group {
                                size,
                                layer: data_layer,
                                refs: 1,
                            });
                            self.linked.insert(t.to_string(), g);
                            g
                        }
                    };
                    if let Some(group) = self.groups.get_mut(g as usize) {
                        group.refs += 1;
                    }
                    link_to = Some((g, size));
                } else {
                    link_kind = target.kind;
                }
            }
            match self.fs.get(e.path).map(|n| n.kind) {
                Some(FileKind::Dir) if kind == FileKind::Dir => {
                    if let Some(n) = self.fs.get_mut(e.path) {
                        n.layer = layer; // re-declared directory: metadata only
                    }
                    continue;
                }
                Some(FileKind::Dir) => self.remove_tree(
                    e.path,
                    layer,
                    HiddenBy::Overwritten,
                    HiddenBy::Overwritten,
                    &mut c,
                ),
                Some(_) => self.remove(e.path, layer, HiddenBy::Overwritten, &mut c),
                None => {}
            }
            let entry = match e.op {
                Op::File(size) => {
                    c.added += size;
                    self.stored += size;
                    FsEntry {
                        kind: FileKind::File,
                        size,
                        layer,
                        link: None,
                    }
                }
                Op::Hardlink(t) => {
                    if let Some((g, _)) = link_to {
                        self.linked.insert(e.path.to_string(), g);
                    }
                    FsEntry {
                        kind: link_kind,
                        size: link_to.map_or(0, |(_, size)| size),
                        layer,
                        link: Some(t.to_string()),
                    }
                }
                Op::Symlink(t) => FsEntry {
                    kind,
                    size: 0,
                    layer,
                    link: Some(t.to_string()),
                },
                _ => FsEntry {
                    kind,
                    size: 0,
                    layer,
                    link: None,
                },
            };
            self.fs.insert(e.path.to_string(), entry);
        }
        self.layers.push(c);
        Ok(())
    }

    /// The `top` largest files of the filesystem, biggest first (ties by path); data shared by
    /// hard links is listed once, at its first path.
    pub(crate) fn largest(&self, top: usize) -> Vec<LargeFile> {
        let mut kept = Smallest::new(top);
        let mut seen = std::collections::HashSet::new();
        for (p, n) in &self.fs {
            if !matches!(n.kind, FileKind::File | FileKind::Hardlink) {
                continue;
            }
            if let Some(g) = self.linked.get(p.as_str())
                && !seen.insert(*g)
            {
                continue;
            }
            kept.push((Reverse(n.size), p.as_str(), n.layer));
        }
        kept.into_sorted()
            .into_iter()
            .map(|(Reverse(size), path, layer)| LargeFile {
                path: path.to_string(),
                size,
                layer,
            })
            .collect()
    }

    /// Records the copies the final filesystem still reaches in the ledger (if any). Data shared
    /// by hard links counts once, in its paths' class when they all have the same one, else
    /// in [`PathClass::Other`](super::ledger::PathClass::Other).
    pub(crate) fn close_ledger(&mut self) -> Option<super::ledger::Ledger> {
        use super::ledger::PathClass;
        let mut ledger = self.ledger.take()?;
        let mut group_class: HashMap<u32, Option<PathClass>> = HashMap::new();
        for (p, g) in &self.linked {
            let c = PathClass::of(p);
            group_class
                .entry(*g)
                .and_modify(|e| {
                    if *e != Some(c) {
                        *e = None;
                    }
                })
                .or_insert(Some(c));
        }
        for (g, c) in group_class {
            if let Some(group) = self.groups.get(g as usize)
                && group.refs > 0
            {
                ledger.visible(c.unwrap_or(PathClass::Other), group.size, group.layer);
            }
        }
        for (p, n) in &self.fs {
            if n.kind == FileKind::File && !self.linked.contains_key(p.as_str()) {
                ledger.visible(PathClass::of(p), n.size, n.layer);
            }
        }
        Some(ledger)
    }

    /// The final filesystem (consumes the model).
    pub(crate) fn into_final_fs(self) -> BTreeMap<String, FsEntry> {
        self.fs
    }

    /// Bytes of stored copies no path of the final filesystem reaches.
    pub(crate) fn wasted_bytes(&self) -> u64 {
        self.wasted
    }

    /// Bytes of all regular-file data stored across layers.
    pub(crate) fn stored_bytes(&self) -> u64 {
        self.stored
    }
}
