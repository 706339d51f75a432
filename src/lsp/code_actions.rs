//! Code actions: the quick fixes a diagnostic suggests.
//!
//! In: a file with its diagnostics and the range the editor asks about. Out:
//! quick fixes. A "did you mean" hint becomes the replacement it names; a
//! lint (a warning) can be allowed with an `# allow: CODE` comment at the end
//! of its line (the comment `check` honours, see [`crate::lint::allows`]); a
//! missing `otherwise` stage is added after the last stage.

use super::analysis::FileState;
use super::diagnostics;
use super::position::{Encoding, Lines};
use crate::ast::Span;
use crate::diagnostic::{Code, Diagnostic, Severity};
use lsp_types as lsp;
use std::collections::HashMap;

pub fn actions(
    file: &FileState,
    range: lsp::Range,
    encoding: Encoding,
) -> Vec<lsp::CodeActionOrCommand> {
    let lines = Lines::new(&file.source.text, encoding);
    let asked = lines.span(range);
    let mut out = Vec::new();
    for d in &file.diagnostics {
        let touches = d.span.start <= asked.end && asked.start <= d.span.end;
        if !touches {
            continue;
        }
        let lsp_diagnostic = diagnostics::one(d, file, &lines);
        let mut fix = |title: String, span: Span, text: String, preferred: bool| {
            let edit = lsp::TextEdit::new(lines.range(span), text);
            let changes = HashMap::from([(file.url.clone(), vec![edit])]);
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title,
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diagnostic.clone()]),
                edit: Some(lsp::WorkspaceEdit::new(changes)),
                is_preferred: Some(preferred),
                ..Default::default()
            }));
        };
        if let Some(name) = suggestion(d) {
            let written = file.source.slice(d.span);
            let text = if written.starts_with('"') {
                format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
            } else {
                name.clone()
            };
            fix(format!("Change to {text}"), d.span, text, true);
        }
        let text = &file.source.text;
        if d.severity == Severity::Warning {
            let end = line_end(text, d.span.start);
            fix(
                format!("Allow {} here (# allow: {})", d.code, d.code.short()),
                Span::new(end, end),
                format!("  # allow: {}", d.code.short()),
                false,
            );
        }
        if d.code == Code::MissingOtherwise {
            let end = line_end(text, d.span.end);
            let taken = |name: &str| {
                file.ast
                    .iter()
                    .flat_map(|ast| &ast.items)
                    .any(|item| matches!(item, crate::ast::Item::Stage(s) if s.name.value == name))
            };
            let name = if taken("nurture") {
                "everyone else"
            } else {
                "nurture"
            };
            fix(
                format!("Add the stage \"{name}\" otherwise"),
                Span::new(end, end),
                format!("\nstage \"{name}\" otherwise"),
                true,
            );
        }
    }
    out
}

/// The name a "did you mean `x`?" or `did you mean "x"?` hint suggests.
fn suggestion(d: &Diagnostic) -> Option<String> {
    let help = d.help.as_deref()?;
    let rest = &help[help.find("did you mean ")? + "did you mean ".len()..];
    let (open, close) = match rest.chars().next()? {
        '`' => ('`', "`?"),
        '"' => ('"', "\"?"),
        _ => return None,
    };
    let inner = rest.strip_prefix(open)?;
    Some(inner[..inner.find(close)?].to_string())
}

/// The offset of the end of the line `offset` is on (before its line end).
fn line_end(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i)
}
