//! Reading one layer with its integrity checks, shared by [`super::analyze`] and the pair
//! analysis of `compare`.

use super::walk::{self, LayerScan, WalkCtx};
use super::{Image, ImageError, LayerRef};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// The capture patterns as one glob set (`None` when there are none).
pub(crate) fn globs(img: &Image, patterns: &[String]) -> Result<Option<GlobSet>, ImageError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let g = GlobBuilder::new(p.trim_start_matches('/'))
            .literal_separator(true)
            .build()
            .map_err(|e| ImageError::format(&img.path, format!("capture pattern {p:?}: {e}")))?;
        b.add(g);
    }
    b.build()
        .map(Some)
        .map_err(|e| ImageError::format(&img.path, format!("capture patterns: {e}")))
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
/// (`--no-verify` turns it off).
pub(crate) fn scan(img: &Image, index: usize, ctx: &WalkCtx<'_>) -> Result<LayerScan, ImageError> {
    let Some(l) = img.layers.get(index) else {
        return Err(ImageError::format(&img.path, format!("no layer {index}")));
    };
    let (r, _) = img
        .store
        .open_member(&l.member)
        .map_err(|m| layer_err(img, index, l, m))?;
    let ctx = WalkCtx {
        layer: index,
        ..*ctx
    };
    let mut s = walk::scan_layer(r, &ctx).map_err(|m| layer_err(img, index, l, m))?;
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
    } else {
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
