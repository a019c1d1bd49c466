//! Analysing the two images of a comparison together: a layer both contain (same diff_id in
//! both configs) is decompressed and walked once. The candidate's copy of the blob is only
//! hashed (when verifying) to check it against its own digest, so comparing a build with its
//! predecessor costs little more than analysing one of them.
//!
//! All layers of both images run as tasks of one thread pool; the per-image reports are then
//! built by the same code as [`crate::image::analyze`].

use crate::image::read::{check_ids, globs, layer_err, scan};
use crate::image::walk::{self, LayerScan, WalkCtx};
use crate::image::{
    AnalyzeOptions, Compression, Image, ImageError, ImageReport, LayerRef, build_report,
};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::{AtomicU64, AtomicUsize};

/// One unit of work.
#[derive(Debug, Clone, Copy)]
enum Task {
    /// Decode and walk layer `index` of side 0 (A) or 1 (B).
    Scan { side: usize, index: usize },
    /// B's layer `index` has the content of A's layer `a_index`: only check B's blob.
    Reuse { index: usize, a_index: usize },
}

/// B's blob of a layer A also has: (digest, size, compression), hashing it only when verifying.
/// An uncompressed blob is the layer tar itself, so its hash must equal the diff_id. `None` when
/// the blob is compressed and the manifest names no digest: only a full scan can verify it.
fn check_blob(
    img: &Image,
    index: usize,
    verify: bool,
) -> Result<Option<(String, u64, Compression)>, ImageError> {
    let Some(l) = img.layers.get(index) else {
        return Err(ImageError::format(&img.path, format!("no layer {index}")));
    };
    let (mut r, len) = img
        .store
        .open_member(&l.member)
        .map_err(|m| layer_err(img, index, l, m))?;
    let mut buf = vec![0u8; 256 << 10];
    let mut sha = Sha256::new();
    let mut size = 0u64;
    let mut magic = Vec::with_capacity(4);
    loop {
        let n = r
            .read(&mut buf)
            .map_err(|e| layer_err(img, index, l, format!("read: {e}")))?;
        if n == 0 {
            break;
        }
        let chunk = buf.get(..n).unwrap_or_default();
        if magic.len() < 4 {
            magic.extend(chunk.iter().take(4 - magic.len()));
        }
        size += n as u64;
        if !verify {
            if magic.len() >= 4 {
                break;
            }
            continue;
        }
        sha.update(chunk);
    }
    let compression = walk::sniff(&magic);
    if !verify {
        return Ok(Some((
            l.digest.clone().unwrap_or_default(),
            len,
            compression,
        )));
    }
    if compression != Compression::None && l.digest.is_none() {
        return Ok(None);
    }
    let digest: String = sha
        .finalize()
        .iter()
        .fold(String::from("sha256:"), |mut s, b| {
            use std::fmt::Write;
            let _ = write!(s, "{b:02x}");
            s
        });
    check_ids(img, index, l, &digest, size)?;
    if compression == Compression::None
        && let Some(want) = img.diff_ids.get(index)
        && *want != digest
    {
        let msg = format!("uncompressed content is {digest} but the config's diff_id is {want}");
        return Err(layer_err(img, index, l, msg));
    }
    Ok(Some((digest, size, compression)))
}

/// True when B's layer can reuse A's walk and still be verified by hashing its blob alone: the
/// manifest names its sha256 digest, or the blob is an uncompressed tar (checked against the
/// diff_id). Decided from the member name / digest, before reading.
fn reusable(l: &LayerRef, verify: bool) -> bool {
    !verify
        || l.digest
            .as_deref()
            .is_some_and(|d| d.starts_with("sha256:"))
        || l.member.ends_with(".tar")
}

/// True when B's layer `index` is the blob A's layer `a_index` was read from: both images
/// come from the same registry and the manifests name the same sha256 digest. A registry
/// serves a blob by its digest, and A's scan checked that digest, so B's copy is not fetched.
fn same_blob(a: &Image, a_index: usize, b: &Image, index: usize) -> bool {
    let (Some(ra), Some(rb)) = (a.store.registry(), b.store.registry()) else {
        return false;
    };
    let digest = |img: &Image, i: usize| img.layers.get(i).and_then(|l| l.digest.clone());
    ra.same_registry(rb)
        && digest(a, a_index).is_some_and(|d| d.starts_with("sha256:"))
        && digest(a, a_index) == digest(b, index)
}

/// Analyses `a` and `b` like [`crate::image::analyze`] does each, reading shared layers once.
pub fn analyze_pair(
    a: &Image,
    b: &Image,
    opts: &AnalyzeOptions,
) -> Result<(ImageReport, ImageReport), ImageError> {
    let imgs = [a, b];
    let caps = [globs(a, &opts.capture)?, globs(b, &opts.capture)?];
    let budgets = [
        AtomicU64::new(opts.capture_max_total),
        AtomicU64::new(opts.capture_max_total),
    ];
    let seen = [AtomicUsize::new(0), AtomicUsize::new(0)];
    let bombs = [AtomicUsize::new(usize::MAX), AtomicUsize::new(usize::MAX)];
    let ctxs: Vec<WalkCtx<'_>> = (0..2)
        .map(|i| WalkCtx {
            capture: caps[i].as_ref(),
            capture_max_file: opts.capture_max_file,
            capture_budget: &budgets[i],
            max_entries: opts.max_entries,
            entries_seen: &seen[i],
            bomb_layer: &bombs[i],
            layer: 0,
            progress: None,
            hash: opts.verify,
            pipeline: false,
        })
        .collect();

    let mut first_in_a: HashMap<&str, usize> = HashMap::new();
    for (i, d) in a.diff_ids.iter().enumerate().take(a.layers.len()) {
        first_in_a.entry(d.as_str()).or_insert(i);
    }
    let mut tasks: Vec<(u64, Task)> = Vec::new();
    let size_of = |img: &Image, l: &LayerRef| {
        l.size
            .or_else(|| img.store.member_size(&l.member))
            .unwrap_or(0)
    };
    for (index, l) in a.layers.iter().enumerate() {
        tasks.push((size_of(a, l), Task::Scan { side: 0, index }));
    }
    for (index, l) in b.layers.iter().enumerate() {
        let shared = b
            .diff_ids
            .get(index)
            .and_then(|d| first_in_a.get(d.as_str()))
            .copied();
        let task = match shared {
            Some(a_index) if reusable(l, opts.verify) => Task::Reuse { index, a_index },
            _ => Task::Scan { side: 1, index },
        };
        let weight = match task {
            Task::Reuse { .. } => 0,
            Task::Scan { .. } => size_of(b, l),
        };
        tasks.push((weight, task));
    }
    // Biggest first: the longest layer starts at once instead of last.
    let mut order: Vec<usize> = (0..tasks.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(tasks.get(i).map_or(0, |t| t.0)));

    enum Done {
        Scan(LayerScan),
        Reuse(String, u64, Compression),
        NeedScan(usize),
        /// The very blob A's scan read and checked (see [`same_blob`]): nothing to fetch.
        Same,
    }
    let jobs = if opts.jobs == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        opts.jobs
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| ImageError::format(&a.path, format!("thread pool: {e}")))?;
    let results: Vec<(usize, Result<Done, ImageError>)> = pool.install(|| {
        order
            .par_iter()
            .with_max_len(1)
            .filter_map(|&t| tasks.get(t).map(|task| (t, task.1)))
            .map(|(t, task)| {
                let r = match task {
                    Task::Scan { side, index } => {
                        let (img, ctx) = (imgs[side], &ctxs[side]);
                        scan(img, index, ctx).map(Done::Scan)
                    }
                    Task::Reuse { index, a_index } if same_blob(a, a_index, b, index) => {
                        Ok(Done::Same)
                    }
                    Task::Reuse { index, .. } => {
                        check_blob(b, index, opts.verify).map(|r| match r {
                            Some((d, s, c)) => Done::Reuse(d, s, c),
                            None => Done::NeedScan(index),
                        })
                    }
                };
                (t, r)
            })
            .collect()
    });
    let mut done: Vec<Option<Done>> = (0..tasks.len()).map(|_| None).collect();
    let mut results = results;
    results.sort_by_key(|(t, _)| *t);
    // A tar bomb makes every layer still running fail: report the one that crossed the limit.
    for (side, bomb) in bombs.iter().enumerate() {
        let bomb = bomb.load(std::sync::atomic::Ordering::Relaxed);
        let hit = results.iter().position(|(t, r)| {
            r.is_err() && matches!(tasks.get(*t).map(|x| x.1), Some(Task::Scan { side: s, index }) if s == side && index == bomb)
        });
        if let Some(p) = hit {
            let (_, r) = results.swap_remove(p);
            r?;
        }
    }
    for (t, r) in results {
        if let Some(slot) = done.get_mut(t) {
            *slot = Some(r?);
        }
    }
    let mut scans_a: Vec<LayerScan> = Vec::with_capacity(a.layers.len());
    let mut scans_b: Vec<LayerScan> = Vec::with_capacity(b.layers.len());
    for (t, d) in done.into_iter().enumerate() {
        let task = tasks.get(t).map(|x| x.1);
        match (task, d) {
            (Some(Task::Scan { side: 0, .. }), Some(Done::Scan(s))) => scans_a.push(s),
            (Some(Task::Scan { .. }), Some(Done::Scan(s))) => scans_b.push(s),
            (_, Some(Done::NeedScan(index))) => scans_b.push(scan(b, index, &ctxs[1])?),
            (
                Some(Task::Reuse { a_index, .. }),
                Some(Done::Reuse(blob_digest, blob_size, compression)),
            ) => {
                let Some(src) = scans_a.get(a_index) else {
                    return Err(ImageError::format(
                        &b.path,
                        "shared layer scanned out of order".to_string(),
                    ));
                };
                scans_b.push(LayerScan {
                    entries: src.entries.clone(),
                    blob_digest,
                    blob_size,
                    diff_id: src.diff_id.clone(),
                    uncompressed_size: src.uncompressed_size,
                    compression,
                    captured: src.captured.clone(),
                });
            }
            (Some(Task::Reuse { a_index, .. }), Some(Done::Same)) => {
                let Some(src) = scans_a.get(a_index) else {
                    return Err(ImageError::format(
                        &b.path,
                        "shared layer scanned out of order".to_string(),
                    ));
                };
                scans_b.push(src.clone());
            }
            _ => return Err(ImageError::format(&a.path, "layer task lost".to_string())),
        }
    }
    let (ra, rb) = rayon::join(
        || build_report(a, scans_a, opts),
        || build_report(b, scans_b, opts),
    );
    Ok((ra?, rb?))
}
