//! Build-context directories measured on disk (`--context`) rather than in the image.

use crate::dockerfile::Dockerfile;
use crate::image::ledger::CONTEXT_DIRS;
use crate::optimize::{Finding, FixKind, Status, copies_context, line_of};
use std::path::Path;

/// Directories of the build context on disk that `.dockerignore` does not exclude and a
/// `COPY`/`ADD` of the built stage would bring in (skipped when the image measured them).
pub(in crate::optimize) fn context_on_disk(
    df: &Dockerfile,
    chain: &[usize],
    dir: &Path,
    measured: &[Finding],
) -> Vec<Finding> {
    let copies: Vec<usize> = chain
        .iter()
        .copied()
        .filter(|i| copies_context(df, *i))
        .collect();
    let Some(&first_copy) = copies.first() else {
        return Vec::new();
    };
    let ignore = crate::dockerfile::dockerignore::Dockerignore::parse(
        &std::fs::read_to_string(dir.join(".dockerignore")).unwrap_or_default(),
    );
    let ignored = |name: &str| ignore.excludes(name);
    let mut out = Vec::new();
    for name in CONTEXT_DIRS {
        let p = dir.join(name);
        if !p.is_dir() || ignored(name) {
            continue;
        }
        if measured
            .iter()
            .any(|f| f.rule == "context-not-ignored" && f.what.contains(&format!("brings {name} ")))
        {
            continue;
        }
        let (bytes, files) = disk_usage(&p);
        out.push(Finding {
            line: df
                .instructions
                .get(first_copy)
                .map(|i| line_of(df, i.span.start)),
            rule: "context-not-ignored".into(),
            what: format!(
                "the build context has {name}/ ({files} files, {bytes} bytes on disk) and \
                 .dockerignore does not exclude it: add `{name}`"
            ),
            bytes: None,
            share: None,
            status: Status::NotMeasured,
            note: Some("measured on disk (--context), not in the image".into()),
            layer: None,
            fix: FixKind::Manual,
            examples: Vec::new(),
        });
    }
    out
}

/// Bytes and files under a directory (symlinks not followed, at most 1M entries).
fn disk_usage(dir: &Path) -> (u64, u64) {
    let (mut bytes, mut files) = (0u64, 0u64);
    let mut stack = vec![dir.to_path_buf()];
    let mut seen = 0usize;
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            seen += 1;
            if seen > 1_000_000 {
                return (bytes, files);
            }
            let Ok(m) = e.path().symlink_metadata() else {
                continue;
            };
            if m.is_dir() {
                stack.push(e.path());
            } else if m.is_file() {
                bytes += m.len();
                files += 1;
            }
        }
    }
    (bytes, files)
}
