//! Several images at once (`dlint image A B C`): the layers they share (same diff_id) and the
//! bytes stored once instead of once per image, for a registry's family of images.

use super::ImageReport;
use serde::Serialize;
use std::collections::BTreeMap;

/// One image of the family.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Member {
    /// The input as given (path or reference).
    pub input: String,
    /// Image reference, if the input names one.
    pub reference: Option<String>,
    /// Number of layers.
    pub layers: usize,
    /// Sum of the layers' uncompressed sizes.
    pub uncompressed_size: u64,
    /// Sum of the layers' blob sizes.
    pub compressed_size: u64,
    /// Uncompressed bytes of layers no other image of the family has.
    pub own_bytes: u64,
}

/// A layer found in two images or more.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SharedLayer {
    /// sha256 of the uncompressed layer.
    pub diff_id: String,
    /// Uncompressed size.
    pub uncompressed_size: u64,
    /// Blob size (of the first image listing it; compression may differ between images).
    pub compressed_size: u64,
    /// Command that created it (from the first image listing it).
    pub created_by: Option<String>,
    /// `[image, layer index]` of every image holding it, in input order.
    pub in_images: Vec<[usize; 2]>,
    /// Uncompressed bytes stored once instead of once per image: size × (images − 1).
    pub bytes_saved: u64,
}

/// Family-wide figures.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FamilyTotals {
    /// Sum over the images of their uncompressed sizes.
    pub uncompressed_size: u64,
    /// Uncompressed bytes of the distinct layers (each diff_id once).
    pub unique_bytes: u64,
    /// `uncompressed_size − unique_bytes`: what sharing layers saves.
    pub shared_bytes: u64,
    /// Distinct layers, and those in two images or more.
    pub distinct_layers: usize,
    /// Layers in two images or more.
    pub shared_layers: usize,
}

/// The shared-layer report of several images (`--format json`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Family {
    /// The images, in input order.
    pub images: Vec<Member>,
    /// Layers in two images or more, most bytes saved first.
    pub shared: Vec<SharedLayer>,
    /// Family-wide figures.
    pub totals: FamilyTotals,
}

/// The layers `reports` (input name, report) share: a layer is the same in two images when its
/// diff_id is (a layer repeated within one image counts for that image once).
pub fn family(reports: &[(String, ImageReport)]) -> Family {
    // diff_id -> [image, layer] in input order, each image once
    let mut by_id: BTreeMap<&str, Vec<[usize; 2]>> = BTreeMap::new();
    for (i, (_, r)) in reports.iter().enumerate() {
        for l in &r.layers {
            let v = by_id.entry(l.diff_id.as_str()).or_default();
            if !v.iter().any(|p| p[0] == i) {
                v.push([i, l.index]);
            }
        }
    }
    let layer = |p: [usize; 2]| reports.get(p[0]).and_then(|(_, r)| r.layers.get(p[1]));
    let mut shared = Vec::new();
    let mut unique_bytes = 0u64;
    for (id, at) in &by_id {
        let Some(first) = at.first().and_then(|&p| layer(p)) else {
            continue;
        };
        unique_bytes += first.uncompressed_size;
        if at.len() < 2 {
            continue;
        }
        shared.push(SharedLayer {
            diff_id: id.to_string(),
            uncompressed_size: first.uncompressed_size,
            compressed_size: first.compressed_size,
            created_by: first.created_by.clone(),
            in_images: at.clone(),
            bytes_saved: first.uncompressed_size * (at.len() as u64 - 1),
        });
    }
    shared.sort_by(|a, b| {
        b.bytes_saved
            .cmp(&a.bytes_saved)
            .then_with(|| a.in_images.cmp(&b.in_images))
    });
    let images: Vec<Member> = reports
        .iter()
        .enumerate()
        .map(|(i, (input, r))| Member {
            input: input.clone(),
            reference: r.reference.clone(),
            layers: r.layers.len(),
            uncompressed_size: r.totals.uncompressed_size,
            compressed_size: r.totals.compressed_size,
            own_bytes: r
                .layers
                .iter()
                .filter(|l| by_id.get(l.diff_id.as_str()).is_some_and(|v| v.len() == 1))
                .filter(|l| by_id.get(l.diff_id.as_str()).is_some_and(|v| v[0][0] == i))
                .map(|l| l.uncompressed_size)
                .sum(),
        })
        .collect();
    let uncompressed_size: u64 = images.iter().map(|m| m.uncompressed_size).sum();
    let totals = FamilyTotals {
        uncompressed_size,
        unique_bytes,
        shared_bytes: uncompressed_size.saturating_sub(unique_bytes),
        distinct_layers: by_id.len(),
        shared_layers: shared.len(),
    };
    Family {
        images,
        shared,
        totals,
    }
}
