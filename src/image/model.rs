//! The overlay model: applies layer entries the way the container runtime does (whiteouts of
//! lower layers first, then the layer's entries in tar order) and accounts every regular-file
//! byte as visible or wasted.

use super::paths::PathTree;
use super::walk::{Entries, Op};
use super::{Change, FileKind, FsEntry, HiddenBy, LargeFile, LayerFile, WastedPath};
use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};

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

/// A `BTreeMap` filled from unsorted pairs in sorted chunks, each merged in with
/// [`BTreeMap::append`] (which rebuilds the map with full nodes, freeing the old ones as it
/// goes): no list of every pair is held beside the map, and the nodes end full (inserting one by
/// one leaves them about half full).
#[derive(Debug)]
pub(crate) struct ChunkedMap<V> {
    map: BTreeMap<String, V>,
    chunk: Vec<(String, V)>,
}

impl<V> Default for ChunkedMap<V> {
    fn default() -> Self {
        ChunkedMap {
            map: BTreeMap::new(),
            chunk: Vec::new(),
        }
    }
}

impl<V> ChunkedMap<V> {
    const CHUNK: usize = 1 << 16;

    /// Adds a pair (a later pair with the same key replaces it).
    pub(crate) fn push(&mut self, k: String, v: V) {
        self.chunk.push((k, v));
        if self.chunk.len() >= Self::CHUNK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let mut sorted: BTreeMap<String, V> = self.chunk.drain(..).collect();
        self.map.append(&mut sorted);
    }

    /// The map.
    pub(crate) fn finish(mut self) -> BTreeMap<String, V> {
        self.flush();
        self.map
    }
}

/// dive's figures summed over paths: (sum of the smallest copy of each path, sum of all
/// copies, sum of the copies of paths with more than one).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct DiveSums {
    pub min: u64,
    pub cum: u64,
    pub wasted: u64,
}

/// The merged filesystem after applying layers.
#[derive(Debug)]
pub(crate) struct Model {
    /// Every path seen; the present ones are the merged filesystem. A regular file's node
    /// carries its data's size and layer; a hard link carries its target's size, and both are
    /// in `linked` so the data counts once.
    tree: PathTree,
    /// Symlink and hard-link targets of present nodes.
    links: HashMap<u32, Box<str>>,
    /// Nodes that share data through hard links -> their group in `groups`.
    linked: HashMap<u32, u32>,
    groups: Vec<Group>,
    /// Bytes of every regular-file copy stored by some layer.
    stored: u64,
    /// Bytes of copies no path of the filesystem reaches any more.
    wasted: u64,
    pub layers: Vec<LayerBytes>,
    /// The biggest stored copies that ended hidden (as many as the report lists).
    hidden: Smallest<Ranked>,
    /// dive-compatible bookkeeping, kept as running sums (each node holds its path's figure).
    dive: DiveSums,
    /// Where every copy went, by layers and path class (only when the optimizer asks).
    pub ledger: Option<super::ledger::Ledger>,
    /// What each applied layer added, modified and removed (only when asked for, see
    /// [`Model::record_changes`]).
    pub changes: Option<Vec<Vec<LayerFile>>>,
    /// Mode of the last entry at each node id (kept only after [`Model::keep_modes`]; empty
    /// otherwise): what the file lists and the final filesystem report.
    modes: Option<Vec<u16>>,
}

impl Default for Model {
    fn default() -> Self {
        Model::new(0)
    }
}

impl Model {
    /// An empty model that keeps the `top` biggest hidden copies.
    pub(crate) fn new(top: usize) -> Self {
        Model {
            tree: PathTree::new(),
            links: HashMap::new(),
            linked: HashMap::new(),
            groups: Vec::new(),
            stored: 0,
            wasted: 0,
            layers: Vec::new(),
            hidden: Smallest::new(top),
            dive: DiveSums::default(),
            ledger: None,
            changes: None,
            modes: None,
        }
    }

    /// Makes [`Model::apply`] keep every path's mode (for the file lists and the final
    /// filesystem's entries): two bytes per path.
    pub(crate) fn keep_modes(&mut self) {
        self.modes.get_or_insert_with(Vec::new);
    }

    /// Mode of node `id`'s last entry (0 when modes are not kept).
    fn mode(&self, id: u32) -> u32 {
        self.modes
            .as_ref()
            .and_then(|m| m.get(id as usize))
            .map_or(0, |&m| u32::from(m))
    }

    /// Keeps `mode` as node `id`'s mode, when modes are kept.
    fn set_mode(&mut self, id: u32, mode: u16) {
        if let Some(modes) = &mut self.modes {
            let i = id as usize;
            if modes.len() <= i {
                modes.resize(i + 1, 0);
            }
            modes[i] = mode;
        }
    }

    /// Makes [`Model::apply`] record every layer's file list in [`Model::changes`].
    /// A removed path's record carries the mode it had, so this keeps modes too.
    pub(crate) fn record_changes(&mut self) {
        self.changes = Some(Vec::new());
        self.keep_modes();
    }

    /// Records `change` of the present node `id` in the list of the layer being applied.
    fn note(&mut self, id: u32, change: Change) {
        // every present node came from an entry, whose mode was kept while recording
        let mode = self.mode(id);
        let Some(changes) = &mut self.changes else {
            return;
        };
        let Some(n) = self.tree.get(id).filter(|n| n.present()) else {
            return;
        };
        let (kind, size) = (n.kind(), n.size());
        if let Some(list) = changes.last_mut() {
            list.push(LayerFile {
                path: self.tree.path(id),
                kind,
                size,
                mode,
                change,
            });
        }
    }

    /// Records every present path under `id` (and `id` itself when `with_top`) as removed.
    fn note_removed_under(&mut self, id: u32, with_top: bool) {
        if self.changes.is_none() {
            return;
        }
        let ids: Vec<u32> = self
            .tree
            .subtree(id)
            .into_iter()
            .map(|(_, k)| k)
            .filter(|&k| with_top || k != id)
            .collect();
        for k in ids {
            self.note(k, Change::Removed);
        }
    }

    /// Bytes reserved by the per-path state (the path tree, link targets, hard-link groups
    /// and kept modes), from the containers' capacities.
    #[cfg(test)]
    pub(crate) fn heap_bytes(&self) -> usize {
        let map_entry = |k: usize| k + 1; // hashbrown: the pair plus one control byte
        self.tree.heap_bytes()
            + self.links.capacity() * map_entry(4 + 16)
            + self.links.values().map(|t| t.len()).sum::<usize>()
            + self.linked.capacity() * map_entry(8)
            + self.groups.capacity() * std::mem::size_of::<Group>()
            + self.modes.as_ref().map_or(0, |m| m.capacity() * 2)
    }

    /// The kept hidden copies, biggest first (ties by path, then layers).
    pub(crate) fn take_hidden(&mut self) -> Vec<WastedPath> {
        std::mem::take(&mut self.hidden)
            .into_sorted()
            .into_iter()
            .map(|r| r.0)
            .collect()
    }

    /// dive's sums over every path.
    pub(crate) fn dive_sums(&self) -> DiveSums {
        self.dive
    }

    fn remove(&mut self, id: u32, layer: usize, reason: HiddenBy, counts: &mut LayerBytes) {
        let Some(&node) = self.tree.get(id).filter(|n| n.present()) else {
            return;
        };
        self.tree.clear(id);
        self.links.remove(&id);
        let (size, added_layer) = match self.linked.remove(&id) {
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
            None if node.kind() == FileKind::File => (node.size(), usize::from(node.layer)),
            None => return,
        };
        match reason {
            HiddenBy::Overwritten => counts.overwritten += size,
            _ => counts.removed += size,
        }
        self.wasted += size;
        let path = self.tree.path(id);
        if let Some(l) = &mut self.ledger {
            l.hidden(&path, size, added_layer, layer);
        }
        self.hidden.push(Ranked(WastedPath {
            path,
            size,
            added_layer,
            hidden_layer: layer,
            reason,
        }));
    }

    /// Removes `id` (reason `top`) and everything under it (`below`), in path order.
    fn remove_tree(
        &mut self,
        id: u32,
        layer: usize,
        top: HiddenBy,
        below: HiddenBy,
        c: &mut LayerBytes,
    ) {
        for (_, k) in self.tree.subtree(id) {
            let reason = if k == id { top } else { below };
            self.remove(k, layer, reason, c);
        }
    }

    /// dive's view of a whiteout: the size of the directory it deletes (0 for a file).
    fn dive_whiteout_size(&self, p: &str) -> u64 {
        match self.tree.get_present(p) {
            // only a directory declared by a tar entry: dive's implicit parents have no
            // file info, so it sizes their whiteouts 0 (checked against dive 0.13)
            Some((id, n)) if n.kind() == FileKind::Dir => {
                let mut sum = 0;
                self.tree.descendants(id, |_, n| {
                    if n.present() && n.kind() == FileKind::File {
                        sum += n.size();
                    }
                });
                sum
            }
            _ => 0,
        }
    }

    fn dive_record(&mut self, id: u32, size: u64) {
        let d = &mut self.dive;
        d.cum += size;
        let (before, old) = self.tree.dive_record(id, size);
        match before {
            0 => d.min += size,
            n => {
                d.min -= old - old.min(size);
                d.wasted += if n == 1 { old + size } else { size };
            }
        }
    }

    /// Applies one layer. Errors are plain messages; the caller names archive and layer.
    pub(crate) fn apply(&mut self, layer: usize, entries: &Entries) -> Result<(), String> {
        let layer16 = u16::try_from(layer).map_err(|_| format!("more than {} layers", u16::MAX))?;
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
        if let Some(changes) = &mut self.changes {
            changes.push(Vec::new());
        }
        // 1. whiteouts hide lower layers only
        for e in entries.iter() {
            match &e.op {
                Op::Whiteout => {
                    c.whiteouts += 1;
                    let ds = self.dive_whiteout_size(e.path);
                    let id = self.tree.intern(e.path)?;
                    self.dive_record(id, ds);
                    self.note_removed_under(id, true);
                    self.remove_tree(
                        id,
                        layer,
                        HiddenBy::Whiteout,
                        HiddenBy::DirectoryWhiteout,
                        &mut c,
                    );
                }
                Op::Opaque => {
                    c.whiteouts += 1;
                    if let Some(dir) = self.tree.find(e.path) {
                        self.note_removed_under(dir, false);
                        for (_, k) in self.tree.subtree(dir) {
                            if k != dir {
                                self.remove(k, layer, HiddenBy::Opaque, &mut c);
                            }
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
            let id = self.tree.intern(e.path)?;
            let tar_size = if let Op::File(s) = e.op { s } else { 0 };
            if kind != FileKind::Dir || !has_children(e.path) {
                self.dive_record(id, tar_size);
            }
            if kind != FileKind::Dir {
                c.files += 1;
            }
            // resolve a hard link before anything at its own path is replaced
            let mut link_to: Option<(u32, u64)> = None;
            let mut link_kind = kind;
            if let Op::Hardlink(t) = e.op {
                let (tid, target) = self.tree.get_present(t).ok_or_else(|| {
                    format!("hard link {:?} points to missing target {t:?}", e.path)
                })?;
                let target = *target;
                if matches!(target.kind(), FileKind::File | FileKind::Hardlink) {
                    let (size, data_layer) = (target.size(), usize::from(target.layer));
                    let g = match self.linked.get(&tid) {
                        Some(&g) => g,
                        None => {
                            let g = u32::try_from(self.groups.len())
                                .map_err(|_| "too many hard links".to_string())?;
                            self.groups.push(Group {
                                size,
                                layer: data_layer,
                                refs: 1,
                            });
                            self.linked.insert(tid, g);
                            g
                        }
                    };
                    if let Some(group) = self.groups.get_mut(g as usize) {
                        group.refs += 1;
                    }
                    link_to = Some((g, size));
                } else {
                    link_kind = target.kind();
                }
            }
            let before = self.tree.get(id).filter(|n| n.present()).map(|n| n.kind());
            let mode = u16::try_from(e.mode & super::walk::MODE_BITS).unwrap_or(0);
            match before {
                Some(FileKind::Dir) if kind == FileKind::Dir => {
                    self.tree.set_layer(id, layer16); // re-declared directory: metadata only
                    self.set_mode(id, mode);
                    continue;
                }
                Some(FileKind::Dir) => {
                    self.note_removed_under(id, false);
                    self.remove_tree(
                        id,
                        layer,
                        HiddenBy::Overwritten,
                        HiddenBy::Overwritten,
                        &mut c,
                    )
                }
                Some(_) => self.remove(id, layer, HiddenBy::Overwritten, &mut c),
                None => {}
            }
            match e.op {
                Op::File(size) => {
                    c.added += size;
                    self.stored += size;
                    self.tree.set(id, FileKind::File, size, layer16);
                }
                Op::Hardlink(t) => {
                    if let Some((g, _)) = link_to {
                        self.linked.insert(id, g);
                    }
                    let size = link_to.map_or(0, |(_, size)| size);
                    self.tree.set(id, link_kind, size, layer16);
                    self.links.insert(id, t.into());
                }
                Op::Symlink(t) => {
                    self.tree.set(id, kind, 0, layer16);
                    self.links.insert(id, t.into());
                }
                _ => self.tree.set(id, kind, 0, layer16),
            }
            self.set_mode(id, mode);
            let change = if before.is_some() {
                Change::Modified
            } else {
                Change::Added
            };
            self.note(id, change);
        }
        self.layers.push(c);
        Ok(())
    }

    /// The `top` largest files of the filesystem, biggest first (ties by path); data shared by
    /// hard links is listed once, at its first path.
    pub(crate) fn largest(&self, top: usize) -> Vec<LargeFile> {
        // each hard-link group's first path
        let mut first: HashMap<u32, (String, u32)> = HashMap::new();
        for (&id, &g) in &self.linked {
            if !self.is_file(id) {
                continue;
            }
            let p = self.tree.path(id);
            match first.get(&g) {
                Some((q, _)) if *q <= p => {}
                _ => {
                    first.insert(g, (p, id));
                }
            }
        }
        let mut kept: Smallest<(Reverse<u64>, String, usize)> = Smallest::new(top);
        let mut buf = String::new();
        for (id, n) in self.tree.present() {
            if !matches!(n.kind(), FileKind::File | FileKind::Hardlink) {
                continue;
            }
            if let Some(g) = self.linked.get(&id)
                && first.get(g).is_some_and(|f| f.1 != id)
            {
                continue;
            }
            let size = Reverse(n.size());
            let layer = usize::from(n.layer);
            if kept.n == 0 {
                break;
            }
            if kept.heap.len() == kept.n && kept.heap.peek().is_some_and(|w| w.0 < size) {
                continue; // smaller than every kept file: no path needed
            }
            self.tree.path_into(id, &mut buf);
            let full = kept.heap.len() == kept.n;
            if !full
                || kept
                    .heap
                    .peek()
                    .is_some_and(|w| (size, buf.as_str(), layer) < (w.0, w.1.as_str(), w.2))
            {
                kept.push((size, buf.clone(), layer));
            }
        }
        kept.into_sorted()
            .into_iter()
            .map(|(Reverse(size), path, layer)| LargeFile { path, size, layer })
            .collect()
    }

    fn is_file(&self, id: u32) -> bool {
        self.tree
            .get(id)
            .is_some_and(|n| n.present() && matches!(n.kind(), FileKind::File | FileKind::Hardlink))
    }

    /// Records the copies the final filesystem still reaches in the ledger (if any). Data shared
    /// by hard links counts once, in its paths' class when they all have the same one, else
    /// in [`PathClass::Other`](super::ledger::PathClass::Other).
    pub(crate) fn close_ledger(&mut self) -> Option<super::ledger::Ledger> {
        use super::ledger::PathClass;
        let mut ledger = self.ledger.take()?;
        let mut group_class: HashMap<u32, Option<PathClass>> = HashMap::new();
        for (&id, g) in &self.linked {
            let c = PathClass::of(&self.tree.path(id));
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
        let mut buf = String::new();
        for (id, n) in self.tree.present() {
            if n.kind() == FileKind::File && !self.linked.contains_key(&id) {
                self.tree.path_into(id, &mut buf);
                ledger.visible(PathClass::of(&buf), n.size(), usize::from(n.layer));
            }
        }
        Some(ledger)
    }

    fn entry(&self, id: u32, n: &super::paths::Node) -> FsEntry {
        FsEntry {
            kind: n.kind(),
            size: n.size(),
            layer: usize::from(n.layer),
            mode: self.mode(id),
            link: self.links.get(&id).map(|t| t.to_string()),
        }
    }

    /// The entry of `path` in the merged filesystem.
    pub(crate) fn get(&self, path: &str) -> Option<FsEntry> {
        let (id, n) = self.tree.get_present(path)?;
        Some(self.entry(id, n))
    }

    /// Frees what only applying layers and finding paths need (after the last `get`).
    pub(crate) fn done_finding(&mut self) {
        self.tree.drop_index();
    }

    /// Calls `f` with the path, kind, size and layer of every path of the merged filesystem, in
    /// no particular order, consuming the model and giving its memory back as it goes.
    pub(crate) fn drain(self, mut f: impl FnMut(&str, FileKind, u64, usize)) {
        self.tree
            .drain_present(|p, _, n| f(p, n.kind(), n.size(), usize::from(n.layer)));
    }

    /// Regular files and hard links, and all paths, of the merged filesystem.
    pub(crate) fn counts(&self) -> (u64, u64) {
        let (mut files, mut paths) = (0, 0);
        for (_, n) in self.tree.present() {
            paths += 1;
            if matches!(n.kind(), FileKind::File | FileKind::Hardlink) {
                files += 1;
            }
        }
        (files, paths)
    }

    /// Visible bytes and files (regular files and hard links) per top-level component.
    pub(crate) fn top_dirs(&self) -> Vec<(String, u64, u64)> {
        let mut by_top: HashMap<u32, (u64, u64)> = HashMap::new();
        for (id, n) in self.tree.present() {
            if matches!(n.kind(), FileKind::File | FileKind::Hardlink) {
                let e = by_top.entry(self.tree.top(id)).or_default();
                e.0 += n.size();
                e.1 += 1;
            }
        }
        by_top
            .into_iter()
            .map(|(top, (bytes, files))| (self.tree.path(top), bytes, files))
            .collect()
    }

    /// The paths directly below `dir`, sorted (a whited-out one has nothing present under it).
    pub(crate) fn children(&self, dir: &str) -> Vec<String> {
        self.tree.children(dir)
    }

    /// (kind, size, layer) of every path strictly under `dir`.
    pub(crate) fn under(&self, dir: &str) -> Vec<(FileKind, u64, usize)> {
        let mut out = Vec::new();
        if let Some(id) = self.tree.find(dir) {
            self.tree.descendants(id, |d, n| {
                if d != id && n.present() {
                    out.push((n.kind(), n.size(), usize::from(n.layer)));
                }
            });
        }
        out
    }

    /// The final filesystem as a map (consumes the model).
    /// Built with [`ChunkedMap`] while the tree gives its memory back.
    pub(crate) fn into_final_fs(self) -> BTreeMap<String, FsEntry> {
        let mut fs = ChunkedMap::default();
        let Model {
            tree, links, modes, ..
        } = self;
        let modes = modes.unwrap_or_default();
        tree.drain_present(|p, id, n| {
            fs.push(
                p.to_string(),
                FsEntry {
                    kind: n.kind(),
                    size: n.size(),
                    layer: usize::from(n.layer),
                    mode: modes.get(id as usize).map_or(0, |&m| u32::from(m)),
                    link: links.get(&id).map(|t| t.to_string()),
                },
            );
        });
        fs.finish()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::walk::RawEntry;

    /// The model's per-path footprint (from its own capacity accounting) stays under 100 bytes
    /// for 100,000 files in 1,000 directories.
    #[test]
    fn under_100_bytes_per_path() {
        let mut entries = Entries::default();
        let mut buf = String::new();
        for i in 0..100_000u64 {
            use std::fmt::Write;
            buf.clear();
            let _ = write!(buf, "usr/lib/pkg{}/file-{i}.so", i % 1000);
            entries.push(RawEntry {
                path: &buf,
                op: Op::File(i),
                mode: 0o644,
            });
        }
        let mut m = Model::new(10);
        m.apply(0, &entries).unwrap();
        let (_, paths) = m.counts();
        assert_eq!(paths, 100_000);
        let per_path = m.heap_bytes() as f64 / paths as f64;
        assert!(per_path <= 100.0, "{per_path:.1} bytes per path");
    }
}

#[cfg(test)]
mod mode_tests;
