//! The report of one analysed image (`dlint image --format json`) and the kinds it uses.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The container formats dlint reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArchiveFormat {
    /// Classic `docker save` (`manifest.json`, `<id>/layer.tar` or `<sha>.tar`).
    DockerArchive,
    /// Docker 25+ `docker save`: `manifest.json` pointing into an OCI `blobs/` tree.
    DockerArchiveOci,
    /// OCI image layout directory.
    OciLayout,
    /// OCI image layout in a tar (`oci-archive`).
    OciArchive,
    /// An OCI Distribution registry (`docker://`, `oci://`, `NAME:TAG`).
    Registry,
}

/// Layer compression, detected from the blob's first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    /// Plain tar.
    #[default]
    None,
    /// gzip (`1f 8b`).
    Gzip,
    /// zstd (`28 b5 2f fd`).
    Zstd,
}

/// Kind of a path in the filesystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// Regular file.
    File,
    /// Directory.
    Dir,
    /// Symbolic link.
    Symlink,
    /// Hard link to a regular file (shares its data; `size` is the data's size).
    Hardlink,
    /// Device node, fifo or socket.
    Other,
}

/// Why a stored copy of a file is not visible in the final filesystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HiddenBy {
    /// A later entry at the same path replaced it.
    Overwritten,
    /// A `.wh.<name>` whiteout deleted it.
    Whiteout,
    /// It was under a directory deleted by a whiteout.
    DirectoryWhiteout,
    /// It was under a directory made opaque (`.wh..wh..opq`).
    Opaque,
}

/// What a layer did to a path of the filesystem below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// The path was not in the layers below.
    Added,
    /// The layer replaced the path (same path, new entry; a re-declared directory is not listed).
    Modified,
    /// A whiteout (file, directory or opaque) of the layer removed the path.
    Removed,
}

/// One path a layer added, modified or removed (`dlint image --files`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LayerFile {
    /// Path (no leading `/`).
    pub path: String,
    /// What the path is (for a removed path: what it was).
    pub kind: FileKind,
    /// Data size (regular files and hard links), else 0.
    pub size: u64,
    /// Permission bits of the tar entry (`0o7777`: setuid, setgid, sticky, rwx; for a removed
    /// path the mode it had). JSON: four octal digits (`"0755"`). Every listed path came from
    /// a tar entry (a directory only implied by its files is never listed), so it is known.
    #[serde(with = "octal_mode")]
    pub mode: u32,
    /// Added, modified or removed.
    pub change: Change,
}

/// Four octal digits of a mode (`0o4755` -> `"4755"`, `0o644` -> `"0644"`).
pub fn mode_octal(mode: u32) -> String {
    format!("{mode:04o}")
}

/// A mode as an octal string (`"0755"`).
mod octal_mode {
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub(super) fn serialize<S: Serializer>(m: &u32, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::mode_octal(*m))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        let t = String::deserialize(d)?;
        u32::from_str_radix(&t, 8).map_err(D::Error::custom)
    }
}

/// Per-layer summary.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LayerSummary {
    /// 0-based position, base layer first.
    pub index: usize,
    /// sha256 of the blob as stored (compressed).
    pub digest: String,
    /// sha256 of the uncompressed tar stream.
    pub diff_id: String,
    /// Media type from the manifest, if any.
    pub media_type: Option<String>,
    /// Compression detected from the bytes.
    pub compression: Compression,
    /// Blob size in bytes.
    pub compressed_size: u64,
    /// Uncompressed tar stream size in bytes (headers and padding included).
    pub uncompressed_size: u64,
    /// Entries that are not directories or whiteouts.
    pub file_count: u64,
    /// Whiteout and opaque markers.
    pub whiteouts: u64,
    /// Cleaned instruction that created the layer.
    pub created_by: Option<String>,
    /// Bytes of regular files stored in this layer.
    pub bytes_added: u64,
    /// Bytes of lower-layer files this layer replaced at the same path.
    pub bytes_overwritten: u64,
    /// Bytes of lower-layer files this layer's whiteouts (file, directory, opaque) hid.
    pub bytes_removed: u64,
    /// 1-based line of the Dockerfile instruction that made the layer (`dlint image
    /// --dockerfile`), when the history matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// When the builder committed several steps in this one layer (`buildah bud` without
    /// `--layers`), the 1-based line of the first of them; `line` is the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_line: Option<usize>,
    /// The paths this layer added, modified and removed, in tar order (whiteouts first), with
    /// [`super::AnalyzeOptions::layer_files`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<LayerFile>,
}

/// Image-wide figures.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Totals {
    /// Sum of the layer blob sizes.
    pub compressed_size: u64,
    /// Sum of the uncompressed layer tar sizes.
    pub uncompressed_size: u64,
    /// Bytes of all regular-file copies stored across layers.
    pub stored_bytes: u64,
    /// Bytes of file data reachable in the final filesystem (hard links counted once).
    pub visible_bytes: u64,
    /// `stored_bytes - visible_bytes`.
    pub wasted_bytes: u64,
    /// `wasted_bytes / stored_bytes * 100` (0 for an empty image).
    pub wasted_percent: f64,
    /// `visible_bytes / stored_bytes` (1 for an empty image).
    pub efficiency: f64,
    /// Regular files and hard links in the final filesystem.
    pub files: u64,
    /// All paths in the final filesystem.
    pub paths: u64,
}

/// What dive (wagoodman/dive) would report, for users comparing numbers.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DiveCompat {
    /// dive's "efficiency": sum of each path's smallest copy / sum of all copies.
    pub score: f64,
    /// dive's "wasted bytes": total size of every copy of each path seen in 2+ layers,
    /// including the surviving copy.
    pub wasted_bytes: u64,
    /// dive's "userWastedPercent": `wasted_bytes` over the file bytes of every layer but the
    /// first, times 100.
    pub user_wasted_percent: f64,
}

/// A stored file copy that is not visible in the final filesystem.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WastedPath {
    /// Path of the copy.
    pub path: String,
    /// Its size.
    pub size: u64,
    /// Layer that stored it.
    pub added_layer: usize,
    /// Layer that hid it.
    pub hidden_layer: usize,
    /// How it was hidden.
    pub reason: HiddenBy,
}

/// A path of the final filesystem.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FsEntry {
    /// File, dir, symlink, hard link, other.
    pub kind: FileKind,
    /// Data size (regular files and hard links), else 0.
    pub size: u64,
    /// Layer of the entry that made this path what it is.
    pub layer: usize,
    /// Permission bits of that layer's tar entry (`0o7777`, as in [`LayerFile::mode`]; a
    /// re-declared directory's latest). JSON: four octal digits (`"0755"`).
    #[serde(with = "octal_mode")]
    pub mode: u32,
    /// Symlink or hard-link target.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub link: Option<String>,
}

/// A large file of the final filesystem.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LargeFile {
    /// Path (no leading `/`).
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Layer that put it there.
    pub layer: usize,
}

/// Visible bytes below one top-level directory.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DirSize {
    /// Top-level directory (or a file at the root).
    pub path: String,
    /// Visible file bytes below it.
    pub bytes: u64,
    /// Regular files below it.
    pub files: u64,
}

/// A package-manager cache left in the final filesystem.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CacheFinding {
    /// Cache directory (no leading `/`).
    pub path: String,
    /// Tool that owns it (apt, apk, pip, …).
    pub tool: String,
    /// Bytes of regular files in it.
    pub bytes: u64,
    /// Regular files in it.
    pub files: u64,
    /// Layers that put those files there, ascending.
    pub layers: Vec<usize>,
}

/// Contents of a small final-filesystem file asked for with [`super::AnalyzeOptions::capture`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CapturedFile {
    /// Layer the visible copy comes from.
    pub layer: usize,
    /// Size in bytes.
    pub size: u64,
    /// Contents (invalid UTF-8 replaced with U+FFFD).
    pub content: String,
}

/// Everything `dlint image` reports. Serialised as the `--format json` output.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ImageReport {
    /// Schema version of this JSON (bumped on incompatible changes).
    pub schema_version: u32,
    /// Archive or layout path as given.
    pub archive: String,
    /// Container format.
    pub format: ArchiveFormat,
    /// Image reference, if the archive names one.
    pub reference: Option<String>,
    /// `os/arch[/variant]`.
    pub platform: Option<String>,
    /// Digest of the image config.
    pub config_digest: String,
    /// Layers, base first.
    pub layers: Vec<LayerSummary>,
    /// Image totals.
    pub totals: Totals,
    /// dive's figures for the same image.
    pub dive: DiveCompat,
    /// Largest hidden copies, biggest first (at most `top`).
    pub wasted: Vec<WastedPath>,
    /// Largest visible files, biggest first (at most `top`).
    pub largest: Vec<LargeFile>,
    /// Visible bytes per top-level directory, biggest first.
    pub directories: Vec<DirSize>,
    /// Package-manager caches left in the final filesystem.
    pub caches: Vec<CacheFinding>,
    /// The final filesystem: path (no leading `/`) -> entry. Left out of the CLI's JSON unless
    /// `--files` is given.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, FsEntry>,
    /// Captured file contents by path (see [`super::AnalyzeOptions::capture`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub captured: BTreeMap<String, CapturedFile>,
}

impl ImageReport {
    /// The report of `img` before any layer is read: what the image is (archive, format,
    /// reference, platform, config digest), no layers, zero totals.
    pub fn before_analysis(img: &super::Image) -> Self {
        ImageReport {
            schema_version: 1,
            archive: img.path.display().to_string(),
            format: img.format,
            reference: img.reference.clone(),
            platform: img.platform.clone(),
            config_digest: img.config_digest.clone(),
            layers: Vec::new(),
            totals: Totals::default(),
            dive: DiveCompat::default(),
            wasted: Vec::new(),
            largest: Vec::new(),
            directories: Vec::new(),
            caches: Vec::new(),
            files: BTreeMap::new(),
            captured: BTreeMap::new(),
        }
    }
}
