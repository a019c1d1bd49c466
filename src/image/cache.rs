//! The layer cache: what the overlay model and the reports need of a walked layer (its packed
//! entries, blob figures, captured files), stored on disk under the layer's diff_id and blob
//! digest so that a layer read once is never decompressed (or downloaded) again.
//!
//! One file per layer and capture setting, `<dir>/<sha256 of the identity>.dlc`, in the format
//! of [`entry`]: a versioned header, the sha256 of the payload and the payload itself (a
//! zstd-compressed varint encoding). A file that fails any check (truncated, flipped bytes, an
//! older format, another layer's entry renamed) is ignored like a miss and rewritten after the
//! walk. Files are written to a temporary file in the same directory and renamed, so a reader
//! never sees half an entry; the directory is kept under a size cap by deleting the least
//! recently used entries (a hit touches the file's mtime). See docs/image.md, "Layer cache".

mod entry;
mod evict;

use super::walk::LayerScan;
use sha2::{Digest as _, Sha256};
use std::io::{Read, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Default size cap of the cache directory (1 GiB).
pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;

/// A layer cache directory and how it is used. Cheap to clone (the counters are shared).
#[derive(Debug, Clone)]
pub struct LayerCache {
    dir: PathBuf,
    max_bytes: u64,
    verify: bool,
    stats: Arc<Counters>,
    /// Capture settings of the entries other commands make, tried by
    /// [`LayerCache::uncompressed_size`].
    specs: Arc<Vec<String>>,
}

#[derive(Debug, Default)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    written: AtomicU64,
    rejected: AtomicU64,
    mismatched: AtomicU64,
}

/// What a [`LayerCache`] did so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Layers taken from the cache (not read).
    pub hits: u64,
    /// Layers looked up and not found (then read).
    pub misses: u64,
    /// Entries written.
    pub written: u64,
    /// Entries found but rejected (corrupt, truncated, older format, another layer's).
    pub rejected: u64,
    /// With `--verify-cache`: valid entries that did not match the re-read layer (rewritten).
    pub mismatched: u64,
}

/// The key of one layer's entry: its identity (diff_id, blob digest, capture settings) and the
/// file it is stored in.
#[derive(Debug, Clone)]
pub(crate) struct Key {
    identity: String,
    file: PathBuf,
}

impl LayerCache {
    /// A cache whose entries live in `dir` (created on the first write), capped at
    /// [`DEFAULT_MAX_BYTES`].
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        LayerCache {
            dir: dir.into(),
            max_bytes: DEFAULT_MAX_BYTES,
            verify: false,
            stats: Arc::default(),
            specs: Arc::new(vec![default_spec(&[])]),
        }
    }

    /// Also looks for entries made by analyses capturing `patterns` (besides the package
    /// files every analysis captures) in [`LayerCache::uncompressed_size`].
    pub fn with_known_capture(mut self, patterns: &[&str]) -> Self {
        let mut specs: Vec<String> = self.specs.to_vec();
        specs.push(default_spec(patterns));
        self.specs = Arc::new(specs);
        self
    }

    /// The uncompressed size of layer `diff_id` when an analysis stored it (an entry made with
    /// the default capture settings of `image`, `compare`, `optimize`). Any entry of the
    /// diff_id answers, whatever blob it was read from: the diff_id is the hash of the
    /// uncompressed tar. A corrupt entry is no answer.
    pub fn uncompressed_size(&self, diff_id: &str, blob_digest: Option<&str>) -> Option<u64> {
        let blobs = [blob_digest, None];
        let tried = if blob_digest.is_some() {
            &blobs[..]
        } else {
            &blobs[1..]
        };
        self.specs.iter().find_map(|spec| {
            tried.iter().find_map(|blob| {
                let key = self.key(diff_id, *blob, spec)?;
                let meta = std::fs::metadata(&key.file).ok()?;
                if meta.len() > self.max_bytes {
                    return None;
                }
                let file = std::fs::read(&key.file).ok()?;
                entry::peek_uncompressed(&file, &key.identity, diff_id)
            })
        })
    }

    /// Caps the directory at `bytes` (least recently used entries are deleted beyond it).
    pub fn with_max_bytes(mut self, bytes: u64) -> Self {
        self.max_bytes = bytes;
        self
    }

    /// Re-reads every layer even when it is cached, and rewrites entries that differ.
    pub fn with_verify(mut self, verify: bool) -> Self {
        self.verify = verify;
        self
    }

    /// The directory holding the entries.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// True with `--verify-cache`: hits are not trusted, layers are read and compared.
    pub fn verifies(&self) -> bool {
        self.verify
    }

    /// The counters so far.
    pub fn stats(&self) -> CacheStats {
        let s = &self.stats;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        CacheStats {
            hits: get(&s.hits),
            misses: get(&s.misses),
            written: get(&s.written),
            rejected: get(&s.rejected),
            mismatched: get(&s.mismatched),
        }
    }

    /// The entry key of a layer whose config names `diff_id` and whose manifest names
    /// `blob_digest` (if any), read with the capture settings `spec` (see [`capture_spec`]).
    /// `None` when the diff_id is not a sha256 digest.
    pub(crate) fn key(&self, diff_id: &str, blob_digest: Option<&str>, spec: &str) -> Option<Key> {
        let hex = diff_id.strip_prefix("sha256:")?;
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let identity = format!("{diff_id}\n{}\n{spec}", blob_digest.unwrap_or(""));
        let mut name = String::with_capacity(68);
        for b in Sha256::digest(identity.as_bytes()) {
            name.push_str(&format!("{b:02x}"));
        }
        name.push_str(".dlc");
        Some(Key {
            file: self.dir.join(name),
            identity,
        })
    }

    /// True when an entry file exists for `key` (not checked: a cheap test before planning).
    pub(crate) fn has(&self, key: &Key) -> bool {
        key.file.is_file()
    }

    /// The cached scan of `key`, if a valid entry exists (its mtime is touched); counts a hit,
    /// a miss or a rejected entry.
    pub(crate) fn load(&self, key: &Key) -> Option<LayerScan> {
        let found = std::fs::File::open(&key.file).ok().and_then(|mut f| {
            let mut buf = Vec::new();
            Read::by_ref(&mut f)
                .take(self.max_bytes.saturating_add(1))
                .read_to_end(&mut buf)
                .ok()?;
            Some((f, buf))
        });
        let Some((file, buf)) = found else {
            self.stats.misses.fetch_add(1, Ordering::Relaxed);
            return None;
        };
        match entry::decode(&buf, &key.identity) {
            Some(scan) => {
                // least recently used: the mtime says when the entry was last used
                let _ = file.set_modified(std::time::SystemTime::now());
                self.stats.hits.fetch_add(1, Ordering::Relaxed);
                Some(scan)
            }
            None => {
                self.stats.rejected.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    /// Deletes the least recently used entries until the directory is under the size cap (an
    /// over-cap directory, e.g. left by a run with a bigger `--cache-max`, is trimmed when a
    /// command opens it, not only after a write).
    pub fn trim(&self) {
        evict::enforce(&self.dir, self.max_bytes);
    }

    /// Records that a valid entry did not match the layer it was re-read from.
    pub(crate) fn note_mismatch(&self) {
        self.stats.mismatched.fetch_add(1, Ordering::Relaxed);
    }

    /// Writes the entry of `key` atomically, then evicts beyond the size cap. Failures (a
    /// read-only directory, a full disk) leave the cache as it was: the cache is an
    /// optimisation, never a reason for an analysis to fail.
    pub(crate) fn store(&self, key: &Key, scan: &LayerScan) {
        let Some(bytes) = entry::encode(scan, &key.identity) else {
            return;
        };
        if bytes.len() as u64 > self.max_bytes {
            return;
        }
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(&self.dir)?;
            let mut tmp = tempfile::Builder::new()
                .prefix(".tmp-")
                .tempfile_in(&self.dir)?;
            tmp.write_all(&bytes)?;
            tmp.as_file().sync_data()?;
            tmp.persist(&key.file).map_err(|e| e.error)?;
            Ok(())
        };
        if write().is_ok() {
            self.stats.written.fetch_add(1, Ordering::Relaxed);
            evict::enforce(&self.dir, self.max_bytes);
        }
    }
}

/// How one analysis uses the cache: the cache, and the capture settings its entries are
/// made with (the analysis' own patterns plus the package files every command may ask for,
/// so that `image`, `compare` and `optimize` share entries).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Use<'a> {
    /// The cache.
    pub cache: &'a LayerCache,
    /// [`capture_spec`] of the entry patterns.
    pub spec: &'a str,
    /// The entry patterns.
    pub globs: Option<&'a globset::GlobSet>,
}

/// The capture patterns of the entries made for an analysis capturing `patterns`: those and
/// [`crate::image::packages::CAPTURE_GLOBS`].
pub(crate) fn entry_patterns(patterns: &[String]) -> Vec<String> {
    let mut p: Vec<String> = patterns.to_vec();
    p.extend(
        crate::image::packages::CAPTURE_GLOBS
            .iter()
            .map(|g| g.to_string()),
    );
    p.sort_unstable();
    p.dedup();
    p
}

/// The capture settings an entry is valid for: the patterns (sorted) and the largest file.
pub(crate) fn capture_spec(patterns: &[String], max_file: u64) -> String {
    let mut p: Vec<&str> = patterns.iter().map(String::as_str).collect();
    p.sort_unstable();
    p.dedup();
    format!("{}\0{max_file}", p.join("\0"))
}

/// The capture spec of an analysis capturing `patterns` with the default largest file.
fn default_spec(patterns: &[&str]) -> String {
    let p: Vec<String> = patterns.iter().map(|g| g.to_string()).collect();
    capture_spec(
        &entry_patterns(&p),
        crate::image::AnalyzeOptions::default().capture_max_file,
    )
}

/// True when two scans of one layer agree on everything an entry stores.
pub(crate) fn same_scan(a: &LayerScan, b: &LayerScan) -> bool {
    a.entries.as_bytes() == b.entries.as_bytes()
        && a.blob_digest == b.blob_digest
        && a.blob_size == b.blob_size
        && a.diff_id == b.diff_id
        && a.uncompressed_size == b.uncompressed_size
        && a.compression == b.compression
        && a.captured == b.captured
        && a.captured_sizes == b.captured_sizes
        && a.entry_count == b.entry_count
}

/// The default cache directory: `$DLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/dlint/layers`, else
/// `$HOME/.cache/dlint/layers` (`None` when none of them is set).
pub fn default_dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = var("DLINT_CACHE_DIR") {
        return Some(d);
    }
    var("XDG_CACHE_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".cache")))
        .map(|c| c.join("dlint").join("layers"))
}

#[cfg(test)]
mod tests;
