//! Builders for small, deterministic image archives written by test code (no binary blobs in
//! the repository): docker-archive (`docker save`, Docker 25+ blobs layout) and OCI layout
//! directories.
#![allow(dead_code)]

use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

/// One entry of a layer tar.
#[derive(Clone, Debug)]
pub enum Entry {
    /// Regular file with contents.
    File(String, Vec<u8>),
    /// Directory.
    Dir(String),
    /// Whiteout of a path (`.wh.<name>`).
    Whiteout(String),
}

/// A layer: entries plus the instruction that created it.
#[derive(Clone, Debug)]
pub struct Layer {
    pub entries: Vec<Entry>,
    pub created_by: String,
}

impl Layer {
    pub fn new(created_by: &str) -> Self {
        Layer {
            entries: Vec::new(),
            created_by: created_by.to_string(),
        }
    }
    /// Adds a file; parent directories are added automatically.
    pub fn file(mut self, path: &str, contents: impl Into<Vec<u8>>) -> Self {
        self.entries
            .push(Entry::File(path.to_string(), contents.into()));
        self
    }
    /// Adds a file of `size` bytes of a repeated byte.
    pub fn sized(self, path: &str, size: usize) -> Self {
        let byte = (path.len() % 26) as u8 + b'a';
        self.file(path, vec![byte; size])
    }
    pub fn whiteout(mut self, path: &str) -> Self {
        self.entries.push(Entry::Whiteout(path.to_string()));
        self
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `sha256:<hex>` of some bytes.
pub fn sha256(data: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(data)))
}

fn header(path: &str, size: u64, kind: tar::EntryType, mode: u32) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_entry_type(kind);
    h.set_size(size);
    h.set_mode(mode);
    h.set_mtime(1_735_689_600);
    h.set_uid(0);
    h.set_gid(0);
    h.set_path(path)
        .unwrap_or_else(|e| panic!("path {path}: {e}"));
    h.set_cksum();
    h
}

/// The uncompressed tar of a layer (parent directories first, deterministic).
pub fn layer_tar(layer: &Layer) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut dirs_done = std::collections::BTreeSet::new();
    let mut add_parents = |b: &mut tar::Builder<Vec<u8>>, path: &str| {
        let comps: Vec<&str> = path.split('/').collect();
        for i in 1..comps.len() {
            let d = format!("{}/", comps[..i].join("/"));
            if dirs_done.insert(d.clone()) {
                let h = header(&d, 0, tar::EntryType::Directory, 0o755);
                b.append(&h, std::io::empty()).unwrap();
            }
        }
    };
    for e in &layer.entries {
        match e {
            Entry::File(p, data) => {
                add_parents(&mut b, p);
                let h = header(p, data.len() as u64, tar::EntryType::Regular, 0o644);
                b.append(&h, data.as_slice()).unwrap();
            }
            Entry::Dir(p) => {
                add_parents(&mut b, &format!("{p}/x"));
            }
            Entry::Whiteout(p) => {
                add_parents(&mut b, p);
                let wh = match p.rsplit_once('/') {
                    Some((d, n)) => format!("{d}/.wh.{n}"),
                    None => format!(".wh.{p}"),
                };
                let h = header(&wh, 0, tar::EntryType::Regular, 0o644);
                b.append(&h, std::io::empty()).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

/// gzip with fixed settings (the header has no mtime, so blobs are reproducible).
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::new(6));
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A built image: blobs and the config, ready to be written in any layout.
pub struct Built {
    /// (diff_id, compressed blob) per layer.
    pub layers: Vec<(String, Vec<u8>)>,
    /// Uncompressed layer tar sizes.
    pub tar_sizes: Vec<u64>,
    pub config: Vec<u8>,
}

/// Builds layer blobs (gzip) and an image config with history.
pub fn build(layers: &[Layer]) -> Built {
    let mut out = Vec::new();
    let mut tar_sizes = Vec::new();
    for l in layers {
        let t = layer_tar(l);
        tar_sizes.push(t.len() as u64);
        out.push((sha256(&t), gzip(&t)));
    }
    let history: Vec<serde_json::Value> = layers
        .iter()
        .map(|l| serde_json::json!({"created": "2025-01-01T00:00:00Z", "created_by": l.created_by}))
        .collect();
    let config = serde_json::json!({
        "architecture": "amd64",
        "os": "linux",
        "created": "2025-01-01T00:00:00Z",
        "config": {"Env": ["PATH=/usr/bin:/bin"]},
        "rootfs": {"type": "layers", "diff_ids": out.iter().map(|(d, _)| d.clone()).collect::<Vec<_>>()},
        "history": history,
    });
    Built {
        layers: out,
        tar_sizes,
        config: serde_json::to_vec(&config).unwrap(),
    }
}

fn append_file(b: &mut tar::Builder<std::fs::File>, path: &str, data: &[u8]) {
    let h = header(path, data.len() as u64, tar::EntryType::Regular, 0o644);
    b.append(&h, data).unwrap();
}

fn hexpart(d: &str) -> &str {
    d.strip_prefix("sha256:").unwrap_or(d)
}

/// Writes a Docker 25+ `docker save` archive (OCI blobs + manifest.json) to `path`.
pub fn write_docker_archive(built: &Built, tag: &str, path: &Path) {
    let f = std::fs::File::create(path).unwrap();
    let mut b = tar::Builder::new(f);
    let config_digest = sha256(&built.config);
    append_file(
        &mut b,
        &format!("blobs/sha256/{}", hexpart(&config_digest)),
        &built.config,
    );
    let mut layer_paths = Vec::new();
    for (_, blob) in &built.layers {
        let p = format!("blobs/sha256/{}", hexpart(&sha256(blob)));
        append_file(&mut b, &p, blob);
        layer_paths.push(p);
    }
    let manifest = serde_json::json!([{
        "Config": format!("blobs/sha256/{}", hexpart(&config_digest)),
        "RepoTags": [tag],
        "Layers": layer_paths,
    }]);
    append_file(
        &mut b,
        "manifest.json",
        &serde_json::to_vec(&manifest).unwrap(),
    );
    b.finish().unwrap();
}

/// Writes an OCI image layout directory to `dir`.
pub fn write_oci_dir(built: &Built, dir: &Path) {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).unwrap();
    let put = |data: &[u8]| {
        let d = sha256(data);
        std::fs::write(blobs.join(hexpart(&d)), data).unwrap();
        d
    };
    let config_digest = put(&built.config);
    let layers: Vec<serde_json::Value> = built
        .layers
        .iter()
        .map(|(_, blob)| {
            serde_json::json!({
                "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": put(blob),
                "size": blob.len(),
            })
        })
        .collect();
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": built.config.len()},
        "layers": layers,
    }))
    .unwrap();
    let manifest_digest = put(&manifest);
    let index = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest_digest,
            "size": manifest.len(),
            "platform": {"architecture": "amd64", "os": "linux"},
            "annotations": {"org.opencontainers.image.ref.name": "latest"},
        }],
    });
    std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
}
