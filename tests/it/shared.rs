//! The shared data directory (corpus, BuildKit conformance tables) that some tests need:
//! `$DLINT_SHARED`, or `../shared` beside the repository. When it is absent those tests are
//! skipped with a message, except under CI (`CI=true`), where they fail.

use std::path::{Path, PathBuf};

/// `sub` inside the shared directory, or `None` (after printing why the test is skipped) when
/// it is absent. Panics under `CI=true` when it is absent.
pub fn dir(sub: &str) -> Option<PathBuf> {
    let root = std::env::var_os("DLINT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let dir = root.join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{}: the shared data is required under CI (set DLINT_SHARED)",
        dir.display()
    );
    eprintln!(
        "skipping: {} is absent (set DLINT_SHARED to the shared directory)",
        dir.display()
    );
    None
}
