//! The hand-off brief: `handoff [when COND] { "template" [when COND] ... matched }`.
//!
//! In: the definition's `handoff` items and the checked scope. Out:
//! [`Model::handoff`], each template split into [`Piece`]s whose names are
//! checked: `{field}`, `{days since DATE_FIELD}`, `{score}`, `{stage}`,
//! `{route}`; an unknown name is `qualify::unknown-field` with the closest
//! suggested, a `days since` of a field that is not a date a
//! `qualify::type-mismatch`, an unclosed `{` or an empty `{}` a
//! `qualify::invalid-template`, a second `handoff` a `qualify::duplicate`.

use super::expr::{Place, Resolver};
use super::Scope;
use crate::ast::{self, Item, Span};
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::model::{self, Model, Piece, Type};

pub(super) fn handoff(
    def: &ast::Definition,
    scope: &Scope<'_>,
    model: &mut Model,
    diags: &mut Vec<Diagnostic>,
) {
    let mut first: Option<Span> = None;
    for item in &def.items {
        let Item::Handoff(h) = item else { continue };
        if let Some(prev) = first {
            diags.push(super::declared_twice(
                h.span,
                "a second `handoff` block",
                prev,
                "one brief per definition: put every line in one `handoff` block",
            ));
            continue;
        }
        first = Some(h.span);
        let mut ok = true;
        let cond = |e: &Option<ast::Expr>, diags: &mut Vec<Diagnostic>, ok: &mut bool| {
            e.as_ref().and_then(|e| {
                let r = Resolver::new(scope, diags, Place::Route).condition(e);
                *ok &= r.is_some();
                r
            })
        };
        let condition = cond(&h.condition, diags, &mut ok);
        let mut lines = Vec::new();
        for line in &h.lines {
            match line {
                ast::HandoffLine::Matched(_) => lines.push(model::HandoffLine::Matched),
                ast::HandoffLine::Template {
                    text, condition, ..
                } => {
                    let condition = cond(condition, diags, &mut ok);
                    match pieces(&text.value, text.span, scope, diags) {
                        Some(pieces) => lines.push(model::HandoffLine::Template {
                            text: text.value.clone(),
                            pieces,
                            condition,
                        }),
                        None => ok = false,
                    }
                }
            }
        }
        if ok {
            model.handoff = Some(model::Handoff {
                condition,
                lines,
                span: h.span,
            });
        }
    }
}

/// A template's text and placeholders; `None` after a diagnostic.
fn pieces(
    text: &str,
    span: Span,
    scope: &Scope<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Piece>> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut ok = true;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(Piece::Text(rest[..open].to_string()));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            diags.push(invalid(span, "a `{` is never closed"));
            return None;
        };
        match placeholder(after[..close].trim(), span, scope, diags) {
            Some(p) => out.push(p),
            None => ok = false,
        }
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    ok.then_some(out)
}

fn invalid(span: Span, what: &str) -> Diagnostic {
    Diagnostic::error(Code::InvalidTemplate, span, format!("this hand-off line cannot be read: {what}"))
        .label("in this line")
        .help("name a value in braces: `{job_title}`, `{days since demo_date}`, `{score}`, `{stage}` or `{route}`")
}

fn placeholder(
    name: &str,
    span: Span,
    scope: &Scope<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Piece> {
    match name {
        "" => {
            diags.push(invalid(span, "`{}` names nothing"));
            return None;
        }
        "score" => return Some(Piece::Score),
        "stage" => return Some(Piece::Stage),
        "route" => return Some(Piece::Route),
        _ => {}
    }
    let since = name
        .strip_prefix("days since")
        .filter(|r| r.starts_with(char::is_whitespace))
        .map(str::trim);
    let field = since.unwrap_or(name);
    let Some(id) = scope.field_id(field) else {
        let mut names: Vec<&str> = scope.fields.iter().map(|f| f.name.as_str()).collect();
        names.extend(["score", "stage", "route"]);
        let help = did_you_mean(field, names.iter().copied())
            .unwrap_or_else(|| "name a field, or `score`, `stage` or `route`".into());
        diags.push(
            Diagnostic::error(
                Code::UnknownField,
                span,
                format!("unknown field `{field}` in a hand-off line"),
            )
            .label("not declared")
            .help(help),
        );
        return None;
    };
    if since.is_none() {
        return Some(Piece::Field(id));
    }
    let ty = scope.fields[id].ty;
    if ty != Type::Date {
        diags.push(
            Diagnostic::error(
                Code::TypeMismatch,
                span,
                format!(
                    "`days since` needs a date, but `{field}` is {}",
                    ty.article()
                ),
            )
            .label(format!("`{field}` is {}", ty.article()))
            .help("count days since a date field, e.g. `{days since demo_date}`"),
        );
        return None;
    }
    Some(Piece::DaysSince(id))
}
