//! `dlint explore` in a real pseudo-terminal (util-linux `script` allocates it): opens a test
//! image, moves down the layers, switches to the tree, filters, and quits with exit code 0.

use dlint::image::testkit::{self, ImageSpec, LayerBuilder};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn opens_navigates_filters_and_quits() {
    let has_script = Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        eprintln!("skipping: util-linux `script` not installed");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .file_size("etc/config", 1000)
                .file_size("usr/lib/libbig.so", 50_000)
                .build(),
            "ADD base /",
        )
        .layer(
            LayerBuilder::new().file_size("app/main", 9_000).build(),
            "COPY . /app",
        )
        .tag("pty/test:1");
    let img = d.path().join("t.tar");
    std::fs::write(&img, testkit::to_tar(&testkit::docker_blobs(&[spec]))).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("dlint");
    let cmd = format!(
        "stty cols 100 rows 30; exec {} explore {} --no-config",
        bin.display(),
        img.display()
    );
    let mut child = Command::new("script")
        .args(["-qefc", &cmd, "/dev/null"])
        .env("TERM", "xterm-256color")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // j: next layer; Tab: the tree; /main Enter: filter; q: quit
    for keys in ["j", "\t", "/main\r", "j", "q"] {
        std::thread::sleep(Duration::from_millis(700));
        stdin.write_all(keys.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
    // wait at most 20 s
    let mut waited = 0;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(waited < 200, "dlint explore did not quit");
        std::thread::sleep(Duration::from_millis(100));
        waited += 1;
    };
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        status.code(),
        Some(0),
        "{screen}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(screen.contains("Layers"), "{screen}");
    assert!(
        screen.contains("[filter: main]"),
        "the filter was applied: {screen}"
    );
}
