//! One image of a registry-wide scan, as one line of `dlint image --format jsonl`.

use crate::image::ImageReport;
use serde::{Deserialize, Serialize};

/// The summary line of one image (or of the error that stopped its analysis).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Always `"dlint-image-summary/1"`: tells these lines from other JSON lines.
    pub schema: String,
    /// The reference as listed in the input.
    pub reference: String,
    /// Why the image could not be analysed (then every figure below is zero or empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Digest of the image config.
    #[serde(default)]
    pub config_digest: String,
    /// `os/arch[/variant]`.
    #[serde(default)]
    pub platform: Option<String>,
    /// Sum of the layer blobs.
    #[serde(default)]
    pub compressed_size: u64,
    /// Sum of the uncompressed layers.
    #[serde(default)]
    pub uncompressed_size: u64,
    /// Bytes stored in layers but not visible in the final filesystem.
    #[serde(default)]
    pub wasted_bytes: u64,
    /// Visible / stored bytes.
    #[serde(default)]
    pub efficiency: f64,
    /// Regular files of the final filesystem.
    #[serde(default)]
    pub files: u64,
    /// Package-manager caches left in the final filesystem.
    #[serde(default)]
    pub caches: Vec<SummaryCache>,
    /// The layers, base first.
    #[serde(default)]
    pub layers: Vec<SummaryLayer>,
}

/// A cache directory left in an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryCache {
    /// Directory (no leading `/`).
    pub path: String,
    /// Tool owning it.
    pub tool: String,
    /// Bytes in it.
    pub bytes: u64,
}

/// A layer of an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryLayer {
    /// Uncompressed digest.
    pub diff_id: String,
    /// Blob size.
    pub compressed_size: u64,
    /// Uncompressed size.
    pub uncompressed_size: u64,
}

/// The schema tag of summary lines.
pub const SCHEMA: &str = "dlint-image-summary/1";

impl Summary {
    /// The summary of an analysed image.
    pub fn of(reference: &str, r: &ImageReport) -> Summary {
        Summary {
            schema: SCHEMA.to_string(),
            reference: reference.to_string(),
            error: None,
            config_digest: r.config_digest.clone(),
            platform: r.platform.clone(),
            compressed_size: r.totals.compressed_size,
            uncompressed_size: r.totals.uncompressed_size,
            wasted_bytes: r.totals.wasted_bytes,
            efficiency: r.totals.efficiency,
            files: r.totals.files,
            caches: r
                .caches
                .iter()
                .map(|c| SummaryCache {
                    path: c.path.clone(),
                    tool: c.tool.clone(),
                    bytes: c.bytes,
                })
                .collect(),
            layers: r
                .layers
                .iter()
                .map(|l| SummaryLayer {
                    diff_id: l.diff_id.clone(),
                    compressed_size: l.compressed_size,
                    uncompressed_size: l.uncompressed_size,
                })
                .collect(),
        }
    }

    /// The line of an image that could not be analysed.
    pub fn failed(reference: &str, error: String) -> Summary {
        Summary {
            schema: SCHEMA.to_string(),
            reference: reference.to_string(),
            error: Some(error),
            config_digest: String::new(),
            platform: None,
            compressed_size: 0,
            uncompressed_size: 0,
            wasted_bytes: 0,
            efficiency: 0.0,
            files: 0,
            caches: Vec::new(),
            layers: Vec::new(),
        }
    }
}
