//! The byte ledger: where every stored copy of file data went, by the layer that stored it, the
//! layer that hid it (if any) and the class of its path (a package-manager cache directory, a
//! build-context directory such as `.git`, or anything else). The optimizer prices its findings
//! from it; it is filled during the in-order apply of the overlay model and is bounded by
//! `layers² × classes` cells plus a few example paths per pair of layers, not by the number of
//! paths.

use super::CACHE_DIRS;
use serde::Serialize;
use std::collections::BTreeMap;

/// Directory names a build context usually holds that `.dockerignore` can exclude.
pub const CONTEXT_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    "__pycache__",
    ".venv",
    ".tox",
    ".pytest_cache",
    ".mypy_cache",
    ".idea",
    ".vscode",
    // a local build's output (Rust, Maven, sbt; JavaScript and Python packaging)
    "target",
    "dist",
];

/// The [`CONTEXT_DIRS`] that hold a local build's output rather than tooling state: the image
/// may mean to use them (a jar built outside Docker), so a finding says so.
pub const BUILD_OUTPUT_DIRS: &[&str] = &["target", "dist"];

/// The class of a path: one of [`CACHE_DIRS`], one of [`CONTEXT_DIRS`], or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "index")]
pub enum PathClass {
    /// Under `CACHE_DIRS[i].path`.
    Cache(u8),
    /// Has a component named `CONTEXT_DIRS[i]`.
    Context(u8),
    /// Anything else, and data shared by hard links from paths of different classes.
    Other,
}

impl PathClass {
    /// Classifies a path (no leading `/`).
    pub fn of(path: &str) -> PathClass {
        // A per-user cache (`/root/.cache/pip`) is the same cache in any user's home
        // (`home/node/.npm/...`): the class names the table entry, the path the actual home.
        let in_home = path
            .strip_prefix("home/")
            .and_then(|rest| rest.split_once('/'))
            .map(|(_, rest)| rest);
        for (i, dir) in CACHE_DIRS.iter().enumerate() {
            let under = |p: &str, d: &str| p.strip_prefix(d).is_some_and(|r| r.starts_with('/'));
            if under(path, dir.rel())
                || in_home.is_some_and(|p| dir.home_rel().is_some_and(|d| under(p, d)))
            {
                return PathClass::Cache(i as u8);
            }
        }
        for comp in path.split('/') {
            if let Some(i) = CONTEXT_DIRS.iter().position(|d| *d == comp) {
                return PathClass::Context(i as u8);
            }
        }
        PathClass::Other
    }

    /// `var/lib/apt/lists`, `.git`, or `other`.
    pub fn name(&self) -> &'static str {
        match self {
            PathClass::Cache(i) => CACHE_DIRS.get(*i as usize).map_or("?", |c| c.rel()),
            PathClass::Context(i) => CONTEXT_DIRS.get(*i as usize).copied().unwrap_or("?"),
            PathClass::Other => "other",
        }
    }

    /// The tool owning a cache class (`apt`, `pip`…).
    pub fn tool(&self) -> Option<&'static str> {
        match self {
            PathClass::Cache(i) => CACHE_DIRS.get(*i as usize).map(|c| c.tool),
            _ => None,
        }
    }
}

/// Bytes and files of some stored copies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Bytes of file data.
    pub bytes: u64,
    /// Copies (a hard-link group counts once).
    pub files: u64,
}

impl Tally {
    fn add(&mut self, size: u64) {
        self.bytes += size;
        self.files += 1;
    }
}

/// Where the copies stored by layers went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Ledger {
    /// (layer that stored the copy, layer that hid it or `None` when visible, class) -> tally.
    pub cells: BTreeMap<(usize, Option<usize>, PathClass), Tally>,
    /// (stored by, hidden by, class) -> the biggest hidden paths, biggest first (at most
    /// [`Ledger::EXAMPLES`]).
    pub examples: BTreeMap<(usize, usize, PathClass), Vec<(String, u64)>>,
    /// Paths (no leading `/`) whose hidden copies are also tallied in [`Ledger::watched`].
    pub watch: Vec<String>,
    /// (stored by, hidden by, index into `watch`, class) -> the hidden copies at or under that
    /// path.
    pub watched: BTreeMap<(usize, usize, usize, PathClass), Tally>,
}

impl Ledger {
    /// Example paths kept per pair of layers.
    pub const EXAMPLES: usize = 3;

    /// Records a copy stored by `added` that layer `hidden` made unreachable.
    pub(crate) fn hidden(&mut self, path: &str, size: u64, added: usize, hidden: usize) {
        let class = PathClass::of(path);
        self.cells
            .entry((added, Some(hidden), class))
            .or_default()
            .add(size);
        for (i, w) in self.watch.iter().enumerate() {
            if path
                .strip_prefix(w.as_str())
                .is_some_and(|r| r.is_empty() || r.starts_with('/'))
            {
                self.watched
                    .entry((added, hidden, i, class))
                    .or_default()
                    .add(size);
            }
        }
        let ex = self.examples.entry((added, hidden, class)).or_default();
        if ex.len() < Self::EXAMPLES || ex.last().is_some_and(|l| l.1 < size) {
            let at = ex.partition_point(|e| e.1 >= size);
            ex.insert(at, (path.to_string(), size));
            ex.truncate(Self::EXAMPLES);
        }
    }

    /// Records a copy stored by `added` still reachable in the final filesystem.
    pub(crate) fn visible(&mut self, class: PathClass, size: u64, added: usize) {
        self.cells
            .entry((added, None, class))
            .or_default()
            .add(size);
    }

    /// Copies stored by `layer` in `class`, whatever became of them.
    pub fn stored_by(&self, layer: usize, class: PathClass) -> Tally {
        let mut t = Tally::default();
        for ((a, _, c), v) in &self.cells {
            if *a == layer && *c == class {
                t.bytes += v.bytes;
                t.files += v.files;
            }
        }
        t
    }

    /// Classes with copies stored by `layer`.
    pub fn classes_of(&self, layer: usize) -> Vec<PathClass> {
        let mut v: Vec<PathClass> = self
            .cells
            .keys()
            .filter(|(a, _, _)| *a == layer)
            .map(|k| k.2)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Every (stored by, hidden by, class) cell of hidden copies.
    pub fn hidden_cells(&self) -> impl Iterator<Item = (usize, usize, PathClass, Tally)> + '_ {
        self.cells
            .iter()
            .filter_map(|((a, h, c), t)| h.map(|h| (*a, h, *c, *t)))
    }

    /// Bytes of all copies recorded.
    pub fn total(&self) -> u64 {
        self.cells.values().map(|t| t.bytes).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(
            PathClass::of("var/lib/apt/lists/x").name(),
            "var/lib/apt/lists"
        );
        assert_eq!(PathClass::of("var/lib/apt/lists"), PathClass::Other);
        assert_eq!(PathClass::of("var/lib/apt/listsx/y"), PathClass::Other);
        assert_eq!(PathClass::of("app/.git/HEAD").name(), ".git");
        assert_eq!(PathClass::of("root/.cache/pip/h/x").tool(), Some("pip"));
        assert_eq!(PathClass::of("usr/bin/ls"), PathClass::Other);
        // the same caches in another user's home
        assert_eq!(
            PathClass::of("home/node/.npm/_cacache/x").tool(),
            Some("npm")
        );
        assert_eq!(
            PathClass::of("home/app/.cache/pip/h/x"),
            PathClass::of("root/.cache/pip/h/x")
        );
        assert_eq!(PathClass::of("home/node/.npmrc"), PathClass::Other);
        assert_eq!(PathClass::of("home/.npm/x"), PathClass::Other);
        assert_eq!(PathClass::of("home/app/var/cache/apt/x"), PathClass::Other);
        // node-gyp's downloaded Node headers, in root's home or another user's
        for p in [
            "root/.cache/node-gyp/22.11.0/include/node/node.h",
            "home/node/.cache/node-gyp/22.11.0/include/node/v8.h",
            "root/.node-gyp/10.24.1/include/node/node.h",
        ] {
            assert_eq!(PathClass::of(p).tool(), Some("node-gyp"), "{p}");
        }
        assert_eq!(PathClass::of("root/.cache/node-gypsum/x"), PathClass::Other);
        // dnf5's cache (a DL3040 path, issue 20) is one the image analysis knows and prices
        let dnf5 = PathClass::of("var/cache/libdnf5/fedora-x/packages/a.rpm");
        assert_eq!(dnf5.name(), "var/cache/libdnf5");
        assert_eq!(dnf5.tool(), Some("dnf"));
    }

    #[test]
    fn examples_keep_the_biggest() {
        let mut l = Ledger::default();
        for (p, s) in [("a", 5), ("b", 9), ("c", 1), ("d", 7), ("e", 9)] {
            l.hidden(p, s, 1, 2);
        }
        let ex = &l.examples[&(1, 2, PathClass::Other)];
        assert_eq!(
            ex.iter().map(|e| e.1).collect::<Vec<_>>(),
            vec![9, 9, 7],
            "{ex:?}"
        );
        assert_eq!(l.stored_by(1, PathClass::Other).bytes, 31);
    }

    #[test]
    fn watched_paths_are_tallied_per_pair() {
        let mut l = Ledger {
            watch: vec!["tmp/x.tgz".into(), "var/lib/apt/lists".into()],
            ..Ledger::default()
        };
        l.hidden("tmp/x.tgz", 10, 1, 3);
        l.hidden("tmp/x.tgzz", 20, 1, 3);
        l.hidden("var/lib/apt/lists/a", 5, 1, 3);
        l.hidden("var/lib/apt/lists/b", 7, 2, 3);
        let lists = PathClass::of("var/lib/apt/lists/a");
        assert_eq!(l.watched[&(1, 3, 0, PathClass::Other)].bytes, 10);
        assert_eq!(l.watched[&(1, 3, 1, lists)].bytes, 5);
        assert_eq!(l.watched[&(2, 3, 1, lists)].files, 1);
        assert_eq!(l.watched.len(), 3);
    }
}
