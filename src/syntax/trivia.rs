//! Where the comments are in a piece of definition text.
//!
//! In: text that starts at a token boundary. Out: the byte range of every `#`
//! comment. The grammar drops comments, so the lowering (to trim them off the
//! end of a span) and the formatter (to put them back) find them here, with one
//! scanner that knows the only places where `#` does not start a comment:
//! inside a string and inside a `matches /.../` pattern, even when the pattern
//! is on the line after `matches`.

/// Byte ranges of every comment: `#` to the end of its line, outside strings
/// and patterns. A `/` starts a pattern only right after the word `matches`
/// (the grammar allows a pattern nowhere else); elsewhere it divides.
pub fn comment_ranges(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut last_word = String::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                out.push((i, end));
                i = end;
            }
            b'"' => {
                i = skip_quoted(bytes, i, b'"');
                last_word.clear();
            }
            b'/' if last_word == "matches" => {
                i = skip_quoted(bytes, i, b'/');
                last_word.clear();
            }
            b if b.is_ascii_alphanumeric() || b == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                last_word = text[start..i].to_string();
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                last_word.clear();
                i += 1;
            }
        }
    }
    out
}

/// Index just past a literal opened by `quote` at `open`: backslash escapes
/// the next byte; a literal never runs past the end of its line.
fn skip_quoted(bytes: &[u8], open: usize, quote: u8) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// `text` less trailing whitespace and comments.
pub fn without_trailing_trivia(text: &str) -> &str {
    let comments = comment_ranges(text);
    let mut end = text.trim_end().len();
    while let Some(&(start, _)) = comments.iter().find(|(s, e)| *s < end && end <= *e) {
        end = text[..start].trim_end().len();
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn hashes_in_strings_stay() {
        assert_eq!(without_trailing_trivia("\"a#b\"  # c"), "\"a#b\"");
    }
}
