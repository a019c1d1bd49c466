//! No Rust source file under `src/` or `tests/` is over 800 lines (CONTRIBUTING.md: small
//! modules). The test names every file over the limit with its length.

use crate::module_graph::rust_files;
use std::path::{Path, PathBuf};

/// The most lines a `.rs` file may have.
const MAX_LINES: usize = 800;

/// Every `.rs` file below each of `dirs` with more than `max` lines, with its line count.
fn long_files(dirs: &[PathBuf], max: usize) -> Vec<(PathBuf, usize)> {
    let mut files = Vec::new();
    for d in dirs {
        rust_files(d, &mut files);
    }
    files
        .into_iter()
        .filter_map(|p| {
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let n = text.lines().count();
            (n > max).then_some((p, n))
        })
        .collect()
}

#[test]
fn no_rust_file_over_800_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs = [root.join("src"), root.join("tests")];
    let mut seen = Vec::new();
    for d in &dirs {
        rust_files(d, &mut seen);
    }
    assert!(
        seen.iter().any(|p| p.ends_with("tests/it/file_lengths.rs")),
        "the walk did not reach tests/it ({} files)",
        seen.len()
    );
    let long = long_files(&dirs, MAX_LINES);
    let list: Vec<String> = long
        .iter()
        .map(|(p, n)| {
            let rel = p.strip_prefix(root).unwrap_or(p);
            format!("  {}: {n} lines", rel.display())
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines (split them into modules):\n{}",
        list.join("\n")
    );
}

#[test]
fn a_file_one_line_over_is_named() {
    let d = tempfile::tempdir().unwrap();
    let nested = d.path().join("a/b");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(nested.join("long.rs"), "x\n".repeat(MAX_LINES + 1)).unwrap();
    std::fs::write(d.path().join("exact.rs"), "x\n".repeat(MAX_LINES)).unwrap();
    std::fs::write(d.path().join("long.txt"), "x\n".repeat(MAX_LINES * 2)).unwrap();
    let long = long_files(&[d.path().to_path_buf()], MAX_LINES);
    assert_eq!(long, vec![(nested.join("long.rs"), MAX_LINES + 1)]);
}
