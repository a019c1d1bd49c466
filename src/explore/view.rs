//! The explorer's state: selected layer, mode, tree of that layer, filters and the rows shown.

use crate::image::tree::{FileTree, NodeId};
use crate::image::{Change, FileKind, Image, ImageReport, LayerSummary};
use crate::optimize::OptimizeReport;
use std::collections::{BTreeMap, HashSet};

/// Which tree the right pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Only what the selected layer added, modified and removed (dive's ctrl+l).
    Layer,
    /// The whole filesystem as of the selected layer, its changes marked (dive's ctrl+a).
    Aggregated,
}

/// The pane the arrow keys move in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The layer list.
    Layers,
    /// The file tree.
    Tree,
}

/// One visible line of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Full path (no leading `/`).
    pub path: String,
    /// Last component.
    pub name: String,
    /// Nesting level, 0 for top-level entries.
    pub depth: usize,
    /// Data bytes (a directory: everything under it).
    pub size: u64,
    /// What the selected layer did to it.
    pub change: Option<Change>,
    /// A directory with entries under it.
    pub is_dir: bool,
    /// Collapsed by the user.
    pub collapsed: bool,
}

/// The explorer; see the module doc.
#[derive(Debug)]
pub struct Explorer {
    /// The analysed image, each layer with its file list.
    pub report: ImageReport,
    /// Priced optimize findings (`--dockerfile`).
    pub findings: Option<OptimizeReport>,
    /// Selected layer.
    pub layer: usize,
    /// Tree mode.
    pub mode: Mode,
    /// Focused pane.
    pub pane: Pane,
    /// Hide paths the selected layer did not change (dive's ctrl+u).
    pub hide_unchanged: bool,
    /// Hide removed paths (dive's ctrl+r).
    pub hide_removed: bool,
    /// Sort the tree by size (else by name).
    pub by_size: bool,
    /// The filter as typed: a path regex and optional `>SIZE` (e.g. `lib >1MB`).
    pub filter: String,
    /// The filter being typed (`/` or ctrl+f), applied on Enter.
    pub editing: Option<String>,
    /// Why the last filter was rejected.
    pub error: Option<String>,
    /// Collapsed directories, by path.
    pub collapsed: HashSet<String>,
    /// Selected row of the tree.
    pub cursor: usize,
    /// While the analysis runs: the number of layers of the image (those in
    /// `report.layers` have arrived); `None` once [`Explorer::finish`] took the report.
    pub reading: Option<usize>,
    regex: Option<regex::Regex>,
    min_size: u64,
    tree: FileTree,
    rows: Vec<Row>,
}

impl Explorer {
    /// An explorer on the first layer, in layer mode, tree pane focused.
    pub fn new(report: ImageReport, findings: Option<OptimizeReport>) -> Self {
        let mut e = Explorer {
            report,
            findings,
            layer: 0,
            mode: Mode::Layer,
            pane: Pane::Layers,
            hide_unchanged: false,
            hide_removed: false,
            by_size: true,
            filter: String::new(),
            editing: None,
            error: None,
            collapsed: HashSet::new(),
            cursor: 0,
            reading: None,
            regex: None,
            min_size: 0,
            tree: FileTree::new(),
            rows: Vec::new(),
        };
        e.rebuild();
        e
    }

    /// An explorer on `img` before any layer has been analysed: layers arrive with
    /// [`Explorer::push_layer`], the image-wide figures with [`Explorer::finish`].
    pub fn reading(img: &Image) -> Self {
        let report = ImageReport::before_analysis(img);
        let mut e = Explorer::new(report, None);
        e.reading = Some(img.layers.len());
        e
    }

    /// Adds the next layer (in order) while the analysis runs; the tree is rebuilt when the
    /// layer changes what is shown.
    pub fn push_layer(&mut self, l: LayerSummary) {
        let i = l.index;
        self.report.layers.push(l);
        let shown = match self.mode {
            Mode::Layer => i == self.layer,
            Mode::Aggregated => i <= self.layer,
        };
        if shown {
            self.rebuild();
        }
    }

    /// Takes the finished analysis: its figures, wasted copies, caches and findings. Layers
    /// whose file lists arrived through [`Explorer::push_layer`] keep them (the report's
    /// layers have none when they were streamed).
    pub fn finish(&mut self, mut report: ImageReport, findings: Option<OptimizeReport>) {
        for (old, new) in self.report.layers.iter_mut().zip(report.layers.iter_mut()) {
            if new.files.is_empty() {
                new.files = std::mem::take(&mut old.files);
            }
        }
        report.files.clear();
        self.report = report;
        self.findings = findings;
        self.reading = None;
        self.layer = self.layer.min(self.report.layers.len().saturating_sub(1));
        self.rebuild();
    }

    /// The tar mode of the path under the tree cursor, from the last layer up to the selected
    /// one that listed it (for a removed path, the mode it had); `None` for a directory only
    /// implied by its files.
    pub fn cursor_mode(&self) -> Option<u32> {
        let row = self.rows.get(self.cursor)?;
        self.report
            .layers
            .iter()
            .take(self.layer + 1)
            .rev()
            .find_map(|l| l.files.iter().rev().find(|f| f.path == row.path))
            .map(|f| f.mode)
    }

    /// The rows shown, top to bottom.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Selects layer `i` (clamped) and rebuilds its tree.
    pub fn select_layer(&mut self, i: usize) {
        let last = self.report.layers.len().saturating_sub(1);
        self.layer = i.min(last);
        self.cursor = 0;
        self.rebuild();
    }

    /// Switches the mode and rebuilds.
    pub fn set_mode(&mut self, m: Mode) {
        self.mode = m;
        self.cursor = 0;
        self.rebuild();
    }

    /// Applies a filter: words are a path regex, except `>SIZE` (a minimum size). An invalid
    /// filter leaves the current one and sets [`Explorer::error`].
    pub fn set_filter(&mut self, text: &str) {
        let mut min = 0;
        let mut pattern = Vec::new();
        for w in text.split_whitespace() {
            match w.strip_prefix('>') {
                Some(sz) => match crate::units::parse_size(sz) {
                    Ok(n) => min = n,
                    Err(e) => {
                        self.error = Some(e);
                        return;
                    }
                },
                None => pattern.push(w),
            }
        }
        let regex = if pattern.is_empty() {
            None
        } else {
            match regex::RegexBuilder::new(&pattern.join(" "))
                .size_limit(1 << 20)
                .build()
            {
                Ok(r) => Some(r),
                Err(e) => {
                    self.error = Some(e.to_string());
                    return;
                }
            }
        };
        self.error = None;
        self.filter = text.trim().to_string();
        self.regex = regex;
        self.min_size = min;
        self.cursor = 0;
        self.refresh();
    }

    /// Collapses or expands the directory under the cursor.
    pub fn toggle_collapse(&mut self) {
        if let Some(r) = self.rows.get(self.cursor)
            && r.is_dir
        {
            let p = r.path.clone();
            if !self.collapsed.remove(&p) {
                self.collapsed.insert(p);
            }
            self.refresh();
        }
    }

    /// Moves the cursor of the focused pane by `d` rows.
    pub fn move_by(&mut self, d: isize) {
        match self.pane {
            Pane::Layers => {
                let i = self.layer.saturating_add_signed(d);
                self.select_layer(i);
            }
            Pane::Tree => {
                let last = self.rows.len().saturating_sub(1);
                self.cursor = self.cursor.saturating_add_signed(d).min(last);
            }
        }
    }

    /// Rebuilds the tree of the selected layer and mode, then the rows.
    pub fn rebuild(&mut self) {
        let mut t = FileTree::new();
        match self.mode {
            Mode::Layer => {
                if let Some(l) = self.report.layers.get(self.layer) {
                    for f in &l.files {
                        t.insert(&f.path, f.kind, f.size, Some(f.change));
                    }
                }
            }
            Mode::Aggregated => {
                let mut fs: BTreeMap<&str, (FileKind, u64, Option<Change>)> = BTreeMap::new();
                for l in self.report.layers.iter().take(self.layer + 1) {
                    let here = l.index == self.layer;
                    for f in &l.files {
                        match f.change {
                            Change::Removed if !here => {
                                fs.remove(f.path.as_str());
                            }
                            c => {
                                let mark = here.then_some(c);
                                fs.insert(&f.path, (f.kind, f.size, mark));
                            }
                        }
                    }
                }
                for (p, (k, s, c)) in fs {
                    t.insert(p, k, s, c);
                }
            }
        }
        t.finish();
        self.tree = t;
        self.refresh();
    }

    /// Recomputes the visible rows (filters, collapsed directories, sort order).
    pub fn refresh(&mut self) {
        let t = &self.tree;
        // keep[id]: a leaf passing the filters, or a directory with one below it
        let mut keep = vec![false; t.len()];
        let filtered = self.regex.is_some() || self.min_size > 0;
        for (id, k) in keep.iter_mut().enumerate().skip(1) {
            let n = t.node(id as NodeId);
            if !n.children.is_empty() {
                continue;
            }
            let changed_ok = !self.hide_unchanged || n.change.is_some();
            let removed_ok = !self.hide_removed || n.change != Some(Change::Removed);
            let size_ok = n.size >= self.min_size;
            let path_ok = self
                .regex
                .as_ref()
                .is_none_or(|r| r.is_match(&t.path(id as NodeId)));
            let is_empty_dir = n.kind == FileKind::Dir;
            *k = changed_ok && removed_ok && size_ok && path_ok && !(filtered && is_empty_dir);
        }
        // children have higher ids than parents: one backward pass marks the directories
        for id in (1..t.len()).rev() {
            if keep[id] {
                let p = t.node(id as NodeId).parent as usize;
                if let Some(k) = keep.get_mut(p) {
                    *k = true;
                }
            }
        }
        let mut rows = Vec::new();
        // explicit stack: no recursion whatever the depth
        let mut stack: Vec<(NodeId, usize, String)> = Vec::new();
        let push_children =
            |stack: &mut Vec<(NodeId, usize, String)>, id: NodeId, depth: usize, prefix: &str| {
                let mut kids: Vec<NodeId> = t
                    .node(id)
                    .children
                    .iter()
                    .copied()
                    .filter(|&c| keep.get(c as usize).copied().unwrap_or(false))
                    .collect();
                if !self.by_size {
                    kids.sort_by(|&a, &b| t.node(a).name.cmp(&t.node(b).name));
                }
                for c in kids.into_iter().rev() {
                    let name = &t.node(c).name;
                    let path = if prefix.is_empty() {
                        name.to_string()
                    } else {
                        format!("{prefix}/{name}")
                    };
                    stack.push((c, depth, path));
                }
            };
        push_children(&mut stack, FileTree::ROOT, 0, "");
        while let Some((id, depth, path)) = stack.pop() {
            let n = t.node(id);
            let is_dir = !n.children.is_empty();
            let collapsed = is_dir && self.collapsed.contains(&path);
            rows.push(Row {
                name: n.name.to_string(),
                depth,
                size: n.size,
                change: n.change,
                is_dir,
                collapsed,
                path: path.clone(),
            });
            if is_dir && !collapsed {
                push_children(&mut stack, id, depth + 1, &path);
            }
        }
        self.rows = rows;
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::image::testkit::{self, ImageSpec, LayerBuilder};

    /// The analysis of [`image`].
    pub(crate) fn report() -> ImageReport {
        let d = tempfile::tempdir().unwrap();
        let img = image(d.path());
        let opts = crate::image::AnalyzeOptions {
            layer_files: true,
            files: false,
            ..Default::default()
        };
        let mut r = crate::image::analyze(&img, &opts).unwrap();
        r.archive = "t.tar".into();
        r
    }

    /// A three-layer image, `t.tar` in `dir`: base files, a layer that modifies and deletes,
    /// one that adds.
    pub(crate) fn image(dir: &std::path::Path) -> crate::image::Image {
        let spec = ImageSpec::new()
            .layer(
                LayerBuilder::new()
                    .file_size("etc/config", 1000)
                    .file_size("usr/lib/libbig.so", 50_000)
                    .file_size("usr/lib/libsmall.so", 2_000)
                    .file_size("tmp/cache/a", 3_000)
                    .build(),
                "/bin/sh -c #(nop) ADD file:base in / ",
            )
            .layer(
                LayerBuilder::new()
                    .whiteout("tmp/cache")
                    .file_size("etc/config", 1_200)
                    .build(),
                "RUN /bin/sh -c rm -rf /tmp/cache && configure",
            )
            .layer(
                LayerBuilder::new()
                    .file_size("app/main", 9_000)
                    .mode(0o4755)
                    .file_size("app/lib/x.so", 4_000)
                    .build(),
                "COPY . /app",
            )
            .tag("explore/test:1");
        let p = dir.join("t.tar");
        std::fs::write(&p, testkit::to_tar(&testkit::docker_blobs(&[spec]))).unwrap();
        crate::image::open(&p, &Default::default()).unwrap()
    }

    /// The analysis of [`image`] streamed: each layer's summary as the sink received it, and
    /// the final report.
    pub(crate) fn streamed(img: &crate::image::Image) -> (Vec<LayerSummary>, ImageReport) {
        let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = {
            let got = got.clone();
            crate::image::LayerSink::new(move |l| got.lock().unwrap().push(l))
        };
        let opts = crate::image::AnalyzeOptions {
            layer_files: true,
            files: false,
            on_layer: Some(sink),
            ..Default::default()
        };
        let r = crate::image::analyze(img, &opts).unwrap();
        let layers = std::mem::take(&mut *got.lock().unwrap());
        (layers, r)
    }

    #[test]
    fn layers_fed_one_by_one_end_as_the_whole_report() {
        let d = tempfile::tempdir().unwrap();
        let img = image(d.path());
        let (layers, mut r) = streamed(&img);
        assert_eq!(layers.len(), 3);
        assert!(
            r.layers.iter().all(|l| l.files.is_empty()),
            "the file lists moved to the sink"
        );
        let mut e = Explorer::reading(&img);
        assert_eq!(e.reading, Some(3));
        assert!(e.rows().is_empty(), "nothing arrived yet");
        e.set_mode(Mode::Aggregated);
        let mut it = layers.into_iter();
        e.push_layer(it.next().unwrap());
        assert!(paths(&e).contains(&"+tmp/cache/a".to_string()));
        // keys work while reading: the next layer is not there yet, the cursor stays
        e.move_by(1);
        assert_eq!(e.layer, 0);
        e.push_layer(it.next().unwrap());
        e.move_by(1);
        assert_eq!(e.layer, 1);
        let p = paths(&e);
        assert!(p.contains(&"~etc/config".to_string()), "{p:?}");
        assert!(p.contains(&"-tmp/cache/a".to_string()), "{p:?}");
        e.push_layer(it.next().unwrap());
        assert_eq!(e.reading, Some(3), "figures still missing");
        r.archive = "t.tar".into();
        e.finish(r, None);
        assert_eq!(e.reading, None);
        // the same rows as an explorer opened on the whole report
        let mut whole = Explorer::new(report(), None);
        whole.set_mode(Mode::Aggregated);
        whole.select_layer(1);
        assert_eq!(paths(&e), paths(&whole));
        assert_eq!(e.report, whole.report, "files merged back, figures taken");
    }

    fn paths(e: &Explorer) -> Vec<String> {
        e.rows()
            .iter()
            .map(|r| {
                let mark = match r.change {
                    Some(Change::Added) => "+",
                    Some(Change::Modified) => "~",
                    Some(Change::Removed) => "-",
                    None => " ",
                };
                format!("{mark}{}", r.path)
            })
            .collect()
    }

    #[test]
    fn layer_mode_lists_the_layers_changes_biggest_first() {
        let mut e = Explorer::new(report(), None);
        assert_eq!(
            paths(&e),
            [
                " usr",
                " usr/lib",
                "+usr/lib/libbig.so",
                "+usr/lib/libsmall.so",
                " tmp",
                " tmp/cache",
                "+tmp/cache/a",
                " etc",
                "+etc/config"
            ]
        );
        e.select_layer(1);
        // tmp/cache was implied by its file (no tar entry): only the file is listed as removed
        assert_eq!(
            paths(&e),
            [" tmp", " tmp/cache", "-tmp/cache/a", " etc", "~etc/config"]
        );
    }

    #[test]
    fn aggregated_mode_shows_the_filesystem_with_marks() {
        let mut e = Explorer::new(report(), None);
        e.set_mode(Mode::Aggregated);
        e.select_layer(2);
        let p = paths(&e);
        assert!(p.contains(&"+app/main".to_string()), "{p:?}");
        assert!(p.contains(&" usr/lib/libbig.so".to_string()));
        assert!(p.contains(&" etc/config".to_string()));
        assert!(
            !p.iter().any(|x| x.contains("tmp/cache")),
            "deleted below: {p:?}"
        );
        e.hide_unchanged = true;
        e.refresh();
        assert_eq!(
            paths(&e),
            [" app", "+app/main", " app/lib", "+app/lib/x.so"]
        );
        e.by_size = false;
        e.refresh();
        assert_eq!(
            paths(&e),
            [" app", " app/lib", "+app/lib/x.so", "+app/main"]
        );
    }

    #[test]
    fn filters_by_regex_and_size_and_collapses() {
        let mut e = Explorer::new(report(), None);
        e.set_filter(r"\.so$");
        assert_eq!(
            paths(&e),
            [
                " usr",
                " usr/lib",
                "+usr/lib/libbig.so",
                "+usr/lib/libsmall.so"
            ]
        );
        e.set_filter(r"\.so$ >10kB");
        assert_eq!(paths(&e), [" usr", " usr/lib", "+usr/lib/libbig.so"]);
        e.set_filter("(unclosed");
        assert!(e.error.is_some());
        assert_eq!(
            e.filter, r"\.so$ >10kB",
            "a bad filter keeps the last good one"
        );
        e.set_filter("");
        e.pane = Pane::Tree;
        e.toggle_collapse(); // cursor on usr
        assert_eq!(paths(&e)[..2], [" usr".to_string(), " tmp".to_string()]);
        assert!(e.rows()[0].collapsed);
    }
}
