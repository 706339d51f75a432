//! The documents the editor has open: their text as typed, kept in step with
//! each edit; and a file's text whether it is open or only on disk.
//!
//! In: `didOpen` / `didChange` / `didClose` notifications (whole-text or
//! ranged changes). Out: the current text of any document, by URL. A ranged
//! change whose range runs past the text is clamped (see [`super::position`]),
//! never a panic.

use super::position::{Encoding, Lines};
use lsp_types::{TextDocumentContentChangeEvent, Url};
use std::collections::HashMap;

/// The open documents.
#[derive(Default)]
pub struct Documents {
    open: HashMap<Url, String>,
}

impl Documents {
    pub fn open(&mut self, url: Url, text: String) {
        self.open.insert(url, text);
    }

    pub fn close(&mut self, url: &Url) {
        self.open.remove(url);
    }

    /// Apply `changes`, in order, to an open document.
    pub fn change(
        &mut self,
        url: &Url,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) {
        let Some(text) = self.open.get_mut(url) else {
            return;
        };
        for change in changes {
            match change.range {
                None => *text = change.text,
                Some(range) => {
                    let span = Lines::new(text, encoding).span(range);
                    text.replace_range(span.start..span.end, &change.text);
                }
            }
        }
    }

    pub fn is_open(&self, url: &Url) -> bool {
        self.open.contains_key(url)
    }

    /// The text of `url`: as open in the editor, else as on disk; None when
    /// it is neither (or not a file).
    pub fn text(&self, url: &Url) -> Option<String> {
        if let Some(text) = self.open.get(url) {
            return Some(text.clone());
        }
        let path = url.to_file_path().ok()?;
        let bytes = std::fs::read(path).ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The name a diagnostic or a formatter calls a document by: its path when
/// it is a file, else the URL.
pub fn display_name(url: &Url) -> String {
    url.to_file_path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    #[test]
    fn ranged_changes_apply_in_order_and_clamp() {
        let url = Url::parse("untitled:a.lead").expect("a URL");
        let mut docs = Documents::default();
        docs.open(url.clone(), "let é = 1\n".into());
        let change = |l1, c1, l2, c2, t: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: t.into(),
        };
        docs.change(
            &url,
            vec![change(0, 4, 0, 5, "e2"), change(9, 0, 9, 0, "# end")],
            Encoding::Utf16,
        );
        assert_eq!(docs.text(&url).as_deref(), Some("let e2 = 1\n# end"));
    }
}
