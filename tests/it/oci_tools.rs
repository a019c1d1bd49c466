//! Set-up shared by the tests that build images with Debian's `umoci` and `skopeo`
//! (`image_family`, `image_real_tools`): whether the tools are there, running them, writing
//! files into a rootfs.
#![cfg(unix)]

use std::path::Path;
use std::process::Command;

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// True when `umoci` and `skopeo` are installed. Without them a test skips (saying so), except
/// under `CI`, where this fails: `.ci/run` installs them.
pub fn umoci_and_skopeo() -> bool {
    if have("umoci") && have("skopeo") {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "umoci and skopeo are needed in CI (.ci/run installs them)"
    );
    eprintln!("skipped: umoci or skopeo not installed (apt-get install umoci skopeo)");
    false
}

/// Runs `cmd`, failing the test with its stderr when it fails.
pub fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Writes `len` bytes of `byte` to `root/rel`, making its directories.
pub fn write(root: &Path, rel: &str, len: usize, byte: u8) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("a relative path under root")).unwrap();
    std::fs::write(p, vec![byte; len]).unwrap();
}
