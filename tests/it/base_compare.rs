//! The base image in `dlint compare` (issue 22) on real images: the Debian and Alpine images
//! of `make-images.sh` (`$DLINT_IMAGES`), a base image built by `umoci` from the very root
//! filesystem the Debian image starts with, and an image on that base carrying the
//! `org.opencontainers.image.base.name` annotation. Also the uncompressed sizes the layer cache
//! gives the `base-variant` finding, on a real `docker-registry`.
//!
//! The make-images.sh images are not built in CI (about 30 minutes): without them the test on
//! them says so and passes. The same checks run everywhere on images made here
//! ([`compare_names_and_prices_each_base_on_built_images`]): a Debian-like and an Alpine-like
//! image whose histories are BuildKit's, and a base and an image on it made by umoci (which
//! CI installs).
#![cfg(unix)]

use crate::image_registry::{Registry, tools_present, write_archive};
use crate::oci_tools::{run, umoci_and_skopeo};
use assert_cmd::Command;
use dlint::image::Compression;
use dlint::image::testkit::{ImageSpec, LayerBuilder};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command as Proc;

/// `make-images.sh`'s output directory, when it holds what the tests need.
fn images() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("DLINT_IMAGES")
        .map(PathBuf::from)
        .into_iter()
        .chain([root.join("../images"), root.join("../../images")])
        .find(|d| d.join("debian-slim.oci.tar").exists());
    let have_umoci = Proc::new("umoci").arg("--version").output().is_ok();
    match dir {
        Some(d)
            if have_umoci
                && d.join("alpine.oci.tar").exists()
                && d.join("bookworm-slim-rootfs.tar").exists() =>
        {
            Some(d)
        }
        _ => {
            eprintln!("skipped: images of make-images.sh (DLINT_IMAGES) or umoci missing");
            None
        }
    }
}

fn umoci(args: &[&str], image: &str) {
    run(Proc::new("umoci").args(args).args(["--image", image]));
}

/// An OCI layout at `dir` with `rootfs` as its only layer, as CI that builds its base does.
fn base_layout(dir: &Path, rootfs: &Path) {
    run(Proc::new("umoci").args(["init", "--layout"]).arg(dir));
    let image = format!("{}:t", dir.display());
    umoci(&["new"], &image);
    run(Proc::new("umoci")
        .args(["raw", "add-layer", "--image", &image])
        .args(["--history.created_by", "ADD rootfs.tar /"])
        .arg(rootfs));
    umoci(&["config", "--config.cmd", "bash"], &image);
}

fn compare(args: &[&str]) -> (Value, String) {
    let out = Command::cargo_bin("dlint")
        .unwrap()
        .env("NO_PROXY", "*")
        .args(["compare", "--no-config", "--no-cache"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = if args.contains(&"json") {
        serde_json::from_slice(&out.stdout).unwrap()
    } else {
        Value::String(String::from_utf8(out.stdout).unwrap())
    };
    (v, stderr)
}

fn sizes(v: &Value, side: &str, n: usize) -> u64 {
    v["layers"][side].as_array().unwrap()[..n]
        .iter()
        .map(|l| l["uncompressed"].as_u64().unwrap())
        .sum()
}

/// `check_bases` on the make-images.sh images (Debian and Alpine built by buildah).
#[test]
fn compare_names_and_prices_each_base() {
    let Some(imgs) = images() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let debian_df =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/optimize/debian-slim.Dockerfile");
    let alpine_df = tmp.path().join("alpine.Dockerfile");
    std::fs::write(&alpine_df, ALPINE_DOCKERFILE).unwrap();
    check_bases(
        tmp.path(),
        [
            &imgs.join("debian-slim.oci.tar"),
            &imgs.join("alpine.oci.tar"),
        ],
        [&debian_df, &alpine_df],
        &imgs.join("bookworm-slim-rootfs.tar"),
    );
}

const ALPINE_DOCKERFILE: &str = "FROM alpine:3.23\nRUN apk add curl\nRUN apk del curl\nWORKDIR /app\nCOPY . /app\nCMD [\"/bin/sh\"]\n";

/// Random-looking bytes that do not compress.
fn noise(seed: u64, size: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15 ^ seed;
    (0..size)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// The same checks on images made here, so they run in CI too: a Debian-like and an
/// Alpine-like image with BuildKit's history for their Dockerfiles, and the Debian-like base
/// layer as the root filesystem umoci builds the same-base pair from.
#[test]
fn compare_names_and_prices_each_base_on_built_images() {
    if !umoci_and_skopeo() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let gz = |b: LayerBuilder| b.compress(Compression::Gzip).build();
    let deb_base = gz(LayerBuilder::new()
        .parents()
        .file("etc/debian_version", b"12.12\n")
        .file("usr/lib/x86_64-linux-gnu/libc.so.6", &noise(1, 600_000)));
    let rootfs = dir.join("rootfs.tar");
    std::fs::write(&rootfs, &deb_base.tar).unwrap();
    let debian = ImageSpec::new()
        .layer(deb_base, "/bin/sh -c #(nop) ADD file:deb in / ")
        .empty("/bin/sh -c #(nop)  CMD [\"bash\"]")
        .layer(
            gz(LayerBuilder::new()
                .parents()
                .file("var/lib/apt/lists/x_Packages", &noise(2, 90_000))),
            "RUN /bin/sh -c apt-get update # buildkit",
        )
        .layer(
            gz(LayerBuilder::new()
                .parents()
                .file("usr/bin/curl", &noise(3, 50_000))),
            "RUN /bin/sh -c apt-get install -y curl # buildkit",
        )
        .layer(gz(LayerBuilder::new().dir("app/")), "WORKDIR /app")
        .layer(
            gz(LayerBuilder::new()
                .parents()
                .file("app/main.sh", b"echo hi\n")),
            "COPY . /app # buildkit",
        )
        .empty("CMD [\"bash\"]")
        .tag("t");
    let alpine = ImageSpec::new()
        .layer(
            gz(LayerBuilder::new()
                .parents()
                .file("etc/alpine-release", b"3.23.0\n")
                .file("lib/ld-musl-x86_64.so.1", &noise(4, 200_000))),
            "/bin/sh -c #(nop) ADD file:alp in / ",
        )
        .empty("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]")
        .layer(
            gz(LayerBuilder::new()
                .parents()
                .file("usr/bin/curl", &noise(5, 40_000))),
            "RUN /bin/sh -c apk add curl # buildkit",
        )
        .layer(
            gz(LayerBuilder::new().whiteout("usr/bin/curl")),
            "RUN /bin/sh -c apk del curl # buildkit",
        )
        .layer(gz(LayerBuilder::new().dir("app/")), "WORKDIR /app")
        .layer(
            gz(LayerBuilder::new()
                .parents()
                .file("app/main.sh", b"echo hi\n")),
            "COPY . /app # buildkit",
        )
        .empty("CMD [\"/bin/sh\"]")
        .tag("t");
    let debian_df = dir.join("debian.Dockerfile");
    std::fs::write(
        &debian_df,
        "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y curl\nWORKDIR /app\nCOPY . /app\nCMD [\"bash\"]\n",
    )
    .unwrap();
    let alpine_df = dir.join("alpine.Dockerfile");
    std::fs::write(&alpine_df, ALPINE_DOCKERFILE).unwrap();
    let a = write_archive(dir, "debian.tar", &[debian], false);
    let b = write_archive(dir, "alpine.tar", &[alpine], false);
    check_bases(dir, [&a, &b], [&debian_df, &alpine_df], &rootfs);
}

/// Debian vs Alpine (`images`, different bases named by each Dockerfile's FROM, the base
/// layers found by matching the history), then Debian vs an image on the same base built by
/// umoci from `rootfs` (named by its annotation, the base's layers given by `--base-image`).
fn check_bases(tmp: &Path, images: [&Path; 2], dockerfiles: [&Path; 2], rootfs: &Path) {
    let (a, b) = (images[0].to_str().unwrap(), images[1].to_str().unwrap());
    let debian_df = dockerfiles[0].display().to_string();
    let alpine_df = dockerfiles[1];
    let dfs = [
        "--dockerfile-a",
        &debian_df,
        "--dockerfile-b",
        alpine_df.to_str().unwrap(),
        "--base-facts",
        "off",
    ];
    let mut args = vec![a, b, "--format", "json"];
    args.extend(dfs);
    let (v, _) = compare(&args);
    let base = &v["base"];
    assert_eq!(base["a"]["name"], "debian:bookworm-slim", "{base:#}");
    assert_eq!(base["b"]["name"], "alpine:3.23", "{base:#}");
    assert_eq!(
        (base["a"]["layers"].as_u64(), base["b"]["layers"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(base["same"], false);
    let (ba, bb) = (sizes(&v, "a", 1), sizes(&v, "b", 1));
    assert_eq!(base["a"]["uncompressed"].as_u64(), Some(ba));
    let diff_base = base["diff_base"].as_i64().unwrap();
    assert_eq!(diff_base, bb as i64 - ba as i64);
    let total = v["totals"]["uncompressed"]["diff"].as_i64().unwrap();
    assert_eq!(diff_base + base["diff_own"].as_i64().unwrap(), total);
    for format in ["text", "markdown", "html"] {
        let mut args = vec![a, b, "--format", format];
        args.extend(dfs);
        let out = compare(&args).0.as_str().unwrap().to_string();
        assert!(
            out.contains("Base image")
                && out.contains("debian:bookworm-slim")
                && out.contains("alpine:3.23")
                && out.contains("own layers"),
            "{format}: {out}"
        );
    }
    // without a Dockerfile or an annotation the bases are unknown, and said so
    let (v, _) = compare(&[a, b, "--format", "json"]);
    assert!(v["base"]["a"]["name"].is_null() && v["base"]["diff_base"].is_null());
    assert!(
        v["base"]["a"]["note"]
            .as_str()
            .unwrap()
            .contains("names no base"),
        "{:#}",
        v["base"]
    );

    // the same base: built from the Debian image's root filesystem, and an image on it
    let base_dir = tmp.join("base");
    base_layout(&base_dir, rootfs);
    let app = tmp.join("app");
    run(Proc::new("cp").arg("-a").arg(&base_dir).arg(&app));
    let files = tmp.join("files");
    std::fs::create_dir_all(files.join("app")).unwrap();
    std::fs::write(files.join("app/data.bin"), vec![7u8; 300_000]).unwrap();
    let app_tar = tmp.join("app.tar");
    run(Proc::new("tar")
        .arg("-C")
        .arg(&files)
        .arg("-cf")
        .arg(&app_tar)
        .arg("app"));
    let app_image = format!("{}:t", app.display());
    run(Proc::new("umoci")
        .args(["raw", "add-layer", "--image", &app_image])
        .args(["--history.created_by", "COPY app /app"])
        .arg(&app_tar));
    umoci(
        &[
            "config",
            "--manifest.annotation",
            "org.opencontainers.image.base.name=debian:bookworm-slim",
        ],
        &app_image,
    );
    let base_image = format!("debian:bookworm-slim={}", base_dir.display());
    let (v, err) = compare(&[
        a,
        app.to_str().unwrap(),
        "--format",
        "json",
        "--dockerfile-a",
        &debian_df,
        "--base-image",
        &base_image,
        "--base-facts",
        "off",
    ]);
    let base = &v["base"];
    assert_eq!(base["b"]["name"], "debian:bookworm-slim", "{base:#} {err}");
    for side in ["a", "b"] {
        assert_eq!(base[side]["layers"], 1, "{base:#}");
        let how = base[side]["found_by"].to_string();
        assert!(how.contains("base facts"), "{side}: {how}");
    }
    assert!(base["b"]["found_by"].to_string().contains("annotation"));
    assert_eq!(base["same"], true);
    assert_eq!(base["diff_base"], 0);
    assert_eq!(
        base["diff_own"].as_i64(),
        v["totals"]["uncompressed"]["diff"].as_i64()
    );
}

/// A base image of `size` incompressible bytes in one gzip layer.
fn lang(dir: &Path, tag: &str, size: usize) -> PathBuf {
    let data = noise(size as u64, size);
    let layer = LayerBuilder::new()
        .compress(Compression::Gzip)
        .file("usr/lib/libpython.so", &data)
        .build();
    let spec = ImageSpec::new()
        .layer(layer, "/bin/sh -c #(nop) ADD file:base in /")
        .setting("Env", serde_json::json!(["PATH=/usr/bin:/bin"]))
        .tag("t");
    write_archive(dir, &format!("{tag}.tar"), &[spec], false)
}

/// The `base-variant` finding is priced on compressed sizes until both bases' layers are in
/// the layer cache (`dlint image` analysed them); then on uncompressed sizes, to the byte.
#[test]
fn layer_cache_gives_base_variants_uncompressed_sizes() {
    if !tools_present() {
        return;
    }
    let reg = Registry::start(None);
    let tmp = tempfile::tempdir().unwrap();
    for (tag, size) in [("3.12", 700_000), ("3.12-slim", 200_000)] {
        reg.push(&lang(tmp.path(), tag, size), &format!("lang:{tag}"), &[]);
    }
    let df = tmp.path().join("Dockerfile");
    std::fs::write(
        &df,
        format!("FROM {}/lang:3.12\nCOPY app /app\n", reg.host()),
    )
    .unwrap();
    let layers = tmp.path().join("layers");
    let dlint = |args: &[&str]| {
        let out = Command::cargo_bin("dlint")
            .unwrap()
            .env("XDG_CACHE_HOME", tmp.path().join("cache"))
            .env("NO_PROXY", "*")
            .args(args)
            .args(["--cache-dir", layers.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let dockerfile = df.to_str().unwrap();
    let variant = |v: &Value| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "base-variant")
            .cloned()
            .unwrap_or_else(|| panic!("{v:#}"))
    };
    let cold = variant(&dlint(&[
        "optimize",
        "--no-config",
        "-f",
        "json",
        dockerfile,
    ]));
    assert!(
        cold["note"].as_str().unwrap().contains("compressed only"),
        "{cold}"
    );
    let mut uncompressed = Vec::new();
    for tag in ["3.12", "3.12-slim"] {
        let r = format!("docker://{}/lang:{tag}", reg.host());
        let v = dlint(&["image", "--no-config", "-f", "json", &r]);
        uncompressed.push(v["totals"]["uncompressed_size"].as_u64().unwrap());
    }
    let warm = variant(&dlint(&[
        "optimize",
        "--no-config",
        "-f",
        "json",
        dockerfile,
    ]));
    assert!(
        warm["note"].as_str().unwrap().contains("uncompressed"),
        "{warm}"
    );
    assert!(!warm["note"].as_str().unwrap().contains("compressed only"));
    assert_eq!(
        warm["bytes"].as_u64(),
        Some(uncompressed[0] - uncompressed[1]),
        "{warm}"
    );
}
