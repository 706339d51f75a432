//! A definition's source: its file name and text, line/column lookup, and the
//! bridge to miette so any diagnostic can show its snippet.
//!
//! In: bytes read from a file (or stdin, or git).
//! Out: a [`SourceFile`] shared by every stage; invalid UTF-8 becomes a diagnostic.

use crate::ast::Span;
use crate::diagnostic::{Code, Diagnostic};

#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// Decode bytes as UTF-8. On failure the text keeps the valid prefix and the
    /// diagnostic points at the first bad byte.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> (Self, Option<Diagnostic>) {
        match String::from_utf8(bytes) {
            Ok(text) => (SourceFile::new(name, text), None),
            Err(err) => {
                let at = err.utf8_error().valid_up_to();
                let bytes = err.into_bytes();
                let lossy = String::from_utf8_lossy(&bytes).into_owned();
                let source = SourceFile::new(name, lossy);
                let (line, col) = source.line_col(at);
                let diag = Diagnostic::error(
                    Code::InvalidUtf8,
                    Span::new(at, at + 1),
                    format!("the file is not valid UTF-8 (line {line}, column {col})"),
                )
                .label("this byte is not UTF-8")
                .help("save the file as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)");
                (source, Some(diag))
            }
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
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

impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}
