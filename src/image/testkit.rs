//! Builds small image archives in code for tests, benchmarks and fuzz targets (docker save
//! classic and Docker 25+ layouts, OCI layout directory and tar, multi-platform indexes).
//! Not a stable API, and not in release builds: compiled for the library's unit tests and with
//! the `testkit` feature, which the crate's dev-dependency on itself turns on for the
//! integration tests and benches (Cargo.toml).

use super::Compression;
use serde_json::json;
use sha2::{Digest as _, Sha256};
use std::io::Write;
use std::path::Path;

/// sha256 of bytes as `sha256:<hex>`.
pub fn sha256(data: &[u8]) -> String {
    let d = Sha256::digest(data);
    let mut s = String::from("sha256:");
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

fn hex_of(digest: &str) -> &str {
    digest.strip_prefix("sha256:").unwrap_or(digest)
}

/// Appends one tar entry with a raw (unchecked) name (mode 0755 for directories, else 0644).
pub fn append_raw(
    b: &mut tar::Builder<Vec<u8>>,
    name: &str,
    kind: tar::EntryType,
    data: &[u8],
    link: Option<&str>,
) -> std::io::Result<()> {
    append_entry(b, name, kind, data, link, None)
}

/// [`append_raw`] with a chosen mode (`None`: the default of the kind).
fn append_entry(
    b: &mut tar::Builder<Vec<u8>>,
    name: &str,
    kind: tar::EntryType,
    data: &[u8],
    link: Option<&str>,
    mode: Option<u32>,
) -> std::io::Result<()> {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_size(data.len() as u64);
    h.set_mode(mode.unwrap_or(if kind == tar::EntryType::Directory {
        0o755
    } else {
        0o644
    }));
    h.set_mtime(1_700_000_000);
    // write the name bytes directly so hostile names (`/abs`, `../x`) survive
    let nb = name.as_bytes();
    if nb.len() <= 100 {
        if let Some(gnu) = h.as_gnu_mut() {
            gnu.name = [0; 100];
            gnu.name[..nb.len()].copy_from_slice(nb);
        }
    } else {
        return b.append_data(&mut h, name, data);
    }
    if let Some(l) = link {
        h.set_link_name(l)?;
    }
    h.set_cksum();
    b.append(&h, data)
}

/// A layer under construction: entries in tar order.
#[derive(Debug, Default, Clone)]
pub struct LayerBuilder {
    tar: Vec<(String, tar::EntryType, Vec<u8>, Option<String>)>,
    /// Mode of the entry at the same index of `tar`, when [`LayerBuilder::mode`] set one.
    modes: Vec<Option<u32>>,
    compression: Compression,
    parents: bool,
}

impl LayerBuilder {
    /// An empty layer (plain tar unless [`LayerBuilder::compress`] is called).
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the compression.
    pub fn compress(mut self, c: Compression) -> Self {
        self.compression = c;
        self
    }
    /// Writes each entry's parent directories before it (once per layer, as `docker build`
    /// layers have them); without this only the entries added are written.
    pub fn parents(mut self) -> Self {
        self.parents = true;
        self
    }
    /// Sets the tar mode of the entry added last (`0o4755`); without it, directories are 0755
    /// and everything else 0644.
    pub fn mode(mut self, mode: u32) -> Self {
        self.modes.resize(self.tar.len(), None);
        if let Some(m) = self.modes.last_mut() {
            *m = Some(mode);
        }
        self
    }
    /// Adds a regular file.
    pub fn file(mut self, path: &str, data: &[u8]) -> Self {
        self.tar
            .push((path.into(), tar::EntryType::Regular, data.to_vec(), None));
        self
    }
    /// Adds a regular file of `size` bytes of filler.
    pub fn file_size(self, path: &str, size: usize) -> Self {
        let data: Vec<u8> = (0..size).map(|i| b"dlint-test "[i % 11]).collect();
        self.file(path, &data)
    }
    /// Adds a directory.
    pub fn dir(mut self, path: &str) -> Self {
        self.tar.push((
            format!("{path}/"),
            tar::EntryType::Directory,
            Vec::new(),
            None,
        ));
        self
    }
    /// Adds a symlink.
    pub fn symlink(mut self, path: &str, target: &str) -> Self {
        self.tar.push((
            path.into(),
            tar::EntryType::Symlink,
            Vec::new(),
            Some(target.into()),
        ));
        self
    }
    /// Adds a hard link to `target` (a path of this or a lower layer).
    pub fn hardlink(mut self, path: &str, target: &str) -> Self {
        self.tar.push((
            path.into(),
            tar::EntryType::Link,
            Vec::new(),
            Some(target.into()),
        ));
        self
    }
    /// Adds a whiteout deleting `path` from lower layers.
    pub fn whiteout(mut self, path: &str) -> Self {
        let p = match path.rsplit_once('/') {
            Some((d, n)) => format!("{d}/.wh.{n}"),
            None => format!(".wh.{path}"),
        };
        self.tar
            .push((p, tar::EntryType::Regular, Vec::new(), None));
        self
    }
    /// Marks `dir` opaque (hides lower-layer contents of it).
    pub fn opaque(mut self, dir: &str) -> Self {
        self.tar.push((
            format!("{dir}/.wh..wh..opq"),
            tar::EntryType::Regular,
            Vec::new(),
            None,
        ));
        self
    }
    /// Adds an entry with any name and type (for hostile archives).
    pub fn raw(
        mut self,
        name: &str,
        kind: tar::EntryType,
        data: &[u8],
        link: Option<&str>,
    ) -> Self {
        self.tar
            .push((name.into(), kind, data.to_vec(), link.map(str::to_string)));
        self
    }
    /// Writes the tar and compresses it.
    pub fn build(&self) -> Layer {
        let mut b = tar::Builder::new(Vec::new());
        let mut dirs = std::collections::HashSet::new();
        for (i, (name, kind, data, link)) in self.tar.iter().enumerate() {
            if self.parents {
                let path = name.trim_end_matches('/');
                for (i, _) in path.match_indices('/') {
                    let dir = format!("{}/", &path[..i]);
                    if dirs.insert(dir.clone()) {
                        append_raw(&mut b, &dir, tar::EntryType::Directory, &[], None)
                            .expect("tar into memory");
                    }
                }
                if *kind == tar::EntryType::Directory && !dirs.insert(name.clone()) {
                    continue;
                }
            }
            let mode = self.modes.get(i).copied().flatten();
            append_entry(&mut b, name, *kind, data, link.as_deref(), mode)
                .expect("tar into memory");
        }
        let tar = b.into_inner().expect("tar into memory");
        let blob = compress(&tar, self.compression);
        Layer {
            diff_id: sha256(&tar),
            digest: sha256(&blob),
            tar,
            blob,
            compression: self.compression,
        }
    }
}

/// Compresses bytes.
pub fn compress(data: &[u8], c: Compression) -> Vec<u8> {
    match c {
        Compression::None => data.to_vec(),
        Compression::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(data).expect("gzip into memory");
            e.finish().expect("gzip into memory")
        }
        Compression::Zstd => zstd::encode_all(data, 3).expect("zstd into memory"),
    }
}

/// A built layer.
#[derive(Debug, Clone)]
pub struct Layer {
    /// Uncompressed tar.
    pub tar: Vec<u8>,
    /// Stored blob (compressed or not).
    pub blob: Vec<u8>,
    /// sha256 of `tar`.
    pub diff_id: String,
    /// sha256 of `blob` (tests may overwrite it to forge a mismatch).
    pub digest: String,
    /// Compression of `blob`.
    pub compression: Compression,
}

impl Layer {
    /// OCI media type for the compression.
    pub fn media_type(&self) -> &'static str {
        match self.compression {
            Compression::None => "application/vnd.oci.image.layer.v1.tar",
            Compression::Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
            Compression::Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
        }
    }
}

/// One image: layers with history, platform and tag.
#[derive(Debug, Clone)]
pub struct ImageSpec {
    /// Layers, base first.
    pub layers: Vec<Layer>,
    /// History: (created_by, empty_layer).
    pub history: Vec<(String, bool)>,
    /// `os/arch[/variant]`.
    pub platform: String,
    /// Reference, e.g. `example/app:1`.
    pub tag: String,
    /// Fields of the config's `config` object (`Env`, `User`, `Shell`…); `Env` defaults to
    /// `PATH=/usr/bin:/bin`.
    pub settings: serde_json::Map<String, serde_json::Value>,
}

impl ImageSpec {
    /// An image with no layers, linux/amd64, tagged `dlint/test:latest`.
    pub fn new() -> Self {
        ImageSpec {
            layers: Vec::new(),
            history: Vec::new(),
            platform: "linux/amd64".into(),
            tag: "dlint/test:latest".into(),
            settings: serde_json::Map::new(),
        }
    }
    /// Sets a field of the config's `config` object, e.g. `("User", json!("65532"))`.
    pub fn setting(mut self, key: &str, value: serde_json::Value) -> Self {
        self.settings.insert(key.into(), value);
        self
    }
    /// Adds a layer and its history entry.
    pub fn layer(mut self, l: Layer, created_by: &str) -> Self {
        self.layers.push(l);
        self.history.push((created_by.into(), false));
        self
    }
    /// Adds an `empty_layer` history entry (ENV, CMD…).
    pub fn empty(mut self, created_by: &str) -> Self {
        self.history.push((created_by.into(), true));
        self
    }
    /// Sets the platform.
    pub fn platform(mut self, p: &str) -> Self {
        self.platform = p.into();
        self
    }
    /// Sets the tag.
    pub fn tag(mut self, t: &str) -> Self {
        self.tag = t.into();
        self
    }
    /// The config JSON.
    pub fn config(&self) -> Vec<u8> {
        let mut parts = self.platform.split('/');
        let os = parts.next().unwrap_or("linux");
        let arch = parts.next().unwrap_or("amd64");
        let mut v = json!({
            "architecture": arch,
            "os": os,
            "config": {"Env": ["PATH=/usr/bin:/bin"]},
            "rootfs": {"type": "layers", "diff_ids": self.layers.iter().map(|l| l.diff_id.clone()).collect::<Vec<_>>()},
            "history": self.history.iter().map(|(c, e)| if *e {
                json!({"created": "2025-01-01T00:00:00Z", "created_by": c, "empty_layer": true})
            } else {
                json!({"created": "2025-01-01T00:00:00Z", "created_by": c})
            }).collect::<Vec<_>>(),
        });
        if let Some(variant) = parts.next() {
            v["variant"] = json!(variant);
        }
        for (k, val) in &self.settings {
            v["config"][k] = val.clone();
        }
        serde_json::to_vec(&v).expect("json")
    }
    fn manifest(&self) -> (Vec<u8>, Vec<u8>) {
        let config = self.config();
        let m = json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha256(&config), "size": config.len()},
            "layers": self.layers.iter().map(|l| json!({"mediaType": l.media_type(), "digest": l.digest, "size": l.blob.len()})).collect::<Vec<_>>(),
        });
        (serde_json::to_vec(&m).expect("json"), config)
    }
    fn platform_json(&self) -> serde_json::Value {
        let mut parts = self.platform.split('/');
        let mut p = json!({"os": parts.next().unwrap_or("linux"), "architecture": parts.next().unwrap_or("amd64")});
        if let Some(v) = parts.next() {
            p["variant"] = json!(v);
        }
        p
    }
}

impl Default for ImageSpec {
    fn default() -> Self {
        Self::new()
    }
}

/// Files of an archive: (member path, bytes), in write order.
pub type Files = Vec<(String, Vec<u8>)>;

/// Classic `docker save`: `<id>/layer.tar`, `<id>.json`, `manifest.json`, `repositories`.
pub fn docker_classic(images: &[ImageSpec]) -> Files {
    let mut files = Files::new();
    let mut manifest = Vec::new();
    for img in images {
        let config = img.config();
        let cfg_name = format!("{}.json", hex_of(&sha256(&config)));
        let mut layers = Vec::new();
        for l in &img.layers {
            let name = format!("{}/layer.tar", hex_of(&l.diff_id));
            files.push((format!("{}/VERSION", hex_of(&l.diff_id)), b"1.0".to_vec()));
            files.push((name.clone(), l.blob.clone()));
            layers.push(name);
        }
        files.push((cfg_name.clone(), config));
        manifest.push(json!({"Config": cfg_name, "RepoTags": [img.tag], "Layers": layers}));
    }
    files.push((
        "manifest.json".into(),
        serde_json::to_vec(&manifest).expect("json"),
    ));
    files
}

/// Docker 25+ `docker save`: OCI layout plus `manifest.json` pointing into `blobs/`.
pub fn docker_blobs(images: &[ImageSpec]) -> Files {
    let mut files = oci(images, false);
    let manifest: Vec<_> = images
        .iter()
        .map(|img| {
            json!({
                "Config": format!("blobs/sha256/{}", hex_of(&sha256(&img.config()))),
                "RepoTags": [img.tag],
                "Layers": img.layers.iter().map(|l| format!("blobs/sha256/{}", hex_of(&l.digest))).collect::<Vec<_>>(),
            })
        })
        .collect();
    files.push((
        "manifest.json".into(),
        serde_json::to_vec(&manifest).expect("json"),
    ));
    files
}

/// OCI layout. With `nested`, `index.json` points to one image index holding every image
/// (a multi-platform image); otherwise each image is listed in `index.json` directly.
pub fn oci(images: &[ImageSpec], nested: bool) -> Files {
    let mut files: Files = vec![(
        "oci-layout".into(),
        br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
    )];
    let mut descs = Vec::new();
    for img in images {
        for l in &img.layers {
            files.push((
                format!("blobs/sha256/{}", hex_of(&l.digest)),
                l.blob.clone(),
            ));
        }
        let (m, config) = img.manifest();
        files.push((format!("blobs/sha256/{}", hex_of(&sha256(&config))), config));
        let mut d = json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": sha256(&m), "size": m.len(),
            "platform": img.platform_json(),
        });
        if !nested {
            d["annotations"] = json!({"org.opencontainers.image.ref.name": img.tag});
        }
        files.push((format!("blobs/sha256/{}", hex_of(&sha256(&m))), m));
        descs.push(d);
    }
    let index = if nested {
        let inner = serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": descs,
        }))
        .expect("json");
        let d = json!({
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "digest": sha256(&inner), "size": inner.len(),
            "annotations": {"org.opencontainers.image.ref.name": images.first().map(|i| i.tag.clone()).unwrap_or_default()},
        });
        files.push((format!("blobs/sha256/{}", hex_of(&sha256(&inner))), inner));
        json!({"schemaVersion": 2, "manifests": [d]})
    } else {
        json!({"schemaVersion": 2, "manifests": descs})
    };
    files.push((
        "index.json".into(),
        serde_json::to_vec(&index).expect("json"),
    ));
    files
}

/// Packs files into a tar.
pub fn to_tar(files: &Files) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        append_raw(&mut b, name, tar::EntryType::Regular, data, None).expect("tar into memory");
    }
    b.into_inner().expect("tar into memory")
}

/// Writes files under a directory.
pub fn to_dir(files: &Files, dir: &Path) -> std::io::Result<()> {
    for (name, data) in files {
        let p = dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, data)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(l: &Layer) -> Vec<String> {
        let mut a = tar::Archive::new(&l.tar[..]);
        a.entries()
            .expect("tar")
            .map(|e| {
                let e = e.expect("entry");
                String::from_utf8_lossy(&e.path_bytes()).into_owned()
            })
            .collect()
    }

    #[test]
    fn parents_are_written_once_before_their_entries() {
        let b = LayerBuilder::new()
            .file("a/b/c", b"x")
            .dir("a/b")
            .whiteout("a/d/e")
            .file("f", b"y");
        assert_eq!(names(&b.build()), ["a/b/c", "a/b/", "a/d/.wh.e", "f"]);
        assert_eq!(
            names(&b.parents().build()),
            ["a/", "a/b/", "a/b/c", "a/d/", "a/d/.wh.e", "f"]
        );
    }
}
