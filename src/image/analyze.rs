//! Analysing one image: every layer streamed in parallel by the [`super::schedule`] workers,
//! applied to the overlay model in order by [`super::assemble::InOrder`].

use super::assemble::{InOrder, Ready};
use super::cache::{self, LayerCache};
use super::ledger::Ledger;
use super::schedule::{self, Task};
use super::{Image, ImageError, ImageReport, LayerSummary, read, walk};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// How to analyse an image.
#[derive(Debug, Clone)]
pub struct AnalyzeOptions {
    /// Layers decoded in parallel (0 = one per CPU).
    pub jobs: usize,
    /// Check blob digests and diff_ids (on by default).
    pub verify: bool,
    /// Length of the top-N lists (wasted paths, largest files).
    pub top: usize,
    /// Glob patterns (matched against the path without leading `/`; `*` stays within one
    /// directory, `**` crosses directories) of files whose contents are collected into
    /// [`ImageReport::captured`] when they are in the final filesystem.
    pub capture: Vec<String>,
    /// Largest single file captured (bytes).
    pub capture_max_file: u64,
    /// Total bytes captured across all layers (copies later hidden count too).
    pub capture_max_total: u64,
    /// Most tar entries across all layers before the archive is rejected as a tar bomb.
    pub max_entries: usize,
    /// Show a progress bar on stderr (the CLI sets this only when stderr is a terminal).
    pub progress: bool,
    /// Fill [`ImageReport::files`] with the final filesystem (on by default). Off, the report
    /// is built from the compact overlay model alone and no per-path map is made.
    pub files: bool,
    /// Paths (no leading `/`) whose hidden copies the [`Ledger`] also tallies per pair of
    /// layers (see [`Ledger::watched`]); only used with [`analyze_with_ledger`].
    pub watch: Vec<String>,
    /// Fill each layer's [`super::LayerSummary::files`] with the paths it added, modified
    /// and removed.
    pub layer_files: bool,
    /// The layer cache (none by default; the CLI uses one unless `--no-cache`).
    pub cache: Option<LayerCache>,
    /// Receives each layer's summary, in layer order, as soon as the layer is applied to the
    /// overlay model (while later layers are still being read): `dlint explore` opens on it
    /// and `--format jsonl` writes it. With [`Self::layer_files`] the layer's file list moves
    /// to the sink (the final report's layers then have none). Used by [`analyze`] and
    /// [`analyze_with_ledger`], not by the pair analysis of `compare`.
    pub on_layer: Option<LayerSink>,
}

/// A callback taking each layer's [`LayerSummary`] as it is applied (see
/// [`AnalyzeOptions::on_layer`]); called on the analysing thread.
#[derive(Clone)]
pub struct LayerSink(pub Arc<dyn Fn(LayerSummary) + Send + Sync>);

impl LayerSink {
    /// A sink calling `f`.
    pub fn new(f: impl Fn(LayerSummary) + Send + Sync + 'static) -> Self {
        LayerSink(Arc::new(f))
    }
}

impl std::fmt::Debug for LayerSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LayerSink")
    }
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions {
            jobs: 0,
            verify: true,
            top: 10,
            capture: Vec::new(),
            capture_max_file: 16 << 20,
            capture_max_total: 64 << 20,
            max_entries: 2_000_000,
            progress: false,
            files: true,
            watch: Vec::new(),
            layer_files: false,
            cache: None,
            on_layer: None,
        }
    }
}

/// Streams every layer (in parallel), applies the overlay model and builds the report.
///
/// Workers take layers biggest first (so the longest one does not start last), the base layer
/// first of all; the calling thread applies each finished layer to the overlay model as soon as
/// every layer below it has been applied, then drops its entries.
pub fn analyze(img: &Image, opts: &AnalyzeOptions) -> Result<ImageReport, ImageError> {
    analyze_impl(img, opts, false).map(|r| r.0)
}

/// [`analyze`], plus the [`Ledger`] of where every stored copy went (for the optimizer).
pub fn analyze_with_ledger(
    img: &Image,
    opts: &AnalyzeOptions,
) -> Result<(ImageReport, Ledger), ImageError> {
    analyze_impl(img, opts, true).map(|(r, l)| (r, l.unwrap_or_default()))
}

fn analyze_impl(
    img: &Image,
    opts: &AnalyzeOptions,
    with_ledger: bool,
) -> Result<(ImageReport, Option<Ledger>), ImageError> {
    let capture = read::globs(img, &opts.capture)?;
    let entry_patterns = cache::entry_patterns(&opts.capture);
    let spec = cache::capture_spec(&entry_patterns, opts.capture_max_file);
    let entry_globs = match &opts.cache {
        Some(_) => read::globs(img, &entry_patterns)?,
        None => None,
    };
    let budget = AtomicU64::new(opts.capture_max_total);
    let seen = AtomicUsize::new(0);
    let bomb = AtomicUsize::new(usize::MAX);
    let tasks: Vec<Task> = (0..img.layers.len())
        .map(|i| Task {
            weight: img.blob_size(i),
            first: i == 0,
        })
        .collect();
    let progress = opts.progress.then(|| {
        let total: u64 = tasks.iter().map(|t| t.weight).sum();
        let pb = indicatif::ProgressBar::new(total.max(1));
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {bytes}/{total_bytes} {bar:30} {bytes_per_sec} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        pb
    });
    let ctx = walk::WalkCtx {
        capture: capture.as_ref(),
        capture_max_file: opts.capture_max_file,
        capture_budget: &budget,
        max_entries: opts.max_entries,
        entries_seen: &seen,
        bomb_layer: &bomb,
        layer: 0,
        progress: progress.as_ref(),
        hash: opts.verify,
        pipeline: false,
        cache: opts.cache.as_ref().map(|cache| cache::Use {
            cache,
            spec: &spec,
            globs: entry_globs.as_ref(),
        }),
    };
    let failed = AtomicUsize::new(usize::MAX);
    let mut order = InOrder::new(img, opts.top, &failed);
    if with_ledger {
        order.keep_ledger(opts.watch.clone());
    }
    if opts.layer_files {
        order.record_changes();
    }
    if opts.files {
        order.keep_modes();
    }
    if let Some(sink) = &opts.on_layer {
        order.stream_to(sink.clone());
    }
    schedule::run(
        &tasks,
        opts.jobs,
        &|i| i > failed.load(Ordering::Relaxed),
        &|i, pipeline| read::scan(img, i, &walk::WalkCtx { pipeline, ..ctx }).map(Ready::new),
        |i, r| order.offer(i, r),
    );
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    order.finish_with_ledger(bomb.into_inner(), opts)
}
