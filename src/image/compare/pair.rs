//! Analysing the two images of a comparison together: a layer both contain (same diff_id in
//! both configs) is decompressed and walked once. The candidate's copy of the blob is only
//! hashed (when verifying) to check it against its own digest, so comparing a build with its
//! predecessor costs little more than analysing one of them.
//!
//! All layers of both images are tasks of the scheduler [`crate::image::analyze`] uses, and
//! each image's layers are applied to its model in order as they arrive, by the same code.

use crate::image::assemble::{InOrder, Ready, SideFiles};
use crate::image::read::{check_ids, globs, layer_err, scan};
use crate::image::schedule::{self, Task};
use crate::image::walk::{self, LayerScan, WalkCtx};
use crate::image::{AnalyzeOptions, Compression, Image, ImageError, ImageReport, LayerRef};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

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

/// What a worker did with one task.
enum Done {
    /// The very blob A's scan reads and checks (see [`same_blob`]): nothing to fetch.
    Same,
    /// A full scan (of either image).
    Scan(Result<LayerScan, ImageError>),
    /// B's blob checked; its walk is A's: (blob digest, blob size, compression).
    Checked(Result<(String, u64, Compression), ImageError>),
}

/// Analyses `a` and `b` like [`crate::image::analyze`] does each, reading shared layers once.
///
/// Both images' layers are tasks of the one [`schedule`] (biggest first, base layers first) and
/// each image applies its layers in order as they arrive ([`InOrder`]), dropping their entries:
/// the entries of a layer both images have are kept (once, shared) only until both applied it.
pub fn analyze_pair(
    a: &Image,
    b: &Image,
    opts: &AnalyzeOptions,
) -> Result<(ImageReport, ImageReport), ImageError> {
    let failed = [AtomicUsize::new(usize::MAX), AtomicUsize::new(usize::MAX)];
    let (ia, ib) = in_order(a, b, opts, &failed)?;
    let (ra, rb) = rayon::join(|| ia.finish(opts), || ib.finish(opts));
    Ok((ra?, rb?))
}

/// [`analyze_pair`], each report with its image's regular files and hard links (path ->
/// (size, layer)) for a [`Side`](super::Side). The two are finished one after the other so
/// that only one overlay model turns into a map at a time.
pub(crate) fn analyze_pair_side_files(
    a: &Image,
    b: &Image,
    opts: &AnalyzeOptions,
) -> Result<[(ImageReport, SideFiles); 2], ImageError> {
    let failed = [AtomicUsize::new(usize::MAX), AtomicUsize::new(usize::MAX)];
    let (ia, ib) = in_order(a, b, opts, &failed)?;
    let ra = ia.finish_with_side_files(opts);
    let rb = ib.finish_with_side_files(opts);
    Ok([ra?, rb?])
}

/// An image's layers applied in order, and the layer whose tar bomb stopped the walk.
struct Applied<'a> {
    order: InOrder<'a>,
    bomb: usize,
}

impl Applied<'_> {
    fn finish(self, opts: &AnalyzeOptions) -> Result<ImageReport, ImageError> {
        self.order.finish(self.bomb, opts)
    }

    fn finish_with_side_files(
        self,
        opts: &AnalyzeOptions,
    ) -> Result<(ImageReport, SideFiles), ImageError> {
        self.order.finish_with_side_files(self.bomb, opts)
    }
}

/// True when layer `index` of `img` has an entry in the layer cache (hits are trusted).
fn in_cache(img: &Image, index: usize, ctx: &WalkCtx<'_>) -> bool {
    crate::image::read::cache_key(img, index, ctx)
        .is_some_and(|(cache, key)| !cache.verifies() && cache.has(&key))
}

/// Reads both images' layers and applies each image's to its overlay model (`failed`: the
/// lowest failed layer of each, see [`InOrder`]).
fn in_order<'a>(
    a: &'a Image,
    b: &'a Image,
    opts: &AnalyzeOptions,
    failed: &'a [AtomicUsize; 2],
) -> Result<(Applied<'a>, Applied<'a>), ImageError> {
    let imgs = [a, b];
    let caps = [globs(a, &opts.capture)?, globs(b, &opts.capture)?];
    let entry_patterns = crate::image::cache::entry_patterns(&opts.capture);
    let spec = crate::image::cache::capture_spec(&entry_patterns, opts.capture_max_file);
    let entry_globs = match &opts.cache {
        Some(_) => globs(a, &entry_patterns)?,
        None => None,
    };
    let budgets = [
        AtomicU64::new(opts.capture_max_total),
        AtomicU64::new(opts.capture_max_total),
    ];
    let seen = [AtomicUsize::new(0), AtomicUsize::new(0)];
    let bombs = [AtomicUsize::new(usize::MAX), AtomicUsize::new(usize::MAX)];
    let ctxs: [WalkCtx<'_>; 2] = std::array::from_fn(|i| WalkCtx {
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
        cache: opts.cache.as_ref().map(|cache| crate::image::cache::Use {
            cache,
            spec: &spec,
            globs: entry_globs.as_ref(),
        }),
    });

    let mut first_in_a: HashMap<&str, usize> = HashMap::new();
    for (i, d) in a.diff_ids.iter().enumerate().take(a.layers.len()) {
        first_in_a.entry(d.as_str()).or_insert(i);
    }
    let mut jobs: Vec<Job> = (0..a.layers.len())
        .map(|index| Job::Scan { side: 0, index })
        .collect();
    // A's layer -> how many of B's layers reuse its walk
    let mut reused: HashMap<usize, usize> = HashMap::new();
    for (index, l) in b.layers.iter().enumerate() {
        let shared = b
            .diff_ids
            .get(index)
            .and_then(|d| first_in_a.get(d.as_str()))
            .copied();
        jobs.push(match shared {
            // a layer of B in the layer cache costs nothing: its own (cached) scan beats
            // reading its blob to check it against A's
            Some(a_index) if reusable(l, opts.verify) && !in_cache(b, index, &ctxs[1]) => {
                *reused.entry(a_index).or_default() += 1;
                Job::Reuse { index, a_index }
            }
            _ => Job::Scan { side: 1, index },
        });
    }
    let tasks: Vec<Task> = jobs
        .iter()
        .map(|j| match *j {
            Job::Scan { side, index } => Task {
                weight: imgs[side].blob_size(index),
                first: index == 0,
            },
            Job::Reuse { .. } => Task {
                weight: 0,
                first: false,
            },
        })
        .collect();

    let mut order_a = InOrder::new(a, opts.top, &failed[0]);
    let mut order_b = InOrder::new(b, opts.top, &failed[1]);
    if opts.files {
        order_a.keep_modes();
        order_b.keep_modes();
    }
    // A's layers whose walk B still needs, and B's checked blobs still waiting for A's walk
    let mut from_a: HashMap<usize, Ready> = HashMap::new();
    // (`None`: the very blob A reads, see [`same_blob`]; its figures are A's)
    let mut checked: HashMap<usize, Option<(String, u64, Compression)>> = HashMap::new();
    let skip = |t: usize| match jobs.get(t) {
        Some(&Job::Scan { side, index }) => index > failed[side].load(Ordering::Relaxed),
        Some(&Job::Reuse { index, .. }) => index > failed[1].load(Ordering::Relaxed),
        None => true,
    };
    let work = |t: usize, pipeline: bool| match jobs.get(t) {
        Some(&Job::Scan { side, index }) => {
            let ctx = WalkCtx {
                pipeline,
                ..ctxs[side]
            };
            Done::Scan(scan(imgs[side], index, &ctx))
        }
        Some(&Job::Reuse { index, a_index }) if same_blob(a, a_index, b, index) => Done::Same,
        Some(&Job::Reuse { index, .. }) => match check_blob(b, index, opts.verify) {
            Ok(Some(blob)) => Done::Checked(Ok(blob)),
            // only a full scan can verify this blob
            Ok(None) => Done::Scan(scan(b, index, &ctxs[1])),
            Err(e) => Done::Checked(Err(e)),
        },
        None => Done::Scan(Err(ImageError::format(&a.path, "no such layer task"))),
    };
    schedule::run(&tasks, opts.jobs, &skip, &work, |t, done| {
        let Some(&job) = jobs.get(t) else { return };
        match (job, done) {
            (Job::Scan { side: 0, index }, Done::Scan(r)) => {
                let r = r.map(Ready::new);
                if let Ok(ready) = &r
                    && reused.contains_key(&index)
                {
                    from_a.insert(index, ready.clone());
                    // B's layers whose blob was checked before A's walk was done
                    let waiting: Vec<usize> = jobs
                        .iter()
                        .filter_map(|j| match *j {
                            Job::Reuse { index: bi, a_index } if a_index == index => Some(bi),
                            _ => None,
                        })
                        .filter(|bi| checked.contains_key(bi))
                        .collect();
                    for bi in waiting {
                        if let Some(blob) = checked.remove(&bi) {
                            let blob = blob.unwrap_or_else(|| ready.figures());
                            let r = take_reuse(b, &mut from_a, &mut reused, index, blob);
                            order_b.offer(bi, r);
                        }
                    }
                }
                order_a.offer(index, r);
            }
            (Job::Scan { index, .. } | Job::Reuse { index, .. }, Done::Scan(r)) => {
                if let Job::Reuse { a_index, .. } = job {
                    release(&mut from_a, &mut reused, a_index);
                }
                order_b.offer(index, r.map(Ready::new));
            }
            (Job::Reuse { index, a_index }, Done::Checked(r)) => match r {
                Err(e) => {
                    release(&mut from_a, &mut reused, a_index);
                    order_b.offer(index, Err(e));
                }
                Ok(blob) if from_a.contains_key(&a_index) => {
                    let r = take_reuse(b, &mut from_a, &mut reused, a_index, blob);
                    order_b.offer(index, r);
                }
                Ok(blob) => {
                    checked.insert(index, Some(blob));
                }
            },
            (Job::Reuse { index, a_index }, Done::Same) => {
                match from_a.get(&a_index).map(Ready::figures) {
                    Some(blob) => {
                        let r = take_reuse(b, &mut from_a, &mut reused, a_index, blob);
                        order_b.offer(index, r);
                    }
                    None => {
                        checked.insert(index, None);
                    }
                }
            }
            (Job::Scan { .. }, Done::Checked(_) | Done::Same) => {}
        }
    });
    drop(from_a);
    let (bomb_a, bomb_b) = (
        bombs[0].load(Ordering::Relaxed),
        bombs[1].load(Ordering::Relaxed),
    );
    Ok((
        Applied {
            order: order_a,
            bomb: bomb_a,
        },
        Applied {
            order: order_b,
            bomb: bomb_b,
        },
    ))
}

/// One layer task of the pair.
#[derive(Debug, Clone, Copy)]
enum Job {
    /// Decode and walk layer `index` of side 0 (A) or 1 (B).
    Scan { side: usize, index: usize },
    /// B's layer `index` has the content of A's layer `a_index`: only check B's blob.
    Reuse { index: usize, a_index: usize },
}

/// B's layer made of A's walk of layer `a_index` and B's own blob figures.
fn take_reuse(
    b: &Image,
    from_a: &mut HashMap<usize, Ready>,
    reused: &mut HashMap<usize, usize>,
    a_index: usize,
    (blob_digest, blob_size, compression): (String, u64, Compression),
) -> Result<Ready, ImageError> {
    let Some(src) = from_a.get(&a_index) else {
        let msg = format!("layer {a_index} of the baseline, shared with this image, was not read");
        return Err(ImageError::format(&b.path, msg));
    };
    let ready = Ready {
        scan: LayerScan {
            blob_digest,
            blob_size,
            compression,
            ..src.scan.clone()
        },
        entries: src.entries.clone(),
    };
    release(from_a, reused, a_index);
    Ok(ready)
}

/// One of B's layers no longer needs A's walk of `a_index`: drop it after the last one.
fn release(from_a: &mut HashMap<usize, Ready>, reused: &mut HashMap<usize, usize>, a_index: usize) {
    if let Some(n) = reused.get_mut(&a_index) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            reused.remove(&a_index);
            from_a.remove(&a_index);
        }
    }
}
