//! The base image of each side of a comparison and how much of the size difference is the
//! base's. The base is the image's leading layers up to the first one a Dockerfile of this
//! image added; it is found, in this order, from:
//!
//! - the manifest's annotations `org.opencontainers.image.base.name` / `base.digest` (written
//!   by buildah and BuildKit), which name it;
//! - the Dockerfile (`--dockerfile`): its `FROM` names it, and its instructions matched against
//!   the image's history say where the image's own layers begin;
//! - the base image's facts (`--base-facts`, `--base-image`): when the base's layer diff_ids
//!   begin the image, exactly those layers are the base;
//! - the other side: a side whose first layers are the other side's base has that base too.
//!
//! Otherwise the base is "unknown" and the difference is not split.

use super::Side;
use crate::image::base::Resolver;
use crate::image::{AnalyzeOptions, Image, ImageError, OpenOptions};
use serde::Serialize;
use std::path::Path;

/// Manifest annotation naming the base image.
pub const BASE_NAME: &str = "org.opencontainers.image.base.name";
/// Manifest annotation giving the base image's manifest digest.
pub const BASE_DIGEST: &str = "org.opencontainers.image.base.digest";

/// What the Dockerfile an image was built from says of its base (made by
/// `crate::optimize::base_hint`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DockerfileHint {
    /// The `FROM` reference of the built stage's first stage (global ARGs expanded).
    pub from: Option<String>,
    /// Leading layers no instruction of the Dockerfile made; `None` when the history does
    /// not match the Dockerfile.
    pub base_layers: Option<usize>,
    /// Why the history does not match, when it does not.
    pub mismatch: Option<String>,
}

/// The base image of one side, as found before the comparison.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SideBase {
    /// The base's reference (annotation or `FROM`); `None` when unknown.
    pub name: Option<String>,
    /// The base's manifest digest, when the annotation gives it.
    pub digest: Option<String>,
    /// How many leading layers of the image are the base's; `None` when unknown.
    pub layers: Option<usize>,
    /// How the name and the layers were found, in order.
    pub found_by: Vec<String>,
    /// What could not be found, and why.
    pub note: Option<String>,
}

/// One side's base in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaseSide {
    /// What was found.
    #[serde(flatten)]
    pub found: SideBase,
    /// Compressed bytes of the base's layers.
    pub compressed: Option<u64>,
    /// Uncompressed bytes of the base's layers.
    pub uncompressed: Option<u64>,
    /// Uncompressed bytes of the layers above the base ("your layers").
    pub own: Option<u64>,
}

/// The bases of both sides and the split of the uncompressed size difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaseSplit {
    /// The baseline's base.
    pub a: BaseSide,
    /// The candidate's base.
    pub b: BaseSide,
    /// True when both bases are the same layers.
    pub same: bool,
    /// The part of B − A (uncompressed) that is the base's: B's base − A's base.
    pub diff_base: Option<i64>,
    /// The part that is the images' own layers; `diff_base + diff_own` is the whole difference.
    pub diff_own: Option<i64>,
}

/// `name` with its tag replaced by `digest` (`debian:12` -> `docker.io/library/debian@sha256:…`).
fn by_digest(name: &str, digest: &str) -> String {
    match crate::image::registry::Reference::parse(name) {
        Ok(r) => format!("{}/{}@{digest}", r.registry, r.repository),
        Err(_) => name.to_string(),
    }
}

/// The base of `img` from its annotations, the Dockerfile's `hint` and, with a `resolver`,
/// the base's facts (see the module doc).
pub fn detect(img: &Image, hint: Option<&DockerfileHint>, resolver: Option<&Resolver>) -> SideBase {
    let mut b = SideBase::default();
    let mut notes = Vec::new();
    let annotated = img.annotations.get(BASE_NAME).filter(|n| !n.is_empty());
    if let Some(name) = annotated {
        b.name = Some(name.clone());
        b.digest = img
            .annotations
            .get(BASE_DIGEST)
            .filter(|d| d.starts_with("sha256:"))
            .cloned();
        b.found_by.push("the image's annotation".into());
    } else if let Some(from) = hint.and_then(|h| h.from.clone()) {
        b.name = Some(from);
        b.found_by.push("the Dockerfile's FROM".into());
    }
    if let (Some(r), Some(name)) = (resolver, &b.name) {
        // by digest from a registry; a local archive (`--base-image`) by the name it is given
        let lookup = match b.digest.as_deref() {
            Some(d) if !r.has_local(name) => by_digest(name, d),
            _ => name.clone(),
        };
        if let Some(f) = r.facts(&lookup, img.platform.as_deref()) {
            let ids = f.diff_ids();
            let begins = !ids.is_empty()
                && ids.len() <= img.diff_ids.len()
                && ids.iter().zip(&img.diff_ids).all(|(x, y)| x == y);
            if begins {
                b.layers = Some(ids.len());
                b.found_by.push("the base's layers (base facts)".into());
            } else {
                notes.push(format!(
                    "the layers of {lookup} (base facts) do not begin this image: it was built from another version of it"
                ));
            }
        }
    }
    if b.layers.is_none()
        && let Some(h) = hint
    {
        match (h.base_layers, &h.mismatch) {
            (Some(n), _) => {
                b.layers = Some(n);
                b.found_by
                    .push("the history matched to the Dockerfile".into());
            }
            (None, Some(why)) => {
                notes.push(format!("the history does not match the Dockerfile ({why})"))
            }
            (None, None) => {}
        }
    }
    if b.name.is_none() && hint.is_none() {
        notes.push(format!(
            "the image names no base (annotation {BASE_NAME}) and no Dockerfile was given (--dockerfile)"
        ));
    }
    b.note = (!notes.is_empty()).then(|| notes.join("; "));
    b
}

/// Opens both inputs, finds each one's base ([`detect`], with `hint(0 | 1, image)` for A and
/// B) and analyses them together as [`super::load_sides`] does.
pub fn load_sides_with_bases(
    paths: [&Path; 2],
    open: [&OpenOptions; 2],
    opts: &AnalyzeOptions,
    resolver: Option<&Resolver>,
    hint: &(dyn Fn(usize, &Image) -> Option<DockerfileHint> + Sync),
) -> Result<(Side, Side), ImageError> {
    let (ia, ib) = rayon::join(
        || crate::image::open(paths[0], open[0]),
        || crate::image::open(paths[1], open[1]),
    );
    let (ia, ib) = (ia?, ib?);
    let (base_a, base_b) = rayon::join(
        || detect(&ia, hint(0, &ia).as_ref(), resolver),
        || detect(&ib, hint(1, &ib).as_ref(), resolver),
    );
    let opts = AnalyzeOptions {
        files: false,
        ..opts.clone()
    };
    let [(ra, fa), (rb, fb)] = super::pair::analyze_pair_side_files(&ia, &ib, &opts)?;
    let mut a = Side::from_parts(paths[0].display().to_string(), &ra, fa);
    drop(ra);
    let mut b = Side::from_parts(paths[1].display().to_string(), &rb, fb);
    a.base = base_a;
    b.base = base_b;
    Ok((a, b))
}

fn ids(side: &Side, n: usize) -> Option<Vec<&str>> {
    let l = side.layers.get(..n)?;
    Some(l.iter().map(|l| l.diff_id.as_str()).collect())
}

/// A side whose base is unknown has the other side's when its first layers are those.
fn from_other(mine: &mut SideBase, me: &Side, theirs: &SideBase, them: &Side) {
    let Some(n) = theirs.layers.filter(|&n| n > 0) else {
        return;
    };
    if mine.layers.is_some() || ids(me, n).is_none() || ids(me, n) != ids(them, n) {
        return;
    }
    mine.layers = Some(n);
    if mine.name.is_none() {
        mine.name.clone_from(&theirs.name);
        mine.digest.clone_from(&theirs.digest);
    }
    mine.found_by
        .push("its first layers are the other image's base".into());
    mine.note = None;
}

fn side_bytes(found: SideBase, side: &Side) -> BaseSide {
    let layers = found.layers.and_then(|n| side.layers.get(..n));
    let compressed = layers.map(|l| l.iter().map(|l| l.compressed).sum());
    let uncompressed: Option<u64> = layers.map(|l| l.iter().map(|l| l.uncompressed).sum());
    BaseSide {
        own: uncompressed.map(|u| side.uncompressed.saturating_sub(u)),
        found,
        compressed,
        uncompressed,
    }
}

/// The bases of `a` and `b` with their bytes, and the split of the difference.
pub(super) fn split(a: &Side, b: &Side) -> BaseSplit {
    let (mut fa, mut fb) = (a.base.clone(), b.base.clone());
    from_other(&mut fa, a, &b.base, b);
    from_other(&mut fb, b, &fa, a);
    let same =
        matches!((fa.layers, fb.layers), (Some(x), Some(y)) if x == y && ids(a, x) == ids(b, y));
    let (sa, sb) = (side_bytes(fa, a), side_bytes(fb, b));
    let signed = |x: u64, y: u64| -> i64 {
        (i128::from(y) - i128::from(x)).clamp(i64::MIN.into(), i64::MAX.into()) as i64
    };
    let diff_base = sa
        .uncompressed
        .zip(sb.uncompressed)
        .map(|(x, y)| signed(x, y));
    let diff_own = sa.own.zip(sb.own).map(|(x, y)| signed(x, y));
    BaseSplit {
        a: sa,
        b: sb,
        same,
        diff_base,
        diff_own,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::compare::SideLayer;

    fn side(ids: &[(&str, u64)], base: SideBase) -> Side {
        let layers: Vec<SideLayer> = ids
            .iter()
            .map(|(id, size)| SideLayer {
                diff_id: id.to_string(),
                compressed: size / 2,
                uncompressed: *size,
                files: 1,
                created_by: String::new(),
            })
            .collect();
        Side {
            uncompressed: layers.iter().map(|l| l.uncompressed).sum(),
            layers,
            base,
            ..Side::default()
        }
    }

    fn known(name: &str, n: usize) -> SideBase {
        SideBase {
            name: Some(name.into()),
            layers: Some(n),
            ..SideBase::default()
        }
    }

    #[test]
    fn split_adds_up_and_other_side_lends_its_base() {
        let a = side(&[("d", 1000), ("a1", 300)], known("debian:12", 1));
        let b = side(
            &[("al", 100), ("b1", 500), ("b2", 50)],
            known("alpine:3", 1),
        );
        let s = split(&a, &b);
        assert!(!s.same);
        assert_eq!(
            (s.a.uncompressed, s.b.uncompressed),
            (Some(1000), Some(100))
        );
        assert_eq!((s.diff_base, s.diff_own), (Some(-900), Some(250)));
        assert_eq!(
            s.diff_base.zip(s.diff_own).map(|(x, y)| x + y),
            Some(650 - 1300)
        );
        // B knows nothing, but begins with A's base layer: the same base
        let b = side(&[("d", 1000), ("b1", 20)], SideBase::default());
        let s = split(&a, &b);
        assert!(s.same, "{s:?}");
        assert_eq!(s.b.found.name.as_deref(), Some("debian:12"));
        assert_eq!((s.diff_base, s.diff_own), (Some(0), Some(-280)));
        // nothing known on B, other first layer: unknown, no split
        let b = side(&[("x", 10)], SideBase::default());
        let s = split(&a, &b);
        assert_eq!(
            (s.b.uncompressed, s.diff_base, s.diff_own),
            (None, None, None)
        );
        // a base longer than the image is not taken
        let a = side(&[("d", 1)], known("x", 3));
        assert_eq!(split(&a, &b).a.uncompressed, None);
    }

    #[test]
    fn digest_references() {
        assert_eq!(
            by_digest("debian:12", "sha256:ab"),
            "docker.io/library/debian@sha256:ab"
        );
        assert_eq!(
            by_digest("127.0.0.1:5000/lang:3", "sha256:ab"),
            "127.0.0.1:5000/lang@sha256:ab"
        );
    }
}
