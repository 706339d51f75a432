//! A definition's source: its file name and text, line/column lookup, and the
//! bridge to miette so any diagnostic can show its snippet.
//!
//! In: bytes read from a file (or stdin, or git).
//! Out: a [`SourceFile`] shared by every stage; invalid UTF-8 becomes a
//! diagnostic (`SourceFile::from_bytes`, in [`crate::diagnostic`]).
//!
//! A line may end in LF, CRLF or a lone CR (old Mac files). A lone CR is made
//! an LF here, once, so the grammar, the token scanner, line numbers and the
//! formatter all see the same lines; the swap is byte for byte, so every
//! offset still points at the same place in the file as written.

use crate::ast::Span;

#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = lone_cr_as_lf(text.into());
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    // Decoding bytes (`SourceFile::from_bytes`) is in `crate::diagnostic`:
    // its failure is a diagnostic, and diagnostics sit above source files.

    /// 0-based line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, col + 1)
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

/// `text` with every CR that is not followed by an LF made an LF (same length).
fn lone_cr_as_lf(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    // One ASCII byte swapped for another: still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        // miette's own `str` reader counts lines from the top of the text for
        // every snippet, which makes thousands of diagnostics on a big file
        // quadratic. Hand it only the lines around the span (found through the
        // line index), then put the offsets back.
        let start = span.offset().min(self.text.len());
        let end = (span.offset() + span.len()).min(self.text.len());
        let first_line = self.line_of(start).saturating_sub(context_lines_before + 1);
        let last_line = self.line_of(end) + context_lines_after + 2;
        let from = self.line_starts[first_line];
        let to = self
            .line_starts
            .get(last_line)
            .copied()
            .unwrap_or(self.text.len());
        let window = &self.text[from..to];
        let local = miette::SourceSpan::new((start - from).into(), end - start);
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let found =
            miette::SourceSpan::new((inner.span().offset() + from).into(), inner.span().len());
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            found,
            inner.line() + first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_cr_crlf_and_lf_all_end_lines() {
        for eol in ["\n", "\r\n", "\r"] {
            let text = ["a", "bc", "", "d"].join(eol);
            let source = SourceFile::new("t", text.clone());
            assert_eq!(source.text.len(), text.len(), "offsets kept for {eol:?}");
            let d = text.rfind('d').unwrap_or_default();
            assert_eq!(source.line_col(d), (4, 1), "{eol:?}");
            let c = text.find('c').unwrap_or_default();
            assert_eq!(source.line_col(c), (2, 2), "{eol:?}");
            assert_eq!(source.text.lines().count(), 4, "{eol:?}");
        }
    }
}
