//! [`PathTree`]: every path the overlay model has seen, interned as a trie of components.
//!
//! A node is 28 bytes (parent, first child, next sibling, where its component starts in one
//! shared name buffer, the entry's size, layer and kind), plus 8 for dive's figure for the path
//! while layers are applied; its component's bytes are stored once in that buffer, after their
//! length, and found again through one hash table of `u32` node ids. No per-path `String`,
//! `PathBuf` or map node is allocated, so the model costs well under 100 bytes per path.
//! Nodes are never freed: a removed path only loses its [`Node::present`] flag, and paths that
//! only exist as parents of other paths are nodes that were never present.

use super::FileKind;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Id of the root node (the empty path).
pub(crate) const ROOT: u32 = 0;
const NONE: u32 = u32::MAX;

/// One path of the trie and, when present, its entry in the merged filesystem.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node {
    /// Data size (regular files and hard links), else 0, as two halves (keeps nodes 4-aligned).
    size: [u32; 2],
    parent: u32,
    first_child: u32,
    next_sibling: u32,
    /// Start of the name (varint length, then bytes) in the name buffer.
    name_off: u32,
    /// Layer of the entry that made the path what it is.
    pub layer: u16,
    kind: u8,
    /// Bit 0: present in the filesystem; bits 1-2: dive's copy count (0, 1, 2 = more).
    flags: u8,
}

const PRESENT: u8 = 1;

fn kind_code(k: FileKind) -> u8 {
    match k {
        FileKind::File => 0,
        FileKind::Dir => 1,
        FileKind::Symlink => 2,
        FileKind::Hardlink => 3,
        FileKind::Other => 4,
    }
}

fn join(v: [u32; 2]) -> u64 {
    u64::from(v[0]) | (u64::from(v[1]) << 32)
}

fn split(v: u64) -> [u32; 2] {
    [v as u32, (v >> 32) as u32]
}

impl Node {
    const EMPTY: Node = Node {
        size: [0; 2],
        parent: NONE,
        first_child: NONE,
        next_sibling: NONE,
        name_off: 0,
        layer: 0,
        kind: 0,
        flags: 0,
    };

    /// Data size (regular files and hard links), else 0.
    pub fn size(&self) -> u64 {
        join(self.size)
    }

    /// The entry's kind.
    pub fn kind(&self) -> FileKind {
        match self.kind {
            0 => FileKind::File,
            1 => FileKind::Dir,
            2 => FileKind::Symlink,
            3 => FileKind::Hardlink,
            _ => FileKind::Other,
        }
    }

    /// True when the path is in the merged filesystem.
    pub fn present(&self) -> bool {
        self.flags & PRESENT != 0
    }

    /// dive's copy count of the path, saturated at 2.
    pub fn dive_count(&self) -> u8 {
        (self.flags >> 1) & 3
    }
}

/// The trie; see the module doc.
#[derive(Debug)]
pub(crate) struct PathTree {
    nodes: Vec<Node>,
    /// dive's figure per node: the size of the path's only copy, or the smallest of its copies.
    dive: Vec<u64>,
    names: Vec<u8>,
    index: HashTable<u32>,
    hasher: std::hash::RandomState,
}

impl PathTree {
    /// A tree holding only the (absent) root.
    pub fn new() -> Self {
        PathTree {
            nodes: vec![Node::EMPTY],
            dive: vec![0],
            names: vec![0], // the root's empty name
            index: HashTable::new(),
            hasher: std::hash::RandomState::new(),
        }
    }

    /// Bytes reserved by the tree (nodes, names and the hash table), for the memory tests.
    #[cfg(test)]
    pub fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.dive.capacity() * 8
            + self.names.capacity()
            + self.index.capacity() * (std::mem::size_of::<u32>() + 1)
    }

    /// Frees the lookup table and dive's figures: paths can still be listed
    /// ([`Self::present`], [`Self::path`]) but no longer found, added or recorded for dive.
    pub fn drop_index(&mut self) {
        self.index = HashTable::new();
        self.dive = Vec::new();
    }

    fn name(&self, n: &Node) -> &[u8] {
        name_at(&self.names, n.name_off)
    }

    fn hash(&self, parent: u32, name: &[u8]) -> u64 {
        self.hasher.hash_one((parent, name))
    }

    /// The node of `path`'s child `name`, if any.
    fn child(&self, parent: u32, name: &[u8]) -> Option<u32> {
        let h = self.hash(parent, name);
        self.index
            .find(h, |&id| {
                self.nodes
                    .get(id as usize)
                    .is_some_and(|n| n.parent == parent && self.name(n) == name)
            })
            .copied()
    }

    fn components(path: &str) -> impl Iterator<Item = &[u8]> {
        // the empty path is the root itself
        (!path.is_empty())
            .then(|| path.split('/').map(str::as_bytes))
            .into_iter()
            .flatten()
    }

    /// The node of `path`, if it was ever seen.
    pub fn find(&self, path: &str) -> Option<u32> {
        let mut at = ROOT;
        for c in Self::components(path) {
            at = self.child(at, c)?;
        }
        Some(at)
    }

    /// The node of `path`, created (absent) with its parents when missing.
    pub fn intern(&mut self, path: &str) -> Result<u32, String> {
        let mut at = ROOT;
        for c in Self::components(path) {
            at = match self.child(at, c) {
                Some(id) => id,
                None => self.add_child(at, c)?,
            };
        }
        Ok(at)
    }

    fn add_child(&mut self, parent: u32, name: &[u8]) -> Result<u32, String> {
        let too_many = || "too many paths for the overlay model (4 GiB of names)".to_string();
        let id = u32::try_from(self.nodes.len())
            .ok()
            .filter(|&id| id != NONE)
            .ok_or_else(too_many)?;
        let name_off = u32::try_from(self.names.len()).map_err(|_| too_many())?;
        let mut len = name.len();
        while len >= 0x80 {
            self.names.push((len as u8) | 0x80);
            len >>= 7;
        }
        self.names.push(len as u8);
        self.names.extend_from_slice(name);
        u32::try_from(self.names.len()).map_err(|_| too_many())?;
        let next_sibling = self
            .nodes
            .get(parent as usize)
            .map_or(NONE, |p| p.first_child);
        self.nodes.push(Node {
            parent,
            next_sibling,
            name_off,
            ..Node::EMPTY
        });
        self.dive.push(0);
        if let Some(p) = self.nodes.get_mut(parent as usize) {
            p.first_child = id;
        }
        let h = self.hash(parent, name);
        let (nodes, names, hasher) = (&self.nodes, &self.names, &self.hasher);
        self.index.insert_unique(h, id, |&other| {
            let n = nodes.get(other as usize);
            let name = n.map_or(&[][..], |n| name_at(names, n.name_off));
            hasher.hash_one((n.map_or(NONE, |n| n.parent), name))
        });
        Ok(id)
    }

    /// The node `id`.
    pub fn get(&self, id: u32) -> Option<&Node> {
        self.nodes.get(id as usize)
    }

    /// The present node of `path`.
    pub fn get_present(&self, path: &str) -> Option<(u32, &Node)> {
        let id = self.find(path)?;
        self.get(id).filter(|n| n.present()).map(|n| (id, n))
    }

    /// Makes `id` present with this entry.
    pub fn set(&mut self, id: u32, kind: FileKind, size: u64, layer: u16) {
        if let Some(n) = self.nodes.get_mut(id as usize) {
            n.kind = kind_code(kind);
            n.size = split(size);
            n.layer = layer;
            n.flags |= PRESENT;
        }
    }

    /// Sets the layer of a present node.
    pub fn set_layer(&mut self, id: u32, layer: u16) {
        if let Some(n) = self.nodes.get_mut(id as usize) {
            n.layer = layer;
        }
    }

    /// Marks `id` absent.
    pub fn clear(&mut self, id: u32) {
        if let Some(n) = self.nodes.get_mut(id as usize) {
            n.flags &= !PRESENT;
        }
    }

    /// Records one copy of `size` bytes at `id` the way dive counts them; returns the path's
    /// (count before, dive figure before): the size of its only copy or its smallest.
    pub fn dive_record(&mut self, id: u32, size: u64) -> (u8, u64) {
        let (Some(n), Some(d)) = (
            self.nodes.get_mut(id as usize),
            self.dive.get_mut(id as usize),
        ) else {
            return (0, 0);
        };
        let (before, old) = (n.dive_count(), *d);
        let after = (before + 1).min(2);
        n.flags = (n.flags & !6) | (after << 1);
        *d = if before == 0 { size } else { old.min(size) };
        (before, old)
    }

    /// Writes the path of `id` into `out` (cleared first).
    pub fn path_into(&self, id: u32, out: &mut String) {
        let mut bytes = std::mem::take(out).into_bytes();
        bytes.clear();
        // the length first, then the components from the last one back: no list of ancestors
        let up = |at: u32| {
            (at != ROOT)
                .then(|| self.nodes.get(at as usize))
                .flatten()
                .map(|n| (self.name(n), n.parent))
        };
        let (mut len, mut at) = (0usize, id);
        while let Some((name, parent)) = up(at) {
            len += name.len() + 1;
            at = parent;
        }
        bytes.resize(len.saturating_sub(1), b'/');
        let (mut end, mut at) = (bytes.len(), id);
        while let Some((name, parent)) = up(at) {
            let start = end.saturating_sub(name.len());
            if let Some(slot) = bytes.get_mut(start..end) {
                slot.copy_from_slice(name);
            }
            end = start.saturating_sub(1);
            at = parent;
        }
        // components are slices of `&str` paths split at '/', so the bytes are UTF-8
        *out = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    }

    /// The path of `id`.
    pub fn path(&self, id: u32) -> String {
        let mut s = String::new();
        self.path_into(id, &mut s);
        s
    }

    /// Present nodes equal to or below `id`, with their paths, in path (byte) order: the order
    /// of the keys of a `BTreeMap<String, _>` holding the same paths.
    pub fn subtree(&self, id: u32) -> Vec<(String, u32)> {
        let mut out = Vec::new();
        self.descendants(id, |at, n| {
            if n.present() {
                out.push((self.path(at), at));
            }
        });
        out.sort_unstable();
        out
    }

    /// The paths of the nodes directly below `path`, sorted (present or not: a directory an
    /// archive never lists is implied by the files in it).
    pub fn children(&self, path: &str) -> Vec<String> {
        let mut out = Vec::new();
        let Some(n) = self.find(path).and_then(|id| self.nodes.get(id as usize)) else {
            return out;
        };
        let mut c = n.first_child;
        while let Some(cn) = self.nodes.get(c as usize) {
            out.push(self.path(c));
            c = cn.next_sibling;
        }
        out.sort_unstable();
        out
    }

    /// Calls `f` with `id` and every node below it, present or not, in no particular order.
    pub fn descendants(&self, id: u32, mut f: impl FnMut(u32, &Node)) {
        let mut stack = vec![id];
        while let Some(at) = stack.pop() {
            let Some(n) = self.nodes.get(at as usize) else {
                continue;
            };
            f(at, n);
            let mut c = n.first_child;
            while let Some(cn) = self.nodes.get(c as usize) {
                stack.push(c);
                c = cn.next_sibling;
            }
        }
    }

    /// Consumes the tree, calling `f` with the path and node of every present node, last
    /// created first, and giving memory back as it goes: a node's parents were created before
    /// it, so the nodes (and names) after the one being listed are no longer needed.
    pub fn drain_present(mut self, mut f: impl FnMut(&str, u32, &Node)) {
        const STEP: usize = 1 << 16;
        self.drop_index();
        let mut buf = String::new();
        for id in (0..self.nodes.len()).rev() {
            let Some(&n) = self.nodes.get(id) else {
                continue;
            };
            if n.present() {
                self.path_into(id as u32, &mut buf);
                f(&buf, id as u32, &n);
            }
            if id % STEP == 0 {
                self.nodes.truncate(id);
                self.nodes.shrink_to_fit();
                self.names.truncate(n.name_off as usize);
                self.names.shrink_to_fit();
            }
        }
    }

    /// Every present node, in no particular order.
    pub fn present(&self) -> impl Iterator<Item = (u32, &Node)> {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.present())
            .map(|(i, n)| (i as u32, n))
    }

    /// The top-level component of `id`'s path (the node just below the root).
    pub fn top(&self, id: u32) -> u32 {
        let mut at = id;
        while let Some(n) = self.nodes.get(at as usize) {
            if n.parent == ROOT || n.parent == NONE {
                return at;
            }
            at = n.parent;
        }
        at
    }
}

/// The name stored at `off` (varint length, then bytes).
fn name_at(names: &[u8], off: u32) -> &[u8] {
    let mut at = off as usize;
    let (mut len, mut shift) = (0usize, 0u32);
    while let Some(&b) = names.get(at) {
        at += 1;
        len |= usize::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
        shift += 7;
        if b & 0x80 == 0 {
            break;
        }
    }
    names.get(at..at.saturating_add(len)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random paths over components that sort around `/` (`a-b`, `a.b` and `a b` before it,
    /// `a0` after it): every subtree lists its paths in the order of a `BTreeSet<String>`.
    #[test]
    fn subtrees_follow_string_order() {
        const COMPS: &[&str] = &["a", "a-b", "a.b", "a b", "a0", "b", ""];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut t = PathTree::new();
        let mut want = std::collections::BTreeSet::new();
        for _ in 0..2000 {
            let depth = 1 + next(4);
            let p: Vec<&str> = (0..depth).map(|_| COMPS[next(COMPS.len())]).collect();
            let p = p.join("/");
            let id = t.intern(&p).unwrap();
            if next(3) > 0 {
                t.set(id, FileKind::File, 0, 0);
                want.insert(p.clone());
            }
            assert_eq!(t.path(id), p);
            assert_eq!(t.find(&p), Some(id));
        }
        let all: Vec<String> = t.subtree(ROOT).into_iter().map(|(p, _)| p).collect();
        assert_eq!(all, want.iter().cloned().collect::<Vec<_>>());
        for dir in ["a", "a-b", "a/a", "b/a0", ""] {
            let Some(id) = t.find(dir) else { continue };
            let got: Vec<String> = t.subtree(id).into_iter().map(|(p, _)| p).collect();
            let prefix = format!("{dir}/");
            let want: Vec<String> = want
                .iter()
                .filter(|p| dir.is_empty() || *p == dir || p.starts_with(&prefix))
                .cloned()
                .collect();
            assert_eq!(got, want, "under {dir:?}");
        }
    }

    #[test]
    fn interns_and_orders_like_a_btreemap() {
        let mut t = PathTree::new();
        let paths = ["a", "a/b", "a-c", "a/b/c", "b", "a.d/x", ""];
        for p in paths {
            let id = t.intern(p).unwrap();
            t.set(id, FileKind::File, p.len() as u64, 0);
            assert_eq!(t.path(id), p);
        }
        assert_eq!(t.find("a/b"), t.intern("a/b").ok());
        assert_eq!(t.find("a/x"), None);
        let mut want: Vec<&str> = paths.to_vec();
        want.sort();
        let got: Vec<String> = t.subtree(ROOT).into_iter().map(|(p, _)| p).collect();
        assert_eq!(got, want);
        let a = t.find("a").unwrap();
        let got: Vec<String> = t.subtree(a).into_iter().map(|(p, _)| p).collect();
        assert_eq!(got, vec!["a", "a/b", "a/b/c"]);
    }
}
