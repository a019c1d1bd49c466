//! The overlay model: applies layer entries the way the container runtime does (whiteouts of
//! lower layers first, then the layer's entries in tar order) and accounts every regular-file
//! byte as visible or wasted.

use super::walk::{Entries, Op};
use super::{FileKind, FsEntry, HiddenBy, WastedPath};
use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::hash::{Hash, Hasher};

/// A stored copy of file data (a tar regular-file entry); hard links share it.
#[derive(Debug, Clone)]
pub(crate) struct Inode {
    pub size: u64,
    pub layer: usize,
    pub refs: u32,
}

/// A path in the merged filesystem.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: FileKind,
    pub layer: usize,
    pub inode: Option<u32>,
    pub link: Option<String>,
    /// Size as dive sees it (tar header size: regular files only).
    pub tar_size: u64,
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

/// A hidden copy ordered so that the heap's top is the one to drop first (smallest, then the
/// last path), which keeps the `top` biggest in the order the report lists them.
#[derive(Debug)]
struct Ranked(WastedPath);

impl Ranked {
    fn key(&self) -> (Reverse<u64>, &str) {
        (Reverse(self.0.size), self.0.path.as_str())
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
    pub fs: BTreeMap<String, Node>,
    pub inodes: Vec<Inode>,
    pub layers: Vec<LayerBytes>,
    /// How many hidden copies to keep (the biggest).
    top: usize,
    /// The `top` biggest stored copies that ended hidden.
    hidden: BinaryHeap<Ranked>,
    /// dive-compatible bookkeeping: hash of the path -> (cumulative size, min size, copies).
    /// A 64-bit hash instead of the path keeps this small; a collision among a million paths
    /// has a chance of about 1 in 30 million and would only move dive's informational score.
    pub dive: HashMap<u64, (u64, u64, u32)>,
}

fn path_hash(path: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    path.hash(&mut h);
    h.finish()
}

/// Keys equal to `p` or under `p/`.
fn subtree_keys(fs: &BTreeMap<String, Node>, p: &str) -> Vec<String> {
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
            top,
            ..Model::default()
        }
    }

    /// The kept hidden copies, biggest first (ties by path).
    pub(crate) fn take_hidden(&mut self) -> Vec<WastedPath> {
        let mut v: Vec<Ranked> = std::mem::take(&mut self.hidden).into_vec();
        v.sort();
        v.into_iter().map(|r| r.0).collect()
    }

    fn keep_hidden(&mut self, w: WastedPath) {
        if self.top == 0 {
            return;
        }
        if self.hidden.len() >= self.top {
            let worse = self
                .hidden
                .peek()
                .is_some_and(|worst| (Reverse(w.size), w.path.as_str()) >= worst.key());
            if worse {
                return;
            }
            self.hidden.pop();
        }
        self.hidden.push(Ranked(w));
    }

    fn remove(&mut self, path: &str, layer: usize, reason: HiddenBy, counts: &mut LayerBytes) {
        let Some(node) = self.fs.remove(path) else {
            return;
        };
        if let Some(id) = node.inode
            && let Some(ino) = self.inodes.get_mut(id as usize)
        {
            ino.refs = ino.refs.saturating_sub(1);
            if ino.refs == 0 {
                match reason {
                    HiddenBy::Overwritten => counts.overwritten += ino.size,
                    _ => counts.removed += ino.size,
                }
                let w = WastedPath {
                    path: path.to_string(),
                    size: ino.size,
                    added_layer: ino.layer,
                    hidden_layer: layer,
                    reason,
                };
                self.keep_hidden(w);
            }
        }
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
                .map(|n| n.tar_size)
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
        // dive's leaves: entries with nothing below them in this layer
        let mut sorted: Vec<&str> = entries.iter().map(|e| e.path).collect();
        sorted.sort_unstable();
        let has_children = |p: &str| -> bool {
            let lo = format!("{p}/");
            let i = sorted.partition_point(|s| *s < lo.as_str());
            sorted.get(i).is_some_and(|s| s.starts_with(&lo))
        };
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
            let mut link_inode = None;
            let mut link_kind = kind;
            if let Op::Hardlink(t) = &e.op {
                let target = self.fs.get(*t).ok_or_else(|| {
                    format!("hard link {:?} points to missing target {t:?}", e.path)
                })?;
                link_inode = target.inode;
                if target.inode.is_none() {
                    link_kind = target.kind;
                }
                if let Some(id) = link_inode
                    && let Some(ino) = self.inodes.get_mut(id as usize)
                {
                    ino.refs += 1;
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
            let (inode, link) = match &e.op {
                Op::File(size) => {
                    c.added += size;
                    let id = u32::try_from(self.inodes.len())
                        .map_err(|_| "too many files".to_string())?;
                    self.inodes.push(Inode {
                        size: *size,
                        layer,
                        refs: 1,
                    });
                    (Some(id), None)
                }
                Op::Hardlink(t) => (link_inode, Some(t.to_string())),
                Op::Symlink(t) => (None, Some(t.to_string())),
                _ => (None, None),
            };
            self.fs.insert(
                e.path.to_string(),
                Node {
                    kind: if matches!(e.op, Op::Hardlink(_)) {
                        link_kind
                    } else {
                        kind
                    },
                    layer,
                    inode,
                    link,
                    tar_size,
                },
            );
        }
        self.layers.push(c);
        Ok(())
    }

    /// The final filesystem as public entries (consumes the model to avoid copying paths).
    pub(crate) fn into_final_fs(self) -> BTreeMap<String, FsEntry> {
        let inodes = self.inodes;
        self.fs
            .into_iter()
            .map(|(p, n)| {
                let size = n
                    .inode
                    .and_then(|id| inodes.get(id as usize))
                    .map_or(0, |i| i.size);
                (
                    p,
                    FsEntry {
                        kind: n.kind,
                        size,
                        layer: n.layer,
                        link: n.link,
                    },
                )
            })
            .collect()
    }

    /// Bytes of distinct file data still reachable from the final filesystem.
    pub(crate) fn visible_bytes(&self) -> u64 {
        self.inodes
            .iter()
            .filter(|i| i.refs > 0)
            .map(|i| i.size)
            .sum()
    }

    /// Bytes of all regular-file data stored across layers.
    pub(crate) fn stored_bytes(&self) -> u64 {
        self.inodes.iter().map(|i| i.size).sum()
    }
}
