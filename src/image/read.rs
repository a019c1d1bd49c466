//! Reading one layer with its integrity checks, shared by [`super::analyze`] and the pair
//! analysis of `compare`.

use super::cache::{self, LayerCache};
use super::walk::{self, LayerScan, WalkCtx};
use super::{Image, ImageError, LayerRef};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::sync::atomic::{AtomicU64, Ordering};

/// The capture patterns as one glob set (`None` when there are none).
pub(crate) fn globs(img: &Image, patterns: &[String]) -> Result<Option<GlobSet>, ImageError> {
    globs_of(patterns).map_err(|m| ImageError::format(&img.path, m))
}

/// [`globs`] with the error as a message.
pub(crate) fn globs_of(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let g = GlobBuilder::new(p.trim_start_matches('/'))
            .literal_separator(true)
            .build()
            .map_err(|e| format!("capture pattern {p:?}: {e}"))?;
        b.add(g);
    }
    b.build()
        .map(Some)
        .map_err(|e| format!("capture patterns: {e}"))
}

/// An error naming the archive and the layer.
pub(crate) fn layer_err(img: &Image, index: usize, l: &LayerRef, message: String) -> ImageError {
    ImageError::Layer {
        archive: img.path.clone(),
        index,
        digest: l.digest.clone().unwrap_or_else(|| l.member.clone()),
        message,
    }
}

/// Decodes and walks one layer, with the same integrity checks as `analyze` when `ctx.hash`
/// (`--no-verify` turns it off). With a layer cache, a valid entry stands for the layer (the
/// blob is not opened), and a layer read and verified is stored.
pub(crate) fn scan(img: &Image, index: usize, ctx: &WalkCtx<'_>) -> Result<LayerScan, ImageError> {
    let Some(l) = img.layers.get(index) else {
        return Err(ImageError::format(&img.path, format!("no layer {index}")));
    };
    let ctx = WalkCtx {
        layer: index,
        ..*ctx
    };
    let cached = cache_key(img, index, &ctx).map(|(cache, key)| {
        let hit = cache.load(&key).filter(|s| {
            // the blob the manifest (or archive) sizes must be the one the entry was made from
            let want = img.blob_size(index);
            want == 0 || want == s.blob_size
        });
        (cache, key, hit)
    });
    let mut s = match cached {
        Some((cache, _, Some(hit))) if !cache.verifies() => from_cache(img, index, l, hit, &ctx)?,
        Some((cache, key, old)) if ctx.hash => {
            // read with the entry's capture patterns and a budget of its own, then keep
            // what the analysis asked for, as a hit does
            let budget = AtomicU64::new(ENTRY_CAPTURE_BUDGET);
            let entry_ctx = WalkCtx {
                capture: ctx.cache.and_then(|u| u.globs),
                capture_budget: &budget,
                ..ctx
            };
            let s = read_layer(img, index, l, &entry_ctx)?;
            if !s.capture_cut {
                match old {
                    Some(old) if cache::same_scan(&old, &s) => {}
                    Some(_) => {
                        cache.note_mismatch();
                        cache.store(&key, &s);
                    }
                    None => cache.store(&key, &s),
                }
            }
            keep_asked(s, &ctx)
        }
        _ => read_layer(img, index, l, &ctx)?,
    };
    if !ctx.hash {
        // not hashed: report what the archive says
        s.diff_id = img.diff_ids.get(index).cloned().unwrap_or_default();
        s.blob_digest = match &l.digest {
            Some(d) => d.clone(),
            None if s.compression == super::Compression::None => s.diff_id.clone(),
            None => String::new(),
        };
    }
    Ok(s)
}

/// The cache and the entry key of layer `index`, when a cache is in use and the config names
/// the layer's diff_id.
pub(crate) fn cache_key<'a>(
    img: &Image,
    index: usize,
    ctx: &WalkCtx<'a>,
) -> Option<(&'a LayerCache, cache::Key)> {
    let u = ctx.cache?;
    let l = img.layers.get(index)?;
    let key = u
        .cache
        .key(img.diff_ids.get(index)?, l.digest.as_deref(), u.spec)?;
    Some((u.cache, key))
}

/// A cache entry standing for the layer: counted against the tar-bomb limit and the capture
/// budget as the walk would have been.
fn from_cache(
    img: &Image,
    index: usize,
    l: &LayerRef,
    s: LayerScan,
    ctx: &WalkCtx<'_>,
) -> Result<LayerScan, ImageError> {
    let n = usize::try_from(s.entry_count).unwrap_or(usize::MAX);
    let seen = ctx
        .entries_seen
        .fetch_add(n, Ordering::Relaxed)
        .saturating_add(n);
    if seen > ctx.max_entries {
        let _ = ctx.bomb_layer.compare_exchange(
            usize::MAX,
            index,
            Ordering::Relaxed,
            Ordering::Relaxed,
        );
        let msg = format!(
            "more than {} entries in the image (tar bomb?); raise the limit with --max-entries",
            ctx.max_entries
        );
        return Err(layer_err(img, index, l, msg));
    }
    if let Some(p) = ctx.progress {
        p.inc(s.blob_size);
    }
    Ok(keep_asked(s, ctx))
}

/// Capture budget of the walk that makes an entry (its own, not the analysis').
const ENTRY_CAPTURE_BUDGET: u64 = 256 << 20;

/// The scan with only the captured files the analysis asks for (its patterns), each taken
/// from its capture budget as the walk would have.
fn keep_asked(mut s: LayerScan, ctx: &WalkCtx<'_>) -> LayerScan {
    let captured = std::mem::take(&mut s.captured);
    let sizes = std::mem::take(&mut s.captured_sizes);
    let Some(asked) = ctx.capture else {
        return s;
    };
    for ((path, content), size) in captured.into_iter().zip(sizes) {
        if size <= ctx.capture_max_file && asked.is_match(&path) && walk::reserve(ctx, size) {
            s.captured.push((path, content));
            s.captured_sizes.push(size);
        }
    }
    s
}

/// Reads the layer's blob: decodes, walks and checks it.
fn read_layer(
    img: &Image,
    index: usize,
    l: &LayerRef,
    ctx: &WalkCtx<'_>,
) -> Result<LayerScan, ImageError> {
    let (r, _) = img
        .store
        .open_member(&l.member)
        .map_err(|m| layer_err(img, index, l, m))?;
    let s = walk::scan_layer(r, ctx).map_err(|m| layer_err(img, index, l, m))?;
    if ctx.hash {
        check_ids(img, index, l, &s.blob_digest, s.blob_size)?;
        if let Some(want) = img.diff_ids.get(index)
            && *want != s.diff_id
        {
            let msg = format!(
                "uncompressed content is {} but the config's diff_id is {want}",
                s.diff_id
            );
            return Err(layer_err(img, index, l, msg));
        }
    }
    Ok(s)
}

pub(crate) fn check_ids(
    img: &Image,
    index: usize,
    l: &LayerRef,
    digest: &str,
    size: u64,
) -> Result<(), ImageError> {
    if let Some(d) = &l.digest
        && d.starts_with("sha256:")
        && d != digest
    {
        let msg = format!("blob digest mismatch: the archive says {d}, the content is {digest}");
        return Err(layer_err(img, index, l, msg));
    }
    if let Some(want) = l.size
        && want != size
    {
        let msg = format!("blob is {size} bytes but the manifest says {want}");
        return Err(layer_err(img, index, l, msg));
    }
    Ok(())
}
