//! [`BaseFacts`]: what a base image's config says (ENV, USER, SHELL, platform…), read from an
//! opened image without reading any layer.

use crate::image::{HistoryEntry, Image};
use serde::{Deserialize, Serialize};

/// What one base image brings to the stages built `FROM` it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseFacts {
    /// The reference the facts were resolved for, as written in `FROM` (after global ARGs).
    pub reference: String,
    /// Digest of the image config (the cache is keyed by it).
    pub digest: String,
    /// `ENV` of the config, `NAME=value` split at the first `=`, in order.
    pub env: Vec<(String, String)>,
    /// `USER` of the config (`None` or empty: root).
    pub user: Option<String>,
    /// `WORKDIR` of the config.
    pub workdir: Option<String>,
    /// `SHELL` of the config (Docker's extension; `None`: `/bin/sh -c`).
    pub shell: Option<Vec<String>>,
    /// `ENTRYPOINT` of the config.
    pub entrypoint: Option<Vec<String>>,
    /// `CMD` of the config.
    pub cmd: Option<Vec<String>>,
    /// `os` of the config (`linux`, `windows`).
    pub os: String,
    /// `architecture` of the config (`amd64`, `arm64`…), with its variant (`arm64/v8`).
    pub architecture: String,
    /// Every platform of the image index (`os/arch[/variant]`), attestations excluded; one
    /// entry for an image without index.
    pub platforms: Vec<String>,
    /// The config's history, base first.
    pub history: Vec<HistoryEntry>,
    /// Sum of the layer blobs' sizes (compressed), when the manifest gives them.
    pub compressed: Option<u64>,
    /// Sum of the layers' tar sizes (uncompressed), when every layer's is known (an archive
    /// of plain tars, or the layer cache: see [`BaseFacts::fill_from_layer_cache`]).
    pub uncompressed: Option<u64>,
    /// The layers, base first (a cache entry without them is refetched).
    pub layers: Vec<BaseLayer>,
}

/// One layer of a base image, as its manifest and config name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseLayer {
    /// The config's `rootfs.diff_ids` entry: the sha256 of the uncompressed tar.
    pub diff_id: String,
    /// Digest of the blob the manifest names (none in a `docker save` archive).
    pub digest: Option<String>,
    /// Size of the blob, when the manifest or archive gives it.
    pub size: Option<u64>,
    /// Size of the uncompressed tar, when known (a plain tar, or the layer cache).
    pub uncompressed: Option<u64>,
}

impl BaseFacts {
    /// The facts of an opened image (`reference` as written in `FROM`).
    pub fn of_image(reference: &str, img: &Image) -> BaseFacts {
        let cfg = img.config.config().as_ref();
        let env = cfg
            .and_then(|c| c.env().as_ref())
            .map(|e| {
                e.iter()
                    .map(|kv| match kv.split_once('=') {
                        Some((k, v)) => (k.to_string(), v.to_string()),
                        None => (kv.clone(), String::new()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let nonempty = |s: Option<&String>| s.filter(|s| !s.is_empty()).cloned();
        let arch = match img.config.variant() {
            Some(v) => format!("{}/{v}", img.config.architecture()),
            None => img.config.architecture().to_string(),
        };
        let sizes: Vec<(Option<u64>, bool)> = (0..img.layers.len())
            .map(|i| {
                let l = &img.layers[i];
                let size = Some(img.blob_size(i)).filter(|&s| s > 0);
                let plain = match &l.media_type {
                    Some(m) => m.ends_with(".tar") || m.ends_with("tar.v1"),
                    None => l.member.ends_with("layer.tar"),
                };
                (size, plain)
            })
            .collect();
        let layers = sizes
            .iter()
            .enumerate()
            .map(|(i, &(size, plain))| BaseLayer {
                diff_id: img.diff_ids.get(i).cloned().unwrap_or_default(),
                digest: img.layers.get(i).and_then(|l| l.digest.clone()),
                size,
                uncompressed: size.filter(|_| plain),
            })
            .collect();
        let total = |want_plain: bool| -> Option<u64> {
            if sizes.is_empty() || sizes.iter().any(|(s, p)| s.is_none() || *p != want_plain) {
                return None;
            }
            Some(sizes.iter().filter_map(|(s, _)| *s).sum())
        };
        BaseFacts {
            reference: reference.to_string(),
            digest: img.config_digest.clone(),
            env,
            user: nonempty(cfg.and_then(|c| c.user().as_ref())),
            workdir: nonempty(cfg.and_then(|c| c.working_dir().as_ref())),
            shell: img.shell.clone(),
            entrypoint: cfg.and_then(|c| c.entrypoint().clone()),
            cmd: cfg.and_then(|c| c.cmd().clone()),
            os: img.config.os().to_string(),
            architecture: arch,
            platforms: img.platforms.clone(),
            history: img.history.clone(),
            compressed: total(false),
            uncompressed: total(true),
            layers,
        }
    }

    /// The layers' diff_ids, base first.
    pub fn diff_ids(&self) -> Vec<&str> {
        self.layers.iter().map(|l| l.diff_id.as_str()).collect()
    }

    /// Fills in the uncompressed size of each layer the layer cache holds (`dlint image`,
    /// `compare` or `optimize` analysed it before), and the total when every layer's is
    /// known. The uncompressed size is a function of the diff_id, so any entry of that
    /// layer answers.
    pub fn fill_from_layer_cache(&mut self, cache: &crate::image::cache::LayerCache) {
        for l in &mut self.layers {
            if l.uncompressed.is_none() {
                l.uncompressed = cache.uncompressed_size(&l.diff_id, l.digest.as_deref());
            }
        }
        if self.uncompressed.is_none() && !self.layers.is_empty() {
            self.uncompressed = self.layers.iter().map(|l| l.uncompressed).sum();
        }
    }

    /// True when the image's ENV defines `name`.
    pub fn defines(&self, name: &str) -> bool {
        self.env.iter().any(|(k, _)| k == name)
    }

    /// The image's value of ENV `name`.
    pub fn env_value(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// True when the image runs as root: no USER, or `root` / UID 0.
    pub fn runs_as_root(&self) -> bool {
        match &self.user {
            None => true,
            Some(u) => {
                let name = u.split(':').next().unwrap_or("");
                name.is_empty() || name == "root" || name == "0"
            }
        }
    }

    /// True for a Windows image.
    pub fn is_windows(&self) -> bool {
        self.os.eq_ignore_ascii_case("windows")
    }

    /// Whether the index offers `platform` (`linux/arm64` matches `linux/arm64/v8`, and the
    /// reverse); `None` when the platforms are unknown.
    pub fn offers(&self, platform: &str) -> Option<bool> {
        if self.platforms.is_empty() {
            return None;
        }
        let want = platform.trim().to_ascii_lowercase();
        Some(self.platforms.iter().any(|p| {
            let p = p.to_ascii_lowercase();
            p == want || p.starts_with(&format!("{want}/")) || want.starts_with(&format!("{p}/"))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(user: Option<&str>) -> BaseFacts {
        BaseFacts {
            reference: "x".into(),
            digest: "sha256:0".into(),
            env: vec![("PATH".into(), "/bin".into())],
            user: user.map(str::to_string),
            workdir: None,
            shell: None,
            entrypoint: None,
            cmd: None,
            os: "linux".into(),
            architecture: "amd64".into(),
            platforms: vec!["linux/amd64".into(), "linux/arm64/v8".into()],
            history: vec![],
            compressed: None,
            uncompressed: None,
            layers: vec![],
        }
    }

    #[test]
    fn users_and_platforms() {
        assert!(facts(None).runs_as_root());
        assert!(facts(Some("0:0")).runs_as_root());
        assert!(!facts(Some("65532")).runs_as_root());
        let f = facts(None);
        assert_eq!(f.offers("linux/arm64"), Some(true));
        assert_eq!(f.offers("linux/s390x"), Some(false));
        assert!(f.defines("PATH") && !f.defines("HOME"));
        assert_eq!(f.env_value("PATH"), Some("/bin"));
    }
}
