//! The shared data directory (corpus, BuildKit conformance tables) that some tests need:
//! `$DLINT_SHARED`, or `../shared` beside the repository. When it is absent those tests fail,
//! unless skipping is asked for explicitly with `DLINT_SKIP_SHARED=1`.

use std::path::{Path, PathBuf};

/// `sub` inside the shared directory, or `None` (after printing why the test is skipped) when
/// it is absent and `DLINT_SKIP_SHARED=1`. Panics when it is absent otherwise.
pub fn dir(sub: &str) -> Option<PathBuf> {
    let root = std::env::var_os("DLINT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let dir = root.join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        skip_requested(std::env::var("DLINT_SKIP_SHARED").ok().as_deref()),
        "{}: the shared data is absent: set DLINT_SHARED to the shared directory, or \
         DLINT_SKIP_SHARED=1 to skip the tests that need it",
        dir.display()
    );
    eprintln!(
        "skipping: {} is absent and DLINT_SKIP_SHARED=1",
        dir.display()
    );
    None
}

/// Only `DLINT_SKIP_SHARED=1` asks for skipping (not `0`, not empty, not unset).
fn skip_requested(value: Option<&str>) -> bool {
    value == Some("1")
}

#[test]
fn skipping_must_be_asked_for() {
    assert!(skip_requested(Some("1")));
    for v in [None, Some(""), Some("0"), Some("true ")] {
        assert!(!skip_requested(v), "{v:?}");
    }
}
