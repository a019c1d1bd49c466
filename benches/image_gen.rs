//! Generates a large synthetic image for benchmarking `dlint image`:
//! 12 layers, ~1.1 GiB uncompressed per `--scale 1`, 100k+ files, file and directory whiteouts,
//! an opaque directory, overwrites, apt caches; written as a Docker 25+ `docker save` tar and an
//! OCI archive, each with gzip and with zstd layers.
//!
//! `cargo bench --bench image_gen -- OUT_DIR [--scale N] [--bytes N]` (see scripts/bench-image.sh):
//! `--scale` multiplies files and bytes, `--bytes` only the size of every file.

use dlint::image::Compression;
use dlint::image::testkit::{compress, sha256};
use serde_json::json;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// Deterministic filler: half pseudo-random bytes, half text, so gzip gets roughly 2-3x.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn data(&mut self, size: usize) -> Vec<u8> {
        const TEXT: &[u8] = b"Package: libexample\nVersion: 1.2.3-4\nDescription: generated benchmark content for dlint\n";
        let mut v = Vec::with_capacity(size);
        while v.len() < size {
            if self.next().is_multiple_of(2) {
                for _ in 0..16 {
                    v.extend_from_slice(&self.next().to_le_bytes()[..4]);
                }
            } else {
                v.extend_from_slice(TEXT);
            }
        }
        v.truncate(size);
        v
    }
}

enum E {
    File(String, usize),
    Dir(String),
    Whiteout(String),
    Opaque(String),
}

fn layer_tar(entries: &[E], g: &mut Gen) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_gnu();
        h.set_mtime(1_700_000_000);
        match e {
            E::File(p, size) => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_mode(0o644);
                h.set_size(*size as u64);
                b.append_data(&mut h, p, &g.data(*size)[..]).expect("tar");
            }
            E::Dir(p) => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_mode(0o755);
                h.set_size(0);
                b.append_data(&mut h, format!("{p}/"), &[][..])
                    .expect("tar");
            }
            E::Whiteout(p) => {
                let name = match p.rsplit_once('/') {
                    Some((d, n)) => format!("{d}/.wh.{n}"),
                    None => format!(".wh.{p}"),
                };
                h.set_entry_type(tar::EntryType::Regular);
                h.set_size(0);
                b.append_data(&mut h, name, &[][..]).expect("tar");
            }
            E::Opaque(d) => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_size(0);
                b.append_data(&mut h, format!("{d}/.wh..wh..opq"), &[][..])
                    .expect("tar");
            }
        }
    }
    b.into_inner().expect("tar")
}

/// The layer plan: (created_by, entries).
fn plan(scale: usize, g: &mut Gen) -> Vec<(String, Vec<E>)> {
    let mut layers = Vec::new();
    let n = |x: usize| x * scale;
    let size = |g: &mut Gen, avg: usize| (g.next() as usize % (avg * 2)).max(1);
    // 0: base system, many small and medium files
    let mut l = vec![E::Dir("usr".into()), E::Dir("usr/lib".into())];
    for i in 0..n(45_000) {
        l.push(E::File(
            format!("usr/lib/pkg{}/file{i}.so", i % 900),
            size(g, 7_000),
        ));
    }
    layers.push(("/bin/sh -c #(nop) ADD file:base in / ".into(), l));
    // 1: docs and shared data
    let mut l = vec![E::Dir("usr/share".into()), E::Dir("usr/share/doc".into())];
    for i in 0..n(30_000) {
        l.push(E::File(
            format!("usr/share/doc/pkg{}/f{i}.txt", i % 600),
            size(g, 4_000),
        ));
    }
    layers.push(("RUN /bin/sh -c install-docs # buildkit".into(), l));
    // 2: apt lists and package cache
    let mut l = Vec::new();
    for i in 0..n(10) {
        l.push(E::File(
            format!("var/lib/apt/lists/list{i}_Packages"),
            12_000_000,
        ));
    }
    for i in 0..n(600) {
        l.push(E::File(
            format!("var/cache/apt/archives/pkg{i}.deb"),
            250_000,
        ));
    }
    layers.push((
        "RUN /bin/sh -c apt-get update && apt-get install -y stuff # buildkit".into(),
        l,
    ));
    // 3: remove the cache (directory whiteout), some lists (file whiteouts), overwrite libraries
    let mut l = vec![E::Whiteout("var/cache/apt/archives".into())];
    for i in 0..n(5) {
        l.push(E::Whiteout(format!("var/lib/apt/lists/list{i}_Packages")));
    }
    for i in (0..n(45_000)).step_by(20) {
        l.push(E::File(
            format!("usr/lib/pkg{}/file{i}.so", i % 900),
            size(g, 5_500),
        ));
    }
    layers.push((
        "RUN /bin/sh -c rm -rf /var/cache/apt/archives && upgrade # buildkit".into(),
        l,
    ));
    // 4: opaque docs directory with a few new files
    let mut l = vec![
        E::Dir("usr/share/doc".into()),
        E::Opaque("usr/share/doc".into()),
    ];
    for i in 0..n(500) {
        l.push(E::File(format!("usr/share/doc/new/f{i}.txt"), 3_000));
    }
    layers.push((
        "RUN /bin/sh -c rm -rf /usr/share/doc/* && touch docs # buildkit".into(),
        l,
    ));
    // 5-9: application layers: node_modules-like trees, a big artifact deleted later
    for k in 0..5 {
        let mut l = Vec::new();
        for i in 0..n(5_000) {
            l.push(E::File(
                format!("app/node_modules/m{k}_{}/index{i}.js", i % 300),
                size(g, 2_500),
            ));
        }
        l.push(E::File(
            format!("app/build/artifact{k}.bin"),
            50_000_000 * scale,
        ));
        layers.push((format!("RUN /bin/sh -c npm install part{k} # buildkit"), l));
    }
    // 10: delete the artifacts (file whiteouts) and overwrite some modules
    let mut l = Vec::new();
    for k in 0..5 {
        l.push(E::Whiteout(format!("app/build/artifact{k}.bin")));
    }
    for i in (0..n(5_000)).step_by(10) {
        l.push(E::File(
            format!("app/node_modules/m0_{}/index{i}.js", i % 300),
            1_000,
        ));
    }
    layers.push(("RUN /bin/sh -c rm -f /app/build/*.bin # buildkit".into(), l));
    // 11: application code
    let mut l = Vec::new();
    for i in 0..n(2_000) {
        l.push(E::File(
            format!("app/src/mod{}/file{i}.py", i % 50),
            size(g, 3_000),
        ));
    }
    layers.push(("COPY . /app # buildkit".into(), l));
    layers
}

struct Out {
    tar: tar::Builder<BufWriter<File>>,
    path: PathBuf,
}

fn add(out: &mut Out, name: &str, data: &[u8]) {
    let mut h = tar::Header::new_gnu();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_entry_type(tar::EntryType::Regular);
    out.tar
        .append_data(&mut h, name, data)
        .expect("write output");
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let out_dir = PathBuf::from(
        args.first()
            .cloned()
            .unwrap_or_else(|| "/tmp/dlint-bench".into()),
    );
    let scale: usize = args
        .iter()
        .position(|a| a == "--scale")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    // --bytes N multiplies every file's size but not the number of files: the same paths,
    // N times the data (to show that memory does not follow the bytes)
    let bytes: usize = args
        .iter()
        .position(|a| a == "--bytes")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    std::fs::create_dir_all(&out_dir).expect("create output dir");
    let mut stem = if scale == 1 {
        "synth".to_string()
    } else {
        format!("synth-x{scale}")
    };
    if bytes != 1 {
        stem.push_str(&format!("-bytes{bytes}"));
    }
    let open = |name: &str| Out {
        path: out_dir.join(name),
        tar: tar::Builder::new(BufWriter::with_capacity(
            1 << 20,
            File::create(out_dir.join(name)).expect("create"),
        )),
    };
    // (compression, docker25 tar, oci tar)
    let mut outs: Vec<(Compression, Out, Out)> = [Compression::Gzip, Compression::Zstd]
        .into_iter()
        .map(|c| {
            let tag = if c == Compression::Gzip {
                "gzip"
            } else {
                "zstd"
            };
            (
                c,
                open(&format!("{stem}.docker25-{tag}.tar")),
                open(&format!("{stem}.oci-{tag}.tar")),
            )
        })
        .collect();
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    let mut layers = plan(scale, &mut g);
    for (_, entries) in &mut layers {
        for e in entries.iter_mut() {
            if let E::File(_, size) = e {
                *size *= bytes;
            }
        }
    }
    let mut diff_ids = Vec::new();
    let mut history = Vec::new();
    let mut descs: Vec<Vec<(String, usize)>> = vec![Vec::new(); outs.len()];
    let (mut files, mut total) = (0usize, 0usize);
    for (i, (created_by, entries)) in layers.iter().enumerate() {
        files += entries.len();
        let tar = layer_tar(entries, &mut g);
        total += tar.len();
        diff_ids.push(sha256(&tar));
        history.push(json!({"created": "2025-01-01T00:00:00Z", "created_by": created_by}));
        for (k, (c, docker, oci)) in outs.iter_mut().enumerate() {
            let blob = compress(&tar, *c);
            let d = sha256(&blob);
            let name = format!("blobs/sha256/{}", &d[7..]);
            add(docker, &name, &blob);
            add(oci, &name, &blob);
            descs[k].push((d, blob.len()));
        }
        eprintln!(
            "layer {i}: {} entries, {} MiB",
            entries.len(),
            tar.len() >> 20
        );
    }
    let config = serde_json::to_vec(&json!({
        "architecture": "amd64", "os": "linux",
        "config": {"Cmd": ["/app/run"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }))
    .expect("json");
    let cfg_digest = sha256(&config);
    for (k, (c, mut docker, mut oci)) in outs.into_iter().enumerate() {
        let mt = if c == Compression::Gzip {
            "application/vnd.oci.image.layer.v1.tar+gzip"
        } else {
            "application/vnd.oci.image.layer.v1.tar+zstd"
        };
        let manifest = serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_digest, "size": config.len()},
            "layers": descs[k].iter().map(|(d, s)| json!({"mediaType": mt, "digest": d, "size": s})).collect::<Vec<_>>(),
        }))
        .expect("json");
        let md = sha256(&manifest);
        let index = serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": manifest.len(),
            "annotations": {"io.containerd.image.name": "dlint/synth:latest", "org.opencontainers.image.ref.name": "latest"},
        }]}))
        .expect("json");
        for out in [&mut docker, &mut oci] {
            add(out, &format!("blobs/sha256/{}", &cfg_digest[7..]), &config);
            add(out, &format!("blobs/sha256/{}", &md[7..]), &manifest);
            add(out, "oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#);
            add(out, "index.json", &index);
        }
        let dm = serde_json::to_vec(&json!([{
            "Config": format!("blobs/sha256/{}", &cfg_digest[7..]),
            "RepoTags": ["dlint/synth:latest"],
            "Layers": descs[k].iter().map(|(d, _)| format!("blobs/sha256/{}", &d[7..])).collect::<Vec<_>>(),
        }]))
        .expect("json");
        add(&mut docker, "manifest.json", &dm);
        for out in [docker, oci] {
            let mut w = out.tar.into_inner().expect("finish tar");
            w.flush().expect("flush");
            println!("{}", out.path.display());
        }
    }
    eprintln!(
        "{} layers, {files} entries, {} MiB uncompressed",
        layers.len(),
        total >> 20
    );
}
