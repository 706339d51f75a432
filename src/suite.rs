//! A definition with all its examples: those written inside `NAME.lead` and
//! those in its companion examples file `NAME.examples.lead` beside it.
//!
//! In: the loaded definition and, when it exists, the bytes of the companion.
//! Out: a [`Suite`]: the companion's examples checked against the definition's
//! fields, criteria and stages, with diagnostics pointing into the companion.
//!
//! The companion holds only `example` blocks, so a team can keep a long list of
//! real past inquiries as regression cases without burying the definition.

use crate::check::check_example;
use crate::diagnostic::{Code, Diagnostic, Located};
use crate::load::Loaded;
use crate::model::{Example, Model};
use crate::source::SourceFile;
use crate::syntax;
use std::sync::Arc;

/// What a companion examples file's name ends with.
pub const EXAMPLES_SUFFIX: &str = ".examples.lead";

/// The examples file of the definition at `path` (`x.lead` → `x.examples.lead`).
pub fn companion_path(path: &str) -> Option<String> {
    if path.ends_with(EXAMPLES_SUFFIX) {
        return None;
    }
    path.strip_suffix(".lead")
        .map(|stem| format!("{stem}{EXAMPLES_SUFFIX}"))
}

/// The definition an examples file belongs to (`x.examples.lead` → `x.lead`);
/// any other path is its own definition.
pub fn definition_path(path: &str) -> String {
    match path.strip_suffix(EXAMPLES_SUFFIX) {
        Some(stem) => format!("{stem}.lead"),
        None => path.to_string(),
    }
}

/// A companion examples file, checked.
pub struct ExamplesFile {
    pub source: Arc<SourceFile>,
    pub examples: Vec<Example>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ExamplesFile {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn located(&self) -> Vec<Located> {
        self.diagnostics
            .iter()
            .map(|d| d.clone().with_source(&self.source))
            .collect()
    }
}

/// Parse the companion `bytes` read from `name` and check its examples against `model`.
pub fn load_examples(model: &Model, name: &str, bytes: Vec<u8>) -> ExamplesFile {
    let (source, utf8_error) = SourceFile::from_bytes(name, bytes);
    let source = Arc::new(source);
    let mut file = ExamplesFile {
        source: source.clone(),
        examples: Vec::new(),
        diagnostics: utf8_error.into_iter().collect(),
    };
    if !file.diagnostics.is_empty() || crate::syntax::is_blank(&source.text) {
        return file;
    }
    let ast = match syntax::parse(&source) {
        Ok(ast) => ast,
        Err(diagnostics) => {
            file.diagnostics = diagnostics;
            return file;
        }
    };
    let definition = definition_path(name);
    crate::check::check_example_names(
        ast.items.iter().filter_map(|item| match item {
            crate::ast::Item::Example(ex) => Some(ex),
            _ => None,
        }),
        &mut file.diagnostics,
    );
    for item in &ast.items {
        match item {
            crate::ast::Item::Example(ex) => {
                if let Some(e) = check_example(ex, model, &mut file.diagnostics) {
                    file.examples.push(e);
                }
            }
            other => file.diagnostics.push(
                Diagnostic::error(
                    Code::NotAnExample,
                    other.span(),
                    "an examples file holds only `example` blocks",
                )
                .label("not an example")
                .help(format!("move this into `{definition}`")),
            ),
        }
    }
    file
}

/// A definition and its companion examples file.
pub struct Suite {
    pub definition: Loaded,
    pub companion: Option<ExamplesFile>,
}

impl Suite {
    /// Every example with the file it is written in: the definition's first.
    pub fn examples(&self) -> Vec<(&Example, &Arc<SourceFile>)> {
        let own = self
            .definition
            .model
            .iter()
            .flat_map(|m| m.examples.iter())
            .map(|e| (e, &self.definition.source));
        let companion = self
            .companion
            .iter()
            .flat_map(|c| c.examples.iter().map(move |e| (e, &c.source)));
        own.chain(companion).collect()
    }

    /// Errors in either file.
    pub fn error_count(&self) -> usize {
        self.definition.error_count() + self.companion.as_ref().map_or(0, |c| c.error_count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_definition_and_its_examples_file_name_each_other() {
        assert_eq!(
            companion_path("rules/northwind.lead").as_deref(),
            Some("rules/northwind.examples.lead")
        );
        assert_eq!(companion_path("rules/northwind.examples.lead"), None);
        assert_eq!(companion_path("-"), None);
        assert_eq!(companion_path("definition.txt"), None);
        assert_eq!(
            definition_path("rules/northwind.examples.lead"),
            "rules/northwind.lead"
        );
        assert_eq!(
            definition_path("rules/northwind.lead"),
            "rules/northwind.lead"
        );
    }

    #[test]
    fn an_empty_examples_file_has_no_examples_and_no_errors() {
        let loaded =
            crate::load::load_str("d.lead", "fields {\n  a number\n}\nstage \"s\" otherwise\n");
        let model = loaded.model.unwrap();
        for text in ["", "  \n", "# only a comment\n"] {
            let file = load_examples(&model, "d.examples.lead", text.as_bytes().to_vec());
            assert!(
                file.examples.is_empty() && file.diagnostics.is_empty(),
                "{text:?}"
            );
        }
        let file = load_examples(
            &model,
            "d.examples.lead",
            b"example \"e\" { a: 1 }".to_vec(),
        );
        assert_eq!(file.examples.len(), 1);
        let bad = load_examples(&model, "d.examples.lead", vec![0xff, b'x']);
        assert_eq!(bad.diagnostics[0].code, Code::InvalidUtf8);
    }
}
