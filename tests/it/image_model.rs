//! The overlay model on archives built in code: every number checked, in every container
//! format and compression.

use dlint::image::testkit::{self, ImageSpec, LayerBuilder};
use dlint::image::{
    self, AnalyzeOptions, ArchiveFormat, Compression, FileKind, HiddenBy, ImageReport, OpenOptions,
};
use std::path::{Path, PathBuf};

/// Three layers exercising overwrite, file whiteout, directory whiteout, opaque directory,
/// hard link surviving the deletion of its first name, symlink and an apt cache.
fn scenario(c: [Compression; 3]) -> ImageSpec {
    let l0 = LayerBuilder::new()
        .compress(c[0])
        .dir("etc")
        .file_size("etc/a", 100)
        .file_size("etc/b", 200)
        .hardlink("etc/a2", "etc/a")
        .dir("usr")
        .dir("usr/lib")
        .file_size("usr/lib/x", 1000)
        .file_size("usr/lib/y", 500)
        .dir("opt")
        .file_size("opt/o1", 300)
        .dir("opt/sub")
        .file_size("opt/sub/o2", 400)
        .symlink("bin", "usr/bin")
        .file_size("big", 5000)
        .build();
    let l1 = LayerBuilder::new()
        .compress(c[1])
        .file_size("etc/b", 250)
        .whiteout("usr/lib")
        .dir("opt")
        .opaque("opt")
        .file_size("opt/new", 50)
        .whiteout("etc/a")
        .file_size("var/lib/apt/lists/pkgs", 700)
        .build();
    let l2 = LayerBuilder::new()
        .compress(c[2])
        .whiteout("big")
        .file_size("etc/b", 260)
        .build();
    ImageSpec::new()
        .layer(l0, "/bin/sh -c #(nop) ADD file:abc in / ")
        .empty("/bin/sh -c #(nop)  CMD [\"sh\"]")
        .layer(l1, "RUN |1 V=2 /bin/sh -c apt-get update # buildkit")
        .empty("ENV A=1")
        .layer(l2, "/bin/sh -c rm /big && echo b > /etc/b")
        .tag("example/app:1")
}

enum Fmt {
    Classic,
    Blobs,
    OciDir,
    OciTar,
}

fn write(fmt: &Fmt, images: &[ImageSpec], dir: &Path) -> PathBuf {
    match fmt {
        Fmt::Classic => {
            let p = dir.join("classic.tar");
            std::fs::write(&p, testkit::to_tar(&testkit::docker_classic(images))).unwrap();
            p
        }
        Fmt::Blobs => {
            let p = dir.join("docker25.tar");
            std::fs::write(&p, testkit::to_tar(&testkit::docker_blobs(images))).unwrap();
            p
        }
        Fmt::OciDir => {
            let p = dir.join("layout");
            testkit::to_dir(&testkit::oci(images, false), &p).unwrap();
            p
        }
        Fmt::OciTar => {
            let p = dir.join("oci.tar");
            std::fs::write(&p, testkit::to_tar(&testkit::oci(images, false))).unwrap();
            p
        }
    }
}

fn analyze(path: &Path) -> ImageReport {
    let img = image::open(path, &OpenOptions::default()).unwrap();
    image::analyze(
        &img,
        &AnalyzeOptions {
            jobs: 2,
            ..AnalyzeOptions::default()
        },
    )
    .unwrap()
}

fn check_scenario(r: &ImageReport, spec: &ImageSpec) {
    // per layer
    let l = &r.layers;
    assert_eq!(l.len(), 3);
    assert_eq!(
        (l[0].bytes_added, l[0].bytes_overwritten, l[0].bytes_removed),
        (7500, 0, 0)
    );
    // etc/b 200 overwritten; usr/lib 1500 + opaque opt 700 removed (etc/a lives on as etc/a2)
    assert_eq!(
        (l[1].bytes_added, l[1].bytes_overwritten, l[1].bytes_removed),
        (1000, 200, 2200)
    );
    assert_eq!(
        (l[2].bytes_added, l[2].bytes_overwritten, l[2].bytes_removed),
        (260, 250, 5000)
    );
    assert_eq!(
        l.iter().map(|l| l.file_count).collect::<Vec<_>>(),
        vec![9, 3, 1]
    );
    assert_eq!(
        l.iter().map(|l| l.whiteouts).collect::<Vec<_>>(),
        vec![0, 3, 1]
    );
    assert_eq!(l[0].created_by.as_deref(), Some("ADD file:abc in /"));
    assert_eq!(l[1].created_by.as_deref(), Some("RUN apt-get update"));
    assert_eq!(
        l[2].created_by.as_deref(),
        Some("RUN rm /big && echo b > /etc/b")
    );
    for (i, layer) in l.iter().enumerate() {
        let s = &spec.layers[i];
        assert_eq!(layer.index, i);
        assert_eq!(layer.diff_id, s.diff_id);
        assert_eq!(layer.digest, s.digest);
        assert_eq!(layer.compressed_size, s.blob.len() as u64);
        assert_eq!(layer.uncompressed_size, s.tar.len() as u64);
        assert_eq!(layer.compression, s.compression);
    }
    // totals
    let t = &r.totals;
    assert_eq!(t.stored_bytes, 8760);
    assert_eq!(t.visible_bytes, 1110);
    assert_eq!(t.wasted_bytes, 7650);
    assert!((t.efficiency - 1110.0 / 8760.0).abs() < 1e-12);
    assert!((t.wasted_percent - 765000.0 / 8760.0).abs() < 1e-9);
    assert_eq!(t.files, 4);
    assert_eq!(
        t.compressed_size,
        spec.layers.iter().map(|l| l.blob.len() as u64).sum::<u64>()
    );
    assert_eq!(
        t.uncompressed_size,
        spec.layers.iter().map(|l| l.tar.len() as u64).sum::<u64>()
    );
    // final filesystem
    let f: Vec<(&str, FileKind, u64, usize)> = r
        .files
        .iter()
        .map(|(p, e)| (p.as_str(), e.kind, e.size, e.layer))
        .collect();
    assert_eq!(
        f,
        vec![
            ("bin", FileKind::Symlink, 0, 0),
            ("etc", FileKind::Dir, 0, 0),
            ("etc/a2", FileKind::Hardlink, 100, 0),
            ("etc/b", FileKind::File, 260, 2),
            ("opt", FileKind::Dir, 0, 1),
            ("opt/new", FileKind::File, 50, 1),
            ("usr", FileKind::Dir, 0, 0),
            ("var/lib/apt/lists/pkgs", FileKind::File, 700, 1),
        ]
    );
    assert_eq!(r.files["bin"].link.as_deref(), Some("usr/bin"));
    // wasted copies, biggest first
    let w: Vec<(&str, u64, usize, usize, HiddenBy)> = r
        .wasted
        .iter()
        .map(|w| {
            (
                w.path.as_str(),
                w.size,
                w.added_layer,
                w.hidden_layer,
                w.reason,
            )
        })
        .collect();
    assert_eq!(
        w,
        vec![
            ("big", 5000, 0, 2, HiddenBy::Whiteout),
            ("usr/lib/x", 1000, 0, 1, HiddenBy::DirectoryWhiteout),
            ("usr/lib/y", 500, 0, 1, HiddenBy::DirectoryWhiteout),
            ("opt/sub/o2", 400, 0, 1, HiddenBy::Opaque),
            ("opt/o1", 300, 0, 1, HiddenBy::Opaque),
            ("etc/b", 250, 1, 2, HiddenBy::Overwritten),
            ("etc/b", 200, 0, 1, HiddenBy::Overwritten),
        ]
    );
    // caches
    assert_eq!(r.caches.len(), 1);
    assert_eq!(r.caches[0].path, "var/lib/apt/lists");
    assert_eq!(r.caches[0].tool, "apt");
    assert_eq!((r.caches[0].bytes, r.caches[0].files), (700, 1));
    assert_eq!(r.caches[0].layers, vec![1]);
    // largest and directories
    assert_eq!(r.largest[0].path, "var/lib/apt/lists/pkgs");
    assert_eq!(r.largest.len(), 4);
    let d: Vec<(&str, u64, u64)> = r
        .directories
        .iter()
        .map(|d| (d.path.as_str(), d.bytes, d.files))
        .collect();
    assert_eq!(d, vec![("var", 700, 1), ("etc", 360, 2), ("opt", 50, 1)]);
    // dive: etc/a (100+0), etc/b (200+250+260) and big (5000+0) are in 2+ layers; the usr/lib
    // whiteout counts 1500 once; opaque markers are ignored
    assert_eq!(r.dive.wasted_bytes, 5810);
    assert!(
        (r.dive.score - 4650.0 / 10260.0).abs() < 1e-12,
        "{}",
        r.dive.score
    );
    assert_eq!(r.platform.as_deref(), Some("linux/amd64"));
}

#[test]
fn every_format_and_compression() {
    use Compression::*;
    let dir = tempfile::tempdir().unwrap();
    for comps in [
        [None, None, None],
        [Gzip, Gzip, Gzip],
        [Zstd, Zstd, Zstd],
        [Gzip, Zstd, None],
    ] {
        let spec = scenario(comps);
        for (fmt, want) in [
            (Fmt::Classic, ArchiveFormat::DockerArchive),
            (Fmt::Blobs, ArchiveFormat::DockerArchiveOci),
            (Fmt::OciDir, ArchiveFormat::OciLayout),
            (Fmt::OciTar, ArchiveFormat::OciArchive),
        ] {
            let sub = tempfile::tempdir_in(dir.path()).unwrap();
            let p = write(&fmt, std::slice::from_ref(&spec), sub.path());
            let r = analyze(&p);
            assert_eq!(r.format, want);
            check_scenario(&r, &spec);
            if !matches!(fmt, Fmt::OciDir | Fmt::OciTar) {
                assert_eq!(r.reference.as_deref(), Some("example/app:1"));
            }
        }
    }
}

#[test]
fn jobs_do_not_change_the_result() {
    let dir = tempfile::tempdir().unwrap();
    let spec = scenario([Compression::Gzip; 3]);
    let p = write(&Fmt::OciTar, &[spec], dir.path());
    let img = image::open(&p, &OpenOptions::default()).unwrap();
    let one = image::analyze(
        &img,
        &AnalyzeOptions {
            jobs: 1,
            ..Default::default()
        },
    )
    .unwrap();
    let four = image::analyze(
        &img,
        &AnalyzeOptions {
            jobs: 4,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(one, four);
}

fn platform_image(arch: &str, size: usize) -> ImageSpec {
    ImageSpec::new().platform(arch).layer(
        LayerBuilder::new()
            .compress(Compression::Gzip)
            .file_size("bin/app", size)
            .build(),
        "COPY app /bin/app",
    )
}

#[test]
fn multi_platform_index() {
    let dir = tempfile::tempdir().unwrap();
    let images = [
        platform_image("linux/arm64/v8", 11),
        platform_image("linux/amd64", 22),
        platform_image("linux/s390x", 33),
    ];
    for nested in [true, false] {
        let p = dir.path().join(format!("multi-{nested}.tar"));
        std::fs::write(&p, testkit::to_tar(&testkit::oci(&images, nested))).unwrap();
        let pick = |platform: Option<&str>| {
            let img = image::open(
                &p,
                &OpenOptions {
                    platform: platform.map(str::to_string),
                    image: None,
                    ..OpenOptions::default()
                },
            )?;
            image::analyze(&img, &AnalyzeOptions::default())
        };
        let def = pick(None).unwrap();
        assert_eq!(def.platform.as_deref(), Some("linux/amd64"));
        assert_eq!(def.totals.visible_bytes, 22);
        let arm = pick(Some("linux/arm64")).unwrap();
        assert_eq!(arm.platform.as_deref(), Some("linux/arm64/v8"));
        assert_eq!(arm.totals.visible_bytes, 11);
        assert_eq!(pick(Some("linux/s390x")).unwrap().totals.visible_bytes, 33);
        let err = pick(Some("windows/amd64")).unwrap_err().to_string();
        assert!(err.contains("windows/amd64"), "{err}");
        assert!(
            err.contains("linux/arm64/v8, linux/amd64, linux/s390x"),
            "{err}"
        );
    }
    // several platforms and no amd64: an error listing them
    let p = dir.path().join("noamd.tar");
    let images = [
        platform_image("linux/arm64", 1),
        platform_image("linux/ppc64le", 2),
    ];
    std::fs::write(&p, testkit::to_tar(&testkit::oci(&images, true))).unwrap();
    let err = image::open(&p, &OpenOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--platform") && err.contains("linux/ppc64le"),
        "{err}"
    );
}

#[test]
fn image_selection_in_docker_archive() {
    let dir = tempfile::tempdir().unwrap();
    let a = platform_image("linux/amd64", 5).tag("example/a:latest");
    let b = platform_image("linux/amd64", 7).tag("registry.local/example/b:2");
    let p = dir.path().join("two.tar");
    std::fs::write(&p, testkit::to_tar(&testkit::docker_classic(&[a, b]))).unwrap();
    let err = image::open(&p, &OpenOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--image") && err.contains("example/a:latest"),
        "{err}"
    );
    let open = |name: &str| {
        image::open(
            &p,
            &OpenOptions {
                platform: None,
                image: Some(name.into()),
                ..OpenOptions::default()
            },
        )
    };
    let img = open("example/a").unwrap();
    assert_eq!(img.reference.as_deref(), Some("example/a:latest"));
    let r = image::analyze(&open("example/b:2").unwrap(), &AnalyzeOptions::default()).unwrap();
    assert_eq!(r.totals.visible_bytes, 7);
    let err = open("nope").unwrap_err().to_string();
    assert!(err.contains("nope"), "{err}");
}

#[test]
fn capture_collects_only_visible_small_files() {
    let dir = tempfile::tempdir().unwrap();
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .file("var/lib/dpkg/status", b"Package: old\n")
                .file(
                    "usr/lib/python3/dist-packages/a-1.dist-info/METADATA",
                    b"Name: a\n",
                )
                .file("app/node_modules/left/package.json", b"{\"name\":\"left\"}")
                .file_size("app/node_modules/huge/package.json", 2000)
                .build(),
            "ADD x /",
        )
        .layer(
            LayerBuilder::new()
                .compress(Compression::Zstd)
                .file("var/lib/dpkg/status", b"Package: new\n")
                .whiteout("usr/lib/python3/dist-packages/a-1.dist-info")
                .build(),
            "RUN x",
        );
    let p = write(&Fmt::OciDir, &[spec], dir.path());
    let img = image::open(&p, &OpenOptions::default()).unwrap();
    let r = image::analyze(
        &img,
        &AnalyzeOptions {
            capture: vec![
                "/var/lib/dpkg/status".into(),
                "**/*.dist-info/METADATA".into(),
                "**/node_modules/*/package.json".into(),
            ],
            capture_max_file: 1000,
            ..Default::default()
        },
    )
    .unwrap();
    let keys: Vec<&str> = r.captured.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec!["app/node_modules/left/package.json", "var/lib/dpkg/status"]
    );
    let st = &r.captured["var/lib/dpkg/status"];
    assert_eq!(
        (st.layer, st.size, st.content.as_str()),
        (1, 13, "Package: new\n")
    );
}

#[test]
fn replacing_a_directory_with_a_file_hides_its_contents() {
    let dir = tempfile::tempdir().unwrap();
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .dir("data")
                .file_size("data/one", 10)
                .file_size("data/two", 20)
                .file_size("keep", 1)
                .build(),
            "ADD",
        )
        .layer(
            LayerBuilder::new()
                .file_size("data", 5)
                .dir("keep2")
                .dir("keep2")
                .file_size("keep", 1)
                .file_size("keep", 3)
                .build(),
            "RUN",
        );
    let p = write(&Fmt::OciTar, &[spec], dir.path());
    let r = analyze(&p);
    assert_eq!(r.totals.stored_bytes, 10 + 20 + 1 + 5 + 1 + 3);
    assert_eq!(r.totals.visible_bytes, 8);
    assert_eq!(r.layers[1].bytes_overwritten, 32);
    assert_eq!(r.files["data"].kind, FileKind::File);
    assert!(!r.files.contains_key("data/one"));
    // a copy overwritten inside the same layer is waste hidden by that layer
    assert!(
        r.wasted
            .iter()
            .any(|w| w.path == "keep" && w.size == 1 && w.added_layer == 1 && w.hidden_layer == 1)
    );
}

/// Twelve layers of very different sizes, so that with several workers they finish out of
/// order: the report must not depend on the number of workers (layers are applied in order).
#[test]
fn report_is_the_same_for_any_number_of_workers() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = ImageSpec::new();
    for i in 0..12usize {
        let mut l = LayerBuilder::new().compress(if i % 2 == 0 {
            Compression::Gzip
        } else {
            Compression::Zstd
        });
        // big layers every third: they finish late while later small ones are done
        let n = if i % 3 == 0 { 400 } else { 5 };
        for k in 0..n {
            l = l.file_size(&format!("d{}/f{k}", k % 7), 100 + i * 10 + k);
        }
        if i > 0 {
            l = l
                .whiteout(&format!("d{}", i % 7))
                .file_size("shared", i * 3);
        }
        spec = spec.layer(l.build(), &format!("RUN step {i}"));
    }
    let p = write(&Fmt::OciTar, &[spec], dir.path());
    let img = image::open(&p, &OpenOptions::default()).unwrap();
    let run = |jobs: usize| {
        let r = image::analyze(
            &img,
            &AnalyzeOptions {
                jobs,
                top: 5,
                ..AnalyzeOptions::default()
            },
        )
        .unwrap();
        serde_json::to_string(&r).unwrap()
    };
    let one = run(1);
    assert!(one.contains("\"hidden_layer\""), "{one}");
    for jobs in [2, 3, 8] {
        assert_eq!(run(jobs), one, "jobs = {jobs}");
    }
}

/// The top-N wasted list keeps the N biggest copies, ties broken by path, the same as sorting
/// every hidden copy would.
#[test]
fn top_wasted_keeps_the_biggest_with_ties_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let l0 = LayerBuilder::new()
        .file_size("c", 50)
        .file_size("a", 50)
        .file_size("z", 10)
        .file_size("b", 50)
        .file_size("y", 70)
        .file_size("x", 5)
        .build();
    let mut l1 = LayerBuilder::new();
    for p in ["c", "a", "z", "b", "y", "x"] {
        l1 = l1.whiteout(p);
    }
    let spec = ImageSpec::new()
        .layer(l0, "ADD")
        .layer(l1.build(), "RUN rm");
    let p = write(&Fmt::OciTar, &[spec], dir.path());
    let img = image::open(&p, &OpenOptions::default()).unwrap();
    let top = |n: usize| -> Vec<(String, u64)> {
        image::analyze(
            &img,
            &AnalyzeOptions {
                top: n,
                ..AnalyzeOptions::default()
            },
        )
        .unwrap()
        .wasted
        .into_iter()
        .map(|w| (w.path, w.size))
        .collect()
    };
    let s = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
        v.iter().map(|(p, n)| (p.to_string(), *n)).collect()
    };
    assert_eq!(top(3), s(&[("y", 70), ("a", 50), ("b", 50)]));
    assert_eq!(top(0), s(&[]));
    assert_eq!(
        top(100),
        s(&[
            ("y", 70),
            ("a", 50),
            ("b", 50),
            ("c", 50),
            ("z", 10),
            ("x", 5)
        ])
    );
}

/// Copies of the same path and size hidden in different layers are listed by layer.
#[test]
fn equal_wasted_copies_are_listed_by_layer() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = ImageSpec::new();
    for i in 0..4 {
        spec = spec.layer(
            LayerBuilder::new().file_size("a", 50).build(),
            &format!("RUN {i}"),
        );
    }
    let p = write(&Fmt::OciTar, &[spec], dir.path());
    let w: Vec<(usize, usize)> = analyze(&p)
        .wasted
        .iter()
        .map(|w| (w.added_layer, w.hidden_layer))
        .collect();
    assert_eq!(w, vec![(0, 1), (1, 2), (2, 3)]);
}

/// Per-user caches are found in every home, not only in /root: `npm install` run as `USER node`
/// fills /home/node/.npm, pip as `app` /home/app/.cache/pip.
#[test]
fn per_user_caches_are_found_in_every_home() {
    let dir = tempfile::tempdir().unwrap();
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .file_size("root/.npm/_cacache/a", 10)
                .file_size("home/node/.npmrc", 7)
                .file_size("root/.bun/install/cache/zod@3.0.0/index.js", 20)
                .build(),
            "RUN",
        )
        .layer(
            LayerBuilder::new()
                .file_size("home/node/.npm/_cacache/b", 200)
                .file_size("home/node/.npm/_cacache/c", 300)
                .file_size("home/app/.cache/pip/http/d", 40)
                .file_size("home/app/var/cache/apt/e", 5)
                .file_size("home/app/.bun/install/cache/x/y", 60)
                .build(),
            "RUN",
        );
    let p = write(&Fmt::OciTar, &[spec], dir.path());
    let r = analyze(&p);
    let got: Vec<(&str, &str, u64, u64, Vec<usize>)> = r
        .caches
        .iter()
        .map(|c| {
            (
                c.path.as_str(),
                c.tool.as_str(),
                c.bytes,
                c.files,
                c.layers.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("home/app/.cache/pip", "pip", 40, 1, vec![1]),
            ("root/.npm", "npm", 10, 1, vec![0]),
            ("home/node/.npm", "npm", 500, 2, vec![1]),
            // bun's cache (the package model's table), root's and another user's
            ("root/.bun/install/cache", "bun", 20, 1, vec![0]),
            ("home/app/.bun/install/cache", "bun", 60, 1, vec![1]),
        ]
    );
}
