//! Archives made by real tools, not by our own test kit: Debian's `umoci` builds an OCI layout
//! from directories (its layers carry real `.wh.` whiteouts and hard links), `skopeo` exports
//! it as a `docker save` archive, an OCI archive and an OCI archive with zstd layers. Every
//! output must give the same figures, and those figures must be what the directories held.
//!
//! `.ci/run` installs both tools. On a machine without them the test says so and passes,
//! unless `CI` is set, where it fails.
#![cfg(unix)]

use crate::oci_tools::{run, umoci_and_skopeo, write};
use assert_cmd::Command;
use std::path::Path;
use std::process::Command as Proc;

fn chmod(root: &Path, rel: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(root.join(rel), std::fs::Permissions::from_mode(mode)).unwrap();
}

/// `(layer, change, mode)` of `path` in every layer's `--files` list.
fn changes_of(report: &serde_json::Value, path: &str) -> Vec<(u64, String, String)> {
    let mut out = Vec::new();
    for l in report["layers"].as_array().unwrap() {
        for f in l["files"].as_array().expect("--files lists") {
            if f["path"] == path {
                out.push((
                    l["index"].as_u64().unwrap(),
                    f["change"].as_str().unwrap().to_string(),
                    f["mode"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    out
}

fn repack(layout: &Path, bundle: &Path, by: &str) {
    run(Proc::new("umoci")
        .args(["repack", "--refresh-bundle", "--image"])
        .arg(format!("{}:t", layout.display()))
        .args(["--history.created_by", by])
        .arg(bundle));
}

fn analyze(path: &Path) -> serde_json::Value {
    analyze_with(path, &[])
}

fn analyze_with(path: &Path, extra: &[&str]) -> serde_json::Value {
    let out = Command::cargo_bin("dlint")
        .unwrap()
        .args(["image", "--no-config", "-f", "json", "--top", "20"])
        .args(extra)
        .arg(path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn umoci_and_skopeo_archives() {
    if !umoci_and_skopeo() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let layout = tmp.path().join("layout");
    let bundle = tmp.path().join("bundle");
    let image = format!("{}:t", layout.display());
    run(Proc::new("umoci").args(["init", "--layout"]).arg(&layout));
    run(Proc::new("umoci").args(["new", "--image", &image]));
    run(Proc::new("umoci")
        .args(["unpack", "--image", &image])
        .arg(&bundle));
    let root = bundle.join("rootfs");
    // layer 0: a base with a hard link, a symlink and a cache directory
    write(&root, "usr/lib/libbig.so", 300_000, 1);
    write(&root, "usr/lib/libsmall.so", 2_000, 2);
    std::fs::hard_link(
        root.join("usr/lib/libbig.so"),
        root.join("usr/lib/libbig.so.1"),
    )
    .unwrap();
    std::os::unix::fs::symlink("libsmall.so", root.join("usr/lib/libsmall.so.1")).unwrap();
    write(&root, "var/cache/apt/archives/pkg.deb", 50_000, 3);
    write(&root, "etc/config", 100, 4);
    // modes the file lists must carry: setuid, sticky directory, group-readable
    write(&root, "usr/bin/su", 0, 0);
    chmod(&root, "usr/bin/su", 0o4755);
    std::fs::create_dir_all(root.join("srv/drop")).unwrap();
    chmod(&root, "srv/drop", 0o1777);
    chmod(&root, "usr/lib/libsmall.so", 0o640);
    repack(&layout, &bundle, "ADD base /");
    // layer 1: overwrite a file, delete a file and a directory
    write(&root, "etc/config", 150, 5);
    chmod(&root, "etc/config", 0o600);
    std::fs::remove_file(root.join("usr/lib/libsmall.so")).unwrap();
    std::fs::remove_dir_all(root.join("var/cache/apt")).unwrap();
    write(&root, "app/main", 7_000, 6);
    repack(&layout, &bundle, "RUN cleanup");
    // layer 2: the first name of the hard link goes, the second keeps the data
    std::fs::remove_file(root.join("usr/lib/libbig.so")).unwrap();
    repack(&layout, &bundle, "RUN rm libbig.so");

    let docker = tmp.path().join("docker.tar");
    let oci = tmp.path().join("oci.tar");
    let zstd = tmp.path().join("oci-zstd.tar");
    let skopeo = |dest: String, extra: &[&str]| {
        run(Proc::new("skopeo")
            .args(["--insecure-policy", "copy", "-q"])
            .args(extra)
            .arg(format!("oci:{image}"))
            .arg(dest));
    };
    skopeo(
        format!("docker-archive:{}:dlint/real:1", docker.display()),
        &[],
    );
    skopeo(format!("oci-archive:{}:t", oci.display()), &[]);
    skopeo(
        format!("oci-archive:{}:t", zstd.display()),
        &["--dest-compress", "--dest-compress-format", "zstd"],
    );

    let reference = analyze(&layout);
    let t = &reference["totals"];
    // stored: 300000 + 2000 + 50000 + 100 (layer 0), 150 + 7000 (layer 1), and 300000 again in
    // layer 2: deleting one name changes the other's link count, so umoci stores it again
    assert_eq!(t["stored_bytes"], 659_250, "{t}");
    // visible: libbig.so.1, etc/config (new), app/main
    assert_eq!(t["visible_bytes"], 300_000 + 150 + 7_000, "{t}");
    let layers = reference["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 3);
    assert_eq!(layers[1]["bytes_overwritten"], 100);
    assert_eq!(layers[1]["bytes_removed"], 2_000 + 50_000);
    assert_eq!(layers[2]["bytes_added"], 300_000);
    // the old copy had two names (a hard link): it is counted once, when the last name goes
    let l2 = &layers[2];
    assert_eq!(
        l2["bytes_removed"].as_u64().unwrap() + l2["bytes_overwritten"].as_u64().unwrap(),
        300_000,
        "{l2}"
    );
    assert!(layers[1]["whiteouts"].as_u64().unwrap() >= 2);
    assert_eq!(layers[1]["created_by"], "RUN cleanup");
    let files = &reference["largest"];
    assert_eq!(files[0]["size"], 300_000);
    assert!(
        reference["caches"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["path"] != "var/cache/apt"),
        "the apt cache was deleted: {}",
        reference["caches"]
    );
    for other in [&docker, &oci, &zstd] {
        let r = analyze(other);
        for key in [
            "stored_bytes",
            "visible_bytes",
            "wasted_bytes",
            "files",
            "paths",
        ] {
            assert_eq!(r["totals"][key], t[key], "{key} of {}", other.display());
        }
        let diff_ids = |v: &serde_json::Value| -> Vec<String> {
            v["layers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["diff_id"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(diff_ids(&r), diff_ids(&reference), "{}", other.display());
    }
    // per-layer file lists carry each entry's mode, the same from every output
    let expect = [
        ("usr/bin/su", vec![(0, "added", "4755")]),
        ("srv/drop", vec![(0, "added", "1777")]),
        (
            "usr/lib/libsmall.so",
            vec![(0, "added", "0640"), (1, "removed", "0640")],
        ),
    ];
    for input in [&layout, &docker, &oci, &zstd] {
        let r = analyze_with(input, &["--files"]);
        for (path, want) in &expect {
            let want: Vec<(u64, String, String)> = want
                .iter()
                .map(|&(l, c, m)| (l, c.to_string(), m.to_string()))
                .collect();
            assert_eq!(changes_of(&r, path), want, "{path} in {}", input.display());
        }
        // etc/config: added with the umask's mode, then modified to 0600
        let config = changes_of(&r, "etc/config");
        assert_eq!(config.len(), 2, "{config:?}");
        assert_eq!(
            config[1],
            (1, "modified".to_string(), "0600".to_string()),
            "{}",
            input.display()
        );
        // the final filesystem's entries carry the mode of the last layer that wrote them
        let fs = &r["files"];
        for (path, mode) in [
            ("usr/bin/su", "4755"),
            ("srv/drop", "1777"),
            ("etc/config", "0600"),
        ] {
            assert_eq!(fs[path]["mode"], mode, "{path} in {}", input.display());
        }
        assert!(
            fs.get("usr/lib/libsmall.so").is_none(),
            "{}",
            input.display()
        );
    }
    let z = analyze(&zstd);
    assert!(
        z["layers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["compression"] == "zstd"),
        "{}",
        z["layers"]
    );
}
