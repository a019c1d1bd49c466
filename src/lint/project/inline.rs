//! Positions of an inline Dockerfile (`dockerfile_inline: |`) in the build file that holds it.
//!
//! A YAML literal block scalar is the build file's lines with their indentation removed, so a
//! position in the inline text maps to the same line of the block (plus its first line) and the
//! same column (plus the indentation). The map is only made when every line of the text is
//! found so in the file; otherwise positions stay in the inline text.

use crate::dockerfile::Span;
use crate::lint::{Diagnostic, Edit};

/// Maps byte offsets of an inline Dockerfile to byte offsets of the build file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineMap {
    /// The build file's text.
    file: String,
    /// Per line of the inline text: its start in the inline text, its start in the file
    /// (indentation skipped) and the file line's end.
    lines: Vec<(usize, usize, usize)>,
    /// The block's indentation (a fix's new lines get it).
    indent: usize,
}

impl InlineMap {
    /// Finds `text` as a literal block scalar (`key: |`, `|-`, `|+`, after `key`) in `file`.
    /// `nth` chooses among identical blocks (the nth build with this text).
    pub fn find(file: &str, key: &str, text: &str, nth: usize) -> Option<InlineMap> {
        let file_lines: Vec<(usize, &str)> = line_starts(file);
        let inline_lines: Vec<(usize, &str)> = line_starts(text);
        let mut seen = 0;
        for (i, (_, line)) in file_lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let Some(rest) = trimmed.strip_prefix(key) else {
                continue;
            };
            let rest = rest.trim_start_matches([' ', '"', '\'']);
            let Some(indicator) = rest.strip_prefix(':').map(str::trim) else {
                continue;
            };
            if !matches!(indicator, "|" | "|-" | "|+") {
                continue;
            }
            if let Some(map) = Self::block_at(file, &file_lines[i + 1..], &inline_lines) {
                if seen == nth {
                    return Some(map);
                }
                seen += 1;
            }
        }
        None
    }

    /// The map when the lines after the key are the inline lines, indented alike.
    fn block_at(
        file: &str,
        block: &[(usize, &str)],
        inline: &[(usize, &str)],
    ) -> Option<InlineMap> {
        let first = block.iter().find(|(_, l)| !l.trim().is_empty())?.1;
        let indent = first.len() - first.trim_start_matches(' ').len();
        if indent == 0 || block.len() < inline.len() {
            return None;
        }
        let mut lines = Vec::with_capacity(inline.len());
        for ((fstart, fline), (istart, iline)) in block.iter().zip(inline) {
            let body = fline.get(indent..).unwrap_or("");
            let blank = iline.is_empty() && fline.trim().is_empty();
            if body != *iline && !blank {
                return None;
            }
            let end = fstart + fline.len();
            lines.push((*istart, (fstart + indent).min(end), end));
        }
        Some(InlineMap {
            file: file.to_string(),
            lines,
            indent,
        })
    }

    /// The build file's text.
    pub fn file_text(&self) -> &str {
        &self.file
    }

    /// The file offset of inline offset `at`.
    pub fn offset(&self, at: usize) -> usize {
        let i = self.lines.partition_point(|(s, _, _)| *s <= at).max(1) - 1;
        match self.lines.get(i) {
            Some((istart, fstart, fend)) => (fstart + (at - istart)).min(*fend + 1),
            None => at,
        }
        .min(self.file.len())
    }

    /// A span of the inline text as a span of the file.
    pub fn span(&self, s: Span) -> Span {
        Span::new(
            self.offset(s.start),
            self.offset(s.end).max(self.offset(s.start)),
        )
    }

    /// A finding on the inline text as a finding on the file (its fix edits too, their new
    /// lines indented as the block).
    pub fn diagnostic(&self, mut d: Diagnostic) -> Diagnostic {
        d.span = self.span(d.span);
        if let Some(fix) = &mut d.fix {
            let newline = format!("\n{}", " ".repeat(self.indent));
            for Edit { span, replacement } in &mut fix.edits {
                *span = self.span(*span);
                *replacement = replacement.replace('\n', &newline);
            }
        }
        d
    }
}

/// Each line's start offset and text (without its `\n` or `\r\n`).
fn line_starts(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let body = body.strip_suffix('\r').unwrap_or(body);
        out.push((start, body));
        start += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "services:\n  web:\n    build:\n      dockerfile_inline: |\n        FROM alpine\n\n        RUN apk add curl\n";

    #[test]
    fn maps_lines_and_columns_of_a_literal_block() {
        let text = "FROM alpine\n\nRUN apk add curl\n";
        let map = InlineMap::find(FILE, "dockerfile_inline", text, 0).expect("found");
        let run = text.find("apk").expect("apk");
        let at = map.offset(run);
        assert_eq!(FILE.get(at..at + 3), Some("apk"));
        assert_eq!(FILE.get(map.offset(0)..map.offset(4)), Some("FROM"));
    }

    #[test]
    fn no_map_when_the_text_differs() {
        assert!(InlineMap::find(FILE, "dockerfile_inline", "FROM debian\n", 0).is_none());
        assert!(InlineMap::find(FILE, "dockerfile_inline", "FROM alpine\n", 1).is_none());
    }
}
