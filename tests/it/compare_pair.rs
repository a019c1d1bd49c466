//! `analyze_pair` (shared layers decoded once) must give exactly the reports `analyze` gives for
//! each image alone, in every archive layout and compression, and still catch a corrupt copy of
//! a shared layer in the candidate.

use dlint::image::compare::Side;
use dlint::image::compare::pair::analyze_pair;
use dlint::image::packages::CAPTURE_GLOBS;
use dlint::image::testkit::{self, ImageSpec, LayerBuilder};
use dlint::image::{AnalyzeOptions, Compression, ImageError, OpenOptions, analyze, open};
use std::path::{Path, PathBuf};

fn opts(verify: bool) -> AnalyzeOptions {
    AnalyzeOptions {
        verify,
        capture: CAPTURE_GLOBS.iter().map(|g| g.to_string()).collect(),
        ..AnalyzeOptions::default()
    }
}

fn base(c: Compression) -> testkit::Layer {
    LayerBuilder::new()
        .compress(c)
        .file(
            "var/lib/dpkg/status",
            b"Package: a\nStatus: install ok installed\nVersion: 1\nInstalled-Size: 4\n",
        )
        .hardlink("var/lib/dpkg/status-old", "var/lib/dpkg/status")
        .file_size("usr/lib/big.so", 50_000)
        .file_size("usr/bin/tool", 3000)
        .build()
}

fn images(c: Compression) -> (ImageSpec, ImageSpec) {
    let shared = base(c);
    let rm = LayerBuilder::new()
        .compress(c)
        .whiteout("usr/bin/tool")
        .build();
    let a = ImageSpec::new()
        .layer(shared.clone(), "ADD rootfs /")
        .layer(rm.clone(), "RUN rm /usr/bin/tool")
        .layer(
            LayerBuilder::new()
                .compress(c)
                .file_size("app/a.bin", 700)
                .build(),
            "COPY a /app",
        );
    let b = ImageSpec::new()
        .layer(shared, "ADD rootfs /")
        .layer(rm, "RUN rm /usr/bin/tool")
        .layer(
            LayerBuilder::new()
                .compress(c)
                .file_size("app/b.bin", 900)
                .file_size("usr/lib/big.so", 10)
                .build(),
            "COPY b /app",
        );
    (a, b)
}

/// Writes an image in one of four layouts; returns its path.
fn write(dir: &Path, name: &str, spec: &ImageSpec, layout: usize) -> PathBuf {
    let specs = std::slice::from_ref(spec);
    match layout {
        0 => {
            let p = dir.join(format!("{name}.classic.tar"));
            std::fs::write(&p, testkit::to_tar(&testkit::docker_classic(specs))).unwrap();
            p
        }
        1 => {
            let p = dir.join(format!("{name}.docker25.tar"));
            std::fs::write(&p, testkit::to_tar(&testkit::docker_blobs(specs))).unwrap();
            p
        }
        2 => {
            let p = dir.join(format!("{name}.oci.tar"));
            std::fs::write(&p, testkit::to_tar(&testkit::oci(specs, false))).unwrap();
            p
        }
        _ => {
            let p = dir.join(format!("{name}.oci-dir"));
            testkit::to_dir(&testkit::oci(specs, false), &p).unwrap();
            p
        }
    }
}

fn alone(p: &Path, o: &AnalyzeOptions) -> dlint::image::ImageReport {
    analyze(&open(p, &OpenOptions::default()).unwrap(), o).unwrap()
}

fn pair(
    a: &Path,
    b: &Path,
    o: &AnalyzeOptions,
) -> Result<(dlint::image::ImageReport, dlint::image::ImageReport), ImageError> {
    let ia = open(a, &OpenOptions::default()).unwrap();
    let ib = open(b, &OpenOptions::default()).unwrap();
    analyze_pair(&ia, &ib, o)
}

#[test]
fn pair_equals_two_single_analyses() {
    let dir = tempfile::tempdir().unwrap();
    let o = opts(true);
    for c in [Compression::None, Compression::Gzip, Compression::Zstd] {
        let (sa, sb) = images(c);
        for la in 0..4 {
            for lb in 0..4 {
                // Classic docker save stores layers uncompressed whatever the spec says.
                let pa = write(dir.path(), &format!("a{la}{c:?}"), &sa, la);
                let pb = write(dir.path(), &format!("b{lb}{c:?}"), &sb, lb);
                let (ra, rb) =
                    pair(&pa, &pb, &o).unwrap_or_else(|e| panic!("{la} {lb} {c:?}: {e}"));
                assert_eq!(ra, alone(&pa, &o), "A, layouts {la}/{lb}, {c:?}");
                assert_eq!(rb, alone(&pb, &o), "B, layouts {la}/{lb}, {c:?}");
                assert_eq!(rb.totals.wasted_bytes, 3000 + 50_000);
                assert!(
                    rb.captured.contains_key("var/lib/dpkg/status"),
                    "shared layer's capture reused"
                );
                // The comparison counts files (hard links included) the way `dlint image` does.
                let side = Side::from_report("b", &rb);
                assert_eq!(side.file_count, side.files.len() as u64);
                assert!(side.files.contains_key("var/lib/dpkg/status-old"));
            }
        }
    }
}

#[test]
fn corrupt_copy_of_a_shared_layer_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let (sa, sb) = images(Compression::Gzip);
    for layout in [1usize, 3] {
        let pa = write(dir.path(), &format!("a{layout}"), &sa, layout);
        // B's copy of the shared base layer: same diff_id in the config, wrong bytes.
        let mut files = match layout {
            1 => testkit::docker_blobs(std::slice::from_ref(&sb)),
            _ => testkit::oci(std::slice::from_ref(&sb), false),
        };
        let shared_digest = sb.layers[0]
            .digest
            .trim_start_matches("sha256:")
            .to_string();
        let blob = files
            .iter_mut()
            .find(|(n, _)| n.ends_with(&shared_digest))
            .unwrap();
        let last = blob.1.len() - 10;
        blob.1[last] ^= 0xff;
        let pb = dir.path().join(format!("b-bad{layout}"));
        if layout == 1 {
            std::fs::write(&pb, testkit::to_tar(&files)).unwrap();
        } else {
            testkit::to_dir(&files, &pb).unwrap();
        }
        let err = pair(&pa, &pb, &opts(true)).unwrap_err().to_string();
        assert!(err.contains(&*pb.to_string_lossy()), "{err}");
        assert!(err.contains("digest"), "{err}");
        // --no-verify trusts the configs: the pair analysis reuses A's walk.
        assert!(pair(&pa, &pb, &opts(false)).is_ok());
    }
    // Classic docker save with plain tar layers: no digest, so B's copy is hashed and the hash
    // must match the diff_id. (Compressed classic layers have neither and get a full scan.)
    let (sa, sb) = images(Compression::None);
    let pa = write(dir.path(), "a-classic", &sa, 0);
    let mut files = testkit::docker_classic(std::slice::from_ref(&sb));
    let member = format!(
        "{}/layer.tar",
        sb.layers[0].diff_id.trim_start_matches("sha256:")
    );
    let blob = files.iter_mut().find(|(name, _)| *name == member).unwrap();
    let n = blob.1.len();
    blob.1[n - 2000] ^= 0xff;
    let pb = dir.path().join("b-bad-classic.tar");
    std::fs::write(&pb, testkit::to_tar(&files)).unwrap();
    let err = pair(&pa, &pb, &opts(true)).unwrap_err().to_string();
    assert!(
        err.contains("b-bad-classic.tar") && err.contains("diff_id"),
        "{err}"
    );
}

/// B reuses A's layers in another order, one of them twice, with one job and with several:
/// each image still gets exactly the report `analyze` gives it alone (the shared walk is kept
/// until every layer that needs it has been applied, in order).
#[test]
fn shared_layers_in_another_order_and_repeated() {
    let dir = tempfile::tempdir().unwrap();
    let one = LayerBuilder::new()
        .compress(Compression::Gzip)
        .file_size("x/one", 1000)
        .build();
    let two = LayerBuilder::new()
        .compress(Compression::Zstd)
        .file_size("x/one", 10)
        .file_size("x/two", 2000)
        .build();
    let a = ImageSpec::new()
        .layer(one.clone(), "ADD one /")
        .layer(two.clone(), "ADD two /");
    let b = ImageSpec::new()
        .layer(two.clone(), "ADD two /")
        .layer(one.clone(), "ADD one /")
        .layer(two, "ADD two again /");
    let pa = write(dir.path(), "a", &a, 1);
    let pb = write(dir.path(), "b", &b, 3);
    for jobs in [1, 4] {
        let o = AnalyzeOptions { jobs, ..opts(true) };
        let (ra, rb) = pair(&pa, &pb, &o).unwrap();
        assert_eq!(ra, alone(&pa, &o), "jobs {jobs}");
        assert_eq!(rb, alone(&pb, &o), "jobs {jobs}");
        assert_eq!(rb.layers.len(), 3);
        assert_eq!(rb.totals.wasted_bytes, 2000 + 1000 + 10);
    }
}
