//! Where comments and blank lines go in a sequence of entries (the items of a
//! file, the fields of a `fields` block, the lines of an example).
//!
//! In: the entries' spans and the region they sit in. Out: for each entry the
//! comments and blank lines before it and its end-of-line comment; what comes
//! after the last entry; the comment on the opening line of a block.
//!
//! Blank lines are kept (at most one), except at the start and end of a region.

use crate::ast::Span;
use crate::syntax::comments::Layout;

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Blank,
    Comment(String),
}

#[derive(Debug, Default)]
pub struct Attached {
    pub before: Vec<Piece>,
    pub eol: Option<String>,
}

impl Attached {
    /// Whether a blank line separates this entry from the previous (a comment
    /// line alone does not end a block of aligned rules).
    pub fn separated(&self) -> bool {
        self.before.contains(&Piece::Blank)
    }
}

#[derive(Debug, Default)]
pub struct Attachment {
    /// A comment on the line that opens the region (after `{`).
    pub opening: Option<String>,
    pub entries: Vec<Attached>,
    /// Comments after the last entry (blank lines before the close dropped).
    pub trailing: Vec<Piece>,
}

pub fn attach(layout: &Layout<'_>, spans: &[Span], start: usize, end: usize) -> Attachment {
    let mut out = Attachment::default();
    let mut cursor = start;
    if let Some(c) = layout
        .comments_in(start, end)
        .find(|c| !c.own_line && layout.line_of(c.start) == layout.line_of(start))
        .filter(|c| spans.first().is_none_or(|s| s.start > c.start))
    {
        out.opening = Some(c.text.clone());
        cursor = c.end;
    }
    let mut first = true;
    for (i, span) in spans.iter().enumerate() {
        let span = Span::new(span.start, layout.tight(span.end));
        let before = pieces(layout, cursor, span.start, first);
        first = false;
        let next_start = spans.get(i + 1).map_or(end, |s| s.start);
        let eol = layout
            .comments_in(span.end, next_start)
            .find(|c| !c.own_line && layout.line_of(c.start) == layout.line_of(span.end))
            .cloned();
        cursor = eol.as_ref().map_or(span.end, |c| c.end);
        out.entries.push(Attached {
            before,
            eol: eol.map(|c| c.text),
        });
    }
    let mut trailing = pieces(
        layout,
        cursor,
        end,
        spans.is_empty() && out.opening.is_none(),
    );
    while trailing.last() == Some(&Piece::Blank) {
        trailing.pop();
    }
    out.trailing = trailing;
    out
}

/// Comments on their own lines in `from..to`, with a blank line wherever the
/// author left one (none before the first thing of a region).
fn pieces(layout: &Layout<'_>, from: usize, to: usize, at_region_start: bool) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut prev = from;
    for c in layout.comments_in(from, to) {
        if layout.blank_between(prev, c.start) && !(at_region_start && out.is_empty()) {
            out.push(Piece::Blank);
        }
        out.push(Piece::Comment(c.text.clone()));
        prev = c.end;
    }
    if layout.blank_between(prev, to) && !(at_region_start && out.is_empty()) {
        out.push(Piece::Blank);
    }
    out
}
