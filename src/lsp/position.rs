//! Byte offsets ↔ LSP positions (line, column), in the encoding agreed at
//! `initialize`.
//!
//! In: a document's text and a byte offset, or an LSP [`Position`]. Out: the
//! other one. LSP counts columns in UTF-16 code units unless the client offers
//! UTF-8 (which this server then prefers, as it is what spans hold). A line ends
//! at LF, CRLF or a lone CR, as in [`crate::source::SourceFile`] and the LSP
//! specification alike. Positions past a line's end or the text's end are
//! clamped, never a panic: a client may send any position.

use crate::ast::Span;
use lsp_types::{Position, Range};

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// A text's line starts, to convert positions both ways.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        Lines {
            text,
            starts,
            encoding,
        }
    }

    /// The byte range of line `line` without its line end.
    fn line_range(&self, line: usize) -> (usize, usize) {
        let start = self.starts[line];
        let mut end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        (start, end)
    }

    /// The position of byte `offset` (clamped to the text, moved back to a
    /// character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let (start, end) = self.line_range(line);
        let column = &self.text[start..offset.min(end).max(start)];
        Position::new(line as u32, self.width(column) as u32)
    }

    /// The byte offset of `pos`; a column past the line's end is its end, a
    /// line past the last is the text's end.
    pub fn offset(&self, pos: Position) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return self.text.len();
        }
        let (start, end) = self.line_range(line);
        let mut units = 0usize;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= pos.character as usize {
                return start + i;
            }
            units += match self.encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
        }
        end
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    pub fn span(&self, range: Range) -> Span {
        let start = self.offset(range.start);
        Span::new(start, self.offset(range.end).max(start))
    }

    /// The width of `text` in the agreed units.
    pub fn width(&self, text: &str) -> usize {
        match self.encoding {
            Encoding::Utf8 => text.len(),
            Encoding::Utf16 => text.encode_utf16().count(),
        }
    }

    /// The end of the text, as a position.
    pub fn end(&self) -> Position {
        self.position(self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_surrogate_pairs_and_utf8_counts_bytes() {
        let text = "a\"é😀\"b\r\nx\ry";
        let b = text.find('b').unwrap_or_default();
        let utf16 = Lines::new(text, Encoding::Utf16);
        assert_eq!(utf16.position(b), Position::new(0, 6));
        assert_eq!(utf16.offset(Position::new(0, 6)), b);
        let utf8 = Lines::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(b), Position::new(0, 9));
        assert_eq!(utf8.offset(Position::new(0, 9)), b);
        // CRLF and a lone CR both end a line.
        let y = text.find('y').unwrap_or_default();
        assert_eq!(utf16.position(y), Position::new(2, 0));
        assert_eq!(
            utf16.offset(Position::new(1, 0)),
            text.find('x').unwrap_or(0)
        );
    }

    #[test]
    fn positions_out_of_range_are_clamped() {
        let text = "ab\ncd";
        let lines = Lines::new(text, Encoding::Utf16);
        assert_eq!(lines.offset(Position::new(0, 99)), 2);
        assert_eq!(lines.offset(Position::new(7, 0)), text.len());
        assert_eq!(lines.position(999), Position::new(1, 2));
        // Inside a multi-byte character: the start of that character.
        let wide = Lines::new("é", Encoding::Utf8);
        assert_eq!(wide.position(1), Position::new(0, 0));
        assert_eq!(wide.offset(Position::new(0, 1)), 2);
    }
}
