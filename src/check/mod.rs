//! Syntax tree → checked model.
//!
//! In: an [`ast::Definition`] and its source text. Out: a [`Model`] when there is
//! no error, and every diagnostic found (errors and warnings), all at once.
//!
//! Declarations are collected first (so order of declaration does not matter),
//! then every condition is resolved ([`expr`], within the size limits of
//! [`inlining`]), then criteria are ordered by their dependencies
//! ([`order`]), the results' column names are checked ([`output_columns`]) and
//! examples are checked ([`examples`]).

mod amounts;
mod by_value;
mod declarations;
mod events;
mod examples;
pub mod expr;
mod handoff;
pub mod inlining;
mod order;
mod output_columns;
pub mod result_columns;
mod routes;
mod stage_refs;

pub use examples::{check_example, check_example_names};

use crate::ast::{self, LetDecl};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Field, Model};
use std::collections::HashMap;

/// Everything a condition may refer to.
pub struct Scope<'a> {
    pub source: &'a str,
    pub fields: Vec<Field>,
    pub lets: HashMap<String, &'a LetDecl>,
    /// Group names in order.
    pub groups: Vec<String>,
    /// Criterion names in definition order, with their declaration.
    pub criteria: Vec<(String, &'a ast::Criterion)>,
    /// Stage names in order (without `disqualified`), as the model will
    /// have them when there is no error: what `stage = "..."` may name.
    pub stages: Vec<String>,
    /// How large `let`s are written out, and how much has been copied.
    pub inlining: inlining::Inlining,
    /// The events block, checked ([`events`]), which aggregates read.
    pub events: Option<crate::model::Events>,
    /// Whether an events block is written (it may have errors: then
    /// `events` is `None`, and an aggregate says so rather than "unknown").
    pub events_written: bool,
    /// Aggregates resolved so far: [`crate::model::Model::aggregates`].
    pub aggregates: std::cell::RefCell<Vec<crate::model::Aggregate>>,
    /// Set while an aggregate's `where` is resolved (its fields are the
    /// events'): the lead's field names, so naming one is told apart.
    pub lead_fields: Vec<String>,
}

impl Scope<'_> {
    pub fn field_id(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
    pub fn group_id(&self, name: &str) -> Option<usize> {
        self.groups.iter().position(|g| g == name)
    }
    pub fn criterion_id(&self, name: &str) -> Option<usize> {
        self.criteria.iter().position(|c| c.0 == name)
    }
    /// Names that can stand for a value: fields, `let` conditions, groups.
    pub fn value_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.fields.iter().map(|f| f.name.clone()).collect();
        names.extend(
            self.lets
                .iter()
                .filter(|(_, d)| matches!(d.value, ast::LetValue::Condition(_)))
                .map(|(n, _)| n.clone()),
        );
        names.extend(self.groups.iter().cloned());
        names.sort();
        names
    }
    pub fn list_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .lets
            .iter()
            .filter(|(_, d)| matches!(d.value, ast::LetValue::List(_)))
            .map(|(n, _)| n.clone())
            .collect();
        names.sort();
        names
    }
}

/// The result of checking: the model if there were no errors, and all diagnostics
/// sorted by position.
pub struct Checked {
    pub model: Option<Model>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

pub fn check(def: &ast::Definition, source: &str) -> Checked {
    let mut diags = Vec::new();
    let model = declarations::build(def, source, &mut diags);
    let model = model.and_then(|mut m| {
        order::order_criteria(&mut m, &mut diags)?;
        Some(m)
    });
    let model = model.map(|mut m| {
        output_columns::check_output_columns(&m, &mut diags);
        examples::check_examples(def, &mut m, &mut diags);
        m
    });
    finish(model, diags)
}

/// Sort, remove repeats (a `let` used twice reports its errors once), and drop
/// the model when there is any error.
fn finish(model: Option<Model>, mut diags: Vec<Diagnostic>) -> Checked {
    diags.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            b.code,
            &b.message,
        ))
    });
    diags.dedup_by(|a, b| a.span.same_place(&b.span) && a.code == b.code && a.message == b.message);
    let has_errors = diags.iter().any(Diagnostic::is_error);
    Checked {
        model: if has_errors { None } else { model },
        diagnostics: diags,
    }
}

/// A name (or block) declared a second time: where, what, and where first.
pub(super) fn declared_twice(
    span: ast::Span,
    what: impl Into<String>,
    first: ast::Span,
    help: &str,
) -> Diagnostic {
    Diagnostic::error(Code::Duplicate, span, what)
        .label("declared again")
        .related(first, "first declared here")
        .help(help.to_string())
}
