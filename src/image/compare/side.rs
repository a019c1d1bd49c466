//! [`Side`]: what the comparison needs to know about one analysed image.

use crate::image::packages::Inventory;
use serde::Serialize;
use std::collections::BTreeMap;

/// One layer of a side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SideLayer {
    /// sha256 of the uncompressed layer (`sha256:…`): equal diff_ids mean identical content.
    pub diff_id: String,
    /// Compressed (blob) size.
    pub compressed: u64,
    /// Uncompressed (tar) size.
    pub uncompressed: u64,
    /// Entries in the layer.
    pub files: u64,
    /// The instruction that created it.
    pub created_by: String,
}

/// A cache directory left in the final filesystem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SideCache {
    /// Cache path (for example `/var/lib/apt/lists`).
    pub path: String,
    /// Bytes of the files under it.
    pub bytes: u64,
    /// Index of the layer that put most of them there.
    pub layer: Option<usize>,
}

/// What the comparison needs to know about one analysed image.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Side {
    /// Label shown for this side (usually the input path).
    pub label: String,
    /// Layers, bottom first.
    pub layers: Vec<SideLayer>,
    /// Total compressed size (sum of layer blobs).
    pub compressed: u64,
    /// Total uncompressed size (sum of layer tars).
    pub uncompressed: u64,
    /// Bytes of file data visible in the final filesystem (hard links counted once): what a
    /// user means by "the image is 10 MB".
    pub visible: u64,
    /// Regular files in the final filesystem.
    pub file_count: u64,
    /// Bytes stored in layers but not visible in the final filesystem.
    pub wasted: u64,
    /// Visible bytes / all regular-file bytes across layers (0..=1).
    pub efficiency: f64,
    /// Final filesystem: path (no leading `/`) of each regular file and hard link, as
    /// `dlint image` counts them -> (size, layer index).
    pub files: BTreeMap<String, (u64, usize)>,
    /// Caches left in the final filesystem.
    pub caches: Vec<SideCache>,
    /// Installed packages.
    pub packages: Inventory,
    /// The base image, as far as it was found (see [`super::base`]).
    pub base: super::SideBase,
}

impl Side {
    /// Summarises an analysed image. `report.files` must hold the final filesystem and
    /// `report.captured` the files selected by [`crate::image::packages::CAPTURE_GLOBS`].
    pub fn from_report(label: impl Into<String>, report: &crate::image::ImageReport) -> Self {
        use crate::image::FileKind;
        let files: BTreeMap<String, (u64, usize)> = report
            .files
            .iter()
            .filter(|(_, e)| matches!(e.kind, FileKind::File | FileKind::Hardlink))
            .map(|(p, e)| {
                (
                    crate::image::packages::normalize_path(p).to_string(),
                    (e.size, e.layer),
                )
            })
            .collect();
        Side::from_parts(label, report, files)
    }

    /// [`Side::from_report`] with the final filesystem's regular files and hard links already
    /// summarised (path without leading `/` -> (size, layer)); `report.files` is not read.
    pub(crate) fn from_parts(
        label: impl Into<String>,
        report: &crate::image::ImageReport,
        files: BTreeMap<String, (u64, usize)>,
    ) -> Self {
        let captured: BTreeMap<String, Vec<u8>> = report
            .captured
            .iter()
            .map(|(p, c)| (p.clone(), c.content.clone().into_bytes()))
            .collect();
        let packages = Inventory::from_files(&captured, &files);
        Side {
            label: label.into(),
            layers: report
                .layers
                .iter()
                .map(|l| SideLayer {
                    diff_id: l.diff_id.clone(),
                    compressed: l.compressed_size,
                    uncompressed: l.uncompressed_size,
                    files: l.file_count,
                    created_by: l.created_by.clone().unwrap_or_default(),
                })
                .collect(),
            compressed: report.totals.compressed_size,
            uncompressed: report.totals.uncompressed_size,
            visible: report.totals.visible_bytes,
            file_count: report.totals.files,
            wasted: report.totals.wasted_bytes,
            efficiency: report.totals.efficiency,
            files,
            caches: report
                .caches
                .iter()
                .map(|c| SideCache {
                    path: format!("/{}", c.path.trim_start_matches('/')),
                    bytes: c.bytes,
                    layer: c.layers.last().copied(),
                })
                .collect(),
            packages,
            base: super::SideBase::default(),
        }
    }
}
