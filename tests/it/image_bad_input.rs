//! Hostile and broken archives, each built in code: one clear error naming the archive and
//! the layer, no panic, exit code 2 from the binary.

use assert_cmd::Command;
use dlint::image::testkit::{self, ImageSpec, LayerBuilder};
use dlint::image::{self, AnalyzeOptions, Compression, OpenOptions};
use std::path::{Path, PathBuf};

fn good_layer(c: Compression) -> testkit::Layer {
    LayerBuilder::new()
        .compress(c)
        .dir("etc")
        .file_size("etc/data", 64 << 10)
        .file("etc/hostname", b"box\n")
        .build()
}

fn two_layer(second: testkit::Layer) -> ImageSpec {
    ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .compress(Compression::Gzip)
                .file("etc/os-release", b"ID=test\n")
                .build(),
            "ADD base /",
        )
        .layer(second, "RUN bad")
}

fn write_oci_tar(dir: &Path, name: &str, files: &testkit::Files) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, testkit::to_tar(files)).unwrap();
    p
}

/// Opens and analyses; returns the error text.
fn error_of(p: &Path, opts: &AnalyzeOptions) -> String {
    let img = match image::open(p, &OpenOptions::default()) {
        Ok(i) => i,
        Err(e) => return e.to_string(),
    };
    match image::analyze(&img, opts) {
        Ok(_) => panic!("{} analysed without error", p.display()),
        Err(e) => e.to_string(),
    }
}

fn assert_layer_error(p: &Path, want: &str) {
    let e = error_of(p, &AnalyzeOptions::default());
    assert!(e.contains(&p.display().to_string()), "no archive in: {e}");
    assert!(e.contains("layer 1 ("), "no layer in: {e}");
    assert!(e.contains(want), "expected {want:?} in: {e}");
    // and the binary exits 2 with the same message
    let out = Command::cargo_bin("dlint")
        .unwrap()
        .args(["image", "--no-config"])
        .arg(p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(want), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A spec whose second layer blob is replaced by `blob` (digest kept consistent).
fn with_blob(c: Compression, edit: impl Fn(&mut Vec<u8>)) -> ImageSpec {
    let mut l = good_layer(c);
    edit(&mut l.blob);
    l.digest = testkit::sha256(&l.blob);
    two_layer(l)
}

#[test]
fn truncated_gzip() {
    let d = tempfile::tempdir().unwrap();
    let spec = with_blob(Compression::Gzip, |b| b.truncate(b.len() / 2));
    let p = write_oci_tar(d.path(), "trunc-gz.tar", &testkit::oci(&[spec], false));
    assert_layer_error(&p, "gzip");
}

#[test]
fn corrupt_zstd() {
    let d = tempfile::tempdir().unwrap();
    let spec = with_blob(Compression::Zstd, |b| {
        let n = b.len();
        for x in &mut b[12..n - 8] {
            *x ^= 0x5a;
        }
    });
    let p = write_oci_tar(d.path(), "bad-zstd.tar", &testkit::oci(&[spec], false));
    assert_layer_error(&p, "zstd");
}

#[test]
fn truncated_plain_tar() {
    let d = tempfile::tempdir().unwrap();
    let spec = with_blob(Compression::None, |b| b.truncate(1000));
    let p = write_oci_tar(d.path(), "trunc.tar", &testkit::docker_classic(&[spec]));
    assert_layer_error(&p, "truncated");
}

#[test]
fn wrong_blob_digest_and_no_verify() {
    let d = tempfile::tempdir().unwrap();
    let mut l = good_layer(Compression::Gzip);
    // stored under a digest that is not its content's
    l.digest = testkit::sha256(b"something else");
    let p = write_oci_tar(
        d.path(),
        "digest.tar",
        &testkit::oci(&[two_layer(l)], false),
    );
    assert_layer_error(&p, "blob digest mismatch");
    let img = image::open(&p, &OpenOptions::default()).unwrap();
    let r = image::analyze(
        &img,
        &AnalyzeOptions {
            verify: false,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(r.totals.visible_bytes, (64 << 10) + 4 + 8);
    // nothing is hashed: the digest and diff_id shown are the archive's own
    assert_eq!(r.layers[1].digest, testkit::sha256(b"something else"));
    assert_eq!(r.layers[1].diff_id, img.diff_ids[1]);
}

#[test]
fn wrong_diff_id() {
    let d = tempfile::tempdir().unwrap();
    let mut l = good_layer(Compression::Zstd);
    l.diff_id = testkit::sha256(b"not the tar");
    let p = write_oci_tar(
        d.path(),
        "diffid.tar",
        &testkit::docker_blobs(&[two_layer(l)]),
    );
    assert_layer_error(&p, "diff_id");
}

#[test]
fn missing_blob() {
    let d = tempfile::tempdir().unwrap();
    let spec = two_layer(good_layer(Compression::Gzip));
    let gone = format!("blobs/sha256/{}", &spec.layers[1].digest[7..]);
    let mut files = testkit::oci(&[spec], false);
    files.retain(|(n, _)| *n != gone);
    let p = write_oci_tar(d.path(), "missing.tar", &files);
    assert_layer_error(&p, "missing");
}

#[test]
fn absolute_and_dotdot_names() {
    let d = tempfile::tempdir().unwrap();
    for (name, want) in [("/etc/shadow", "absolute"), ("etc/../../x", "escapes")] {
        let l = LayerBuilder::new()
            .raw(name, tar::EntryType::Regular, b"x", None)
            .build();
        let p = write_oci_tar(d.path(), "names.tar", &testkit::oci(&[two_layer(l)], false));
        assert_layer_error(&p, want);
    }
}

#[test]
fn hardlink_to_missing_target() {
    let d = tempfile::tempdir().unwrap();
    let l = LayerBuilder::new()
        .compress(Compression::Gzip)
        .hardlink("bin/sh", "bin/bash")
        .build();
    let p = write_oci_tar(d.path(), "link.tar", &testkit::oci(&[two_layer(l)], false));
    assert_layer_error(&p, "missing target");
}

#[test]
fn absurd_header_sizes() {
    let d = tempfile::tempdir().unwrap();
    // a header claiming 2 TiB (binary size field), and one claiming more than the stream holds
    for (size, want) in [(2u64 << 40, "absurd size"), (50 << 20, "truncated")] {
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_path("etc/huge").unwrap();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_size(size);
        h.set_mode(0o644);
        h.set_cksum();
        b.append(&h, &b"tiny"[..]).ok(); // the data is short: append writes what there is
        let tar = b.into_inner().unwrap();
        let blob = testkit::compress(&tar, Compression::Gzip);
        let l = testkit::Layer {
            diff_id: testkit::sha256(&tar),
            digest: testkit::sha256(&blob),
            tar,
            blob,
            compression: Compression::Gzip,
        };
        let p = write_oci_tar(d.path(), "size.tar", &testkit::oci(&[two_layer(l)], false));
        assert_layer_error(&p, want);
    }
}

#[test]
fn tar_bomb_of_empty_files() {
    let d = tempfile::tempdir().unwrap();
    let mut lb = LayerBuilder::new().compress(Compression::Zstd);
    for i in 0..5000 {
        lb = lb.file(&format!("bomb/{i}"), b"");
    }
    let p = write_oci_tar(
        d.path(),
        "bomb.tar",
        &testkit::oci(&[two_layer(lb.build())], false),
    );
    let e = error_of(
        &p,
        &AnalyzeOptions {
            max_entries: 1000,
            jobs: 1,
            ..Default::default()
        },
    );
    assert!(e.contains("tar bomb") && e.contains("layer 1"), "{e}");
    let out = Command::cargo_bin("dlint")
        .unwrap()
        .args(["image", "--no-config", "--max-entries", "1000"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max-entries"));
}

fn assert_archive_error(p: &Path, args: &[&str], want: &str) {
    let out = Command::cargo_bin("dlint")
        .unwrap()
        .args(["image", "--no-config"])
        .args(args)
        .arg(p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&p.display().to_string()), "{stderr}");
    assert!(stderr.contains(want), "expected {want:?} in {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn manifest_pointing_nowhere() {
    let d = tempfile::tempdir().unwrap();
    let files: testkit::Files = vec![(
        "manifest.json".into(),
        br#"[{"Config":"nope.json","RepoTags":["x:1"],"Layers":["a/layer.tar"]}]"#.to_vec(),
    )];
    let p = write_oci_tar(d.path(), "nowhere.tar", &files);
    assert_archive_error(&p, &[], "nope.json");
    // a docker manifest whose layer is missing names the layer
    let spec = two_layer(good_layer(Compression::None));
    let mut files = testkit::docker_classic(&[spec]);
    let gone = format!(
        "{}/layer.tar",
        &files
            .iter()
            .find(|(n, _)| n.ends_with("layer.tar"))
            .unwrap()
            .0[..64]
    );
    files.retain(|(n, _)| *n != gone);
    let p = write_oci_tar(d.path(), "nolayer.tar", &files);
    assert_archive_error(&p, &[], "layer 0 (");
    // OCI index pointing to a manifest blob that is not there
    let files: testkit::Files = vec![
        ("oci-layout".into(), br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec()),
        ("index.json".into(), format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{}","size":10}}]}}"#,
            "ab".repeat(32)).into_bytes()),
    ];
    let p = write_oci_tar(d.path(), "noindex.tar", &files);
    assert_archive_error(&p, &[], "is missing");
}

#[test]
fn not_an_archive_and_missing_platform() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("random.bin");
    std::fs::write(&p, vec![0x42u8; 4096]).unwrap();
    assert_archive_error(&p, &[], "not");
    let p = d.path().join("empty.tar");
    std::fs::write(&p, b"").unwrap();
    assert_archive_error(&p, &[], "not an image archive");
    assert_archive_error(&d.path().join("absent.tar"), &[], "absent.tar");
    let spec = two_layer(good_layer(Compression::Gzip));
    let p = write_oci_tar(d.path(), "plat.tar", &testkit::oci(&[spec], true));
    assert_archive_error(&p, &["--platform", "linux/riscv64"], "linux/amd64");
    let bad_json: testkit::Files = vec![("manifest.json".into(), b"{not json".to_vec())];
    let p = write_oci_tar(d.path(), "badjson.tar", &bad_json);
    assert_archive_error(&p, &[], "manifest.json is not valid");
}

#[test]
fn endless_zeros_after_the_tar_end() {
    let d = tempfile::tempdir().unwrap();
    let good = good_layer(Compression::None);
    let mut tar = good.tar.clone();
    tar.resize(tar.len() + (70 << 20), 0);
    let blob = testkit::compress(&tar, Compression::Zstd);
    let l = testkit::Layer {
        diff_id: testkit::sha256(&tar),
        digest: testkit::sha256(&blob),
        tar,
        blob,
        compression: Compression::Zstd,
    };
    let p = write_oci_tar(d.path(), "zeros.tar", &testkit::oci(&[two_layer(l)], false));
    assert_layer_error(&p, "after the end of the tar archive");
}

/// Two broken layers: the lower one is reported, whatever the number of workers and whichever
/// finishes first.
#[test]
fn the_lowest_broken_layer_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let bad = |c: Compression, pad: usize| {
        let mut l = LayerBuilder::new().compress(c);
        for k in 0..pad {
            l = l.file_size(&format!("f{k}"), 1000);
        }
        let mut l = l.build();
        let n = l.blob.len();
        l.blob.truncate(n / 2);
        l.digest = testkit::sha256(&l.blob);
        l
    };
    let spec = ImageSpec::new()
        .layer(good_layer(Compression::Gzip), "ADD base /")
        // layer 1 is big (read first, fails last), layer 2 is tiny and fails at once
        .layer(bad(Compression::Gzip, 300), "RUN big")
        .layer(bad(Compression::Zstd, 1), "RUN small")
        .layer(good_layer(Compression::Zstd), "RUN good");
    let p = write_oci_tar(dir.path(), "two-bad.tar", &testkit::oci(&[spec], false));
    for jobs in [1, 2, 4] {
        let e = error_of(
            &p,
            &AnalyzeOptions {
                jobs,
                ..AnalyzeOptions::default()
            },
        );
        assert!(e.contains("layer 1 ("), "jobs {jobs}: {e}");
        assert!(e.contains("gzip"), "jobs {jobs}: {e}");
    }
}

/// An OCI index whose manifests are indexes, nested deeper than dlint follows, and an
/// index.json over the JSON size limit: one error each, exit 2, no panic.
#[test]
fn nested_indexes_and_oversized_json() {
    let d = tempfile::tempdir().unwrap();
    let index_type = "application/vnd.oci.image.index.v1+json";
    let mut files: testkit::Files = vec![(
        "oci-layout".into(),
        br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
    )];
    // index.json -> index 1 -> ... -> index 6 (empty): six levels of nesting.
    let mut inner = br#"{"schemaVersion":2,"manifests":[]}"#.to_vec();
    for _ in 0..6 {
        let digest = testkit::sha256(&inner);
        files.push((
            format!("blobs/sha256/{}", digest.trim_start_matches("sha256:")),
            inner.clone(),
        ));
        inner = format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"{index_type}","digest":"{digest}","size":{}}}]}}"#,
            inner.len()
        )
        .into_bytes();
    }
    files.push(("index.json".into(), inner));
    let p = write_oci_tar(d.path(), "nested.tar", &files);
    assert_archive_error(&p, &[], "nested too deeply");
    // 65 MiB of JSON whitespace before a valid document: over the 64 MiB limit.
    let mut big = vec![b' '; 65 << 20];
    big.extend_from_slice(br#"{"schemaVersion":2,"manifests":[]}"#);
    let files: testkit::Files = vec![
        (
            "oci-layout".into(),
            br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
        ),
        ("index.json".into(), big),
    ];
    let p = write_oci_tar(d.path(), "huge-index.tar", &files);
    assert_archive_error(&p, &[], "index.json: 68157474 bytes is too large");
}
