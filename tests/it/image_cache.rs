//! The layer cache seen from the command line: the same JSON with and without it (cold, then
//! warm) on every layout the test kit makes, cached layers not read at all, damaged entries
//! ignored and rewritten, and parallel processes sharing one cache directory.

use assert_cmd::Command;
use dlint::image::Compression;
use dlint::image::testkit::{self, ImageSpec, LayerBuilder};
use std::path::{Path, PathBuf};

/// A three-layer image: files overwritten, deleted, hard- and symlinked, a package database.
fn spec(c: Compression, seed: usize) -> ImageSpec {
    let base = LayerBuilder::new()
        .compress(c)
        .dir("etc")
        .file("etc/os-release", b"ID=alpine\nVERSION_ID=3.20.0\n")
        .file(
            "lib/apk/db/installed",
            b"P:musl\nV:1.2.5-r0\nA:x86_64\nI:700000\n\nP:busybox\nV:1.36.1-r29\nA:x86_64\nI:900000\n\n",
        )
        .file_size("usr/lib/libbig.so", 300_000 + seed)
        .file_size("var/cache/apk/index.tar.gz", 40_000)
        .symlink("bin/sh", "/bin/busybox")
        .file_size("bin/busybox", 90_000)
        .build();
    let mid = LayerBuilder::new()
        .compress(c)
        .file_size("usr/lib/libbig.so", 310_000 + seed)
        .whiteout("var/cache/apk/index.tar.gz")
        .hardlink("usr/lib/libbig2.so", "usr/lib/libbig.so")
        .file_size("root/.cache/pip/wheel", 5_000)
        .build();
    let top = LayerBuilder::new()
        .compress(c)
        .opaque("root/.cache")
        .file_size("app/bin", 80_000 + seed * 3)
        .build();
    ImageSpec::new()
        .layer(base, "/bin/sh -c #(nop) ADD file:base in /")
        .layer(mid, "RUN apk add big && rm /var/cache/apk/index.tar.gz")
        .layer(top, "COPY app /app # buildkit")
        .empty("CMD [\"/app/bin\"]")
        .tag("app:1")
}

fn dlint(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("dlint")
        .unwrap()
        .env_remove("DLINT_CACHE_DIR")
        .args(args)
        .output()
        .unwrap()
}

/// `dlint image -f json` (exit 0 expected) with extra arguments, as JSON.
fn image_json(input: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "image",
        "--no-config",
        "-f",
        "json",
        "--top",
        "50",
        "--files",
    ];
    let input = input.to_str().unwrap();
    args.push(input);
    args.extend_from_slice(extra);
    let out = dlint(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every layout of the test kit holding `spec(c, seed)`: (name, path).
fn layouts(dir: &Path, seed: usize) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for c in [Compression::Gzip, Compression::Zstd, Compression::None] {
        let s = [spec(c, seed)];
        let name = format!("{c:?}").to_lowercase();
        let mut put = |kind: &str, files: testkit::Files| {
            let p = dir.join(format!("{kind}-{name}-{seed}.tar"));
            std::fs::write(&p, testkit::to_tar(&files)).unwrap();
            out.push((format!("{kind} {name}"), p));
        };
        put("oci", testkit::oci(&s, false));
        put("oci-nested", testkit::oci(&s, true));
        if c != Compression::Zstd {
            put("docker-blobs", testkit::docker_blobs(&s));
        }
        if c == Compression::None {
            put("docker-classic", testkit::docker_classic(&s));
        }
        let d = dir.join(format!("ocidir-{name}-{seed}"));
        testkit::to_dir(&testkit::oci(&s, false), &d).unwrap();
        out.push((format!("oci dir {name}"), d));
    }
    out
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "dlc"));
    v.sort();
    v
}

#[test]
fn same_json_with_and_without_the_cache_on_every_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let c = cache.to_str().unwrap();
    let all = layouts(tmp.path(), 1);
    assert!(all.len() >= 10);
    for (name, path) in &all {
        let plain = image_json(path, &["--no-cache"]);
        let cold = image_json(path, &["--cache-dir", c]);
        let warm = image_json(path, &["--cache-dir", c]);
        assert_eq!(plain, cold, "{name}: cold");
        assert_eq!(plain, warm, "{name}: warm");
        // --no-verify and a warm cache: what the archive says, as without the cache
        let nv = image_json(path, &["--no-cache", "--no-verify"]);
        assert_eq!(
            nv,
            image_json(path, &["--cache-dir", c, "--no-verify"]),
            "{name}"
        );
        let v = image_json(path, &["--cache-dir", c, "--verify-cache"]);
        assert_eq!(plain, v, "{name}: --verify-cache");
    }
    // one entry per distinct (diff_id, blob digest): gzip/zstd/none differ, layouts share
    let n = entries(&cache).len();
    assert!((9..=12).contains(&n), "{n} entries");
}

/// A warm cache does not read the layer blobs: with them deleted from an OCI directory the
/// analysis still succeeds, and gives the same report; without the cache it fails.
#[test]
fn a_hit_reads_no_blob() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let c = cache.to_str().unwrap();
    let s = [spec(Compression::Gzip, 2)];
    let d = tmp.path().join("ocidir");
    testkit::to_dir(&testkit::oci(&s, false), &d).unwrap();
    let before = image_json(&d, &["--cache-dir", c]);
    for l in &s[0].layers {
        let hex = l.digest.strip_prefix("sha256:").unwrap();
        std::fs::remove_file(d.join("blobs/sha256").join(hex)).unwrap();
    }
    assert_eq!(before, image_json(&d, &["--cache-dir", c]));
    let out = dlint(&["image", "--no-config", "--no-cache", d.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    // compare and optimize use the same entries
    let out = dlint(&[
        "compare",
        "--format",
        "json",
        "--cache-dir",
        c,
        d.to_str().unwrap(),
        d.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

/// Damaged entries (flipped bytes, truncated, another layer's entry under the name) never
/// change the report: they are ignored, the layer is read, and the entry rewritten.
#[test]
fn damaged_entries_are_ignored_and_rewritten() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let c = cache.to_str().unwrap();
    let path = tmp.path().join("a.tar");
    std::fs::write(
        &path,
        testkit::to_tar(&testkit::oci(&[spec(Compression::Gzip, 3)], false)),
    )
    .unwrap();
    let want = image_json(&path, &["--no-cache"]);
    image_json(&path, &["--cache-dir", c]);
    let files = entries(&cache);
    assert_eq!(files.len(), 3);
    let originals: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    type Damage = fn(&mut Vec<u8>, &[u8]);
    let damages: [(&str, Damage); 4] = [
        ("flip", |b, _| {
            let m = b.len() / 2;
            b[m] ^= 0x40;
        }),
        ("truncate", |b, _| b.truncate(b.len() * 2 / 3)),
        ("header", |b, _| b[0] ^= 1),
        ("swap", |b, other| *b = other.to_vec()),
    ];
    for (what, damage) in damages {
        for (i, f) in files.iter().enumerate() {
            let mut b = originals[i].clone();
            damage(&mut b, &originals[(i + 1) % originals.len()]);
            std::fs::write(f, b).unwrap();
        }
        assert_eq!(want, image_json(&path, &["--cache-dir", c]), "{what}");
        for (i, f) in files.iter().enumerate() {
            assert_eq!(std::fs::read(f).unwrap(), originals[i], "{what}: rewritten");
        }
    }
}

/// Several processes analysing images that share layers, on one cache directory at once
/// (two CI jobs on one runner), with a cap small enough to evict while others read: every
/// report is the uncached one.
#[test]
fn parallel_processes_share_one_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let mut inputs = Vec::new();
    for seed in 0..4 {
        let p = tmp.path().join(format!("i{seed}.tar"));
        let mut s = spec(Compression::Gzip, seed);
        // the base layer is shared by all four
        s.layers[0] = spec(Compression::Gzip, 0).layers[0].clone();
        std::fs::write(&p, testkit::to_tar(&testkit::oci(&[s], false))).unwrap();
        inputs.push(p);
    }
    let want: Vec<serde_json::Value> = inputs
        .iter()
        .map(|p| image_json(p, &["--no-cache"]))
        .collect();
    for cap in ["100MB", "3kB"] {
        // cold each time (the cap is enforced when entries are written)
        let _ = std::fs::remove_dir_all(&cache);
        let children: Vec<(usize, std::process::Child)> = (0..8)
            .map(|k| {
                let i = k % inputs.len();
                let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dlint"))
                    .args([
                        "image",
                        "--no-config",
                        "-f",
                        "json",
                        "--top",
                        "50",
                        "--files",
                    ])
                    .arg(&inputs[i])
                    .args(["--cache-dir", cache.to_str().unwrap(), "--cache-max", cap])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                (i, child)
            })
            .collect();
        for (i, child) in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(got, want[i], "{cap}: image {i}");
        }
    }
    let total: u64 = entries(&cache)
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    assert!(total <= 3_000, "the cap holds: {total} bytes");
    let stray: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "no temporary file left: {stray:?}");
}

/// `cache-max` in the `image:` section of the config caps the cache (`--cache-max` wins); a
/// value that is not a size is a config error.
#[test]
fn the_config_file_sets_the_cap() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("a.tar");
    std::fs::write(
        &path,
        testkit::to_tar(&testkit::oci(&[spec(Compression::Gzip, 4)], false)),
    )
    .unwrap();
    let conf = tmp.path().join("dlint.yaml");
    std::fs::write(&conf, "image:\n  cache-max: 10\n").unwrap();
    let run = |cache: &Path, extra: &[&str]| {
        let mut args = vec![
            "image",
            "-c",
            conf.to_str().unwrap(),
            path.to_str().unwrap(),
        ];
        args.extend_from_slice(&["--cache-dir", cache.to_str().unwrap()]);
        args.extend_from_slice(extra);
        dlint(&args)
    };
    let small = tmp.path().join("small");
    assert!(run(&small, &[]).status.success());
    assert!(entries(&small).is_empty(), "no entry fits in 10 bytes");
    let big = tmp.path().join("big");
    assert!(run(&big, &["--cache-max", "1MB"]).status.success());
    assert_eq!(entries(&big).len(), 3);
    std::fs::write(&conf, "image:\n  cache-max: lots\n").unwrap();
    let out = run(&big, &[]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cache-max"),
        "{out:?}"
    );
}

/// `-v` prints one stderr line of what the cache did: a cold run misses and writes every
/// layer, a warm run hits every layer.
#[test]
fn verbose_prints_hits_and_misses() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("a.tar");
    std::fs::write(
        &path,
        testkit::to_tar(&testkit::oci(&[spec(Compression::Gzip, 5)], false)),
    )
    .unwrap();
    let cache = tmp.path().join("cache");
    let run = || {
        let out = dlint(&[
            "image",
            "--no-config",
            "-v",
            "--cache-dir",
            cache.to_str().unwrap(),
            path.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        err.lines()
            .find(|l| l.starts_with("dlint: layer cache:"))
            .unwrap_or_else(|| panic!("no cache line: {err}"))
            .to_string()
    };
    let cold = run();
    assert!(cold.contains("0 hits, 3 misses, 3 written"), "{cold}");
    let warm = run();
    assert!(warm.contains("3 hits, 0 misses, 0 written"), "{warm}");
    // without -v, no line
    let out = dlint(&[
        "image",
        "--no-config",
        "--cache-dir",
        cache.to_str().unwrap(),
        path.to_str().unwrap(),
    ]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("layer cache:"));
}

/// The cap holds when a cache is opened, not only after a write: a directory over a smaller
/// `--cache-max` is trimmed, least recently used first, even by a run that writes nothing.
#[test]
fn an_over_cap_cache_is_trimmed_when_opened() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("a.tar");
    std::fs::write(
        &path,
        testkit::to_tar(&testkit::oci(&[spec(Compression::Gzip, 6)], false)),
    )
    .unwrap();
    let cache = tmp.path().join("cache");
    let c = cache.to_str().unwrap();
    let p = path.to_str().unwrap();
    assert!(
        dlint(&["image", "--no-config", "--cache-dir", c, p])
            .status
            .success()
    );
    let all = entries(&cache);
    assert_eq!(all.len(), 3);
    // ages: the first entry oldest, the last newest
    let now = std::time::SystemTime::now();
    for (i, e) in all.iter().enumerate() {
        let f = std::fs::File::options().write(true).open(e).unwrap();
        f.set_modified(now - std::time::Duration::from_secs(1000 - i as u64 * 10))
            .unwrap();
    }
    let sizes: Vec<u64> = all.iter().map(|e| e.metadata().unwrap().len()).collect();
    let cap = sizes[1] + sizes[2];
    // with --no-verify a miss is read but not written, so no write evicts: only the trim
    // on opening can bring the directory under the cap
    let out = dlint(&[
        "image",
        "--no-config",
        "--cache-dir",
        c,
        "--cache-max",
        &cap.to_string(),
        "--no-verify",
        p,
    ]);
    assert!(out.status.success(), "{out:?}");
    let left = entries(&cache);
    assert_eq!(left, all[1..], "the least recently used entry is gone");
    let total: u64 = left.iter().map(|e| e.metadata().unwrap().len()).sum();
    assert!(total <= cap, "{total} > {cap}");
}
