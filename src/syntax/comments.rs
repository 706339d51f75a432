//! Comments and blank lines, recovered from the source text.
//!
//! In: the text of a definition that parsed. Out: every `#` comment with its
//! byte range and whether it stands on a line of its own, plus line lookups.
//!
//! The grammar drops comments (pest's `COMMENT` is silent), so they are found
//! again by [`crate::syntax::trivia`]. Here, below the tools, because `fmt`
//! keeps the comments and `lint` reads the `# allow:` ones.

/// One `# ...` comment.
#[derive(Debug, Clone)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
    /// The comment as written, without trailing spaces.
    pub text: String,
    /// Nothing but spaces before it on its line.
    pub own_line: bool,
}

/// The source text with its comments and line starts.
pub struct Layout<'a> {
    pub text: &'a str,
    pub comments: Vec<Comment>,
    line_starts: Vec<usize>,
}

impl<'a> Layout<'a> {
    pub fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut layout = Layout {
            text,
            comments: Vec::new(),
            line_starts,
        };
        layout.comments = crate::syntax::trivia::comment_ranges(text)
            .into_iter()
            .map(|(start, end)| Comment {
                start,
                end,
                text: text[start..end].trim_end().to_string(),
                own_line: text[layout.line_start(start)..start].trim().is_empty(),
            })
            .collect();
        layout
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    fn line_start(&self, offset: usize) -> usize {
        self.line_starts[self.line_of(offset)]
    }

    /// Where a syntax node really ends. A node's span may run on over the
    /// spaces and comments after it (pest keeps the trivia it skipped before
    /// an optional part that was not there); this steps back over them.
    pub fn tight(&self, end: usize) -> usize {
        let mut pos = end.min(self.text.len());
        loop {
            let trimmed = self.text[..pos].trim_end().len();
            // Comments are in text order and do not overlap: the only one
            // that can hold `trimmed` is the last starting before it.
            let before = self.comments.partition_point(|c| c.start < trimmed);
            match before
                .checked_sub(1)
                .map(|i| &self.comments[i])
                .filter(|c| trimmed <= c.end)
            {
                Some(c) => pos = c.start,
                None => return trimmed,
            }
        }
    }

    /// Whether a blank line separates offset `a` (a tight end) from `b`, the
    /// start of the next thing.
    pub fn blank_between(&self, a: usize, b: usize) -> bool {
        a < b && self.line_of(b) > self.line_of(a) + 1
    }

    /// Whether a line break lies between the end `a` of something and `b`.
    pub fn break_between(&self, a: usize, b: usize) -> bool {
        let a = self.tight(a);
        a < b && self.line_of(b) > self.line_of(a)
    }

    /// Comments starting in `start..end`.
    pub fn comments_in(&self, start: usize, end: usize) -> impl Iterator<Item = &Comment> {
        let first = self.comments.partition_point(|c| c.start < start);
        self.comments[first..]
            .iter()
            .take_while(move |c| c.start < end)
    }

    /// Whether any comment lies strictly inside `start..end`.
    pub fn has_comment_inside(&self, start: usize, end: usize) -> bool {
        self.comments_in(start, self.tight(end)).next().is_some()
    }

    /// Whether `lines` carry exactly the comments written inside `start..end`
    /// (a node's span), in the same order.
    pub fn keeps_comments(&self, start: usize, end: usize, lines: &[String]) -> bool {
        let written: Vec<&str> = self
            .comments_in(start, self.tight(end))
            .map(|c| c.text.as_str())
            .collect();
        if written.is_empty() {
            return true;
        }
        let joined = lines.join("\n");
        let rendered = Layout::new(&joined);
        let kept: Vec<&str> = rendered.comments.iter().map(|c| c.text.as_str()).collect();
        written == kept
    }

    /// The text of `start..end` as written: the first line from `start`, the
    /// following lines with their own indentation, trailing spaces removed.
    pub fn verbatim(&self, start: usize, end: usize) -> Vec<String> {
        self.text[start..self.tight(end).max(start)]
            .lines()
            .map(|l| l.trim_end().to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inside_strings_and_patterns_are_not_comments() {
        let text =
            "criterion \"a#b\" when x matches /#1|\\/#/ # real\n# own\nlet n = a / b # div\n";
        let layout = Layout::new(text);
        let found: Vec<(&str, bool)> = layout
            .comments
            .iter()
            .map(|c| (c.text.as_str(), c.own_line))
            .collect();
        assert_eq!(
            found,
            vec![("# real", false), ("# own", true), ("# div", false)]
        );
    }

    #[test]
    fn blank_lines_are_counted_between_offsets() {
        let layout = Layout::new("a\n\nb\nc");
        assert!(layout.blank_between(0, 3));
        assert!(!layout.blank_between(3, 5));
        assert!(layout.break_between(3, 5));
    }
}
