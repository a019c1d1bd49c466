//! Real Dockerfiles (`../shared/corpus/dockerfiles`): every file parses without errors and
//! the AST's spans tile the file losslessly.

use crate::parser_common;

use dlint::dockerfile;
use parser_common::check_lossless;
use std::path::PathBuf;

/// `None` when the shared directory is absent (see [`crate::shared`]).
fn corpus() -> Option<Vec<PathBuf>> {
    let dir = crate::shared::dir("corpus/dockerfiles")?;
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "SOURCES.txt"))
        .collect();
    v.sort();
    Some(v)
}

/// Corpus files BuildKit itself rejects: they must produce errors (and still be lossless).
const NOT_DOCKERFILES: &[(&str, &str)] = &[
    (
        "docker-library__mysql__Dockerfile.oracle.Dockerfile",
        "a jq template (`{{ def ... }}`) that docker-library renders into Dockerfiles",
    ),
    (
        "vimagick__dockerfiles__obs-web-arm__Dockerfile.Dockerfile",
        "`COPY --from build ...` (no `=`): BuildKit rejects `--from` without a value",
    ),
];

#[test]
fn corpus_parses_without_errors_and_losslessly() {
    let Some(files) = corpus() else { return };
    assert_eq!(files.len(), 1155, "expected the 1,155 corpus files");
    let mut failures = Vec::new();
    let mut instructions = 0;
    for f in &files {
        let bytes = std::fs::read(f).expect("read");
        let src = String::from_utf8_lossy(&bytes);
        let df = dockerfile::parse(&src);
        instructions += df.instructions.len();
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if NOT_DOCKERFILES.iter().any(|(n, _)| *n == name) {
            if df.errors.is_empty() {
                failures.push(format!("{}: template accepted without errors", f.display()));
            }
        } else {
            for e in &df.errors {
                let pos = df.lines.line_col(&df.source, e.span.start);
                failures.push(format!(
                    "{}:{}:{}: {}",
                    f.display(),
                    pos.line,
                    pos.column,
                    e.message
                ));
            }
        }
        if let Err(msg) = check_lossless(&df) {
            failures.push(format!("{}: not lossless: {msg}", f.display()));
        }
    }
    assert!(
        instructions > 10_000,
        "suspiciously few instructions: {instructions}"
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn lossless_check_catches_a_bad_span() {
    let mut df = dockerfile::parse("FROM a\nRUN echo hi \\\n  there\n");
    assert!(check_lossless(&df).is_ok());
    df.instructions[1].span.end -= 3;
    assert!(check_lossless(&df).is_err());
    let mut df = dockerfile::parse("FROM a\n# c\n\nRUN x\n");
    df.comments.clear();
    assert!(check_lossless(&df).is_err());
}
