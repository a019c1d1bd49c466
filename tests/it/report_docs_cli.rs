//! `dlint completions` and `dlint man`.

use assert_cmd::Command;

fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("dlint")
        .expect("binary")
        .args(args)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = run(&["completions", shell]);
        for word in ["dlint", "hook", "format", "stdin-filename"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
        // Shells that complete option values know the report formats.
        if shell != "powershell" {
            assert!(
                script.contains("sarif"),
                "{shell} completion lacks format values"
            );
        }
    }
    // The bash script is valid bash.
    let script = run(&["completions", "bash"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("dlint.bash");
    std::fs::write(&path, script).expect("write");
    if let Ok(st) = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
    {
        assert!(st.success(), "bash -n rejects the completion script");
    }
    Command::cargo_bin("dlint")
        .expect("binary")
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

#[test]
fn man_pages() {
    let page = run(&["man"]);
    assert!(page.contains(".TH dlint 1"), "{page}");
    assert!(page.contains("hook"));
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("man1");
    run(&["man", "--out-dir", out.to_str().expect("utf-8 path")]);
    let lint = std::fs::read_to_string(out.join("dlint-lint.1")).expect("dlint-lint.1");
    assert!(lint.contains("stdin\\-filename"), "{lint}");
    assert!(out.join("dlint-hook.1").exists());
}
