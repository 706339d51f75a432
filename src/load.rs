//! Front door of the pipeline: bytes of a definition in, a checked model and
//! every diagnostic out (source → syntax tree → checked model).
//!
//! Every command that reads a definition goes through [`load`], so they all
//! report the same problems the same way.

use crate::ast::Definition;
use crate::check::{self, Checked};
use crate::diagnostic::{Code, Diagnostic, Located};
use crate::eval::examples::run_examples;
use crate::model::Model;
use crate::source::SourceFile;
use crate::syntax;
use std::sync::Arc;

/// A definition as far as it could be taken.
pub struct Loaded {
    pub source: Arc<SourceFile>,
    /// The syntax tree, when the text parsed.
    pub ast: Option<Definition>,
    /// The checked model, when there was no error.
    pub model: Option<Model>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    /// Diagnostics with their source attached, for rendering.
    pub fn located(&self) -> Vec<Located> {
        self.diagnostics
            .iter()
            .map(|d| d.clone().with_source(&self.source))
            .collect()
    }
}

/// Parse and check `bytes` read from `name`.
pub fn load(name: &str, bytes: Vec<u8>) -> Loaded {
    let (source, utf8_error) = SourceFile::from_bytes(name, bytes);
    let source = Arc::new(source);
    if let Some(diag) = utf8_error {
        return Loaded {
            source,
            ast: None,
            model: None,
            diagnostics: vec![diag],
        };
    }
    match syntax::parse(&source) {
        Err(diagnostics) => Loaded {
            source,
            ast: None,
            model: None,
            diagnostics,
        },
        Ok(ast) => {
            let Checked {
                model,
                mut diagnostics,
            } = check::check(&ast, &source.text);
            if let Some(model) = &model {
                diagnostics.extend(crate::lint::lint(model, &ast, &source.text));
                diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
            }
            Loaded {
                source,
                ast: Some(ast),
                model,
                diagnostics,
            }
        }
    }
}

/// Load a definition from text (for tests and embedding).
pub fn load_str(name: &str, text: &str) -> Loaded {
    load(name, text.as_bytes().to_vec())
}

/// Run the model's examples at `as_of` (days since 1970) and add one error per
/// failing example, pointing at the first expectation that did not hold.
pub fn add_example_failures(loaded: &mut Loaded, as_of: i32) {
    let Some(model) = &loaded.model else { return };
    for run in run_examples(model, as_of) {
        let example = &model.examples[run.example];
        let Some(first) = run.failures.first() else {
            continue;
        };
        let details: Vec<String> = run
            .failures
            .iter()
            .map(|f| format!("expected {}, got {}", f.expected, f.actual))
            .collect();
        let mut diag = Diagnostic::error(
            Code::ExampleFailed,
            first.span,
            format!("example \"{}\" does not hold", example.name),
        )
        .label(format!("expected {}, got {}", first.expected, first.actual))
        .help(if details.len() > 1 {
            format!(
                "{}; run `qualify test` to see the whole explanation",
                details.join("; ")
            )
        } else {
            "run `qualify test` to see how this inquiry was scored".to_string()
        });
        for f in run.failures.iter().skip(1) {
            diag = diag.related(f.span, format!("expected {}, got {}", f.expected, f.actual));
        }
        loaded.diagnostics.push(diag);
    }
}
