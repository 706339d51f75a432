//! qualify's diagnostics → LSP diagnostics.
//!
//! In: a [`crate::diagnostic::Diagnostic`] and the file it is about. Out: an
//! LSP diagnostic with the same code (`qualify::…`), severity and range; the
//! label and the help line follow the message, as `check` prints them, and the
//! related places (the first of a duplicate, a cycle's members) are related
//! information.

use super::analysis::FileState;
use super::position::{Encoding, Lines};
use crate::diagnostic::{Diagnostic, Severity};
use lsp_types as lsp;

/// Every diagnostic of `file`, for `publishDiagnostics`.
pub fn to_lsp(file: &FileState, encoding: Encoding) -> Vec<lsp::Diagnostic> {
    let lines = Lines::new(&file.source.text, encoding);
    file.diagnostics
        .iter()
        .map(|d| one(d, file, &lines))
        .collect()
}

pub fn one(d: &Diagnostic, file: &FileState, lines: &Lines<'_>) -> lsp::Diagnostic {
    let mut message = d.message.clone();
    if !d.label.is_empty() {
        message.push_str(&format!("\n{}", d.label));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<_> = d
        .related
        .iter()
        .map(|(span, label)| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(file.url.clone(), lines.range(*span)),
            message: label.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range: lines.range(d.span),
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(d.code.as_str().into())),
        source: Some("qualify".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}
