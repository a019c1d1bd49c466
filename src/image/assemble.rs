//! Applying layer scans to the overlay model in layer order, and the report built from it.
//!
//! [`InOrder`] receives layer scans in any order (as the scheduler's workers finish them),
//! applies each one as soon as every layer below it has been applied, then drops its entries:
//! memory holds the model plus the entries of layers that finished early, not every entry of
//! the image.

use super::ledger::Ledger;
use super::walk::{self, Entries, LayerScan};
use super::{
    AnalyzeOptions, CapturedFile, DirSize, DiveCompat, FileKind, Image, ImageError, ImageReport,
    LayerSummary, Totals, model,
};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A layer ready to apply: its figures, and its entries (shared when both images of a
/// comparison have the layer, and dropped once every image that has it applied it).
#[derive(Debug, Clone)]
pub(crate) struct Ready {
    /// The scan without its entries.
    pub scan: LayerScan,
    /// The entries.
    pub entries: Arc<Entries>,
}

impl Ready {
    /// Moves the entries of `scan` behind an [`Arc`].
    pub fn new(mut scan: LayerScan) -> Self {
        let entries = Arc::new(std::mem::take(&mut scan.entries));
        Ready { scan, entries }
    }

    /// The blob's digest, size and compression.
    pub fn figures(&self) -> (String, u64, super::Compression) {
        (
            self.scan.blob_digest.clone(),
            self.scan.blob_size,
            self.scan.compression,
        )
    }
}

/// Applies one image's layers in order as they arrive; see the module doc.
pub(crate) struct InOrder<'a> {
    asm: Assembler<'a>,
    pending: BTreeMap<usize, Ready>,
    errors: BTreeMap<usize, ImageError>,
    /// Lowest layer that failed (`usize::MAX`: none). Layers above it cannot change the
    /// outcome: the scheduler's `skip` reads this to leave them out, so the error reported is
    /// the lowest layer's whatever the timing.
    failed: &'a AtomicUsize,
    /// Receives each layer's summary as soon as it is applied ([`Self::stream_to`]).
    sink: Option<super::LayerSink>,
}

impl<'a> InOrder<'a> {
    /// Starts with `failed` holding `usize::MAX`.
    pub fn new(img: &'a Image, top: usize, failed: &'a AtomicUsize) -> Self {
        InOrder {
            asm: Assembler::new(img, top),
            pending: BTreeMap::new(),
            errors: BTreeMap::new(),
            failed,
            sink: None,
        }
    }

    /// Hands each layer's summary to `sink` as soon as the layer is applied, in layer order;
    /// its file list ([`Self::record_changes`]) moves to the sink, and the final report's
    /// layers have none.
    pub fn stream_to(&mut self, sink: super::LayerSink) {
        self.sink = Some(sink);
    }

    /// Takes the result of layer `index` and applies every layer that is now ready.
    pub fn offer(&mut self, index: usize, r: Result<Ready, ImageError>) {
        match r {
            Ok(ready) => {
                self.pending.insert(index, ready);
            }
            Err(e) => self.fail(index, e),
        }
        // apply what is ready, up to the lowest failed layer
        while self
            .errors
            .keys()
            .next()
            .is_none_or(|&e| e > self.asm.next_layer())
        {
            let at = self.asm.next_layer();
            let Some(ready) = self.pending.remove(&at) else {
                break;
            };
            match self.asm.push(ready.scan, &ready.entries) {
                Ok(()) => {
                    if let Some(sink) = &self.sink {
                        let files = self.asm.take_changes(at);
                        (sink.0)(self.asm.summary(at, files));
                    }
                }
                Err(e) => self.fail(at, e),
            }
        }
    }

    fn fail(&mut self, index: usize, e: ImageError) {
        self.failed.fetch_min(index, Ordering::Relaxed);
        self.errors.insert(index, e);
    }

    /// The report, or the error of the lowest failed layer (the layer that crossed the
    /// tar-bomb limit first, `bomb`, when there is one: a tar bomb makes every layer still
    /// running fail).
    pub fn finish(self, bomb: usize, opts: &AnalyzeOptions) -> Result<ImageReport, ImageError> {
        self.finish_with_ledger(bomb, opts).map(|r| r.0)
    }

    /// Records the [`Ledger`] of where every stored copy went (for the optimizer).
    /// `watch` lists the paths tallied per pair of layers ([`Ledger::watched`]).
    pub fn keep_ledger(&mut self, watch: Vec<String>) {
        self.asm.m.ledger = Some(Ledger {
            watch,
            ..Ledger::default()
        });
    }

    /// Lists what every layer added, modified and removed ([`LayerSummary::files`]).
    pub fn record_changes(&mut self) {
        self.asm.m.record_changes();
    }

    /// Keeps every path's mode, for the final filesystem's entries ([`ImageReport::files`]).
    pub fn keep_modes(&mut self) {
        self.asm.m.keep_modes();
    }

    /// [`Self::finish`], with the ledger when [`Self::keep_ledger`] was called.
    pub fn finish_with_ledger(
        self,
        bomb: usize,
        opts: &AnalyzeOptions,
    ) -> Result<(ImageReport, Option<Ledger>), ImageError> {
        self.finish_all(bomb, opts, false).map(|r| (r.0, r.1))
    }

    /// [`Self::finish`], with the final filesystem's regular files and hard links as a
    /// comparison [`Side`](super::compare::Side) holds them: path -> (size, layer).
    pub fn finish_with_side_files(
        self,
        bomb: usize,
        opts: &AnalyzeOptions,
    ) -> Result<(ImageReport, SideFiles), ImageError> {
        self.finish_all(bomb, opts, true)
            .map(|r| (r.0, r.2.unwrap_or_default()))
    }

    fn finish_all(
        mut self,
        bomb: usize,
        opts: &AnalyzeOptions,
        side_files: bool,
    ) -> Result<Finished, ImageError> {
        if let Some(e) = self.errors.remove(&bomb) {
            return Err(e);
        }
        if let Some((_, e)) = self.errors.into_iter().next() {
            return Err(e);
        }
        let img = self.asm.img;
        if self.asm.next_layer() != img.layers.len() {
            let msg = format!("layer {} was never read", self.asm.next_layer());
            return Err(ImageError::format(&img.path, msg));
        }
        self.asm.finish(opts, side_files)
    }
}

/// Path (no leading `/`) -> (size, layer) of the regular files and hard links.
pub(crate) type SideFiles = BTreeMap<String, (u64, usize)>;

/// A report, its ledger (when kept) and its side files (when asked for).
type Finished = (ImageReport, Option<Ledger>, Option<SideFiles>);

/// The regular files and hard links of `m`'s final filesystem, built with
/// [`model::ChunkedMap`] while the model gives its memory back: the whole model is not held
/// beside the whole map.
fn side_files(m: model::Model) -> SideFiles {
    let mut map = model::ChunkedMap::default();
    m.drain(|p, kind, size, layer| {
        if matches!(kind, FileKind::File | FileKind::Hardlink) {
            map.push(
                super::packages::normalize_path(p).to_string(),
                (size, layer),
            );
        }
    });
    map.finish()
}

/// Applies layer scans to the overlay model in layer order, keeping only each layer's
/// figures (not its entries).
struct Assembler<'a> {
    img: &'a Image,
    m: model::Model,
    /// Scans applied so far, entries dropped.
    scans: Vec<walk::LayerScan>,
    /// (layer, path, content) of captured copies.
    capture_paths: Vec<(usize, String, String)>,
}

impl<'a> Assembler<'a> {
    fn new(img: &'a Image, top: usize) -> Self {
        Assembler {
            img,
            m: model::Model::new(top),
            scans: Vec::with_capacity(img.layers.len()),
            capture_paths: Vec::new(),
        }
    }

    /// Index of the layer the next `push` applies.
    fn next_layer(&self) -> usize {
        self.scans.len()
    }

    fn push(&mut self, mut s: walk::LayerScan, entries: &walk::Entries) -> Result<(), ImageError> {
        let i = self.scans.len();
        self.m
            .apply(i, entries)
            .map_err(|message| ImageError::Layer {
                archive: self.img.path.clone(),
                index: i,
                digest: s.blob_digest.clone(),
                message,
            })?;
        for (path, content) in std::mem::take(&mut s.captured) {
            self.capture_paths.push((i, path, content));
        }
        self.scans.push(s);
        Ok(())
    }

    /// The file list recorded for layer `i` so far, taken out of the model.
    fn take_changes(&mut self, i: usize) -> Vec<super::LayerFile> {
        self.m
            .changes
            .as_mut()
            .and_then(|c| c.get_mut(i))
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// The summary of applied layer `i`, with `files` as its file list.
    fn summary(&self, i: usize, files: Vec<super::LayerFile>) -> LayerSummary {
        let (img, s) = (self.img, self.scans.get(i));
        let c = self.m.layers.get(i).cloned().unwrap_or_default();
        LayerSummary {
            index: i,
            digest: s.map(|s| s.blob_digest.clone()).unwrap_or_default(),
            diff_id: s.map(|s| s.diff_id.clone()).unwrap_or_default(),
            media_type: img.layers.get(i).and_then(|l| l.media_type.clone()),
            compression: s.map(|s| s.compression).unwrap_or_default(),
            compressed_size: s.map_or(0, |s| s.blob_size),
            uncompressed_size: s.map_or(0, |s| s.uncompressed_size),
            file_count: c.files,
            whiteouts: c.whiteouts,
            created_by: img.created_by.get(i).cloned().flatten(),
            bytes_added: c.added,
            bytes_overwritten: c.overwritten,
            bytes_removed: c.removed,
            line: None,
            first_line: None,
            files,
        }
    }

    fn finish(
        mut self,
        opts: &AnalyzeOptions,
        want_side_files: bool,
    ) -> Result<Finished, ImageError> {
        let mut changes = self.m.changes.take().unwrap_or_default().into_iter();
        let layers: Vec<LayerSummary> = (0..self.scans.len())
            .map(|i| self.summary(i, changes.next().unwrap_or_default()))
            .collect();
        let Assembler {
            img,
            mut m,
            scans: _,
            capture_paths,
        } = self;
        let stored = m.stored_bytes();
        let wasted = m.wasted_bytes();
        let visible = stored - wasted.min(stored);
        let sums = m.dive_sums();
        let (min_sum, cum_sum, dive_wasted) = (sums.min, sums.cum, sums.wasted);
        let dive = DiveCompat {
            score: if cum_sum == 0 {
                1.0
            } else {
                min_sum as f64 / cum_sum as f64
            },
            wasted_bytes: dive_wasted,
            user_wasted_percent: {
                let user: u64 = layers.iter().skip(1).map(|l| l.bytes_added).sum();
                if user == 0 {
                    0.0
                } else {
                    dive_wasted as f64 * 100.0 / user as f64
                }
            },
        };
        let hidden = m.take_hidden();
        // largest visible files (hard links reported once, at their first path)
        let largest = m.largest(opts.top);
        let ledger = m.close_ledger();
        let (file_count, path_count) = m.counts();
        let totals = Totals {
            compressed_size: layers.iter().map(|l| l.compressed_size).sum(),
            uncompressed_size: layers.iter().map(|l| l.uncompressed_size).sum(),
            stored_bytes: stored,
            visible_bytes: visible,
            wasted_bytes: wasted,
            wasted_percent: if stored == 0 {
                0.0
            } else {
                wasted as f64 * 100.0 / stored as f64
            },
            efficiency: if stored == 0 {
                1.0
            } else {
                visible as f64 / stored as f64
            },
            files: file_count,
            paths: path_count,
        };
        let mut directories: Vec<DirSize> = m
            .top_dirs()
            .into_iter()
            .map(|(path, bytes, files)| DirSize { path, bytes, files })
            .collect();
        directories.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
        let caches = super::caches::find_caches(&m);
        let mut captured = BTreeMap::new();
        for (li, path, content) in capture_paths {
            if let Some(f) = m.get(&path)
                && f.layer == li
                && f.kind == FileKind::File
            {
                let size = f.size;
                captured.insert(
                    path,
                    CapturedFile {
                        layer: li,
                        size,
                        content,
                    },
                );
            }
        }
        let (files, side) = match (opts.files, want_side_files) {
            (true, false) => {
                m.done_finding();
                (m.into_final_fs(), None)
            }
            (false, false) => (BTreeMap::new(), None),
            (true, true) => {
                m.done_finding();
                let files = m.into_final_fs();
                let side = files
                    .iter()
                    .filter(|(_, e)| matches!(e.kind, FileKind::File | FileKind::Hardlink))
                    .map(|(p, e)| {
                        let p = super::packages::normalize_path(p).to_string();
                        (p, (e.size, e.layer))
                    })
                    .collect();
                (files, Some(side))
            }
            (false, true) => (BTreeMap::new(), Some(side_files(m))),
        };
        let report = ImageReport {
            schema_version: 1,
            archive: img.path.display().to_string(),
            format: img.format,
            reference: img.reference.clone(),
            platform: img.platform.clone(),
            config_digest: img.config_digest.clone(),
            layers,
            totals,
            dive,
            wasted: hidden,
            largest,
            directories,
            caches,
            files,
            captured,
        };
        Ok((report, ledger, side))
    }
}
