//! Real Dockerfiles (`../shared/corpus/dockerfiles`): every file parses without errors and
//! the AST's spans tile the file losslessly.

use dlint::dockerfile::{self, Dockerfile, Span, dump::buildkit_dump};
use std::path::PathBuf;

fn corpus() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dockerfiles");
    assert!(
        dir.is_dir(),
        "{} is missing: tests need the shared/ directory beside the repository",
        dir.display()
    );
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "SOURCES.txt"))
        .collect();
    v.sort();
    v
}

/// Checks that instructions, top-level comments and blank lines cover every byte of the
/// file except line terminators, the BOM and indentation; that they don't overlap; that each
/// piece has the shape its kind promises; and that re-parsing each instruction's text on its
/// own gives the same instruction. Returns a description of the first problem.
pub fn check_lossless(df: &Dockerfile) -> Result<(), String> {
    let src = df.source.as_str();
    let mut pieces: Vec<(Span, &str)> = Vec::new();
    for ins in &df.instructions {
        if ins.span.start != ins.keyword_span.start {
            return Err(format!(
                "instruction span {:?} does not start at its keyword",
                ins.span
            ));
        }
        pieces.push((ins.span, "instruction"));
    }
    for c in &df.comments {
        if !c.span.text(src).starts_with('#') {
            return Err(format!("comment {:?} does not start with #", c.span));
        }
        if !c.inside_instruction {
            pieces.push((c.span, "comment"));
        }
    }
    for b in &df.blank_lines {
        if !b.text(src).trim().is_empty() {
            return Err(format!("blank line {b:?} has content"));
        }
        pieces.push((*b, "blank"));
    }
    pieces.sort();
    let mut rebuilt = String::with_capacity(src.len());
    let mut pos = 0;
    for (span, kind) in &pieces {
        if span.start < pos {
            return Err(format!(
                "{kind} {span:?} overlaps the previous piece (ends {pos})"
            ));
        }
        let gap = src
            .get(pos..span.start)
            .ok_or("gap not on a char boundary")?;
        let gap_ok = gap.char_indices().all(|(i, c)| {
            matches!(c, '\n' | '\r' | ' ' | '\t') || (c == '\u{feff}' && pos + i == 0)
        });
        if !gap_ok {
            return Err(format!("uncovered text {gap:?} before {kind} {span:?}"));
        }
        if *kind != "instruction" && span.text(src).contains('\n') {
            return Err(format!("{kind} {span:?} spans several lines"));
        }
        rebuilt.push_str(gap);
        rebuilt.push_str(span.text(src));
        pos = span.end;
    }
    let tail = &src[pos.min(src.len())..];
    if !tail.chars().all(|c| matches!(c, '\n' | '\r' | ' ' | '\t')) {
        return Err(format!("uncovered text at end: {tail:?}"));
    }
    rebuilt.push_str(tail);
    if rebuilt != src {
        return Err("concatenation differs from the source".into());
    }
    // Inner pieces must sit inside their instruction.
    for ins in &df.instructions {
        for inner in ins
            .empty_continuation_lines
            .iter()
            .chain(ins.heredocs.iter().map(|h| &h.span))
            .chain(ins.flags.iter().map(|f| &f.span))
            .chain(std::iter::once(&ins.args.span))
        {
            if inner.start < ins.span.start || inner.end > ins.span.end {
                return Err(format!("{inner:?} outside its instruction {:?}", ins.span));
            }
        }
    }
    // Each instruction's text, parsed alone, gives the same instruction.
    let prefix = if df.escape == '`' { "# escape=`\n" } else { "" };
    let full = buildkit_dump(df);
    for (ins, expected) in df.instructions.iter().zip(full.lines()) {
        let alone = format!("{prefix}{}", ins.span.text(src));
        let again = dockerfile::parse(&alone);
        let dump = buildkit_dump(&again);
        if dump.trim_end() != expected || again.instructions.len() != 1 {
            return Err(format!(
                "instruction {:?} re-parsed alone gives {dump:?}, expected {expected:?}",
                ins.span
            ));
        }
    }
    Ok(())
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
    let files = corpus();
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
