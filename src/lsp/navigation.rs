//! Go to definition, find references and rename, for fields, `let`s, groups,
//! criteria, stages, disqualifier reasons, the events block and its fields,
//! across a definition and its examples file.
//!
//! In: the [`Analysis`] of a definition, the file and byte offset asked
//! about. Out: LSP locations, or a workspace edit that renames every
//! occurrence ([`super::symbols`]): in conditions, `matched "…"`,
//! `at least N of (…)`, examples' fields and expectations, in both files.

use super::analysis::{Analysis, FileState};
use super::position::{Encoding, Lines};
use super::server::declared;
use super::symbols::{self, Occurrence, SymbolKind};
use lsp_types as lsp;
use std::collections::HashMap;

/// Every occurrence in every file of the analysis.
fn everywhere(analysis: &Analysis) -> Vec<(&FileState, Vec<Occurrence>)> {
    let names = declared(analysis);
    analysis
        .files()
        .filter_map(|f| Some((f, symbols::occurrences(f.ast.as_ref()?, &names))))
        .collect()
}

/// The occurrence at `offset` in `file`.
fn target(analysis: &Analysis, file: &FileState, offset: usize) -> Option<Occurrence> {
    let names = declared(analysis);
    let occurrences = symbols::occurrences(file.ast.as_ref()?, &names);
    symbols::at(&occurrences, offset).cloned()
}

/// The places of `target`'s name: its declaration(s) and, unless
/// `declarations_only`, every use.
fn places(
    analysis: &Analysis,
    target: &Occurrence,
    declarations_only: bool,
    encoding: Encoding,
) -> Vec<(lsp::Url, lsp::Range, bool)> {
    let mut out = Vec::new();
    for (file, occurrences) in everywhere(analysis) {
        let lines = Lines::new(&file.source.text, encoding);
        for o in occurrences {
            if o.kind == target.kind
                && o.name == target.name
                && (o.declaration || !declarations_only)
            {
                out.push((file.url.clone(), lines.range(o.span), o.declaration));
            }
        }
    }
    out
}

pub fn definition(
    analysis: &Analysis,
    file: &FileState,
    offset: usize,
    encoding: Encoding,
) -> Option<lsp::GotoDefinitionResponse> {
    let target = target(analysis, file, offset)?;
    let found: Vec<_> = places(analysis, &target, true, encoding)
        .into_iter()
        .map(|(url, range, _)| lsp::Location::new(url, range))
        .collect();
    (!found.is_empty()).then_some(lsp::GotoDefinitionResponse::Array(found))
}

pub fn references(
    analysis: &Analysis,
    file: &FileState,
    offset: usize,
    include_declaration: bool,
    encoding: Encoding,
) -> Option<Vec<lsp::Location>> {
    let target = target(analysis, file, offset)?;
    let found = places(analysis, &target, false, encoding)
        .into_iter()
        .filter(|(_, _, decl)| include_declaration || !decl)
        .map(|(url, range, _)| lsp::Location::new(url, range))
        .collect();
    Some(found)
}

pub fn prepare_rename(
    analysis: &Analysis,
    file: &FileState,
    offset: usize,
    encoding: Encoding,
) -> Option<lsp::PrepareRenameResponse> {
    let target = target(analysis, file, offset)?;
    let range = Lines::new(&file.source.text, encoding).range(target.span);
    Some(lsp::PrepareRenameResponse::RangeWithPlaceholder {
        range,
        placeholder: target.name,
    })
}

/// Rename the name at `offset` to `new_name` everywhere. `Err` says why the
/// new name cannot be written (not a name, a keyword, already taken).
pub fn rename(
    analysis: &Analysis,
    file: &FileState,
    offset: usize,
    new_name: &str,
    encoding: Encoding,
) -> Result<Option<lsp::WorkspaceEdit>, String> {
    let Some(target) = target(analysis, file, offset) else {
        return Ok(None);
    };
    if target.kind == SymbolKind::EventField && ["lead", "at"].contains(&target.name.as_str()) {
        return Err(format!(
            "an events block needs its `{}` field by that name",
            target.name
        ));
    }
    let new_text = written(target.kind, new_name)?;
    let taken = everywhere(analysis).into_iter().any(|(_, occurrences)| {
        occurrences
            .iter()
            .any(|o| o.declaration && o.kind == target.kind && o.name == new_name)
    });
    if taken && new_name != target.name {
        return Err(format!(
            "there is already a {} named `{new_name}`",
            target.kind.word()
        ));
    }
    let mut changes: HashMap<lsp::Url, Vec<lsp::TextEdit>> = HashMap::new();
    for (url, range, _) in places(analysis, &target, false, encoding) {
        changes
            .entry(url)
            .or_default()
            .push(lsp::TextEdit::new(range, new_text.clone()));
    }
    Ok(Some(lsp::WorkspaceEdit::new(changes)))
}

/// `name` as written for a name of `kind`: quoted and escaped, or a word
/// that the grammar reads as a name.
fn written(kind: SymbolKind, name: &str) -> Result<String, String> {
    if kind.quoted() {
        if name.trim().is_empty() || name.contains(['\n', '\r']) {
            return Err("a name must be some text on one line".into());
        }
        return Ok(format!(
            "\"{}\"",
            name.replace('\\', "\\\\").replace('"', "\\\"")
        ));
    }
    let mut chars = name.chars();
    let starts_well = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !starts_well || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!(
            "`{name}` is not a name: use letters, digits and `_`, starting with a letter"
        ));
    }
    if crate::syntax::is_keyword(name) {
        return Err(format!("`{name}` is a keyword of the language"));
    }
    Ok(name.to_string())
}
