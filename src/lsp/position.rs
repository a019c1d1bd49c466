//! Byte offsets <-> LSP positions (0-based line, UTF-16 code units), as the protocol's default
//! `utf-16` position encoding requires. Out-of-range positions are clamped, never rejected.

use lsp_types::{Position, Range};

/// Line starts of one text, for converting between byte offsets and LSP positions.
#[derive(Debug, Clone)]
pub struct LineMap {
    starts: Vec<usize>,
    len: usize,
}

impl LineMap {
    /// Indexes the lines of `text` (a line ends after `\n`).
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineMap {
            starts,
            len: text.len(),
        }
    }

    /// The position of byte `offset` (clamped to the text, moved back to a char boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(self.len).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character: usize = text
            .get(start..offset)
            .unwrap_or("")
            .chars()
            .map(char::len_utf16)
            .sum();
        Position::new(to_u32(line), to_u32(character))
    }

    /// The range of bytes `start..end`.
    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(self.position(text, start), self.position(text, end))
    }

    /// The byte offset of `pos`: a line past the end gives the end of the text, a character
    /// past the end of its line (or inside a surrogate pair) the end of the line (or that char).
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .copied()
            .unwrap_or(text.len());
        let line = text.get(start..end).unwrap_or("");
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            if units >= pos.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_after_non_ascii_text() {
        // é: 2 bytes, 1 unit; 日: 3 bytes, 1 unit; 🐳: 4 bytes, 2 units
        let text = "FROM a\nLABEL x=\"é日🐳\" y=1\r\nRUN true";
        let map = LineMap::new(text);
        let y = text.find("y=1").expect("y");
        assert_eq!(map.position(text, y), Position::new(1, 15));
        assert_eq!(map.offset(text, Position::new(1, 15)), y);
        let run = text.find("RUN").expect("RUN");
        assert_eq!(map.position(text, run), Position::new(2, 0));
        // every char outside line terminators round-trips
        for (i, _) in text
            .char_indices()
            .filter(|(_, c)| !matches!(c, '\r' | '\n'))
        {
            assert_eq!(map.offset(text, map.position(text, i)), i, "offset {i}");
        }
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let text = "FROM a\n🐳b\n";
        let map = LineMap::new(text);
        assert_eq!(map.offset(text, Position::new(99, 0)), text.len());
        assert_eq!(map.offset(text, Position::new(0, 99)), 6);
        // inside the surrogate pair of 🐳: the char after it
        assert_eq!(map.offset(text, Position::new(1, 1)), 11);
        assert_eq!(map.position(text, 10_000), Position::new(2, 0));
        // inside 🐳's bytes: back to its start
        assert_eq!(map.position(text, 8), Position::new(1, 0));
        assert_eq!(map.position("", 3), Position::new(0, 0));
    }
}
