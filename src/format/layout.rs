//! The file-level layout: directives, comments, blank lines and instructions in order, with
//! the blank-line policy applied (groups of one keyword, a blank line between groups) and the
//! file's line ending kept.

use super::Mode;
use crate::dockerfile::{Dockerfile, Keyword};

/// A top-level piece of the file.
enum Unit {
    Blank,
    /// A parser directive or comment line (trimmed).
    Line(String),
    /// A comment line (trimmed): attached to the instruction below it.
    Comment(String),
    /// An instruction's lines and its keyword.
    Instruction(Vec<String>, Keyword),
}

/// Formats the whole file.
pub(super) fn layout(df: &Dockerfile, mode: Mode, posix: &[bool]) -> String {
    let src = df.source.as_str();
    let nl = if src.contains("\r\n") { "\r\n" } else { "\n" };
    let bom = if df.bom { "\u{feff}" } else { "" };
    let units = units(df, mode, posix);

    let first_text = units.iter().position(|u| !matches!(u, Unit::Blank));
    // a blank line before a comment that reads like a directive stops it being one: keep it
    let keep_leading_blank = match first_text.and_then(|i| units.get(i).map(|u| (i, u))) {
        Some((i, Unit::Comment(t))) => i > 0 && looks_like_directive(t),
        _ => false,
    };
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    if keep_leading_blank {
        out.push(Unit::Blank);
    }
    for u in units {
        match u {
            Unit::Blank => {
                if !out.is_empty() && !matches!(out.last(), Some(Unit::Blank)) {
                    out.push(Unit::Blank);
                }
            }
            Unit::Instruction(lines, keyword) => {
                // the comment lines right above belong to it
                let mut k = out.len();
                while k > 0 && matches!(out[k - 1], Unit::Comment(_)) {
                    k -= 1;
                }
                let attached = k < out.len();
                let previous = out[..k].iter().rev().find(|u| !matches!(u, Unit::Blank));
                match previous {
                    // same keyword as the instruction just above, no comment: one group
                    Some(Unit::Instruction(_, p)) if *p == keyword && !attached => {
                        while matches!(out.last(), Some(Unit::Blank)) {
                            out.pop();
                        }
                    }
                    Some(Unit::Instruction(_, p)) if *p == keyword => {}
                    // a new group: one blank line above it and its comments
                    _ => {
                        if k > 0 && !matches!(out[k - 1], Unit::Blank) {
                            out.insert(k, Unit::Blank);
                        }
                    }
                }
                out.push(Unit::Instruction(lines, keyword));
            }
            u => out.push(u),
        }
    }
    while matches!(out.last(), Some(Unit::Blank)) {
        out.pop();
    }
    let mut text = String::with_capacity(src.len() + 64);
    text.push_str(bom);
    for u in &out {
        match u {
            Unit::Blank => text.push_str(nl),
            Unit::Line(l) | Unit::Comment(l) => {
                text.push_str(l);
                text.push_str(nl);
            }
            Unit::Instruction(lines, _) => {
                for l in lines {
                    text.push_str(l);
                    text.push_str(nl);
                }
            }
        }
    }
    text
}

/// `#` then a name and `=`, as BuildKit's directive pattern reads it.
fn looks_like_directive(comment: &str) -> bool {
    let rest = comment.trim_start_matches('#').trim_start();
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    name_len > 0
        && rest.starts_with(|c: char| c.is_ascii_alphabetic())
        && rest[name_len..].trim_start().starts_with('=')
}

/// The file cut into units, line by line.
fn units(df: &Dockerfile, mode: Mode, posix: &[bool]) -> Vec<Unit> {
    let src = df.source.as_str();
    let mut units = Vec::new();
    let mut pos = if df.bom { '\u{feff}'.len_utf8() } else { 0 };
    let mut next = 0;
    while pos < src.len() {
        let line_end = src[pos..].find('\n').map_or(src.len(), |i| pos + i);
        let line = &src[pos..line_end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(inst) = df.instructions.get(next)
            && inst.span.start <= line_end
        {
            let is_posix = posix.get(next).copied().unwrap_or(false);
            next += 1;
            let lines = super::instruction::render(df, inst, mode, is_posix);
            units.push(Unit::Instruction(lines, inst.keyword));
            let end = inst.span.end.max(pos);
            pos = src[end..].find('\n').map_or(src.len(), |i| end + i + 1);
            continue;
        }
        let t = line.trim();
        let is_directive = df
            .directives
            .iter()
            .any(|d| d.span.start >= pos && d.span.start <= line_end);
        units.push(if t.is_empty() {
            Unit::Blank
        } else if is_directive || !t.starts_with('#') {
            Unit::Line(t.to_string())
        } else {
            Unit::Comment(t.to_string())
        });
        pos = line_end + 1;
    }
    units
}
