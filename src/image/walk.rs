//! Streaming one layer: blob -> sha256 (digest) -> decompress (sniffed from magic bytes) ->
//! sha256 (diff_id) -> tar entry walk. Nothing is extracted and no layer is held in memory;
//! only entry metadata (and the contents of small files asked for by `capture`) is kept.

use super::Compression;
use globset::GlobSet;
use sha2::Digest as _;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

mod stream;

/// Largest size a tar header may claim for one file (1 TiB).
const MAX_ENTRY_SIZE: u64 = 1 << 40;
/// Most bytes accepted after the tar end-of-archive marker (writers pad to 10 KiB records).
const MAX_TRAILING: u64 = 64 << 20;

/// What a tar entry does to the filesystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op<'a> {
    /// A regular file with its size.
    File(u64),
    /// A directory.
    Dir,
    /// A symbolic link to the target.
    Symlink(&'a str),
    /// A hard link to another path of the image (normalised).
    Hardlink(&'a str),
    /// Device, fifo, or other special file.
    Other,
    /// `.wh.<name>`: removes the path (and everything under it) from lower layers.
    Whiteout,
    /// `.wh..wh..opq`: hides everything under the directory from lower layers.
    Opaque,
}

/// One entry of a layer, path normalised (no leading `/` or `./`, no trailing `/`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawEntry<'a> {
    /// For whiteouts: the path removed; for opaque markers: the directory.
    pub path: &'a str,
    pub op: Op<'a>,
    /// Permission bits of the tar header (`mode & 0o7777`: setuid, setgid, sticky, rwx); 0
    /// for whiteouts and opaque markers.
    pub mode: u32,
}

/// A layer's entries packed into one buffer (tag, mode, path length + a few bytes each, no
/// allocation per entry), so a layer that finishes before the layers below it waits cheaply to be applied.
#[derive(Debug, Default, Clone)]
pub(crate) struct Entries {
    buf: Vec<u8>,
}

const TAG_FILE: u8 = 0;
const TAG_DIR: u8 = 1;
const TAG_SYMLINK: u8 = 2;
const TAG_HARDLINK: u8 = 3;
const TAG_OTHER: u8 = 4;
const TAG_WHITEOUT: u8 = 5;
const TAG_OPAQUE: u8 = 6;
/// The mode bits kept: setuid, setgid, sticky and the permissions (no file type).
pub(crate) const MODE_BITS: u32 = 0o7777;

use super::leb128::{Reader, put_str, put_varint};

impl Entries {
    /// Appends one entry.
    pub(crate) fn push(&mut self, e: RawEntry<'_>) {
        let b = &mut self.buf;
        match e.op {
            Op::File(size) => {
                b.push(TAG_FILE);
                put_varint(b, size);
            }
            Op::Dir => b.push(TAG_DIR),
            Op::Symlink(t) => {
                b.push(TAG_SYMLINK);
                put_str(b, t);
            }
            Op::Hardlink(t) => {
                b.push(TAG_HARDLINK);
                put_str(b, t);
            }
            Op::Other => b.push(TAG_OTHER),
            Op::Whiteout => b.push(TAG_WHITEOUT),
            Op::Opaque => b.push(TAG_OPAQUE),
        }
        put_varint(b, u64::from(e.mode & MODE_BITS));
        put_str(b, e.path);
    }

    /// The entries in tar order.
    pub(crate) fn iter(&self) -> EntryIter<'_> {
        EntryIter {
            r: Reader::new(&self.buf),
        }
    }

    /// The packed bytes (the layer cache stores them as they are).
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Entries from packed bytes, if every byte decodes (`None` for a malformed buffer).
    pub(crate) fn from_bytes(buf: Vec<u8>) -> Option<Entries> {
        let mut it = EntryIter {
            r: Reader::new(&buf),
        };
        while !it.r.rest.is_empty() {
            it.next()?;
        }
        Some(Entries { buf })
    }
}

/// Iterator over [`Entries`].
pub(crate) struct EntryIter<'a> {
    r: Reader<'a>,
}

impl<'a> Iterator for EntryIter<'a> {
    type Item = RawEntry<'a>;

    fn next(&mut self) -> Option<RawEntry<'a>> {
        let r = &mut self.r;
        let op = match r.byte()? {
            TAG_FILE => Op::File(r.varint()?),
            TAG_DIR => Op::Dir,
            TAG_SYMLINK => Op::Symlink(r.str()?),
            TAG_HARDLINK => Op::Hardlink(r.str()?),
            TAG_OTHER => Op::Other,
            TAG_WHITEOUT => Op::Whiteout,
            TAG_OPAQUE => Op::Opaque,
            _ => return None,
        };
        let mode = u32::try_from(r.varint()?).ok()?;
        let path = r.str()?;
        Some(RawEntry { path, op, mode })
    }
}

/// The result of streaming one layer.
#[derive(Debug, Default, Clone)]
pub(crate) struct LayerScan {
    pub entries: Entries,
    pub blob_digest: String,
    pub blob_size: u64,
    pub diff_id: String,
    pub uncompressed_size: u64,
    pub compression: Compression,
    /// (path, content) of captured small files.
    pub captured: Vec<(String, String)>,
    /// Size in the tar of each captured file (what it took from the capture budget).
    pub captured_sizes: Vec<u64>,
    /// Entries counted against the tar-bomb limit (AUFS metadata included).
    pub entry_count: u64,
    /// True when the capture budget left out a file this layer would have captured.
    pub capture_cut: bool,
}

/// Limits and options shared by all layer tasks of one analysis.
pub(crate) struct WalkCtx<'a> {
    pub capture: Option<&'a GlobSet>,
    pub capture_max_file: u64,
    pub capture_budget: &'a AtomicU64,
    pub max_entries: usize,
    pub entries_seen: &'a AtomicUsize,
    /// First layer that crossed `max_entries` (`usize::MAX` = none).
    pub bomb_layer: &'a AtomicUsize,
    /// Index of the layer being read.
    pub layer: usize,
    pub progress: Option<&'a indicatif::ProgressBar>,
    /// Compute the blob digest and diff_id (off with `--no-verify`: the archive's own values
    /// are reported instead).
    pub hash: bool,
    /// Decode on a second thread while this one walks (see [`scan_layer`]).
    pub pipeline: bool,
    /// The layer cache, and the capture settings entries are stored for.
    pub cache: Option<super::cache::Use<'a>>,
}

/// An error of ours (not the decoder's) carried through `io::Error`.
#[derive(Debug)]
struct Hostile(String);

impl std::fmt::Display for Hostile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Hostile {}

fn hex(d: impl AsRef<[u8]>) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(71);
    s.push_str("sha256:");
    for b in d.as_ref() {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Detects compression from the first bytes of a blob.
pub(crate) fn sniff(magic: &[u8]) -> Compression {
    if magic.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    }
}

/// Normalises a path inside a layer; `None` for the root itself. Errors on absolute paths and
/// `..` components.
pub(crate) fn norm_path(raw: &str) -> Result<Option<String>, String> {
    if raw.starts_with('/') {
        return Err(format!("absolute entry name {raw:?}"));
    }
    let mut out = String::with_capacity(raw.len());
    for c in raw.split('/') {
        match c {
            "" | "." => {}
            ".." => return Err(format!("entry name {raw:?} escapes the root with `..`")),
            c => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(c);
            }
        }
    }
    Ok((!out.is_empty()).then_some(out))
}

/// Walks the uncompressed stream, then reads what follows the tar's end (part of the diff_id).
fn walk_plain(
    plain: &mut stream::Plain<'_>,
    ctx: &WalkCtx<'_>,
    scan: &mut LayerScan,
    compression: Compression,
) -> Result<(), String> {
    walk_tar(&mut *plain, ctx, scan).map_err(|e| decode_msg(compression, &e))?;
    let rest = io::copy(&mut plain.take(MAX_TRAILING + 1), &mut io::sink())
        .map_err(|e| decode_msg(compression, &e))?;
    if rest > MAX_TRAILING {
        return Err(format!(
            "more than {} MiB of data after the end of the tar archive",
            MAX_TRAILING >> 20
        ));
    }
    Ok(())
}

/// Streams one layer blob. Errors are plain messages; the caller adds archive and layer.
///
/// The blob is hashed (digest) as it is read and decoded; the uncompressed stream is hashed
/// (diff_id) as the tar walker receives it. With `ctx.pipeline`, decoding runs on a second
/// thread, so a layer bigger than all the others together still keeps two cores busy. For an
/// uncompressed blob the two hashes are of the same bytes, and the stream is hashed once.
pub(crate) fn scan_layer(
    blob: Box<dyn Read + Send>,
    ctx: &WalkCtx<'_>,
) -> Result<LayerScan, String> {
    let mut scan = LayerScan::default();
    let mut raw = stream::HashReader::new(blob, ctx.hash, ctx.progress);
    let mut comp = BufReader::with_capacity(stream::CHUNK, &mut raw);
    let compression = sniff(comp.fill_buf().map_err(|e| format!("read: {e}"))?);
    scan.compression = compression;
    let hash_plain = ctx.hash && compression != Compression::None;
    let walk = |plain: &mut stream::Plain<'_>| walk_plain(plain, ctx, &mut scan, compression);
    let (usha, usize_) = if ctx.pipeline {
        stream::on_two_threads(comp, compression, hash_plain, walk)?
    } else {
        stream::on_this_thread(comp, compression, hash_plain, walk)?
    };
    let (csha, csize) = raw.tally();
    if let Some(c) = csha {
        scan.blob_digest = hex(c.finalize());
        scan.diff_id = match usha {
            Some(u) => hex(u.finalize()),
            None => scan.blob_digest.clone(),
        };
    }
    scan.blob_size = csize;
    scan.uncompressed_size = usize_;
    Ok(scan)
}

fn decode_msg(c: Compression, e: &io::Error) -> String {
    if let Some(h) = e.get_ref().and_then(|r| r.downcast_ref::<Hostile>()) {
        return h.0.clone();
    }
    match c {
        Compression::Gzip => format!("corrupt or truncated gzip stream: {e}"),
        Compression::Zstd => format!("corrupt or truncated zstd stream: {e}"),
        Compression::None => format!("corrupt or truncated tar stream: {e}"),
    }
}

fn walk_tar<R: Read + Seek>(r: R, ctx: &WalkCtx<'_>, scan: &mut LayerScan) -> io::Result<()> {
    let bad = |m: String| io::Error::new(io::ErrorKind::InvalidData, Hostile(m));
    let mut ar = tar::Archive::new(r);
    // file contents are skipped by seeking: no copy of the bytes not looked at
    for entry in ar.entries_with_seek()? {
        let mut entry = entry?;
        let path_cow = entry.path()?;
        let raw_path = path_cow.to_string_lossy().into_owned();
        let Some(path) = norm_path(&raw_path).map_err(bad)? else {
            continue; // the root directory itself
        };
        scan.entry_count += 1;
        let seen = ctx.entries_seen.fetch_add(1, Ordering::Relaxed) + 1;
        if seen > ctx.max_entries {
            let _ = ctx.bomb_layer.compare_exchange(
                usize::MAX,
                ctx.layer,
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
            return Err(bad(format!(
                "more than {} entries in the image (tar bomb?); raise the limit with --max-entries",
                ctx.max_entries
            )));
        }
        let (parent, base) = match path.rsplit_once('/') {
            Some((p, b)) => (p, b),
            None => ("", path.as_str()),
        };
        let join = |name: &str| {
            if parent.is_empty() {
                name.to_string()
            } else {
                format!("{parent}/{name}")
            }
        };
        if base == ".wh..wh..opq" {
            scan.entries.push(RawEntry {
                path: parent,
                op: Op::Opaque,
                mode: 0,
            });
            continue;
        }
        if let Some(name) = base.strip_prefix(".wh.") {
            if name.starts_with(".wh.") || name.is_empty() {
                continue; // AUFS metadata (.wh..wh.plnk etc.)
            }
            scan.entries.push(RawEntry {
                path: &join(name),
                op: Op::Whiteout,
                mode: 0,
            });
            continue;
        }
        let kind = entry.header().entry_type();
        let link: String;
        let op = match kind {
            tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::GNUSparse => {
                let size = entry.size();
                if size > MAX_ENTRY_SIZE {
                    return Err(bad(format!(
                        "entry {path:?} claims an absurd size of {size} bytes"
                    )));
                }
                Op::File(size)
            }
            tar::EntryType::Directory => Op::Dir,
            tar::EntryType::Symlink => {
                link = entry
                    .link_name()?
                    .map(|t| t.to_string_lossy().into_owned())
                    .unwrap_or_default();
                Op::Symlink(&link)
            }
            tar::EntryType::Link => {
                let t = entry
                    .link_name()?
                    .map(|t| t.to_string_lossy().into_owned())
                    .unwrap_or_default();
                link = norm_path(t.trim_start_matches('/'))
                    .map_err(|m| bad(format!("hard link {path:?}: {m}")))?
                    .ok_or_else(|| bad(format!("hard link {path:?} has an empty target")))?;
                Op::Hardlink(&link)
            }
            tar::EntryType::Char | tar::EntryType::Block | tar::EntryType::Fifo => Op::Other,
            // PAX/GNU metadata entries are consumed by the tar reader; skip anything else
            _ => continue,
        };
        if let (Op::File(size), Some(set)) = (op, ctx.capture)
            && size <= ctx.capture_max_file
            && set.is_match(&path)
            && (reserve(ctx, size) || {
                scan.capture_cut = true;
                false
            })
        {
            let mut buf = Vec::with_capacity(size as usize);
            (&mut entry).take(size).read_to_end(&mut buf)?;
            scan.captured
                .push((path.clone(), String::from_utf8_lossy(&buf).into_owned()));
            scan.captured_sizes.push(size);
        }
        // a header whose mode field does not parse keeps 0 rather than failing the layer
        let mode = entry.header().mode().map_or(0, |m| m & MODE_BITS);
        scan.entries.push(RawEntry {
            path: &path,
            op,
            mode,
        });
    }
    Ok(())
}

/// Takes `size` bytes from the capture budget; false when too few are left.
pub(crate) fn reserve(ctx: &WalkCtx<'_>, size: u64) -> bool {
    ctx.capture_budget
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            left.checked_sub(size)
        })
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(norm_path("./a//b/").unwrap().as_deref(), Some("a/b"));
        assert_eq!(norm_path("./").unwrap(), None);
        assert!(norm_path("/etc/passwd").is_err());
        assert!(norm_path("a/../../b").is_err());
    }

    #[test]
    fn packed_entries_round_trip() {
        let list = [
            RawEntry {
                path: "usr",
                op: Op::Dir,
                mode: 0o755,
            },
            RawEntry {
                path: "usr/bin/x",
                op: Op::File(0),
                mode: 0o644,
            },
            RawEntry {
                path: "usr/lib/big",
                op: Op::File(u64::MAX),
                mode: 0o4755,
            },
            RawEntry {
                path: "usr/bin/y",
                op: Op::Hardlink("usr/bin/x"),
                mode: 0o644,
            },
            RawEntry {
                path: "usr/bin/z",
                op: Op::Symlink("../lib/é"),
                mode: 0o777,
            },
            RawEntry {
                path: "dev/null",
                op: Op::Other,
                mode: 0o620,
            },
            RawEntry {
                path: "tmp/gone",
                op: Op::Whiteout,
                mode: 0,
            },
            RawEntry {
                path: "",
                op: Op::Opaque,
                mode: 0,
            },
            RawEntry {
                path: &"p".repeat(300),
                op: Op::File(300),
                mode: 0o1777,
            },
        ];
        let mut packed = Entries::default();
        for e in list {
            packed.push(e);
        }
        let back: Vec<RawEntry<'_>> = packed.iter().collect();
        assert_eq!(back.len(), list.len());
        for (a, b) in back.iter().zip(list.iter()) {
            assert_eq!((a.path, a.op, a.mode), (b.path, b.op, b.mode));
        }
    }

    /// Runs `scan_layer` on `blob`, single-threaded or pipelined; entries as (path, op) text.
    fn scan(
        blob: &[u8],
        pipeline: bool,
        max_entries: usize,
    ) -> Result<(LayerScan, Vec<String>), String> {
        let (budget, seen, bomb) = (
            AtomicU64::new(0),
            AtomicUsize::new(0),
            AtomicUsize::new(usize::MAX),
        );
        let ctx = WalkCtx {
            capture: None,
            capture_max_file: 0,
            capture_budget: &budget,
            max_entries,
            entries_seen: &seen,
            bomb_layer: &bomb,
            layer: 0,
            progress: None,
            hash: true,
            pipeline,
            cache: None,
        };
        let s = scan_layer(Box::new(io::Cursor::new(blob.to_vec())), &ctx)?;
        let e = s
            .entries
            .iter()
            .map(|e| format!("{} {:?} {:o}", e.path, e.op, e.mode))
            .collect();
        Ok((s, e))
    }

    /// The pipelined path gives the same result as the single-threaded one: the same entries,
    /// digests and sizes for good layers (several chunks long, each compression, trailing
    /// padding after the compressed stream), the same error for broken ones.
    #[test]
    fn pipelined_scan_matches_single_thread() {
        use crate::image::testkit::LayerBuilder;
        for c in [Compression::None, Compression::Gzip, Compression::Zstd] {
            let mut b = LayerBuilder::new().compress(c).dir("d");
            for i in 0..40 {
                b = b.file_size(&format!("d/f{i}"), 50_000 + i * 7_919);
            }
            let layer = b
                .whiteout("gone")
                .hardlink("d/h", "d/f1")
                .symlink("d/s", "f2")
                .build();
            assert!(
                layer.tar.len() > 4 * stream::CHUNK,
                "must span several chunks"
            );
            let (one, e1) = scan(&layer.blob, false, usize::MAX).unwrap();
            let (two, e2) = scan(&layer.blob, true, usize::MAX).unwrap();
            assert_eq!(e1, e2, "{c:?}");
            assert_eq!(e1.len(), 44, "{c:?}");
            for s in [&one, &two] {
                assert_eq!(s.diff_id, layer.diff_id, "{c:?}");
                assert_eq!(s.blob_digest, layer.digest, "{c:?}");
                assert_eq!(s.blob_size, layer.blob.len() as u64);
                assert_eq!(s.uncompressed_size, layer.tar.len() as u64);
            }
            // broken: truncated, corrupted in the middle, garbage after the tar end, tar bomb
            let mut cut = layer.blob.clone();
            cut.truncate(layer.blob.len() * 2 / 3);
            let mut flipped = layer.blob.clone();
            let mid = flipped.len() / 2;
            for b in flipped.iter_mut().skip(mid).take(64) {
                *b ^= 0x5a;
            }
            let mut padded = layer.tar.clone();
            padded.extend(std::iter::repeat_n(7u8, (MAX_TRAILING + 1) as usize));
            for (what, blob, max) in [
                ("truncated", cut, usize::MAX),
                ("corrupt", flipped, usize::MAX),
                ("bomb", layer.blob.clone(), 10),
            ] {
                let a = scan(&blob, false, max).map(|r| r.1);
                let b = scan(&blob, true, max).map(|r| r.1);
                assert_eq!(a, b, "{c:?} {what}");
                if what != "corrupt" || c != Compression::None {
                    assert!(a.is_err(), "{c:?} {what}: {a:?}");
                }
            }
            if c == Compression::None {
                let a = scan(&padded, false, usize::MAX).map(|r| r.1);
                let b = scan(&padded, true, usize::MAX).map(|r| r.1);
                assert_eq!(a, b);
                assert!(a.is_err_and(|e| e.contains("after the end of the tar")));
            }
        }
    }

    #[test]
    fn magic() {
        assert_eq!(sniff(&[0x1f, 0x8b, 8]), Compression::Gzip);
        assert_eq!(sniff(&[0x28, 0xb5, 0x2f, 0xfd]), Compression::Zstd);
        assert_eq!(sniff(b"etc/"), Compression::None);
    }
}
