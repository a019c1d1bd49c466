//! `dlint image --format html|csv|jsonl` and `--files`: the per-layer file lists (added,
//! modified, removed) parsed back from every format, the HTML page's bounds and escaping, and
//! the page rendered in headless Chromium when it is installed.

use assert_cmd::Command;
use dlint::image::Compression;
use dlint::image::testkit::{self, ImageSpec, LayerBuilder};
use std::path::{Path, PathBuf};

/// Layer 0 adds four files (one with HTML in its name, one mode 0640), layer 1 modifies one
/// (and its mode), removes a file and a directory, and adds a setuid one.
fn build(dir: &Path) -> PathBuf {
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .compress(Compression::Gzip)
                .file_size("etc/config", 1000)
                .file_size("etc/<img src=x onerror=alert(1)>&.conf", 10)
                .file_size("tmp/build/a.o", 3000)
                .file_size("srv/old", 500)
                .mode(0o640)
                .build(),
            "/bin/sh -c #(nop) ADD file:0123 in / ",
        )
        .layer(
            LayerBuilder::new()
                .whiteout("tmp/build")
                .whiteout("srv/old")
                .file_size("etc/config", 1200)
                .mode(0o600)
                .file_size("usr/bin/tool", 700)
                .mode(0o4755)
                .build(),
            "RUN /bin/sh -c rm -rf /tmp/build /srv/old && make config # buildkit",
        )
        .tag("example/views:1");
    let p = dir.join("views.tar");
    std::fs::write(&p, testkit::to_tar(&testkit::docker_blobs(&[spec]))).unwrap();
    p
}

fn dlint(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::cargo_bin("dlint")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .args(["--no-config"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    out.stdout
}

/// (layer, change, kind, mode, size, path) of every listed path, sorted.
type Rows = Vec<(u64, String, String, String, u64, String)>;

fn expected() -> Rows {
    let mut v: Rows = [
        (0, "added", "dir", "0755", 0, "etc"),
        (0, "added", "file", "0644", 1000, "etc/config"),
        (
            0,
            "added",
            "file",
            "0644",
            10,
            "etc/<img src=x onerror=alert(1)>&.conf",
        ),
        (0, "added", "dir", "0755", 0, "tmp"),
        (0, "added", "dir", "0755", 0, "tmp/build"),
        (0, "added", "file", "0644", 3000, "tmp/build/a.o"),
        (0, "added", "dir", "0755", 0, "srv"),
        (0, "added", "file", "0640", 500, "srv/old"),
        (1, "removed", "dir", "0755", 0, "tmp/build"),
        (1, "removed", "file", "0644", 3000, "tmp/build/a.o"),
        (1, "removed", "file", "0640", 500, "srv/old"),
        (1, "modified", "file", "0600", 1200, "etc/config"),
        (1, "added", "dir", "0755", 0, "usr"),
        (1, "added", "dir", "0755", 0, "usr/bin"),
        (1, "added", "file", "4755", 700, "usr/bin/tool"),
    ]
    .into_iter()
    .map(|(l, c, k, m, s, p)| {
        (
            l,
            c.to_string(),
            k.to_string(),
            m.to_string(),
            s,
            p.to_string(),
        )
    })
    .collect();
    v.sort();
    v
}

/// A JSON mode (`"0755"`), which the CSV writes the same.
fn mode_text(v: &serde_json::Value) -> String {
    v.as_str().expect("mode is an octal string").to_string()
}

/// The test layers hold only what the builder declared, so directories appear only when
/// the builder adds parents: keep the non-directory rows (what every format must agree on).
fn files_only(mut v: Rows) -> Rows {
    v.retain(|r| r.2 != "dir");
    v.sort();
    v
}

#[test]
fn json_files_lists_each_layers_changes() {
    let d = tempfile::tempdir().unwrap();
    build(d.path());
    let out = dlint(
        d.path(),
        &["image", "views.tar", "--format", "json", "--files"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let mut rows = Rows::new();
    for l in v["layers"].as_array().unwrap() {
        for f in l["files"].as_array().unwrap() {
            rows.push((
                l["index"].as_u64().unwrap(),
                f["change"].as_str().unwrap().into(),
                f["kind"].as_str().unwrap().into(),
                mode_text(&f["mode"]),
                f["size"].as_u64().unwrap(),
                f["path"].as_str().unwrap().into(),
            ));
        }
    }
    assert_eq!(files_only(rows), files_only(expected()));
    // without --files the layers carry no list
    let out = dlint(d.path(), &["image", "views.tar", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(v["layers"][1].get("files").is_none());
}

/// The final filesystem's `files` map carries, for each path, the mode of the last layer that
/// wrote it: a replaced file's new mode, a re-declared directory's new mode, a path a later
/// layer put back after a whiteout, and links' own modes.
#[test]
fn json_final_files_carry_last_modes() {
    let d = tempfile::tempdir().unwrap();
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .dir("opt")
                .file_size("opt/run", 10)
                .mode(0o755)
                .file_size("etc/shadow", 5)
                .mode(0o640)
                .dir("tmp")
                .mode(0o1777)
                .build(),
            "ADD rootfs /",
        )
        .layer(
            LayerBuilder::new()
                .compress(Compression::Zstd)
                .whiteout("tmp")
                .dir("opt")
                .mode(0o700)
                .file_size("opt/run", 12)
                .mode(0o4750)
                .symlink("opt/sh", "run")
                .mode(0o777)
                .hardlink("opt/run2", "opt/run")
                .mode(0o2750)
                .build(),
            "RUN chmod 700 /opt && rm -rf /tmp",
        )
        .layer(
            LayerBuilder::new().file_size("tmp", 1).mode(0o600).build(),
            "RUN touch /tmp",
        )
        .tag("example/modes:1");
    let tar = d.path().join("modes.tar");
    std::fs::write(&tar, testkit::to_tar(&testkit::docker_blobs(&[spec]))).unwrap();
    let out = dlint(
        d.path(),
        &["image", "modes.tar", "--format", "json", "--files"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let files = v["files"].as_object().expect("final files with --files");
    let got: Vec<(&str, &str, u64, String)> = files
        .iter()
        .map(|(p, e)| {
            (
                p.as_str(),
                e["kind"].as_str().unwrap(),
                e["layer"].as_u64().unwrap(),
                mode_text(&e["mode"]),
            )
        })
        .collect();
    let want: Vec<(&str, &str, u64, String)> = [
        ("etc/shadow", "file", 0, 0o640),
        ("opt", "dir", 1, 0o700),
        ("opt/run", "file", 1, 0o4750),
        ("opt/run2", "hardlink", 1, 0o2750),
        ("opt/sh", "symlink", 1, 0o777),
        ("tmp", "file", 2, 0o600),
    ]
    .into_iter()
    .map(|(p, k, l, m)| (p, k, l, format!("{m:04o}")))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn csv_layers_and_files_parse() {
    let d = tempfile::tempdir().unwrap();
    build(d.path());
    let out = dlint(d.path(), &["image", "views.tar", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(out.as_slice());
    let head = r.headers().unwrap().clone();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let recs: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(recs.len(), 2);
    assert_eq!(&recs[1][col("bytes_added")], "1900");
    assert_eq!(&recs[1][col("bytes_overwritten")], "1000");
    assert_eq!(&recs[1][col("bytes_removed")], "3500");
    assert!(recs[1][col("created_by")].contains("rm -rf /tmp/build /srv/old"));

    let out = dlint(
        d.path(),
        &["image", "views.tar", "--format", "csv", "--files"],
    );
    let mut r = csv::Reader::from_reader(out.as_slice());
    assert_eq!(
        r.headers().unwrap(),
        vec!["layer", "change", "kind", "mode", "size", "path"]
    );
    let rows: Rows = r
        .records()
        .map(|x| {
            let x = x.unwrap();
            (
                x[0].parse().unwrap(),
                x[1].into(),
                x[2].into(),
                x[3].into(),
                x[4].parse().unwrap(),
                x[5].into(),
            )
        })
        .collect();
    assert_eq!(files_only(rows), files_only(expected()));
}

#[test]
fn jsonl_streams_layer_then_its_files() {
    let d = tempfile::tempdir().unwrap();
    build(d.path());
    let out = dlint(
        d.path(),
        &["image", "views.tar", "--format", "jsonl", "--files"],
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["record"], "image");
    assert!(lines[0].get("totals").is_none(), "known only at the end");
    let totals: Vec<&serde_json::Value> =
        lines.iter().filter(|v| v["record"] == "totals").collect();
    assert_eq!(totals.len(), 1);
    assert_eq!(totals[0]["totals"]["wasted_bytes"], 4500);
    let mut current = None;
    let mut rows = Rows::new();
    for v in &lines[1..] {
        match v["record"].as_str().unwrap() {
            "layer" => {
                assert!(v.get("files").is_none(), "files are their own records");
                current = v["index"].as_u64();
            }
            "file" => {
                let l = v["layer"].as_u64().unwrap();
                assert_eq!(Some(l), current, "a file follows its layer record");
                rows.push((
                    l,
                    v["change"].as_str().unwrap().into(),
                    v["kind"].as_str().unwrap().into(),
                    mode_text(&v["mode"]),
                    v["size"].as_u64().unwrap(),
                    v["path"].as_str().unwrap().into(),
                ));
            }
            "totals" | "wasted" | "cache" => current = None,
            other => panic!("unknown record {other}"),
        }
    }
    assert_eq!(files_only(rows), files_only(expected()));
    assert!(
        lines
            .iter()
            .any(|v| v["record"] == "wasted" && v["path"] == "tmp/build/a.o")
    );
}

#[test]
fn html_is_self_contained_escaped_and_marks_changes() {
    let d = tempfile::tempdir().unwrap();
    build(d.path());
    let out = dlint(
        d.path(),
        &["image", "views.tar", "--format", "html", "-o", "r.html"],
    );
    assert!(out.is_empty(), "the page goes to -o, not stdout");
    let html = std::fs::read_to_string(d.path().join("r.html")).unwrap();
    for bad in ["<script", "<link", "http://", "https://"] {
        let hits: Vec<_> = html.match_indices(bad).map(|(i, _)| i).collect();
        // the SVG namespace is the only URL allowed
        let allowed = html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
        if bad == "http://" {
            assert_eq!(hits.len(), allowed, "{bad}");
        } else {
            assert!(hits.is_empty(), "{bad} in the page");
        }
    }
    assert!(!html.contains("<img"), "a path was not escaped");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;&amp;.conf"));
    assert_eq!(html.matches("<details class=layer>").count(), 2);
    // layer 1's tree: config modified, tool added, build/a.o and old removed
    let l1 = &html[html.rfind("<details class=layer>").unwrap()..];
    assert!(l1.contains("<li class=m>~ config"), "{l1}");
    assert!(l1.contains("<li class=a>+ tool"));
    assert!(l1.contains("<li class=r>− a.o"));
    assert!(l1.contains("<li class=r>− old"));
    assert!(html.contains("aria-label=\"treemap of the final filesystem\""));
    assert!(html.contains("/tmp/build/a.o"), "wasted copies listed");
}

/// One directory of 3,000 files: the page shows the 25 biggest and sums the rest.
#[test]
fn html_bounds_big_directories() {
    let d = tempfile::tempdir().unwrap();
    let mut b = LayerBuilder::new();
    for i in 0..3000 {
        b = b.file_size(&format!("m/f{i:04}"), i);
    }
    let spec = ImageSpec::new().layer(b.build(), "COPY m /m").tag("many:1");
    let p = d.path().join("many.tar");
    std::fs::write(&p, testkit::to_tar(&testkit::docker_blobs(&[spec]))).unwrap();
    dlint(
        d.path(),
        &["image", "many.tar", "--format", "html", "-o", "r.html"],
    );
    let html = std::fs::read_to_string(d.path().join("r.html")).unwrap();
    assert_eq!(html.matches("<li class=a>+ f").count(), 25);
    assert!(html.contains("+ f2999"), "biggest first");
    assert!(html.contains("and 2,975 more"), "the rest summed");
}

/// The page in a real browser (scripts/check-image-html.sh): no console error, a non-blank
/// screenshot. Skipped (with a message) when Chromium is not installed.
#[test]
fn html_renders_in_chromium() {
    let has = std::process::Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has {
        eprintln!("skipping: chromium not installed");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let img = build(d.path());
    let png = d.path().join("shot.png");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(root.join("scripts/check-image-html.sh"))
        .arg(&img)
        .arg(&png)
        .env("DLINT", assert_cmd::cargo::cargo_bin("dlint"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(png.metadata().unwrap().len() > 1000);
}
