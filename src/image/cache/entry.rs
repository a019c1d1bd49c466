//! The on-disk format of one cache entry.
//!
//! ```text
//! magic "dlintLC\n" | version u32 LE | body length u64 LE | payload length u64 LE
//! | sha256(payload) 32 bytes | payload = zstd(body)
//! body: identity, diff_id, blob digest (strings: varint length + UTF-8), blob size,
//!       uncompressed size (varints), compression (1 byte), entry count (varint),
//!       captured files (varint count, then path, size, content each), then the layer's
//!       packed entries (walk::Entries bytes) to the end
//! ```
//!
//! The packed entries are already a compact varint encoding (tag, size, mode, path length,
//! path; version 2 added the mode);
//! zstd then shares the path prefixes of neighbouring entries. Measured on a 1M-path layer,
//! see docs/performance.md ("Layer cache").

use crate::image::Compression;
use crate::image::leb128::{Reader, put_str, put_varint};
use crate::image::walk::{Entries, LayerScan};
use sha2::{Digest as _, Sha256};
use std::io::Read as _;

const MAGIC: &[u8; 8] = b"dlintLC\n";
/// Bumped whenever the body changes meaning: an entry of another version is a miss.
pub(crate) const VERSION: u32 = 2;
const HEADER: usize = 8 + 4 + 8 + 8 + 32;
/// Largest body accepted (bounds the memory a hostile entry can ask for).
const MAX_BODY: u64 = 4 << 30;
/// zstd level: 1 compresses a 1M-path layer's entries about 5x at >500 MB/s.
const LEVEL: i32 = 1;

/// The uncompressed body of `scan` (see the module doc).
pub(crate) fn body(scan: &LayerScan, identity: &str) -> Vec<u8> {
    let entries = scan.entries.as_bytes();
    let mut b = Vec::with_capacity(entries.len() + 256);
    put_str(&mut b, identity);
    put_str(&mut b, &scan.diff_id);
    put_str(&mut b, &scan.blob_digest);
    put_varint(&mut b, scan.blob_size);
    put_varint(&mut b, scan.uncompressed_size);
    b.push(match scan.compression {
        Compression::None => 0,
        Compression::Gzip => 1,
        Compression::Zstd => 2,
    });
    put_varint(&mut b, scan.entry_count);
    put_varint(&mut b, scan.captured.len() as u64);
    for ((path, content), size) in scan.captured.iter().zip(&scan.captured_sizes) {
        put_str(&mut b, path);
        put_varint(&mut b, *size);
        put_str(&mut b, content);
    }
    b.extend_from_slice(entries);
    b
}

/// The whole entry file for `scan` (`None` if compression fails).
pub(crate) fn encode(scan: &LayerScan, identity: &str) -> Option<Vec<u8>> {
    if scan.captured.len() != scan.captured_sizes.len() {
        return None;
    }
    let body = body(scan, identity);
    let payload = zstd::bulk::compress(&body, LEVEL).ok()?;
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(&payload));
    out.extend_from_slice(&payload);
    Some(out)
}

/// Reads the body back out of an entry file: `None` unless magic, version, lengths and
/// checksum are right and the body decompresses to exactly its recorded length.
pub(crate) fn unpack(file: &[u8]) -> Option<Vec<u8>> {
    let (head, payload) = file.split_at_checked(HEADER)?;
    let (magic, rest) = head.split_at_checked(8)?;
    let (version, rest) = rest.split_at_checked(4)?;
    let (body_len, rest) = rest.split_at_checked(8)?;
    let (payload_len, sum) = rest.split_at_checked(8)?;
    let le64 = |b: &[u8]| Some(u64::from_le_bytes(b.try_into().ok()?));
    if magic != MAGIC
        || u32::from_le_bytes(version.try_into().ok()?) != VERSION
        || le64(payload_len)? != payload.len() as u64
        || Sha256::digest(payload).as_slice() != sum
    {
        return None;
    }
    let body_len = le64(body_len)?;
    if body_len > MAX_BODY {
        return None;
    }
    let mut body = Vec::with_capacity(usize::try_from(body_len).ok()?);
    zstd::stream::read::Decoder::new(payload)
        .ok()?
        .take(body_len + 1)
        .read_to_end(&mut body)
        .ok()?;
    (body.len() as u64 == body_len).then_some(body)
}

/// The uncompressed size of the layer an entry file holds, if the file's header and checksum
/// are right and it was written for `identity` and `diff_id`; only the start of the body is
/// decompressed.
pub(crate) fn peek_uncompressed(file: &[u8], identity: &str, diff_id: &str) -> Option<u64> {
    let (head, payload) = file.split_at_checked(HEADER)?;
    let sum = head.get(HEADER - 32..)?;
    if head.get(..8)? != MAGIC
        || u32::from_le_bytes(head.get(8..12)?.try_into().ok()?) != VERSION
        || Sha256::digest(payload).as_slice() != sum
    {
        return None;
    }
    // identity, diff_id, blob digest and two varints: a few KiB at most
    let want = (identity.len() + diff_id.len() + 4096) as u64;
    let mut start = Vec::new();
    zstd::stream::read::Decoder::new(payload)
        .ok()?
        .take(want)
        .read_to_end(&mut start)
        .ok()?;
    let mut c = Reader::new(&start);
    if c.str()? != identity || c.str()? != diff_id {
        return None;
    }
    c.str()?; // blob digest
    c.varint()?; // blob size
    c.varint()
}

/// The scan stored in an entry file, if the file is valid and was written for `identity`.
pub(crate) fn decode(file: &[u8], identity: &str) -> Option<LayerScan> {
    let body = unpack(file)?;
    let mut c = Reader::new(&body);
    if c.str()? != identity {
        return None; // another layer's entry (or capture setting) under this name
    }
    let mut scan = LayerScan {
        diff_id: c.str()?.to_string(),
        blob_digest: c.str()?.to_string(),
        blob_size: c.varint()?,
        uncompressed_size: c.varint()?,
        compression: match c.byte()? {
            0 => Compression::None,
            1 => Compression::Gzip,
            2 => Compression::Zstd,
            _ => return None,
        },
        entry_count: c.varint()?,
        ..LayerScan::default()
    };
    let n = c.varint()?;
    for _ in 0..n {
        let path = c.str()?.to_string();
        let size = c.varint()?;
        let content = c.str()?.to_string();
        scan.captured.push((path, content));
        scan.captured_sizes.push(size);
    }
    scan.entries = Entries::from_bytes(c.rest.to_vec())?;
    Some(scan)
}
