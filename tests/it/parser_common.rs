//! Helpers shared by the parser integration tests.
#![allow(dead_code)]

use dlint::dockerfile::{self, Dockerfile, Span, dump::buildkit_dump};

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
