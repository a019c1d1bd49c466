//! Finding the image in an archive: docker-archive `manifest.json`, OCI `index.json` (with nested
//! indexes / manifest lists and platform selection), image manifest and config.

use super::error::ImageError;
use super::store::Store;
use super::{ArchiveFormat, LayerRef, OpenOptions};
use oci_spec::image::{Descriptor, ImageConfiguration, ImageIndex, ImageManifest};
use serde::Deserialize;

/// One image of a docker-archive `manifest.json`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DockerEntry {
    config: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

/// The chosen image, before any layer is read.
pub(crate) struct Resolved {
    pub format: ArchiveFormat,
    pub reference: Option<String>,
    pub platform: Option<String>,
    pub config_digest: String,
    pub config: ImageConfiguration,
    pub layers: Vec<LayerRef>,
    /// Every platform the archive or index offers (attestations excluded).
    pub platforms: Vec<String>,
    /// The config's `Shell` (a Docker extension the OCI types drop).
    pub shell: Option<Vec<String>>,
    /// The image manifest's annotations (none in a `docker save` archive).
    pub annotations: std::collections::BTreeMap<String, String>,
}

/// The `config.Shell` of an image config (Docker's extension for the `SHELL` instruction).
fn shell_of(config: &[u8]) -> Option<Vec<String>> {
    let v: serde_json::Value = serde_json::from_slice(config).ok()?;
    let words = v.get("config")?.get("Shell")?.as_array()?;
    let words: Vec<String> = words
        .iter()
        .filter_map(|w| w.as_str().map(str::to_string))
        .collect();
    (!words.is_empty()).then_some(words)
}

const REF_ANNOTATIONS: &[&str] = &[
    "io.containerd.image.name",
    "org.opencontainers.image.ref.name",
];

/// Does a user-given `--image` value name this reference?
fn ref_matches(want: &str, have: &str) -> bool {
    if want == have {
        return true;
    }
    // `alpine` matches `alpine:latest`, `docker.io/library/alpine:latest`, `localhost/x/alpine:latest`
    let with_tag = if want.contains(':') && !want.ends_with(']') {
        want.to_string()
    } else {
        format!("{want}:latest")
    };
    have == with_tag || have.ends_with(&format!("/{with_tag}"))
}

pub(crate) fn resolve(store: &Store, opts: &OpenOptions) -> Result<Resolved, ImageError> {
    let archive = store.archive();
    if store.exists("manifest.json") {
        resolve_docker(store, opts)
    } else if store.exists("index.json") {
        resolve_oci(store, opts)
    } else {
        Err(ImageError::format(
            archive,
            "neither manifest.json (docker save) nor index.json (OCI layout) found: not an image archive",
        ))
    }
}

fn parse_config(
    store: &Store,
    member: &str,
) -> Result<(ImageConfiguration, Option<Vec<String>>), ImageError> {
    let bytes = store.read_small(member)?;
    let config = ImageConfiguration::from_reader(&bytes[..]).map_err(|e| {
        ImageError::format(
            store.archive(),
            format!("image config {member} is not valid: {e}"),
        )
    })?;
    Ok((config, shell_of(&bytes)))
}

fn config_platform(c: &ImageConfiguration) -> String {
    let mut s = format!("{}/{}", c.os(), c.architecture());
    if let Some(v) = c.variant() {
        s.push('/');
        s.push_str(v);
    }
    s
}

fn resolve_docker(store: &Store, opts: &OpenOptions) -> Result<Resolved, ImageError> {
    let archive = store.archive();
    let bytes = store.read_small("manifest.json")?;
    let entries: Vec<DockerEntry> = serde_json::from_slice(&bytes)
        .map_err(|e| ImageError::format(archive, format!("manifest.json is not valid: {e}")))?;
    if entries.is_empty() {
        return Err(ImageError::format(archive, "manifest.json lists no image"));
    }
    let all_refs = |entries: &[DockerEntry]| -> String {
        entries
            .iter()
            .map(|e| match &e.repo_tags {
                Some(t) if !t.is_empty() => t.join(", "),
                _ => e.config.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let (entry, reference) = match &opts.image {
        Some(want) => {
            let found = entries.iter().find_map(|e| {
                let tag = e
                    .repo_tags
                    .iter()
                    .flatten()
                    .find(|t| ref_matches(want, t))
                    .cloned();
                if tag.is_some() {
                    Some((e, tag))
                } else if e.config.contains(want.trim_start_matches("sha256:")) {
                    Some((e, None))
                } else {
                    None
                }
            });
            found.ok_or_else(|| ImageError::Selection {
                archive: archive.to_path_buf(),
                message: format!(
                    "no image {want:?} in the archive; it holds: {}",
                    all_refs(&entries)
                ),
            })?
        }
        None => {
            if entries.len() > 1 {
                return Err(ImageError::Selection {
                    archive: archive.to_path_buf(),
                    message: format!(
                        "the archive holds {} images, pick one with --image: {}",
                        entries.len(),
                        all_refs(&entries)
                    ),
                });
            }
            let e = &entries[0];
            (e, e.repo_tags.as_ref().and_then(|t| t.first().cloned()))
        }
    };
    if !store.exists(&entry.config) {
        return Err(ImageError::format(
            archive,
            format!(
                "manifest.json points to config {} which is not in the archive",
                entry.config
            ),
        ));
    }
    let (config, shell) = parse_config(store, &entry.config)?;
    let config_digest = digest_of_member(&entry.config).unwrap_or_else(|| entry.config.clone());
    let layers = entry
        .layers
        .iter()
        .map(|l| LayerRef {
            member: l.clone(),
            digest: digest_of_member(l),
            media_type: None,
            size: None,
        })
        .collect();
    let format = if entry.config.starts_with("blobs/") {
        ArchiveFormat::DockerArchiveOci
    } else {
        ArchiveFormat::DockerArchive
    };
    let platform = config_platform(&config);
    Ok(Resolved {
        format,
        reference,
        platform: Some(platform.clone()),
        config_digest,
        config,
        layers,
        platforms: vec![platform],
        shell,
        annotations: Default::default(),
    })
}

/// `blobs/sha256/<hex>` -> `sha256:<hex>`; `<hex>.json` / `<hex>/layer.tar` are not digests of the blob.
fn digest_of_member(member: &str) -> Option<String> {
    let m = super::member::norm_member(member);
    let rest = m.strip_prefix("blobs/")?;
    let (alg, hex) = rest.split_once('/')?;
    (!hex.contains('/')).then(|| format!("{alg}:{hex}"))
}

/// A candidate image manifest found by walking the index.
struct Candidate {
    desc: Descriptor,
    reference: Option<String>,
    platform: Option<String>,
}

fn desc_platform(d: &Descriptor) -> Option<String> {
    let p = d.platform().as_ref()?;
    let mut s = format!("{}/{}", p.os(), p.architecture());
    if let Some(v) = p.variant() {
        s.push('/');
        s.push_str(v);
    }
    Some(s)
}

fn desc_ref(d: &Descriptor) -> Option<String> {
    let ann = d.annotations().as_ref()?;
    REF_ANNOTATIONS.iter().find_map(|k| ann.get(*k).cloned())
}

fn read_blob_json(store: &Store, d: &Descriptor) -> Result<(String, Vec<u8>), ImageError> {
    let digest = d.digest().to_string();
    let member = Store::blob_name(&digest)
        .ok_or_else(|| ImageError::format(store.archive(), format!("invalid digest {digest}")))?;
    if !store.exists(&member) {
        return Err(ImageError::format(
            store.archive(),
            format!("{digest} is referenced but {member} is missing"),
        ));
    }
    let bytes = store.read_small(&member)?;
    Ok((member, bytes))
}

fn collect(
    store: &Store,
    d: &Descriptor,
    reference: Option<String>,
    depth: usize,
    out: &mut Vec<Candidate>,
) -> Result<(), ImageError> {
    if depth > 4 {
        return Err(ImageError::format(
            store.archive(),
            "image indexes nested too deeply",
        ));
    }
    let (member, bytes) = read_blob_json(store, d)?;
    let v: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| ImageError::format(store.archive(), format!("{member} is not JSON: {e}")))?;
    if v.get("manifests").is_some() {
        let idx = ImageIndex::from_reader(&bytes[..]).map_err(|e| {
            ImageError::format(
                store.archive(),
                format!("{member}: invalid image index: {e}"),
            )
        })?;
        for m in idx.manifests() {
            let r = desc_ref(m).or_else(|| reference.clone());
            collect(store, m, r, depth + 1, out)?;
        }
    } else if v.get("layers").is_some() {
        out.push(Candidate {
            desc: d.clone(),
            reference,
            platform: desc_platform(d),
        });
    }
    // anything else (signatures, artifacts) is ignored
    Ok(())
}

fn resolve_oci(store: &Store, opts: &OpenOptions) -> Result<Resolved, ImageError> {
    let archive = store.archive();
    let bytes = store.read_small("index.json")?;
    let index = ImageIndex::from_reader(&bytes[..])
        .map_err(|e| ImageError::format(archive, format!("index.json is not valid: {e}")))?;
    let mut cands = Vec::new();
    for d in index.manifests() {
        collect(store, d, desc_ref(d), 0, &mut cands)?;
    }
    // attestation manifests are tagged unknown/unknown
    cands.retain(|c| {
        !c.platform
            .as_deref()
            .is_some_and(|p| p.starts_with("unknown/"))
    });
    if let Some(want) = &opts.image {
        let all: Vec<String> = cands.iter().filter_map(|c| c.reference.clone()).collect();
        cands.retain(|c| {
            c.reference.as_deref().is_some_and(|r| ref_matches(want, r))
                || c.desc
                    .digest()
                    .to_string()
                    .contains(want.trim_start_matches("sha256:"))
        });
        if cands.is_empty() {
            return Err(ImageError::Selection {
                archive: archive.to_path_buf(),
                message: format!(
                    "no image {want:?} in the layout; it holds: {}",
                    all.join(", ")
                ),
            });
        }
    }
    if cands.is_empty() {
        return Err(ImageError::format(
            archive,
            "index.json lists no image manifest",
        ));
    }
    // fill in platforms from the configs where the index has none
    let mut loaded: Vec<(Candidate, ImageManifest, ImageConfiguration, String, _)> = Vec::new();
    for c in cands {
        let (member, bytes) = read_blob_json(store, &c.desc)?;
        let m = ImageManifest::from_reader(&bytes[..]).map_err(|e| {
            ImageError::format(archive, format!("{member}: invalid image manifest: {e}"))
        })?;
        let cfg_digest = m.config().digest().to_string();
        let (cfg_member, cfg_bytes) = read_blob_json(store, m.config())?;
        let cfg = ImageConfiguration::from_reader(&cfg_bytes[..]).map_err(|e| {
            ImageError::format(
                archive,
                format!("image config {cfg_member} is not valid: {e}"),
            )
        })?;
        let mut c = c;
        if c.platform.is_none() {
            c.platform = Some(config_platform(&cfg));
        }
        loaded.push((c, m, cfg, cfg_digest, shell_of(&cfg_bytes)));
    }
    let platforms: Vec<String> = loaded
        .iter()
        .map(|(c, ..)| c.platform.clone().unwrap_or_default())
        .collect();
    let pick = match &opts.platform {
        Some(want) => {
            let want = want.trim().to_ascii_lowercase();
            platforms
                .iter()
                .position(|p| p == &want)
                .or_else(|| {
                    // `linux/arm64` matches `linux/arm64/v8`
                    platforms
                        .iter()
                        .position(|p| p.starts_with(&format!("{want}/")))
                })
                .ok_or_else(|| ImageError::Selection {
                    archive: archive.to_path_buf(),
                    message: format!(
                        "platform {want} is not in the image; available: {}",
                        platforms.join(", ")
                    ),
                })?
        }
        None if loaded.len() == 1 => 0,
        None => platforms
            .iter()
            .position(|p| p == "linux/amd64")
            .ok_or_else(|| ImageError::Selection {
                archive: archive.to_path_buf(),
                message: format!(
                    "the image has several platforms and none is linux/amd64; pick one with --platform: {}",
                    platforms.join(", ")
                ),
            })?,
    };
    let (c, m, config, config_digest, shell) = loaded.swap_remove(pick);
    let annotations = m
        .annotations()
        .as_ref()
        .map(|a| a.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let layers = m
        .layers()
        .iter()
        .map(|l| {
            let digest = l.digest().to_string();
            LayerRef {
                member: Store::blob_name(&digest).unwrap_or_else(|| digest.clone()),
                digest: Some(digest),
                media_type: Some(l.media_type().to_string()),
                size: Some(l.size()),
            }
        })
        .collect();
    Ok(Resolved {
        format: if store.registry().is_some() {
            ArchiveFormat::Registry
        } else if store.is_tar() {
            ArchiveFormat::OciArchive
        } else {
            ArchiveFormat::OciLayout
        },
        reference: c.reference,
        platform: c.platform,
        config_digest,
        config,
        layers,
        platforms,
        shell,
        annotations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs() {
        assert!(ref_matches("alpine", "alpine:latest"));
        assert!(ref_matches("alpine", "docker.io/library/alpine:latest"));
        assert!(ref_matches("alpine:3", "localhost/alpine:3"));
        assert!(!ref_matches("alpine", "alpine:3"));
        assert!(!ref_matches("pine", "alpine:latest"));
        assert_eq!(
            digest_of_member("blobs/sha256/abc").as_deref(),
            Some("sha256:abc")
        );
        assert_eq!(digest_of_member("abc/layer.tar"), None);
    }
}
