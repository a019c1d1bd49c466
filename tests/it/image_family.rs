//! `dlint image A B C`: the layers a family of images shares. The images are built by real
//! tools: Debian's `umoci` makes a base and three images on it in one OCI layout (two add a
//! layer each, one is the base re-tagged), and `skopeo` exports each as an archive (one with
//! zstd layers: the same diff_id, another blob).
#![cfg(unix)]

use crate::oci_tools::{run, umoci_and_skopeo, write};
use assert_cmd::Command;
use std::path::Path;
use std::process::Command as Proc;

/// Unpacks `tag`, lets `change` edit its rootfs, repacks it.
fn layer_on(layout: &Path, dir: &Path, tag: &str, change: impl FnOnce(&Path)) {
    let image = format!("{}:{tag}", layout.display());
    let bundle = dir.join(format!("bundle-{tag}"));
    run(Proc::new("umoci")
        .args(["unpack", "--rootless", "--image", &image])
        .arg(&bundle));
    change(&bundle.join("rootfs"));
    run(Proc::new("umoci")
        .args(["repack", "--image", &image, "--history.created_by"])
        .arg(format!("RUN make {tag}"))
        .arg(&bundle));
}

fn dlint(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("dlint")
        .unwrap()
        .arg("image")
        .args(["--no-config", "--no-cache"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn shared_layers_of_a_family_built_by_umoci() {
    if !umoci_and_skopeo() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let layout = d.join("layout");
    let at = |tag: &str| format!("{}:{tag}", layout.display());
    run(Proc::new("umoci").args(["init", "--layout"]).arg(&layout));
    run(Proc::new("umoci").args(["new", "--image", &at("base")]));
    layer_on(&layout, d, "base", |r| {
        write(r, "usr/lib/libbase.so", 400_000, 1)
    });
    for tag in ["api", "worker", "same"] {
        run(Proc::new("umoci").args(["tag", "--image", &at("base"), tag]));
    }
    layer_on(&layout, d, "api", |r| write(r, "app/api", 30_000, 2));
    layer_on(&layout, d, "worker", |r| write(r, "app/worker", 50_000, 3));
    let export = |tag: &str, extra: &[&str]| {
        let out = d.join(format!("{tag}.tar"));
        run(Proc::new("skopeo")
            .args(["--insecure-policy", "copy", "-q"])
            .args(extra)
            .arg(format!("oci:{}", at(tag)))
            .arg(format!("oci-archive:{}:{tag}", out.display())));
        out.to_str().unwrap().to_string()
    };
    let api = export("api", &[]);
    let worker = export(
        "worker",
        &["--dest-compress-format", "zstd", "--dest-compress"],
    );
    let same = export("same", &[]);
    let out = dlint(&["-f", "json", &api, &worker, &same]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // each image alone, for the figures the family report must agree with
    let alone = |p: &str| -> serde_json::Value {
        let o = dlint(&["-f", "json", p]);
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let (a, w, s) = (alone(&api), alone(&worker), alone(&same));
    let base = &a["layers"][0];
    assert_eq!(
        base["diff_id"], w["layers"][0]["diff_id"],
        "zstd: same diff_id"
    );
    assert_ne!(
        base["digest"], w["layers"][0]["digest"],
        "zstd: another blob"
    );
    let shared = v["shared"].as_array().unwrap();
    assert_eq!(shared.len(), 1, "{v:#}");
    assert_eq!(shared[0]["diff_id"], base["diff_id"]);
    assert_eq!(
        shared[0]["in_images"],
        serde_json::json!([[0, 0], [1, 0], [2, 0]])
    );
    let size = base["uncompressed_size"].as_u64().unwrap();
    assert!(size > 400_000);
    assert_eq!(shared[0]["bytes_saved"], size * 2);
    let sum: u64 = [&a, &w, &s]
        .iter()
        .map(|r| r["totals"]["uncompressed_size"].as_u64().unwrap())
        .sum();
    let t = &v["totals"];
    assert_eq!(t["uncompressed_size"], sum);
    assert_eq!(t["shared_bytes"], size * 2);
    assert_eq!(t["distinct_layers"], 3);
    let own = |i: usize| v["images"][i]["own_bytes"].as_u64().unwrap();
    assert_eq!(
        own(0),
        a["layers"][1]["uncompressed_size"].as_u64().unwrap()
    );
    assert_eq!(
        own(1),
        w["layers"][1]["uncompressed_size"].as_u64().unwrap()
    );
    assert_eq!(own(2), 0, "the re-tagged base owns nothing");
    // text and markdown say the same
    let text = String::from_utf8(dlint(&[&api, &worker, &same]).stdout).unwrap();
    assert!(text.contains("1 shared layer\n"), "{text}");
    assert!(text.contains("#1:0 #2:0 #3:0"), "{text}");
    let md = String::from_utf8(dlint(&["-f", "markdown", &api, &worker, &same]).stdout).unwrap();
    assert!(md.contains("### Shared layers of 3 images"), "{md}");
    assert!(md.contains("| diff_id | size | saved |"), "{md}");
    // one image has no markdown report; several have no html
    assert_eq!(dlint(&["-f", "markdown", &api]).status.code(), Some(2));
    assert_eq!(dlint(&["-f", "html", &api, &same]).status.code(), Some(2));
}
