//! Opening an image: the archive or layout is resolved to one image (platform, `--image`)
//! and its metadata read; no layer is read yet.

use super::store::Store;
use super::{ArchiveFormat, ImageError, clean_created_by};
use super::{manifest, registry};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Which image to pick from an archive.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// `os/arch[/variant]`, e.g. `linux/arm64`. Default: the only platform, else `linux/amd64`.
    pub platform: Option<String>,
    /// Reference (`name:tag`, `name` meaning `name:latest`) or digest prefix of the image to pick
    /// when the archive holds several.
    pub image: Option<String>,
    /// Credentials and insecure hosts for registry references.
    pub registry: super::registry::RegistryOptions,
}

/// A layer as listed by the manifest, before it is read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LayerRef {
    /// Member path inside the archive (`blobs/sha256/…`, `<id>/layer.tar`).
    pub member: String,
    /// Expected blob digest, when the manifest gives one.
    pub digest: Option<String>,
    /// Media type from the manifest (OCI only).
    pub media_type: Option<String>,
    /// Blob size from the manifest (OCI only).
    pub size: Option<u64>,
}

/// An opened image: metadata resolved, no layer read yet.
#[derive(Debug)]
pub struct Image {
    /// The archive or layout path.
    pub path: PathBuf,
    /// Container format.
    pub format: ArchiveFormat,
    /// Image reference (tag) when the archive names one.
    pub reference: Option<String>,
    /// `os/arch[/variant]`.
    pub platform: Option<String>,
    /// Digest (or archive member) of the image config.
    pub config_digest: String,
    /// Layers, base first.
    pub layers: Vec<LayerRef>,
    /// `rootfs.diff_ids` of the config, one per layer.
    pub diff_ids: Vec<String>,
    /// Cleaned `created_by` of the history entry of each layer.
    pub created_by: Vec<Option<String>>,
    /// The config's whole history, base first, empty-layer entries included.
    pub history: Vec<HistoryEntry>,
    /// Every platform the archive or index offers (attestations excluded).
    pub platforms: Vec<String>,
    /// The image config as read (ENV, USER, SHELL…).
    pub config: oci_spec::image::ImageConfiguration,
    /// The config's `Shell` (Docker's extension for `SHELL`), which the OCI types drop.
    pub shell: Option<Vec<String>>,
    /// The image manifest's annotations (`org.opencontainers.image.base.name`…); empty for a
    /// `docker save` archive.
    pub annotations: std::collections::BTreeMap<String, String>,
    pub(crate) store: Store,
}

impl Image {
    /// True when the image is big enough (over 64 MiB) for a progress bar to be worth drawing.
    pub fn is_large(&self) -> bool {
        self.layers.iter().filter_map(|l| l.size).sum::<u64>() > (64 << 20)
            || self.store_size() > (64 << 20)
    }

    /// Size of layer `index`'s blob: from the manifest, else from the archive (0 if unknown).
    pub(crate) fn blob_size(&self, index: usize) -> u64 {
        self.layers
            .get(index)
            .and_then(|l| l.size.or_else(|| self.store.member_size(&l.member)))
            .unwrap_or(0)
    }

    /// The raw (still compressed) blob of layer `index` as `dlint image` reads it, and its
    /// size: for the benchmark of the reading floor (`benches/floor.rs`).
    pub fn layer_blob(
        &self,
        index: usize,
    ) -> Result<(Box<dyn std::io::Read + Send>, u64), ImageError> {
        let l = self
            .layers
            .get(index)
            .ok_or_else(|| ImageError::format(&self.path, format!("no layer {index}")))?;
        self.store
            .open_member(&l.member)
            .map_err(|message| ImageError::Layer {
                archive: self.path.clone(),
                index,
                digest: l.digest.clone().unwrap_or_else(|| l.member.clone()),
                message,
            })
    }

    /// Size of the archive file (0 for a directory).
    pub fn store_size(&self) -> u64 {
        if self.store.is_tar() {
            std::fs::metadata(&self.path).map_or(0, |m| m.len())
        } else {
            0
        }
    }
}

/// Opens an archive or layout and resolves one image (platform, `--image`), reading only metadata.
///
/// `path` may also be a registry reference (see [`registry::classify`]): the image is then
/// read from the registry, its layers streamed when analysed.
pub fn open(path: &Path, opts: &OpenOptions) -> Result<Image, ImageError> {
    let store = match path
        .to_str()
        .and_then(|s| registry::classify(s, path.exists()))
    {
        Some(Ok(r)) => Store::Registry(Box::new(registry::Source::connect(
            path,
            r,
            &opts.registry,
        )?)),
        Some(Err(m)) => {
            let shown = registry::redacted(&path.to_string_lossy());
            return Err(ImageError::format(Path::new(&shown), m));
        }
        None => Store::open(path)?,
    };
    let r = manifest::resolve(&store, opts)?;
    let diff_ids = r.config.rootfs().diff_ids().clone();
    if diff_ids.len() != r.layers.len() {
        return Err(ImageError::format(
            path,
            format!(
                "the manifest lists {} layers but the config has {} diff_ids",
                r.layers.len(),
                diff_ids.len()
            ),
        ));
    }
    let mut created_by: Vec<Option<String>> = r
        .config
        .history()
        .iter()
        .flatten()
        .filter(|h| h.empty_layer() != Some(true))
        .map(|h| h.created_by().as_deref().map(clean_created_by))
        .collect();
    created_by.resize(r.layers.len(), None);
    let history = r
        .config
        .history()
        .iter()
        .flatten()
        .map(|h| HistoryEntry {
            created_by: h.created_by().clone(),
            empty_layer: h.empty_layer() == Some(true),
        })
        .collect();
    Ok(Image {
        path: path.to_path_buf(),
        format: r.format,
        reference: r.reference,
        platform: r.platform,
        config_digest: r.config_digest,
        layers: r.layers,
        diff_ids,
        created_by,
        history,
        platforms: r.platforms,
        config: r.config,
        shell: r.shell,
        annotations: r.annotations,
        store,
    })
}

/// One entry of the image config's `history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// `created_by` as the builder wrote it (not cleaned).
    pub created_by: Option<String>,
    /// True when the entry made no layer (ENV, CMD… or a RUN that changed nothing).
    pub empty_layer: bool,
}
