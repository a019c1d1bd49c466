//! `dlint image` end to end: text and JSON output (snapshot), gates from flags and `.dlint.yaml`.

use assert_cmd::Command;
use dlint::image::Compression;
use dlint::image::testkit::{self, ImageSpec, LayerBuilder};
use std::path::{Path, PathBuf};

fn build(dir: &Path) -> PathBuf {
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .compress(Compression::Gzip)
                .dir("etc")
                .file_size("etc/config", 1000)
                .dir("var/lib/apt/lists")
                .file_size("var/lib/apt/lists/main_Packages", 4000)
                .file_size("tmp/build.o", 3000)
                .build(),
            "/bin/sh -c #(nop) ADD file:0123 in / ",
        )
        .empty("/bin/sh -c #(nop)  ENV A=1")
        .layer(
            LayerBuilder::new()
                .compress(Compression::Zstd)
                .whiteout("tmp")
                .file_size("etc/config", 1200)
                .build(),
            "RUN /bin/sh -c rm -rf /tmp && make config # buildkit",
        )
        .tag("example/cli:1");
    let p = dir.join("cli.tar");
    std::fs::write(&p, testkit::to_tar(&testkit::docker_blobs(&[spec]))).unwrap();
    p
}

fn dlint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("dlint").unwrap();
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

#[test]
fn json_snapshot() {
    let d = tempfile::tempdir().unwrap();
    build(d.path());
    let out = dlint(d.path())
        .args(["image", "cli.tar", "--format", "json", "--no-config"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["totals"]["wasted_bytes"], 4000);
    assert_eq!(v["totals"]["visible_bytes"], 5200);
    assert!(v.get("files").is_none(), "final fs only with --files");
    insta::assert_snapshot!("image_json", text);
}

#[test]
fn json_files_flag_lists_final_filesystem() {
    let d = tempfile::tempdir().unwrap();
    build(d.path());
    let out = dlint(d.path())
        .args(["image", "cli.tar", "-f", "json", "--files", "--no-config"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = v["files"].as_object().unwrap();
    let keys: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec![
            "etc",
            "etc/config",
            "var/lib/apt/lists",
            "var/lib/apt/lists/main_Packages"
        ]
    );
    assert_eq!(files["etc/config"]["size"], 1200);
    assert_eq!(files["etc/config"]["layer"], 1);
}

#[test]
fn text_output() {
    let d = tempfile::tempdir().unwrap();
    build(d.path());
    let out = dlint(d.path())
        .args(["image", "cli.tar", "--dive-compat", "--no-config"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
    insta::assert_snapshot!("image_text", text);
}

#[test]
fn gates_from_flags() {
    let d = tempfile::tempdir().unwrap();
    build(d.path());
    let run = |args: &[&str]| {
        let out = dlint(d.path())
            .args(["image", "cli.tar", "--no-config"])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // wasted 4000 of 9200 stored bytes = 43.48 %, efficiency 0.5652
    let (code, err) = run(&["--max-wasted", "3000"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("gate max-wasted failed: 4.0 kB wasted, 1.0 kB over the limit of 3.0 kB"),
        "{err}"
    );
    let (code, err) = run(&["--max-wasted", "40%"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("43.48% wasted, 3.48 points over the limit of 40%"),
        "{err}"
    );
    let (code, err) = run(&["--min-efficiency", "60%"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("efficiency is 0.5652, 0.0348 below the minimum of 0.6"),
        "{err}"
    );
    let (code, err) = run(&["--max-size", "1KB", "--max-layer-size", "20KiB"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("gate max-size failed"), "{err}");
    assert!(!err.contains("max-layer-size"), "{err}");
    let (code, err) = run(&["--max-layer-size", "5KB"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("layer 0 (ADD file:0123 in /)"), "{err}");
    let (code, _) = run(&[
        "--max-wasted",
        "50%",
        "--min-efficiency",
        "0.5",
        "--max-size",
        "1MB",
    ]);
    assert_eq!(code, Some(0));
    let (code, err) = run(&["--max-size", "lots"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("invalid size"), "{err}");
}

#[test]
fn gates_from_config_file() {
    let d = tempfile::tempdir().unwrap();
    build(d.path());
    std::fs::write(
        d.path().join(".dlint.yaml"),
        "failure-threshold: warning\nimage:\n  max-wasted: 10%\n  min-efficiency: 0.5\n",
    )
    .unwrap();
    let out = dlint(d.path()).args(["image", "cli.tar"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("gate max-wasted failed"), "{err}");
    assert!(!err.contains("min-efficiency"), "{err}");
    // flags override the file
    let out = dlint(d.path())
        .args(["image", "cli.tar", "--max-wasted", "90%"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // the lint engine accepts the same file
    std::fs::write(d.path().join("Dockerfile"), "FROM scratch\n").unwrap();
    let out = dlint(d.path())
        .args(["lint", "Dockerfile"])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(2), "{out:?}");
    // a bad gate value is a config error naming the file
    std::fs::write(d.path().join(".dlint.yaml"), "image:\n  max-size: huge\n").unwrap();
    let out = dlint(d.path()).args(["image", "cli.tar"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(".dlint.yaml") && err.contains("image.max-size"),
        "{err}"
    );
}

fn keys(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, child) in m {
                out.insert(k.clone());
                match (k.as_str(), child) {
                    // the final filesystem is keyed by path: only its values have fields
                    ("files", serde_json::Value::Object(files)) => {
                        files.values().for_each(|f| keys(f, out))
                    }
                    _ => keys(child, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| keys(i, out)),
        _ => {}
    }
}

#[test]
fn docs_schema_names_every_json_field() {
    let page =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/image.md")).unwrap();
    let start = page
        .find("## JSON schema (`--format json`")
        .expect("docs/image.md has the image JSON schema");
    let block = &page[start..];
    let block = &block[..block.find("\n## ").unwrap_or(block.len())];
    let d = tempfile::tempdir().unwrap();
    build(d.path());
    let out = dlint(d.path())
        .args(["image", "cli.tar", "-f", "json", "--files", "--no-config"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut all = std::collections::BTreeSet::new();
    keys(&v, &mut all);
    let missing: Vec<&String> = all
        .iter()
        .filter(|k| !k.contains('/') && !block.contains(k.as_str()))
        .collect();
    assert!(missing.is_empty(), "docs/image.md schema lacks {missing:?}");
}

/// A progress bar on stderr for a large image, only when stderr is a terminal: `script` runs
/// dlint on a pseudo-terminal; with stderr piped nothing but the report is written.
#[test]
#[cfg(target_os = "linux")] // util-linux `script`
fn progress_bar_only_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // over the 64 MiB threshold, uncompressed so building it stays quick
    let spec = ImageSpec::new().layer(
        LayerBuilder::new()
            .compress(Compression::None)
            .file_size("blob", 70 << 20)
            .build(),
        "ADD blob /",
    );
    let p = dir.path().join("big.tar");
    std::fs::write(&p, testkit::to_tar(&testkit::oci(&[spec], false))).unwrap();
    let piped = dlint(dir.path())
        .args(["image", "--no-config"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(piped.status.code(), Some(0), "{piped:?}");
    assert!(piped.stderr.is_empty(), "{piped:?}");
    let bin = assert_cmd::cargo::cargo_bin("dlint");
    let cmd = format!("{} image --no-config {}", bin.display(), p.display());
    let Ok(tty) = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("NO_COLOR", "1")
        .output()
    else {
        panic!("`script` (util-linux) is needed to run dlint on a terminal");
    };
    let out = String::from_utf8_lossy(&tty.stdout);
    assert!(tty.status.success(), "{tty:?}");
    // "{bytes}/{total_bytes}" of the bar, then the report
    assert!(out.contains("MiB/70.00 MiB"), "no progress bar in: {out:?}");
    assert!(out.contains("visible bytes"), "{out}");
}

/// `dlint image … | head`: the reader closing the pipe is not an error.
#[test]
fn closed_stdout_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = build(dir.path());
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dlint"))
        .args(["image", "--no-config", "-f", "json", "--files"])
        .arg(&p)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn closed_stdout_text_and_compare() {
    // `dlint image X | head` once head has exited: the reader is gone before dlint writes
    let d = tempfile::tempdir().unwrap();
    build(d.path());
    for args in [
        &["image", "cli.tar", "--no-config"][..],
        &["compare", "cli.tar", "cli.tar"],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dlint"))
            .current_dir(d.path())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}
