//! Formatting with `qualify fmt`, the whole document or a range of lines.
//!
//! In: a document's text and, for range formatting, the range asked for.
//! Out: text edits. The formatted text is [`crate::fmt::format_text`]'s, so
//! the editor writes exactly what `qualify fmt` would. A range gets only the
//! changed lines that touch it (a line diff of the whole formatted text), so
//! the rest of the file stays as it is. Text that does not parse is left
//! alone (its diagnostics say why); a refusal of the formatter is an error.

use super::documents::display_name;
use super::position::{Encoding, Lines};
use crate::ast::Span;
use crate::fmt::{format_text, FmtError};
use lsp_types as lsp;

pub fn format(
    url: &lsp::Url,
    text: &str,
    range: Option<lsp::Range>,
    encoding: Encoding,
) -> Result<Option<Vec<lsp::TextEdit>>, String> {
    let formatted = match format_text(&display_name(url), text) {
        Ok(formatted) => formatted,
        Err(FmtError::Syntax(_)) => return Ok(None),
        Err(FmtError::Internal(why)) => return Err(format!("qualify fmt refused: {why}")),
    };
    let lines = Lines::new(text, encoding);
    if formatted == text {
        return Ok(Some(Vec::new()));
    }
    // A lone CR ends a line for the editor but not for the line diff: format
    // the whole text then (it becomes LF, as `qualify fmt` writes).
    let Some(range) = range.filter(|_| !has_lone_cr(text)) else {
        let whole = lsp::Range::new(lsp::Position::new(0, 0), lines.end());
        return Ok(Some(vec![lsp::TextEdit::new(whole, formatted)]));
    };
    Ok(Some(changed_lines(text, &formatted, range, &lines)))
}

fn has_lone_cr(text: &str) -> bool {
    let bytes = text.as_bytes();
    (0..bytes.len()).any(|i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

/// The hunks of a line diff from `old` to `new` whose old lines touch `range`.
fn changed_lines(old: &str, new: &str, range: lsp::Range, lines: &Lines<'_>) -> Vec<lsp::TextEdit> {
    let diff = similar::TextDiff::from_lines(old, new);
    let old_lines = diff.old_slices();
    let new_lines = diff.new_slices();
    let mut starts = vec![0usize];
    for l in old_lines {
        starts.push(starts.last().copied().unwrap_or(0) + l.len());
    }
    let (first, last) = (range.start.line as usize, range.end.line as usize);
    let mut edits = Vec::new();
    for op in diff.ops() {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        // A block replaced line for line is cut into its lines, so a range
        // takes only its own lines of it (aligning a rule realigns its block).
        let pieces: Vec<_> = if old_range.len() == new_range.len() {
            old_range
                .clone()
                .zip(new_range.clone())
                .map(|(o, n)| (o..o + 1, n..n + 1))
                .collect()
        } else {
            vec![(old_range, new_range)]
        };
        for (old_range, new_range) in pieces {
            // An insertion touches the line it goes before.
            let touches = old_range.start <= last && old_range.end.max(old_range.start + 1) > first;
            if !touches || old_lines[old_range.clone()] == new_lines[new_range.clone()] {
                continue;
            }
            let span = Span::new(starts[old_range.start], starts[old_range.end]);
            let text: String = new_lines[new_range].concat();
            edits.push(lsp::TextEdit::new(lines.range(span), text));
        }
    }
    edits
}
