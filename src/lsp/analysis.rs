//! A definition and its companion examples file, loaded and checked together
//! the way `qualify check` does.
//!
//! In: the open documents (or the disk) and the URL of either file. Out: an
//! [`Analysis`]: each file's source, syntax tree and diagnostics, and the
//! checked model. The definition goes through [`crate::load::load`], its
//! examples run with [`crate::load::add_example_failures`], and the companion
//! `NAME.examples.lead` through [`crate::suite::load_examples`] with its
//! failing examples reported on the example, so the editor shows exactly the
//! codes, spans and hints `check` prints.

use super::documents::{display_name, Documents};
use crate::ast::Definition;
use crate::diagnostic::Diagnostic;
use crate::load::{add_example_failures, example_failures, load};
use crate::model::Model;
use crate::source::SourceFile;
use crate::suite::{companion_path, definition_path, load_examples};
use lsp_types::Url;
use std::sync::Arc;

/// One file of a definition: its text as checked, its tree, its findings.
pub struct FileState {
    pub url: Url,
    pub source: Arc<SourceFile>,
    /// None when the text does not parse.
    pub ast: Option<Definition>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A definition with its companion examples file.
pub struct Analysis {
    /// None when only an examples file is open and its definition is nowhere.
    pub definition: Option<FileState>,
    pub companion: Option<FileState>,
    /// The checked model, when the definition has no error.
    pub model: Option<Model>,
}

impl Analysis {
    pub fn files(&self) -> impl Iterator<Item = &FileState> {
        self.definition.iter().chain(self.companion.iter())
    }

    pub fn file(&self, url: &Url) -> Option<&FileState> {
        self.files().find(|f| &f.url == url)
    }
}

/// The definition's URL for either file (`x.examples.lead` → `x.lead`).
pub fn definition_url(url: &Url) -> Url {
    with_path(url, &definition_path(url.path()))
}

/// The companion's URL of a definition (`x.lead` → `x.examples.lead`).
pub fn companion_url(definition: &Url) -> Option<Url> {
    companion_path(definition.path()).map(|p| with_path(definition, &p))
}

fn with_path(url: &Url, path: &str) -> Url {
    let mut out = url.clone();
    out.set_path(path);
    out
}

/// What an analysis is computed from: the texts of a definition and of its
/// examples file, as open or on disk. Equal inputs give an equal analysis,
/// which is how the server knows it can keep the last one.
#[derive(Clone, PartialEq)]
pub struct Inputs {
    definition: (Url, Option<String>),
    companion: Option<(Url, String)>,
}

/// The inputs of the definition `url` belongs to.
pub fn inputs(docs: &Documents, url: &Url) -> Inputs {
    let def_url = definition_url(url);
    let companion = companion_url(&def_url).and_then(|u| docs.text(&u).map(|t| (u, t)));
    let text = docs.text(&def_url);
    Inputs {
        definition: (def_url, text),
        companion,
    }
}

/// Load and check a definition and its examples file, with the examples run
/// at `as_of` (days since 1970).
pub fn analyze(inputs: Inputs, as_of: i32) -> Analysis {
    let Inputs {
        definition: (def_url, def_text),
        companion,
    } = inputs;
    let Some(def_text) = def_text else {
        return Analysis {
            definition: None,
            companion: companion.map(|(u, t)| parsed_only(u, t)),
            model: None,
        };
    };
    let mut loaded = load(&display_name(&def_url), def_text.into_bytes());
    add_example_failures(&mut loaded, as_of);
    let companion = companion.map(|(u, text)| match &loaded.model {
        None => parsed_only(u, text),
        Some(model) => {
            let mut file = load_examples(model, &display_name(&u), text.into_bytes());
            let failures = example_failures(model, &file.examples, as_of);
            file.diagnostics.extend(failures);
            FileState {
                ast: crate::syntax::parse(&file.source).ok(),
                url: u,
                source: file.source,
                diagnostics: file.diagnostics,
            }
        }
    });
    Analysis {
        definition: Some(FileState {
            url: def_url,
            source: loaded.source,
            ast: loaded.ast,
            diagnostics: loaded.diagnostics,
        }),
        companion,
        model: loaded.model,
    }
}

/// An examples file whose definition did not check: only its syntax is known.
fn parsed_only(url: Url, text: String) -> FileState {
    let source = Arc::new(SourceFile::new(display_name(&url), text));
    let (ast, diagnostics) = match crate::syntax::parse(&source) {
        Ok(ast) => (Some(ast), Vec::new()),
        Err(d) => (None, d),
    };
    FileState {
        url,
        source,
        ast,
        diagnostics,
    }
}
