//! Image archive readers (docker-archive, OCI layout), layer walker and size/waste model.
//!
//! ```no_run
//! use dlint::image::{self, AnalyzeOptions, OpenOptions};
//! let img = image::open("app.tar".as_ref(), &OpenOptions::default())?;
//! let report = image::analyze(&img, &AnalyzeOptions::default())?;
//! println!("{} wasted bytes", report.totals.wasted_bytes);
//! # Ok::<(), image::ImageError>(())
//! ```
//!
//! The waste formula: every regular file stored in a layer is one copy of data (hard links
//! share their target's copy). A copy is *visible* if some path of the final filesystem still
//! reaches it, otherwise it is *wasted* (overwritten later, deleted by a file whiteout, under a
//! deleted directory, or hidden by an opaque directory). `wasted_bytes = stored - visible` and
//! `efficiency = visible / stored`.

pub mod compare;
mod error;
pub mod gates;
pub mod ledger;
mod manifest;
mod model;
pub mod packages;
mod read;
mod store;
#[doc(hidden)]
pub mod testkit;
pub mod text;
mod walk;

pub use error::ImageError;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use store::Store;

/// Which image to pick from an archive.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// `os/arch[/variant]`, e.g. `linux/arm64`. Default: the only platform, else `linux/amd64`.
    pub platform: Option<String>,
    /// Reference (`name:tag`, `name` meaning `name:latest`) or digest prefix of the image to pick
    /// when the archive holds several.
    pub image: Option<String>,
}

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
        }
    }
}

/// The container formats dlint reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArchiveFormat {
    /// Classic `docker save` (`manifest.json`, `<id>/layer.tar` or `<sha>.tar`).
    DockerArchive,
    /// Docker 25+ `docker save`: `manifest.json` pointing into an OCI `blobs/` tree.
    DockerArchiveOci,
    /// OCI image layout directory.
    OciLayout,
    /// OCI image layout in a tar (`oci-archive`).
    OciArchive,
}

/// Layer compression, detected from the blob's first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    /// Plain tar.
    #[default]
    None,
    /// gzip (`1f 8b`).
    Gzip,
    /// zstd (`28 b5 2f fd`).
    Zstd,
}

/// Kind of a path in the filesystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// Regular file.
    File,
    /// Directory.
    Dir,
    /// Symbolic link.
    Symlink,
    /// Hard link to a regular file (shares its data; `size` is the data's size).
    Hardlink,
    /// Device node, fifo or socket.
    Other,
}

/// Why a stored copy of a file is not visible in the final filesystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HiddenBy {
    /// A later entry at the same path replaced it.
    Overwritten,
    /// A `.wh.<name>` whiteout deleted it.
    Whiteout,
    /// It was under a directory deleted by a whiteout.
    DirectoryWhiteout,
    /// It was under a directory made opaque (`.wh..wh..opq`).
    Opaque,
}

/// A layer as listed by the manifest, before it is read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LayerRef {
    /// Member path inside the archive (`blobs/sha256/…`, `<id>/layer.tar`).
    pub member: String,
    /// Expected blob digest, when the manifest gives one.
    pub digest: Option<String>,
    /// Media type from the manifest (OCI only).
    pub media_type: Option<String>,
    /// Blob size from the manifest (OCI only).
    pub size: Option<u64>,
}

/// An opened image: metadata resolved, no layer read yet.
#[derive(Debug)]
pub struct Image {
    /// The archive or layout path.
    pub path: PathBuf,
    /// Container format.
    pub format: ArchiveFormat,
    /// Image reference (tag) when the archive names one.
    pub reference: Option<String>,
    /// `os/arch[/variant]`.
    pub platform: Option<String>,
    /// Digest (or archive member) of the image config.
    pub config_digest: String,
    /// Layers, base first.
    pub layers: Vec<LayerRef>,
    /// `rootfs.diff_ids` of the config, one per layer.
    pub diff_ids: Vec<String>,
    /// Cleaned `created_by` of the history entry of each layer.
    pub created_by: Vec<Option<String>>,
    /// The config's whole history, base first, empty-layer entries included.
    pub history: Vec<HistoryEntry>,
    store: Store,
}

impl Image {
    /// Size of the archive file (0 for a directory).
    pub fn store_size(&self) -> u64 {
        if self.store.is_tar() {
            std::fs::metadata(&self.path).map_or(0, |m| m.len())
        } else {
            0
        }
    }
}

/// Opens an archive or layout and resolves one image (platform, `--image`), reading only metadata.
pub fn open(path: &Path, opts: &OpenOptions) -> Result<Image, ImageError> {
    let store = Store::open(path)?;
    let r = manifest::resolve(&store, opts)?;
    let diff_ids = r.config.rootfs().diff_ids().clone();
    if diff_ids.len() != r.layers.len() {
        return Err(ImageError::format(
            path,
            format!(
                "the manifest lists {} layers but the config has {} diff_ids",
                r.layers.len(),
                diff_ids.len()
            ),
        ));
    }
    let mut created_by: Vec<Option<String>> = r
        .config
        .history()
        .iter()
        .flatten()
        .filter(|h| h.empty_layer() != Some(true))
        .map(|h| h.created_by().as_deref().map(clean_created_by))
        .collect();
    created_by.resize(r.layers.len(), None);
    let history = r
        .config
        .history()
        .iter()
        .flatten()
        .map(|h| HistoryEntry {
            created_by: h.created_by().clone(),
            empty_layer: h.empty_layer() == Some(true),
        })
        .collect();
    Ok(Image {
        path: path.to_path_buf(),
        format: r.format,
        reference: r.reference,
        platform: r.platform,
        config_digest: r.config_digest,
        layers: r.layers,
        diff_ids,
        created_by,
        history,
        store,
    })
}

/// One entry of the image config's `history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// `created_by` as the builder wrote it (not cleaned).
    pub created_by: Option<String>,
    /// True when the entry made no layer (ENV, CMD… or a RUN that changed nothing).
    pub empty_layer: bool,
}

/// Turns a history `created_by` into the Dockerfile instruction it came from:
/// `/bin/sh -c #(nop)  CMD ["x"]` -> `CMD ["x"]`, `|2 A=1 B=2 /bin/sh -c make` -> `RUN make`,
/// BuildKit's `RUN /bin/sh -c make # buildkit` -> `RUN make`.
pub fn clean_created_by(raw: &str) -> String {
    let mut s = raw.trim();
    s = s.strip_suffix("# buildkit").unwrap_or(s).trim_end();
    let mut run = false;
    if let Some(r) = s.strip_prefix("RUN ") {
        s = r.trim_start();
        run = true;
    }
    // `|N K=V K=V ... cmd`: drop the N build-arg assignments
    if let Some(rest) = s.strip_prefix('|')
        && let Some((n, mut tail)) = rest.split_once(' ')
        && let Ok(n) = n.parse::<usize>()
    {
        for _ in 0..n {
            tail = tail.trim_start();
            tail = tail.split_once(' ').map_or("", |(_, t)| t);
        }
        s = tail.trim_start();
        run = true;
    }
    for sh in ["/bin/sh -c ", "/bin/bash -c ", "cmd /S /C "] {
        if let Some(r) = s.strip_prefix(sh) {
            let r = r.trim_start();
            if let Some(nop) = r.strip_prefix("#(nop)") {
                return nop.trim().to_string();
            }
            return format!("RUN {}", r.trim_end());
        }
    }
    if run {
        format!("RUN {s}")
    } else {
        s.to_string()
    }
}

/// Per-layer summary.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LayerSummary {
    /// 0-based position, base layer first.
    pub index: usize,
    /// sha256 of the blob as stored (compressed).
    pub digest: String,
    /// sha256 of the uncompressed tar stream.
    pub diff_id: String,
    /// Media type from the manifest, if any.
    pub media_type: Option<String>,
    /// Compression detected from the bytes.
    pub compression: Compression,
    /// Blob size in bytes.
    pub compressed_size: u64,
    /// Uncompressed tar stream size in bytes (headers and padding included).
    pub uncompressed_size: u64,
    /// Entries that are not directories or whiteouts.
    pub file_count: u64,
    /// Whiteout and opaque markers.
    pub whiteouts: u64,
    /// Cleaned instruction that created the layer.
    pub created_by: Option<String>,
    /// Bytes of regular files stored in this layer.
    pub bytes_added: u64,
    /// Bytes of lower-layer files this layer replaced at the same path.
    pub bytes_overwritten: u64,
    /// Bytes of lower-layer files this layer's whiteouts (file, directory, opaque) hid.
    pub bytes_removed: u64,
    /// 1-based line of the Dockerfile instruction that made the layer (`dlint image
    /// --dockerfile`), when the history matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// Image-wide figures.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Totals {
    /// Sum of the layer blob sizes.
    pub compressed_size: u64,
    /// Sum of the uncompressed layer tar sizes.
    pub uncompressed_size: u64,
    /// Bytes of all regular-file copies stored across layers.
    pub stored_bytes: u64,
    /// Bytes of file data reachable in the final filesystem (hard links counted once).
    pub visible_bytes: u64,
    /// `stored_bytes - visible_bytes`.
    pub wasted_bytes: u64,
    /// `wasted_bytes / stored_bytes * 100` (0 for an empty image).
    pub wasted_percent: f64,
    /// `visible_bytes / stored_bytes` (1 for an empty image).
    pub efficiency: f64,
    /// Regular files and hard links in the final filesystem.
    pub files: u64,
    /// All paths in the final filesystem.
    pub paths: u64,
}

/// What dive (wagoodman/dive) would report, for users comparing numbers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DiveCompat {
    /// dive's "efficiency": sum of each path's smallest copy / sum of all copies.
    pub score: f64,
    /// dive's "wasted bytes": total size of every copy of each path seen in 2+ layers,
    /// including the surviving copy.
    pub wasted_bytes: u64,
    /// dive's "userWastedPercent": `wasted_bytes` over the file bytes of every layer but the
    /// first, times 100.
    pub user_wasted_percent: f64,
}

/// A stored file copy that is not visible in the final filesystem.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WastedPath {
    /// Path of the copy.
    pub path: String,
    /// Its size.
    pub size: u64,
    /// Layer that stored it.
    pub added_layer: usize,
    /// Layer that hid it.
    pub hidden_layer: usize,
    /// How it was hidden.
    pub reason: HiddenBy,
}

/// A path of the final filesystem.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FsEntry {
    /// File, dir, symlink, hard link, other.
    pub kind: FileKind,
    /// Data size (regular files and hard links), else 0.
    pub size: u64,
    /// Layer of the entry that made this path what it is.
    pub layer: usize,
    /// Symlink or hard-link target.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub link: Option<String>,
}

/// A large file of the final filesystem.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LargeFile {
    /// Path (no leading `/`).
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Layer that put it there.
    pub layer: usize,
}

/// Visible bytes below one top-level directory.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DirSize {
    /// Top-level directory (or a file at the root).
    pub path: String,
    /// Visible file bytes below it.
    pub bytes: u64,
    /// Regular files below it.
    pub files: u64,
}

/// A package-manager cache left in the final filesystem.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CacheFinding {
    /// Cache directory (no leading `/`).
    pub path: String,
    /// Tool that owns it (apt, apk, pip, …).
    pub tool: String,
    /// Bytes of regular files in it.
    pub bytes: u64,
    /// Regular files in it.
    pub files: u64,
    /// Layers that put those files there, ascending.
    pub layers: Vec<usize>,
}

/// Contents of a small final-filesystem file asked for with [`AnalyzeOptions::capture`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CapturedFile {
    /// Layer the visible copy comes from.
    pub layer: usize,
    /// Size in bytes.
    pub size: u64,
    /// Contents (invalid UTF-8 replaced with U+FFFD).
    pub content: String,
}

/// Everything `dlint image` reports. Serialised as the `--format json` output.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ImageReport {
    /// Schema version of this JSON (bumped on incompatible changes).
    pub schema_version: u32,
    /// Archive or layout path as given.
    pub archive: String,
    /// Container format.
    pub format: ArchiveFormat,
    /// Image reference, if the archive names one.
    pub reference: Option<String>,
    /// `os/arch[/variant]`.
    pub platform: Option<String>,
    /// Digest of the image config.
    pub config_digest: String,
    /// Layers, base first.
    pub layers: Vec<LayerSummary>,
    /// Image totals.
    pub totals: Totals,
    /// dive's figures for the same image.
    pub dive: DiveCompat,
    /// Largest hidden copies, biggest first (at most `top`).
    pub wasted: Vec<WastedPath>,
    /// Largest visible files, biggest first (at most `top`).
    pub largest: Vec<LargeFile>,
    /// Visible bytes per top-level directory, biggest first.
    pub directories: Vec<DirSize>,
    /// Package-manager caches left in the final filesystem.
    pub caches: Vec<CacheFinding>,
    /// The final filesystem: path (no leading `/`) -> entry. Left out of the CLI's JSON unless
    /// `--files` is given.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, FsEntry>,
    /// Captured file contents by path (see [`AnalyzeOptions::capture`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub captured: BTreeMap<String, CapturedFile>,
}

/// Package-manager cache directories: (path, tool).
pub const CACHE_DIRS: &[(&str, &str)] = &[
    ("var/lib/apt/lists", "apt"),
    ("var/cache/apt", "apt"),
    ("var/cache/apk", "apk"),
    ("etc/apk/cache", "apk"),
    ("root/.cache/pip", "pip"),
    ("root/.npm", "npm"),
    ("usr/local/share/.cache/yarn", "yarn"),
    ("root/.cache/yarn", "yarn"),
    ("root/.yarn/berry/cache", "yarn"),
    ("root/.local/share/pnpm/store", "pnpm"),
    ("root/.cache/go-build", "go"),
    ("root/go/pkg/mod/cache", "go"),
    ("go/pkg/mod/cache", "go"),
    ("var/cache/dnf", "dnf"),
    ("var/cache/yum", "yum"),
    ("var/cache/zypp", "zypper"),
    ("root/.gem", "gem"),
    ("usr/local/bundle/cache", "bundler"),
    ("root/.cache/composer", "composer"),
    ("root/.composer/cache", "composer"),
    ("opt/conda/pkgs", "conda"),
    ("root/.conda/pkgs", "conda"),
    ("root/.cargo/registry", "cargo"),
    ("usr/local/cargo/registry", "cargo"),
    ("root/.m2/repository", "maven"),
    ("root/.gradle/caches", "gradle"),
    ("root/.cache/uv", "uv"),
];

/// Smallest blob worth a second thread (below it, the thread costs more than it saves).
const PIPELINE_MIN_BLOB: u64 = 32 << 20;

/// Streams every layer (in parallel), applies the overlay model and builds the report.
///
/// Workers take layers biggest first (so the longest one does not start last); the calling
/// thread applies each finished layer to the overlay model as soon as every layer below it has
/// been applied, then drops its entries. Memory therefore holds the model plus the packed
/// entries of layers that finished early, not every entry of the image.
pub fn analyze(img: &Image, opts: &AnalyzeOptions) -> Result<ImageReport, ImageError> {
    analyze_impl(img, opts, false).map(|r| r.0)
}

/// [`analyze`], plus the [`ledger::Ledger`] of where every stored copy went (for the optimizer).
pub fn analyze_with_ledger(
    img: &Image,
    opts: &AnalyzeOptions,
) -> Result<(ImageReport, ledger::Ledger), ImageError> {
    analyze_impl(img, opts, true).map(|(r, l)| (r, l.unwrap_or_default()))
}

fn analyze_impl(
    img: &Image,
    opts: &AnalyzeOptions,
    with_ledger: bool,
) -> Result<(ImageReport, Option<ledger::Ledger>), ImageError> {
    let capture = read::globs(img, &opts.capture)?;
    let budget = AtomicU64::new(opts.capture_max_total);
    let seen = AtomicUsize::new(0);
    let bomb = AtomicUsize::new(usize::MAX);
    let sizes: Vec<u64> = img
        .layers
        .iter()
        .map(|l| {
            l.size
                .or_else(|| img.store.member_size(&l.member))
                .unwrap_or(0)
        })
        .collect();
    let total_blob: u64 = sizes.iter().sum();
    let progress = opts.progress.then(|| {
        let pb = indicatif::ProgressBar::new(total_blob.max(1));
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
    };
    let jobs = if opts.jobs == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        opts.jobs
    };
    // biggest first, so that the longest layer does not start last; but the base layer first
    // of all, because no layer can be applied to the model before it
    let mut order: Vec<usize> = (0..img.layers.len()).collect();
    order.sort_by_key(|&i| {
        (
            i != 0,
            std::cmp::Reverse(sizes.get(i).copied().unwrap_or(0)),
        )
    });
    let next = AtomicUsize::new(0);
    // blob bytes of the layers no worker has taken yet
    let unstarted = AtomicU64::new(total_blob);
    // lowest layer index that failed: layers above it cannot change the outcome, so they are
    // not started (the one reported is still the lowest, whatever the timing)
    let first_failed = AtomicUsize::new(usize::MAX);
    let mut asm = Assembler::new(img, opts.top);
    if with_ledger {
        asm.m.ledger = Some(ledger::Ledger::default());
    }
    let mut errors: BTreeMap<usize, ImageError> = BTreeMap::new();
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<walk::LayerScan, ImageError>)>();
        for _ in 0..jobs.clamp(1, img.layers.len().max(1)) {
            let tx = tx.clone();
            let (order, next, first_failed, ctx) = (&order, &next, &first_failed, &ctx);
            let (sizes, unstarted) = (&sizes, &unstarted);
            s.spawn(move || {
                while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let size = sizes.get(i).copied().unwrap_or(0);
                    let after = unstarted
                        .fetch_sub(size, Ordering::Relaxed)
                        .saturating_sub(size);
                    if i > first_failed.load(Ordering::Relaxed) {
                        continue;
                    }
                    // a big layer, bigger than what the other workers have left, would end
                    // up running alone: give it a second thread
                    let pipeline = jobs > 1
                        && size >= PIPELINE_MIN_BLOB
                        && size.saturating_mul(jobs as u64 - 1) > after;
                    let ctx = walk::WalkCtx { pipeline, ..*ctx };
                    let r = read::scan(img, i, &ctx);
                    if r.is_err() {
                        first_failed.fetch_min(i, Ordering::Relaxed);
                    }
                    if tx.send((i, r)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, walk::LayerScan> = BTreeMap::new();
        for (i, r) in rx {
            match r {
                Ok(scan) => {
                    pending.insert(i, scan);
                }
                Err(e) => {
                    errors.insert(i, e);
                }
            }
            // apply what is ready, up to the lowest failed layer
            while errors.keys().next().is_none_or(|&e| e > asm.next_layer()) {
                let Some(scan) = pending.remove(&asm.next_layer()) else {
                    break;
                };
                let at = asm.next_layer();
                if let Err(e) = asm.push(scan) {
                    first_failed.fetch_min(at, Ordering::Relaxed);
                    errors.insert(at, e);
                }
            }
        }
    });
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    // a tar bomb makes every layer still running fail: report the one that crossed the limit
    let bomb = bomb.into_inner();
    if let Some(e) = errors.remove(&bomb) {
        return Err(e);
    }
    if let Some((_, e)) = errors.into_iter().next() {
        return Err(e);
    }
    asm.finish(opts)
}

/// Builds the report of `img` from its layer scans, base first.
pub(crate) fn build_report(
    img: &Image,
    scans: Vec<walk::LayerScan>,
    opts: &AnalyzeOptions,
) -> Result<ImageReport, ImageError> {
    let mut asm = Assembler::new(img, opts.top);
    for s in scans {
        asm.push(s)?;
    }
    asm.finish(opts).map(|r| r.0)
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

    fn push(&mut self, mut s: walk::LayerScan) -> Result<(), ImageError> {
        let i = self.scans.len();
        self.m
            .apply(i, &s.entries)
            .map_err(|message| ImageError::Layer {
                archive: self.img.path.clone(),
                index: i,
                digest: s.blob_digest.clone(),
                message,
            })?;
        for (path, content) in std::mem::take(&mut s.captured) {
            self.capture_paths.push((i, path, content));
        }
        s.entries = walk::Entries::default();
        self.scans.push(s);
        Ok(())
    }

    fn finish(
        self,
        opts: &AnalyzeOptions,
    ) -> Result<(ImageReport, Option<ledger::Ledger>), ImageError> {
        let Assembler {
            img,
            mut m,
            scans,
            capture_paths,
        } = self;
        let layers: Vec<LayerSummary> = scans
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let c = m.layers.get(i).cloned().unwrap_or_default();
                LayerSummary {
                    index: i,
                    digest: s.blob_digest.clone(),
                    diff_id: s.diff_id.clone(),
                    media_type: img.layers.get(i).and_then(|l| l.media_type.clone()),
                    compression: s.compression,
                    compressed_size: s.blob_size,
                    uncompressed_size: s.uncompressed_size,
                    file_count: c.files,
                    whiteouts: c.whiteouts,
                    created_by: img.created_by.get(i).cloned().flatten(),
                    bytes_added: c.added,
                    bytes_overwritten: c.overwritten,
                    bytes_removed: c.removed,
                    line: None,
                }
            })
            .collect();
        let stored = m.stored_bytes();
        let wasted = m.wasted_bytes();
        let visible = stored - wasted.min(stored);
        let (mut min_sum, mut cum_sum, mut dive_wasted) = (0u64, 0u64, 0u64);
        for (cum, min, n) in m.dive.values() {
            cum_sum += cum;
            min_sum += min;
            if *n > 1 {
                dive_wasted += cum;
            }
        }
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
        m.dive = std::collections::HashMap::new();
        let hidden = m.take_hidden();
        // largest visible files (hard links reported once, at their first path)
        let largest = m.largest(opts.top);
        let ledger = m.close_ledger();
        let files = m.into_final_fs();
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
            files: files
                .values()
                .filter(|f| matches!(f.kind, FileKind::File | FileKind::Hardlink))
                .count() as u64,
            paths: files.len() as u64,
        };
        let mut dirs: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for (p, f) in &files {
            if !matches!(f.kind, FileKind::File | FileKind::Hardlink) {
                continue;
            }
            let top = p.split('/').next().unwrap_or(p);
            let e = dirs.entry(top).or_default();
            e.0 += f.size;
            e.1 += 1;
        }
        let mut directories: Vec<DirSize> = dirs
            .into_iter()
            .map(|(path, (bytes, files))| DirSize {
                path: path.to_string(),
                bytes,
                files,
            })
            .collect();
        directories.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
        let caches = find_caches(&files);
        let mut captured = BTreeMap::new();
        for (li, path, content) in capture_paths {
            if let Some(f) = files.get(&path)
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
        Ok((report, ledger))
    }
}

fn find_caches(files: &BTreeMap<String, FsEntry>) -> Vec<CacheFinding> {
    let mut out = Vec::new();
    for (dir, tool) in CACHE_DIRS {
        let lo = format!("{dir}/");
        let hi = format!("{dir}0");
        let mut c = CacheFinding {
            path: (*dir).to_string(),
            tool: (*tool).to_string(),
            bytes: 0,
            files: 0,
            layers: Vec::new(),
        };
        for (_, f) in files.range(lo..hi) {
            if matches!(f.kind, FileKind::File | FileKind::Hardlink) {
                c.bytes += f.size;
                c.files += 1;
                if !c.layers.contains(&f.layer) {
                    c.layers.push(f.layer);
                }
            }
        }
        if c.bytes > 0 {
            c.layers.sort_unstable();
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::clean_created_by as c;

    #[test]
    fn created_by() {
        assert_eq!(c("/bin/sh -c #(nop)  CMD [\"bash\"]"), "CMD [\"bash\"]");
        assert_eq!(
            c("/bin/sh -c #(nop) ADD file:abc in / "),
            "ADD file:abc in /"
        );
        assert_eq!(c("/bin/sh -c apt-get update"), "RUN apt-get update");
        assert_eq!(c("|2 A=1 B=x /bin/sh -c make all"), "RUN make all");
        assert_eq!(
            c("RUN /bin/sh -c apk del curl # buildkit"),
            "RUN apk del curl"
        );
        assert_eq!(c("RUN |1 V=3 /bin/sh -c echo $V # buildkit"), "RUN echo $V");
        assert_eq!(c("COPY . /app # buildkit"), "COPY . /app");
        assert_eq!(c("WORKDIR /app"), "WORKDIR /app");
    }
}
