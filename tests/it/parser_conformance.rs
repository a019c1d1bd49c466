//! BuildKit's own parser test cases (`../shared/conformance/buildkit-parser`): every positive
//! case must dump exactly as BuildKit's `result`, every negative case must be rejected.

use dlint::dockerfile::{self, ParseErrorKind, dump::buildkit_dump};
use std::path::PathBuf;

/// `None` when the shared directory is absent (see [`crate::shared`]).
fn conformance_dir() -> Option<PathBuf> {
    crate::shared::dir("conformance/buildkit-parser")
}

fn cases(kind: &str) -> Option<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(conformance_dir()?.join(kind))
        .expect("read conformance dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    Some(v)
}

#[test]
fn positive_cases_dump_like_buildkit() {
    let Some(cases) = cases("positive") else {
        return;
    };
    assert_eq!(cases.len(), 33, "expected BuildKit's 33 positive cases");
    let mut failures = Vec::new();
    for case in &cases {
        let src = std::fs::read_to_string(case.join("Dockerfile")).expect("read Dockerfile");
        let expected = std::fs::read_to_string(case.join("result")).expect("read result");
        let df = dockerfile::parse(&src);
        let got = buildkit_dump(&df);
        let syntax: Vec<_> = df
            .errors
            .iter()
            .filter(|e| e.kind == ParseErrorKind::Syntax)
            .collect();
        if got != expected || !syntax.is_empty() {
            failures.push(format!(
                "== {}\n-- expected\n{expected}-- got\n{got}-- syntax errors: {syntax:?}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn negative_cases_are_rejected() {
    let Some(cases) = cases("negative") else {
        return;
    };
    assert_eq!(cases.len(), 4);
    for case in &cases {
        let src = std::fs::read_to_string(case.join("Dockerfile")).expect("read Dockerfile");
        let df = dockerfile::parse(&src);
        assert!(
            df.errors.iter().any(|e| e.kind == ParseErrorKind::Syntax),
            "{} parsed without a syntax error: {:?}",
            case.display(),
            df.errors
        );
    }
}

/// BuildKit's `TestParseLine` expectations for `testfile-line/Dockerfile`:
/// start and end line of each instruction.
#[test]
fn line_numbers_match_buildkit() {
    let Some(dir) = conformance_dir() else { return };
    let src = std::fs::read_to_string(dir.join("line/Dockerfile")).expect("read");
    let df = dockerfile::parse(&src);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let lines: Vec<(usize, usize)> = df
        .instructions
        .iter()
        .map(|i| {
            (
                df.lines.line_col(&df.source, i.span.start).line,
                df.lines.line_col(&df.source, i.span.end).line,
            )
        })
        .collect();
    assert_eq!(lines, vec![(5, 5), (11, 12), (17, 31)]);
}
