//! The one token scanner outside the grammar: where the comments, texts and
//! patterns are in a piece of definition text.
//!
//! In: text that starts at a token boundary, with `\n` line ends (a
//! [`crate::source::SourceFile`] has made lone CRs into `\n`). Out: the text
//! cut into [`Piece`]s. The grammar drops comments and recurses into
//! parentheses, so whoever needs to see past it uses this scanner: the nesting
//! pre-pass (parentheses outside texts, patterns and comments), the lowering
//! (to trim comments off the end of a span), the formatter (to put comments
//! back) and the syntax-error messages (never to quote a comment as a token).
//! It follows the grammar's token rules in `grammar/lead.pest`:
//!
//! - `#` starts a comment that runs to the end of the line;
//! - `"` starts a text that ends at the next unescaped `"`; a backslash escapes
//!   any character, and an unescaped line end stops an unclosed text;
//! - `/` starts a pattern only as the first token after the word `matches`
//!   (comments between them allowed, as the grammar skips them), elsewhere it
//!   divides; a pattern ends at the next unescaped `/` and never runs past the
//!   end of its line, even through a backslash.

/// What a [`Piece`] of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `#` to the end of the line (the line end not included).
    Comment,
    /// `"..."`, quotes included (or up to the line end when unclosed).
    Text,
    /// `/.../` after `matches`, slashes included (or up to the line end).
    Pattern,
    /// A run of letters, digits and `_`.
    Word,
    /// Any other single character that is not whitespace.
    Symbol,
}

/// A token-sized piece of text: its kind and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Cut `text` into pieces, skipping whitespace.
pub fn pieces(text: &str) -> Pieces<'_> {
    Pieces {
        text,
        at: 0,
        after_matches: false,
    }
}

/// Iterator over the [`Piece`]s of a text; see [`pieces`].
pub struct Pieces<'a> {
    text: &'a str,
    at: usize,
    /// The last word was `matches` and only comments came since.
    after_matches: bool,
}

impl Iterator for Pieces<'_> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() && bytes[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
        let start = self.at;
        let first = *bytes.get(start)?;
        let (kind, end) = match first {
            b'#' => (Kind::Comment, line_end(bytes, start)),
            b'"' => (Kind::Text, skip_text(bytes, start)),
            b'/' if self.after_matches => (Kind::Pattern, skip_pattern(bytes, start)),
            b if is_word_byte(b) => {
                let len = bytes[start..]
                    .iter()
                    .position(|&b| !is_word_byte(b))
                    .unwrap_or(bytes.len() - start);
                (Kind::Word, start + len)
            }
            _ => {
                let len = self.text[start..].chars().next().map_or(1, char::len_utf8);
                (Kind::Symbol, start + len)
            }
        };
        if kind != Kind::Comment {
            self.after_matches = kind == Kind::Word && &self.text[start..end] == "matches";
        }
        self.at = end;
        Some(Piece { kind, start, end })
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Index of the `\n` ending the line that `from` is on (or the text's end).
fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| from + n)
}

/// Index just past a text opened at `open`: a backslash escapes any byte,
/// a line end stops an unclosed text (grammar: `string_inner`).
fn skip_text(bytes: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Index just past a pattern opened at `open`: a backslash escapes any byte
/// but a line end, which stops an unclosed pattern (grammar: `regex_inner`).
fn skip_pattern(bytes: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if bytes.get(i + 1).is_some_and(|&b| b != b'\n') => i += 2,
            b'\n' => return i,
            b'/' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Byte ranges of every comment: `#` to the end of its line, outside texts
/// and patterns.
pub fn comment_ranges(text: &str) -> Vec<(usize, usize)> {
    pieces(text)
        .filter(|p| p.kind == Kind::Comment)
        .map(|p| (p.start, p.end))
        .collect()
}

/// `text` less trailing whitespace and comments.
pub fn without_trailing_trivia(text: &str) -> &str {
    let end = pieces(text)
        .filter(|p| p.kind != Kind::Comment)
        .last()
        .map_or(0, |p| p.end);
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of_kind(text: &str, kind: Kind) -> Vec<&str> {
        pieces(text)
            .filter(|p| p.kind == kind)
            .map(|p| &text[p.start..p.end])
            .collect()
    }

    #[test]
    fn a_pattern_on_the_line_after_matches_is_not_a_comment() {
        let text = "t matches\n  /a|b#c/ and x > 1   # real\n  # own\n";
        assert_eq!(
            without_trailing_trivia(text),
            "t matches\n  /a|b#c/ and x > 1"
        );
        let ranges: Vec<&str> = comment_ranges(text)
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect();
        assert_eq!(ranges, vec!["# real", "# own"]);
    }

    #[test]
    fn a_comment_between_matches_and_its_pattern_is_skipped_like_the_grammar_does() {
        let text = "t matches # the list\n /(#/ or (x)";
        assert_eq!(of_kind(text, Kind::Pattern), vec!["/(#/"]);
        assert_eq!(of_kind(text, Kind::Comment), vec!["# the list"]);
        assert_eq!(of_kind(text, Kind::Symbol), vec!["(", ")"]);
    }

    #[test]
    fn a_slash_elsewhere_divides() {
        let text = "a / b # c";
        assert_eq!(of_kind(text, Kind::Symbol), vec!["/"]);
        assert_eq!(of_kind(text, Kind::Comment), vec!["# c"]);
    }

    #[test]
    fn hashes_in_texts_stay() {
        assert_eq!(without_trailing_trivia("\"a#b\"  # c"), "\"a#b\"");
        assert_eq!(of_kind(r##""a\"#(" (x"##, Kind::Text), vec![r##""a\"#(""##]);
    }

    #[test]
    fn unclosed_texts_and_patterns_stop_at_the_line_end() {
        let text = "\"open # x\n(\nmatches /ab\\\n#c";
        assert_eq!(of_kind(text, Kind::Text), vec!["\"open # x"]);
        assert_eq!(of_kind(text, Kind::Pattern), vec!["/ab\\"]);
        assert_eq!(of_kind(text, Kind::Comment), vec!["#c"]);
        assert_eq!(of_kind(text, Kind::Symbol), vec!["("]);
    }
}
