//! `dlint compare` end to end on two small images built in code: a Debian-like one (dpkg status
//! database, a Python package, an apt cache, a deleted file) written as a `docker save` archive,
//! and an Alpine-like one (apk installed database, node and Python packages, an overwritten
//! file) written as an OCI layout directory. Both share their base layer.

use assert_cmd::Command;
use dlint::image::Compression;
use dlint::image::testkit::{self, ImageSpec, Layer, LayerBuilder};
use serde_json::Value;
use std::path::Path;

const DPKG: &str = "Package: base-files\nStatus: install ok installed\nVersion: 12.4+deb12u5\nInstalled-Size: 347\n\
Description: Debian base system\n miscellaneous files\n\n\
Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9+deb12u4\nInstalled-Size: 12985\n\n\
Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13.dfsg-1\nInstalled-Size: 168\n\n\
Package: removed\nStatus: deinstall ok config-files\nVersion: 1.0\nInstalled-Size: 99\n";

const APK: &str = "C:Q1x=\nP:musl\nV:1.2.5-r10\nA:x86_64\nI:696320\n\n\
C:Q1y=\nP:zlib1g\nV:1.3.1-r2\nI:102400\n\n\
C:Q1z=\nP:busybox\nV:1.37.0-r12\nI:798720\n";

/// A gzip layer with its parent directories, like `docker build` writes.
fn layer() -> LayerBuilder {
    LayerBuilder::new().compress(Compression::Gzip).parents()
}

fn base() -> Layer {
    layer()
        .file_size("app/main.py", 1000)
        .file_size("etc/os-release", 100)
        .build()
}

fn image_a() -> ImageSpec {
    let dist = "usr/lib/python3/dist-packages";
    let install = layer()
        .file("var/lib/dpkg/status", DPKG.as_bytes())
        .file_size("usr/lib/libc.so.6", 20_000)
        .file_size("var/lib/apt/lists/deb_Packages", 5000)
        .file_size("usr/bin/tool", 3000)
        .file(
            &format!("{dist}/six-1.16.0.dist-info/METADATA"),
            b"Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n",
        )
        .file(
            &format!("{dist}/six-1.16.0.dist-info/RECORD"),
            b"six.py,sha256=a,500\nsix-1.16.0.dist-info/METADATA,sha256=b,49\nsix-1.16.0.dist-info/RECORD,,\n",
        )
        .file_size(&format!("{dist}/six.py"), 500)
        .build();
    ImageSpec::new()
        .tag("example/debian:1")
        .layer(base(), "COPY app /app")
        .layer(
            install,
            "RUN /bin/sh -c apt-get update && apt-get install -y libc6 python3-six",
        )
        .layer(
            layer().whiteout("usr/bin/tool").build(),
            "RUN /bin/sh -c rm /usr/bin/tool",
        )
}

fn image_b() -> ImageSpec {
    let site = "usr/lib/python3.12/site-packages";
    let install = layer()
        .file("lib/apk/db/installed", APK.as_bytes())
        .file_size("lib/ld-musl-x86_64.so.1", 6000)
        .file_size("etc/os-release", 180)
        .file(
            &format!("{site}/six-1.17.0.dist-info/METADATA"),
            b"Metadata-Version: 2.1\nName: six\nVersion: 1.17.0\n",
        )
        .file(
            &format!("{site}/six-1.17.0.dist-info/RECORD"),
            b"six.py,sha256=a,700\n",
        )
        .file_size(&format!("{site}/six.py"), 700)
        .file(
            "app/node_modules/left-pad/package.json",
            br#"{"name":"left-pad","version":"1.3.0"}"#,
        )
        .file_size("app/node_modules/left-pad/index.js", 400)
        .build();
    ImageSpec::new()
        .tag("example/alpine:1")
        .layer(base(), "COPY app /app")
        .layer(install, "RUN apk add --no-cache musl py3-six nodejs")
}

/// Sum of the layers' stored blobs (gzip).
fn compressed(img: &ImageSpec) -> u64 {
    img.layers.iter().map(|l| l.blob.len() as u64).sum()
}

/// Sum of the layers' uncompressed tars.
fn uncompressed(img: &ImageSpec) -> u64 {
    img.layers.iter().map(|l| l.tar.len() as u64).sum()
}

struct Fixture {
    dir: tempfile::TempDir,
    a: ImageSpec,
    b: ImageSpec,
}

/// `a.tar`: A as a Docker 25+ `docker save` archive; `b-oci` and `a-oci`: OCI layout directories.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (image_a(), image_b());
    let docker = testkit::to_tar(&testkit::docker_blobs(std::slice::from_ref(&a)));
    std::fs::write(dir.path().join("a.tar"), docker).unwrap();
    testkit::to_dir(
        &testkit::oci(std::slice::from_ref(&b), false),
        &dir.path().join("b-oci"),
    )
    .unwrap();
    testkit::to_dir(
        &testkit::oci(std::slice::from_ref(&a), false),
        &dir.path().join("a-oci"),
    )
    .unwrap();
    Fixture { dir, a, b }
}

fn dlint(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("dlint")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .assert()
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

fn json(dir: &Path, a: &str, b: &str) -> Value {
    let out = dlint(dir, &["compare", a, b, "--format", "json"]).success();
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn every_number() {
    let f = fixture();
    let v = json(f.dir.path(), "a.tar", "b-oci");
    let t = &v["totals"];
    let (ca, ua) = (compressed(&f.a), uncompressed(&f.a));
    let (cb, ub) = (compressed(&f.b), uncompressed(&f.b));
    assert_eq!(t["compressed"]["a"], ca);
    assert_eq!(t["compressed"]["b"], cb);
    assert_eq!(t["uncompressed"]["a"], ua);
    assert_eq!(t["uncompressed"]["b"], ub);
    assert_eq!(t["uncompressed"]["diff"], ub as i64 - ua as i64);
    assert_eq!(t["layers"]["a"], 3);
    assert_eq!(t["layers"]["b"], 2);
    // A: main.py, os-release, status, libc, apt list, six METADATA, RECORD, six.py (tool deleted).
    assert_eq!(t["files"]["a"], 8);
    // B: main.py, os-release, installed, ld-musl, METADATA, RECORD, six.py, package.json, index.js.
    assert_eq!(t["files"]["b"], 9);
    assert_eq!(t["wasted"]["a"], 3000, "usr/bin/tool deleted by a whiteout");
    assert_eq!(t["wasted"]["b"], 100, "etc/os-release overwritten");
    // the final filesystem's visible bytes: every file but the deleted tool (A) and the
    // overwritten os-release copy (B)
    let meta = |v: &str| format!("Metadata-Version: 2.1\nName: six\nVersion: {v}\n").len();
    let visible_a = 1000 + 100 + DPKG.len() + 20_000 + 5000 + meta("1.16.0") + 500;
    let record_a = "six.py,sha256=a,500\nsix-1.16.0.dist-info/METADATA,sha256=b,49\nsix-1.16.0.dist-info/RECORD,,\n";
    assert_eq!(t["visible"]["a"], (visible_a + record_a.len()) as u64);
    let package_json = r#"{"name":"left-pad","version":"1.3.0"}"#;
    let visible_b = 1000
        + 180
        + APK.len()
        + 6000
        + meta("1.17.0")
        + "six.py,sha256=a,700\n".len()
        + 700
        + package_json.len()
        + 400;
    assert_eq!(t["visible"]["b"], visible_b as u64);
    assert_eq!(v["identical_content"], false);

    let l = &v["layers"];
    assert_eq!(l["shared"], 1);
    assert_eq!(l["common_prefix"], 1);
    assert_eq!(l["shared_bytes"], f.a.layers[0].tar.len() as u64);
    assert_eq!(l["a"][0]["shared"], true);
    assert_eq!(l["a"][0]["diff_id"], f.a.layers[0].diff_id.as_str());
    assert_eq!(l["b"][0]["diff_id"], f.a.layers[0].diff_id.as_str());
    assert_eq!(l["a"][1]["shared"], false);
    assert_eq!(
        l["b"][1]["created_by"],
        "RUN apk add --no-cache musl py3-six nodejs"
    );
    assert_eq!(
        l["a"][2]["created_by"], "RUN rm /usr/bin/tool",
        "BuildKit prefix cleaned"
    );

    // Size by directory (depth 1), sorted by absolute difference.
    let dirs: Vec<(String, u64, u64)> = v["directories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["a"].as_u64().unwrap(),
                d["b"].as_u64().unwrap(),
            )
        })
        .collect();
    let status = DPKG.len() as u64;
    let apk = APK.len() as u64;
    let six_a_meta = "Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n".len() as u64;
    let six_a_record = "six.py,sha256=a,500\nsix-1.16.0.dist-info/METADATA,sha256=b,49\nsix-1.16.0.dist-info/RECORD,,\n".len() as u64;
    let six_b_meta = six_a_meta;
    let six_b_record = "six.py,sha256=a,700\n".len() as u64;
    let pkg_json = r#"{"name":"left-pad","version":"1.3.0"}"#.len() as u64;
    let usr_a = 20_000 + 500 + six_a_meta + six_a_record;
    let usr_b = 700 + six_b_meta + six_b_record;
    let mut expected = vec![
        ("/usr".to_string(), usr_a, usr_b),
        ("/var".to_string(), 5000 + status, 0),
        ("/lib".to_string(), 0, 6000 + apk),
        ("/app".to_string(), 1000, 1000 + 400 + pkg_json),
        ("/etc".to_string(), 100, 180),
    ];
    expected.sort_by_key(|(_, a, b)| std::cmp::Reverse((*a as i64 - *b as i64).unsigned_abs()));
    assert_eq!(dirs, expected);

    // OS packages.
    let o = &v["os_packages"];
    assert_eq!(o["a_db"], "dpkg");
    assert_eq!(o["b_db"], "apk");
    assert_eq!(
        o["count"]["a"], 3,
        "config-files-only package is not installed"
    );
    assert_eq!(o["count"]["b"], 3);
    assert_eq!(o["size"]["a"], (347 + 12_985 + 168) * 1024);
    assert_eq!(o["size"]["b"], 696_320 + 102_400 + 798_720);
    let names = |x: &Value| {
        x.as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&o["only_a"]), ["base-files", "libc6"]);
    assert_eq!(names(&o["only_b"]), ["busybox", "musl"]);
    assert_eq!(o["only_a"][1]["size"], 12_985 * 1024);
    assert_eq!(o["only_b"][1]["size"], 696_320);
    assert_eq!(o["changed"][0]["name"], "zlib1g");
    assert_eq!(o["changed"][0]["a_version"], "1:1.2.13.dfsg-1");
    assert_eq!(o["changed"][0]["b_version"], "1.3.1-r2");
    assert_eq!(o["same"], 0);

    // Language packages: python (six changed, bytes from RECORD measured in the final fs), node.
    let lp = v["lang_packages"].as_array().unwrap();
    assert_eq!(lp.len(), 2);
    assert_eq!(lp[0]["ecosystem"], "python");
    assert_eq!(lp[0]["changed"][0]["name"], "six");
    assert_eq!(lp[0]["changed"][0]["a_version"], "1.16.0");
    assert_eq!(lp[0]["changed"][0]["b_version"], "1.17.0");
    assert_eq!(lp[0]["bytes"]["a"], 500 + six_a_meta + six_a_record);
    assert_eq!(lp[0]["bytes"]["b"], 700);
    assert_eq!(lp[1]["ecosystem"], "node");
    assert_eq!(lp[1]["only_b"][0]["name"], "left-pad");
    assert_eq!(lp[1]["only_b"][0]["version"], "1.3.0");
    assert_eq!(lp[1]["only_b"][0]["size"], 400 + pkg_json);

    // Files.
    let fl = &v["files"];
    assert_eq!(fl["only_a_count"], 6);
    assert_eq!(
        fl["only_a_bytes"],
        20_000 + 5000 + status + 500 + six_a_meta + six_a_record
    );
    assert_eq!(fl["only_b_count"], 7);
    assert_eq!(
        fl["only_b_bytes"],
        6000 + apk + 700 + six_b_meta + six_b_record + pkg_json + 400
    );
    assert_eq!(fl["changed_count"], 1);
    assert_eq!(fl["same_count"], 1);
    assert_eq!(fl["only_a"][0]["path"], "/usr/lib/libc.so.6");
    assert_eq!(fl["only_a"][0]["size"], 20_000);
    assert_eq!(fl["only_a"][0]["layer"], 1);
    assert_eq!(fl["only_b"][0]["path"], "/lib/ld-musl-x86_64.so.1");
    assert_eq!(fl["changed"][0]["path"], "/etc/os-release");
    assert_eq!(fl["changed"][0]["diff"], 80);

    // Caches.
    assert_eq!(v["caches"]["bytes"]["a"], 5000);
    assert_eq!(v["caches"]["bytes"]["b"], 0);
    assert_eq!(v["caches"]["a"][0]["path"], "/var/lib/apt/lists");
    assert_eq!(v["caches"]["a"][0]["layer"], 1);
    assert_eq!(v["max_growth"], Value::Null);
}

#[test]
fn same_image_in_two_formats_is_identical() {
    let f = fixture();
    let v = json(f.dir.path(), "a.tar", "a-oci");
    assert_eq!(v["identical_content"], true);
    assert_eq!(v["totals"]["uncompressed"]["diff"], 0);
    assert_eq!(v["files"]["only_a_count"], 0);
    assert_eq!(v["files"]["only_b_count"], 0);
    assert_eq!(v["files"]["changed_count"], 0);
    assert_eq!(v["os_packages"]["same"], 3);
    let out = dlint(f.dir.path(), &["compare", "a.tar", "a-oci"]).success();
    assert!(stdout(&out).contains("Identical content: same 3 layers"));
}

#[test]
fn max_growth_gate() {
    let f = fixture();
    let (ua, ub) = (uncompressed(&f.a), uncompressed(&f.b));
    // Fixture: B is smaller than A, so A as the candidate grows.
    assert!(ua > ub);
    let growth = ua - ub;
    let pct = growth as f64 * 100.0 / ub as f64;
    let ok_bytes = growth.to_string();
    let bad_bytes = (growth - 1).to_string();
    dlint(
        f.dir.path(),
        &["compare", "b-oci", "a.tar", "--max-growth", &ok_bytes],
    )
    .code(0);
    let out = dlint(
        f.dir.path(),
        &[
            "compare",
            "b-oci",
            "a.tar",
            "--max-growth",
            &bad_bytes,
            "--format",
            "json",
        ],
    )
    .code(1);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("max-growth") && err.contains("FAILED"),
        "{err}"
    );
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["max_growth"]["exceeded"], true);
    assert_eq!(v["max_growth"]["size"]["diff"], growth);
    let just_under = format!("{}%", (pct - 0.01).max(0.0));
    let above = format!("{}%", pct + 0.01);
    dlint(
        f.dir.path(),
        &["compare", "b-oci", "a.tar", "--max-growth", &just_under],
    )
    .code(1);
    dlint(
        f.dir.path(),
        &["compare", "b-oci", "a.tar", "--max-growth", &above],
    )
    .code(0);
    // Shrinking always passes.
    dlint(
        f.dir.path(),
        &["compare", "a.tar", "b-oci", "--max-growth", "0%"],
    )
    .code(0);
    dlint(
        f.dir.path(),
        &["compare", "a.tar", "b-oci", "--max-growth", "lots"],
    )
    .code(2);
}

#[test]
fn bad_input_names_the_file() {
    let f = fixture();
    std::fs::write(f.dir.path().join("junk.tar"), b"not a tar at all").unwrap();
    let out = dlint(f.dir.path(), &["compare", "a.tar", "junk.tar"]).code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("junk.tar"), "{err}");
    let out = dlint(f.dir.path(), &["compare", "missing.tar", "a.tar"]).code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("missing.tar"), "{err}");
}

#[test]
fn output_file_and_formats_golden() {
    let f = fixture();
    for (fmt, name) in [
        ("text", "text"),
        ("json", "json"),
        ("markdown", "markdown"),
        ("html", "html"),
    ] {
        let out = dlint(
            f.dir.path(),
            &["compare", "a.tar", "b-oci", "--format", fmt, "--depth", "2"],
        )
        .success();
        let s = stdout(&out);
        insta::assert_snapshot!(format!("cli_{name}"), s);
        // -o writes the same document.
        let file = format!("out.{name}");
        dlint(
            f.dir.path(),
            &[
                "compare", "a.tar", "b-oci", "--format", fmt, "--depth", "2", "-o", &file,
            ],
        )
        .success();
        assert_eq!(
            std::fs::read_to_string(f.dir.path().join(&file)).unwrap(),
            s
        );
    }
}

#[test]
fn platform_per_side() {
    let dir = tempfile::tempdir().unwrap();
    let amd = ImageSpec::new().platform("linux/amd64").layer(
        LayerBuilder::new().file_size("bin/app", 1000).build(),
        "COPY app /bin/app",
    );
    let arm = ImageSpec::new().platform("linux/arm64").layer(
        LayerBuilder::new().file_size("bin/app", 1500).build(),
        "COPY app /bin/app",
    );
    testkit::to_dir(&testkit::oci(&[amd, arm], false), &dir.path().join("multi")).unwrap();
    let out = dlint(
        dir.path(),
        &[
            "compare",
            "multi",
            "multi",
            "--platform-a",
            "linux/amd64",
            "--platform-b",
            "linux/arm64",
            "--format",
            "json",
        ],
    )
    .success();
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["files"]["changed"][0]["path"], "/bin/app");
    assert_eq!(v["files"]["changed"][0]["a"], 1000);
    assert_eq!(v["files"]["changed"][0]["b"], 1500);
    // --platform applies to both sides: the same image.
    let out = dlint(
        dir.path(),
        &[
            "compare",
            "multi",
            "multi",
            "--platform",
            "linux/arm64",
            "--format",
            "json",
        ],
    )
    .success();
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["identical_content"], true);
    // Without a platform, an index with two is an error naming what is there.
    let out = dlint(
        dir.path(),
        &["compare", "multi", "multi", "--platform", "linux/s390x"],
    )
    .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("linux/arm64"), "{err}");
}
