//! A file tree with sizes summed up the directories, built from a list of paths (a layer's
//! [`LayerFile`](super::LayerFile)s or the final filesystem): the view model the HTML report's
//! per-layer trees and treemap walk. Built without recursion, so any depth of path is safe.

use super::{Change, FileKind};
use std::collections::HashMap;

/// Id of a node of a [`FileTree`]; the root is [`FileTree::ROOT`].
pub type NodeId = u32;

/// One path component of a [`FileTree`].
#[derive(Debug, Clone)]
pub struct TreeNode {
    /// The component's name (empty for the root).
    pub name: Box<str>,
    /// Parent node (the root is its own parent).
    pub parent: NodeId,
    /// Kind of the listed path, `Dir` for a directory only implied by paths under it.
    pub kind: FileKind,
    /// Its own data size (files and hard links).
    pub own: u64,
    /// Data bytes of this node and everything under it.
    pub size: u64,
    /// Paths listed at or under this node that are not directories.
    pub files: u64,
    /// What the layer did to this path, when it was listed with a change.
    pub change: Option<Change>,
    /// Children, biggest first (ties by name) after [`FileTree::finish`].
    pub children: Vec<NodeId>,
}

/// A tree of paths; see the module doc.
#[derive(Debug, Clone)]
pub struct FileTree {
    nodes: Vec<TreeNode>,
    index: HashMap<(NodeId, Box<str>), NodeId>,
}

impl Default for FileTree {
    fn default() -> Self {
        FileTree::new()
    }
}

impl FileTree {
    /// The root's id.
    pub const ROOT: NodeId = 0;

    /// An empty tree (just the root).
    pub fn new() -> Self {
        FileTree {
            nodes: vec![TreeNode {
                name: "".into(),
                parent: 0,
                kind: FileKind::Dir,
                own: 0,
                size: 0,
                files: 0,
                change: None,
                children: Vec::new(),
            }],
            index: HashMap::new(),
        }
    }

    /// Adds `path` (no leading `/`, components separated by `/`). A path listed twice keeps
    /// its last kind, size and change. Paths beyond `u32::MAX` nodes are dropped.
    pub fn insert(&mut self, path: &str, kind: FileKind, size: u64, change: Option<Change>) {
        let mut at = Self::ROOT;
        for comp in path.split('/').filter(|c| !c.is_empty()) {
            let key = (at, Box::<str>::from(comp));
            at = match self.index.get(&key) {
                Some(&id) => id,
                None => {
                    let Ok(id) = NodeId::try_from(self.nodes.len()) else {
                        return;
                    };
                    self.nodes.push(TreeNode {
                        name: key.1.clone(),
                        parent: at,
                        kind: FileKind::Dir,
                        own: 0,
                        size: 0,
                        files: 0,
                        change: None,
                        children: Vec::new(),
                    });
                    if let Some(p) = self.nodes.get_mut(at as usize) {
                        p.children.push(id);
                    }
                    self.index.insert(key, id);
                    id
                }
            };
        }
        if at == Self::ROOT {
            return;
        }
        if let Some(n) = self.nodes.get_mut(at as usize) {
            n.kind = kind;
            n.own = if matches!(kind, FileKind::File | FileKind::Hardlink) {
                size
            } else {
                0
            };
            n.change = change;
        }
    }

    /// Sums sizes and file counts up the tree, sorts children biggest first and frees the
    /// lookup index (call once, after the last insert).
    pub fn finish(&mut self) {
        self.index = HashMap::new();
        for n in &mut self.nodes {
            n.size = n.own;
            n.files = u64::from(n.kind != FileKind::Dir);
        }
        // children always have higher ids than their parents: one backward pass sums
        for id in (1..self.nodes.len()).rev() {
            let (size, files, parent) = {
                let n = &self.nodes[id];
                (n.size, n.files, n.parent as usize)
            };
            if let Some(p) = self.nodes.get_mut(parent) {
                p.size += size;
                p.files += files;
            }
        }
        for id in 0..self.nodes.len() {
            let mut children = std::mem::take(&mut self.nodes[id].children);
            let nodes = &self.nodes;
            children.sort_by(|&a, &b| {
                let (x, y) = (&nodes[a as usize], &nodes[b as usize]);
                y.size.cmp(&x.size).then_with(|| x.name.cmp(&y.name))
            });
            self.nodes[id].children = children;
        }
    }

    /// The node `id` (the root for an unknown id).
    pub fn node(&self, id: NodeId) -> &TreeNode {
        self.nodes.get(id as usize).unwrap_or(&self.nodes[0])
    }

    /// Number of nodes, the root included.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when only the root is there.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() == 1
    }

    /// The path of `id` (no leading `/`).
    pub fn path(&self, id: NodeId) -> String {
        let mut parts = Vec::new();
        let mut at = id;
        while at != Self::ROOT {
            let n = self.node(at);
            parts.push(&*n.name);
            at = n.parent;
        }
        parts.reverse();
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_sorts_and_keeps_changes() {
        let mut t = FileTree::new();
        t.insert("usr/bin/a", FileKind::File, 10, Some(Change::Added));
        t.insert("usr/lib/b", FileKind::File, 30, Some(Change::Modified));
        t.insert("usr/lib/c", FileKind::Symlink, 99, Some(Change::Added));
        t.insert("etc/x", FileKind::File, 5, Some(Change::Removed));
        t.finish();
        let root = t.node(FileTree::ROOT);
        assert_eq!((root.size, root.files), (45, 4));
        let usr = t.node(root.children[0]);
        assert_eq!((&*usr.name, usr.size), ("usr", 40));
        let lib = t.node(usr.children[0]);
        assert_eq!((&*lib.name, lib.size, lib.files), ("lib", 30, 2));
        let b = t.node(lib.children[0]);
        assert_eq!(
            (b.change, t.path(lib.children[0])),
            (Some(Change::Modified), "usr/lib/b".into())
        );
        let etc = t.node(root.children[1]);
        assert_eq!(t.node(etc.children[0]).change, Some(Change::Removed));
    }

    #[test]
    fn deep_paths_do_not_recurse() {
        let mut t = FileTree::new();
        let deep = vec!["d"; 100_000].join("/");
        t.insert(&deep, FileKind::File, 7, None);
        t.finish();
        assert_eq!(t.node(FileTree::ROOT).size, 7);
        assert_eq!(t.len(), 100_001);
    }
}
