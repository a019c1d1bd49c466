//! Byte spans into the original source and line/column lookup.

use serde::Serialize;

/// A half-open byte range `[start, end)` into the original Dockerfile source
/// (including any BOM, CRLF line endings and continuation characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// Creates a span; `end` is clamped to be at least `start`.
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Slice of `src` covered by this span (empty when out of range).
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.start..self.end).unwrap_or("")
    }
}

/// 1-based line and column. Columns count Unicode scalar values, as editors do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Maps byte offsets to line/column positions.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset where each line starts; always starts with 0.
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Builds the index for `src`. A line ends after `\n` (so CRLF counts once).
    pub fn new(src: &str) -> Self {
        let mut line_starts = vec![0];
        for (i, b) in src.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i + 1);
            }
        }
        LineIndex { line_starts }
    }

    /// Line/column of a byte offset (offsets past the end map to the last position).
    pub fn line_col(&self, src: &str, offset: usize) -> LineCol {
        let offset = offset.min(src.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = src
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start)
            + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Byte offset where the 1-based `line` starts, if it exists.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line.checked_sub(1)?).copied()
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// Maps offsets in a logical (continuation-joined) string back to source offsets.
///
/// Built from segments: each segment says "logical bytes `[logical, logical+len)` come
/// from source bytes `[source, source+len)`". Logical text that has no source counterpart
/// (none is produced today) maps to the nearest preceding source offset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceMap {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
struct Segment {
    logical: usize,
    source: usize,
    len: usize,
}

impl SourceMap {
    /// Appends a segment; segments must be pushed in increasing logical order.
    pub fn push(&mut self, logical: usize, source: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.segments.last_mut()
            && last.logical + last.len == logical
            && last.source + last.len == source
        {
            last.len += len;
            return;
        }
        self.segments.push(Segment {
            logical,
            source,
            len,
        });
    }

    /// A map for text copied verbatim from `source_start`.
    pub fn identity(source_start: usize, len: usize) -> Self {
        let mut m = SourceMap::default();
        m.push(0, source_start, len);
        m
    }

    /// Source offset for a logical offset.
    pub fn to_source(&self, logical: usize) -> usize {
        let idx = match self.segments.binary_search_by(|s| s.logical.cmp(&logical)) {
            Ok(i) => i,
            Err(0) => return self.segments.first().map(|s| s.source).unwrap_or(0),
            Err(i) => i - 1,
        };
        let s = self.segments[idx];
        if logical <= s.logical + s.len {
            s.source + (logical - s.logical)
        } else {
            s.source + s.len
        }
    }

    /// The map of the logical range `start..end`, rebased so that `start` becomes 0.
    pub fn slice(&self, start: usize, end: usize) -> SourceMap {
        let mut m = SourceMap::default();
        let first = match self.segments.binary_search_by(|s| s.logical.cmp(&start)) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        };
        for seg in self.segments.iter().skip(first) {
            if seg.logical >= end {
                break;
            }
            let s = seg.logical.max(start);
            let e = (seg.logical + seg.len).min(end);
            if s < e {
                m.push(s - start, seg.source + (s - seg.logical), e - s);
            }
        }
        m
    }

    /// True when the map has no segments.
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// Source span for a logical span.
    pub fn span_to_source(&self, start: usize, end: usize) -> Span {
        let s = self.to_source(start);
        let e = if end > start {
            self.to_source(end - 1) + 1
        } else {
            s
        };
        Span::new(s, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars() {
        let src = "ab\nçd\r\nx";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_col(src, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(src, 3), LineCol { line: 2, column: 1 });
        assert_eq!(idx.line_col(src, 5), LineCol { line: 2, column: 2 });
        assert_eq!(idx.line_col(src, 8), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn source_map_joins_segments() {
        // "RUN a \\\n b" -> logical "a  b": 'a ' at 4..6, ' b' at 8..10
        let mut m = SourceMap::default();
        m.push(0, 4, 2);
        m.push(2, 8, 2);
        assert_eq!(m.to_source(0), 4);
        assert_eq!(m.to_source(2), 8);
        assert_eq!(m.span_to_source(1, 4), Span::new(5, 10));
    }
}

/// A change to source text: replace the bytes of `span` with `replacement` (what fixes are
/// made of).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// The bytes replaced (empty for an insertion).
    pub span: Span,
    /// The new text.
    pub replacement: String,
}
