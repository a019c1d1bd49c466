//! The reading floor of `dlint image`: what reading an image costs with nothing else done.
//!
//! Opens each image as `dlint image` does (archive, OCI layout, registry), then for every layer
//! reads its blob, sha256-hashes it, decompresses it with the same backends (zlib-rs through
//! flate2, zstd) and sha256-hashes the uncompressed stream; no tar parsing, no model, no report.
//! Layers run on `-j` threads (default: one per CPU), the base layer first, then biggest first,
//! and a big layer that would otherwise run alone decodes on one thread while another hashes
//! its output, as `dlint image` schedules them. Each digest is checked against the manifest and
//! the config, so the work cannot be skipped.
//!
//! `cargo bench --bench floor -- [-j N] IMAGE...` (`scripts/bench-floor.sh` compares it with
//! `dlint image`).

use dlint::image::{self, Image, OpenOptions};
use sha2::{Digest as _, Sha256};
use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

/// Read and chunk size, as in `dlint image`.
const CHUNK: usize = 256 << 10;
/// Chunks in flight between the decoding and the hashing thread of a pipelined layer.
const CHUNKS_IN_FLIGHT: usize = 4;
/// Smallest blob `dlint image` splits over two threads.
const PIPELINE_MIN_BLOB: u64 = 32 << 20;

/// Reader that hashes and counts what goes through it.
struct Hashing<R> {
    inner: R,
    sha: Sha256,
    count: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let done = buf.get(..n).unwrap_or_default();
        self.sha.update(done);
        self.count += n as u64;
        Ok(n)
    }
}

fn hashing<R: Read>(inner: R) -> Hashing<R> {
    Hashing {
        inner,
        sha: Sha256::new(),
        count: 0,
    }
}

fn hex(sha: Sha256) -> String {
    let d = sha.finalize();
    let mut s = String::from("sha256:");
    for b in d.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// What reading one layer gave: blob digest and size, diff_id and uncompressed size.
struct Read2 {
    digest: String,
    blob: u64,
    diff_id: String,
    plain: u64,
}

/// Reads `r` to its end in [`CHUNK`]s, handing each to `each`.
fn drain(r: &mut dyn Read, buf: &mut [u8], mut each: impl FnMut(&[u8])) -> io::Result<()> {
    loop {
        let n = r.read(buf)?;
        if n == 0 {
            return Ok(());
        }
        each(buf.get(..n).unwrap_or_default());
    }
}

/// Hashes the decoder's output on this thread; returns its hash and size.
fn hash_here(dec: &mut dyn Read) -> io::Result<(Sha256, u64)> {
    let (mut sha, mut n) = (Sha256::new(), 0u64);
    let mut buf = vec![0u8; CHUNK];
    drain(dec, &mut buf, |b| {
        sha.update(b);
        n += b.len() as u64;
    })?;
    Ok((sha, n))
}

/// Decodes on this thread and hashes the output on another, handing [`CHUNK`]s over a
/// bounded channel and the buffers back, as `dlint image` does with a big layer.
fn hash_beside(dec: &mut dyn Read) -> io::Result<(Sha256, u64)> {
    let (tx, rx) = mpsc::sync_channel::<(Vec<u8>, usize)>(CHUNKS_IN_FLIGHT);
    let (back_tx, back_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|s| {
        let hasher = s.spawn(move || {
            let (mut sha, mut n) = (Sha256::new(), 0u64);
            for (buf, len) in rx {
                sha.update(buf.get(..len).unwrap_or_default());
                n += len as u64;
                let _ = back_tx.send(buf);
            }
            (sha, n)
        });
        let decoded = send_chunks(dec, &tx, &back_rx);
        drop(tx);
        let tally = hasher
            .join()
            .map_err(|_| io::Error::other("the hashing thread panicked"))?;
        decoded.map(|()| tally)
    })
}

/// Decodes into [`CHUNK`]s (reusing the buffers that come back) and sends them to the hasher.
fn send_chunks(
    dec: &mut dyn Read,
    tx: &mpsc::SyncSender<(Vec<u8>, usize)>,
    back: &mpsc::Receiver<Vec<u8>>,
) -> io::Result<()> {
    loop {
        let mut buf = back.try_recv().unwrap_or_else(|_| vec![0u8; CHUNK]);
        let mut len = 0;
        while let Some(rest) = buf.get_mut(len..).filter(|r| !r.is_empty()) {
            match dec.read(rest)? {
                0 => break,
                k => len += k,
            }
        }
        if len == 0 {
            return Ok(());
        }
        if tx.send((buf, len)).is_err() {
            return Err(io::Error::other("the hashing thread stopped"));
        }
    }
}

/// Reads one layer blob: hashes it, decodes it and hashes the output, on one thread or (with
/// `pipeline`) two.
fn read_layer(blob: Box<dyn Read + Send>, pipeline: bool) -> io::Result<Read2> {
    let mut raw = hashing(blob);
    let plain = {
        let mut comp = BufReader::with_capacity(CHUNK, &mut raw);
        let magic = comp.fill_buf()?;
        let (gzip, zstd) = (
            magic.starts_with(&[0x1f, 0x8b]),
            magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]),
        );
        let mut dec: Box<dyn Read + '_> = if gzip {
            Box::new(flate2::bufread::MultiGzDecoder::new(comp))
        } else if zstd {
            Box::new(zstd::stream::read::Decoder::with_buffer(comp)?)
        } else {
            // uncompressed: one stream, hashed once (its digest is its diff_id)
            io::copy(&mut comp, &mut io::sink())?;
            Box::new(io::empty())
        };
        match (gzip || zstd, pipeline) {
            (false, _) => None,
            (true, false) => Some(hash_here(&mut dec)?),
            (true, true) => Some(hash_beside(&mut dec)?),
        }
    };
    // what follows the compressed stream is part of the blob digest
    io::copy(&mut raw, &mut io::sink())?;
    let (blob, digest) = (raw.count, hex(raw.sha));
    Ok(match plain {
        None => Read2 {
            diff_id: digest.clone(),
            digest,
            blob,
            plain: blob,
        },
        Some((sha, plain)) => Read2 {
            digest,
            blob,
            diff_id: hex(sha),
            plain,
        },
    })
}

/// Reads every layer of `img` on `jobs` threads; returns (blob bytes, plain bytes, mismatches).
fn read_image(img: &Image, jobs: usize) -> Result<(u64, u64, usize), String> {
    let sizes: Vec<u64> = (0..img.layers.len())
        .map(|i| {
            img.layers
                .get(i)
                .and_then(|l| l.size)
                .or_else(|| img.layer_blob(i).ok().map(|b| b.1))
                .unwrap_or(0)
        })
        .collect();
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by_key(|&i| {
        (
            i != 0,
            std::cmp::Reverse(sizes.get(i).copied().unwrap_or(0)),
        )
    });
    let next = AtomicUsize::new(0);
    let unstarted = AtomicU64::new(sizes.iter().sum());
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, sizes.len().max(1)) {
            s.spawn(|| {
                while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let w = sizes.get(i).copied().unwrap_or(0);
                    let after = unstarted.fetch_sub(w, Ordering::Relaxed).saturating_sub(w);
                    let pipeline = jobs > 1
                        && w >= PIPELINE_MIN_BLOB
                        && w.saturating_mul(jobs as u64 - 1) > after;
                    let r = img
                        .layer_blob(i)
                        .map_err(|e| e.to_string())
                        .and_then(|(b, _)| {
                            read_layer(b, pipeline).map_err(|e| format!("layer {i}: {e}"))
                        });
                    if let Ok(mut v) = results.lock() {
                        v.push((i, r));
                    }
                }
            });
        }
    });
    let results = results.into_inner().map_err(|e| e.to_string())?;
    let (mut blob, mut plain, mut bad) = (0, 0, 0);
    for (i, r) in results {
        let r = r?;
        blob += r.blob;
        plain += r.plain;
        let l = img.layers.get(i).ok_or("layer index")?;
        if l.digest.as_ref().is_some_and(|d| *d != r.digest) {
            bad += 1;
        }
        if img.diff_ids.get(i) != Some(&r.diff_id) {
            bad += 1;
        }
    }
    Ok((blob, plain, bad))
}

fn main() -> std::process::ExitCode {
    let mut jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut images = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "-j" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) if n > 0 => jobs = n,
                _ => {
                    eprintln!("floor: -j needs a positive number");
                    return std::process::ExitCode::from(2);
                }
            },
            // `cargo bench` passes --bench
            s if s.starts_with("--") => {}
            _ => images.push(a),
        }
    }
    if images.is_empty() {
        eprintln!("usage: cargo bench --bench floor -- [-j N] IMAGE...");
        return std::process::ExitCode::from(2);
    }
    let mut failed = false;
    for path in &images {
        let t = Instant::now();
        let outcome = image::open(path.as_ref(), &OpenOptions::default())
            .map_err(|e| e.to_string())
            .and_then(|img| read_image(&img, jobs).map(|r| (img.layers.len(), r)));
        match outcome {
            Ok((layers, (blob, plain, bad))) => {
                println!(
                    "{path}: {layers} layers, {blob} blob bytes, {plain} uncompressed, {bad} digest mismatches, {:.3} s",
                    t.elapsed().as_secs_f64()
                );
                failed |= bad > 0;
            }
            Err(e) => {
                eprintln!("floor: {path}: {e}");
                failed = true;
            }
        }
    }
    if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
