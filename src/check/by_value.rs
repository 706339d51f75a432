//! Points by a field's value: `points by origin { "API": 5, otherwise 0 }`.
//!
//! In: the field's name and the entries as written. Out: the model's
//! [`Earning::ByValue`] (keys typed as the field's values, points resolved
//! through `let`s), or errors: an unknown field (with the nearest field
//! suggested), a date field, a key of the wrong type, a key that is not one
//! of a `one of` field's values (`qualify::not-in-one-of`, with the nearest
//! value suggested, as for `origin = "X"`), a key or `otherwise` given twice
//! (`qualify::duplicate`, naming the first listing).

use super::amounts;
use super::declarations::listed_twice;
use super::expr::Resolver;
use crate::ast::{self, Spanned, ValueKey};
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::model::{Earning, Type, Value, ValueEntry};
use crate::semantics::text::fold;

pub(super) fn earning(
    field: &ast::Name,
    entries: &[ast::ValueEntry],
    r: &mut Resolver<'_>,
) -> Option<Earning> {
    let fid = field_of(field, r)?;
    let ty = r.scope.fields[fid].ty;
    let mut ok = true;
    let mut keyed = Vec::new();
    let mut otherwise = None;
    let mut otherwise_at: Option<ast::Span> = None;
    for e in entries {
        let points = amounts::resolve(&e.points, "points", r.scope, r.diags);
        let Some(key) = &e.key else {
            if let Some(first) = otherwise_at {
                r.diags.push(
                    Diagnostic::error(Code::Duplicate, e.span, "`otherwise` is given twice")
                        .label("given again")
                        .related(first, "first given here")
                        .help("keep one `otherwise`: the points of every value not listed"),
                );
                ok = false;
            }
            otherwise_at.get_or_insert(e.span);
            otherwise = otherwise.or(points);
            ok &= points.is_some();
            continue;
        };
        let value = key_value(key, fid, ty, r);
        match (value, points) {
            (Some(key_value), Some(points)) => keyed.push((key, key_value, points)),
            _ => ok = false,
        }
    }
    let dups = listed_twice(
        keyed.iter().map(|(k, v, _)| {
            let folded = match v {
                Value::Text(t) => format!("t{}", fold(t)),
                other => format!("v{}", other.display()),
            };
            (folded, v.display(), k.span)
        }),
        "keys",
    );
    ok &= dups.is_empty();
    r.diags.extend(dups);
    if !ok {
        return None;
    }
    Some(Earning::ByValue {
        field: fid,
        entries: keyed
            .into_iter()
            .map(|(_, key, points)| ValueEntry {
                folded: match &key {
                    Value::Text(t) => Some(fold(t)),
                    _ => None,
                },
                key,
                points,
            })
            .collect(),
        otherwise: otherwise.unwrap_or(0.0),
    })
}

/// The field named after `points by`: declared, and not a date.
fn field_of(field: &ast::Name, r: &mut Resolver<'_>) -> Option<usize> {
    let Some(fid) = r.scope.field_id(&field.value) else {
        let help = did_you_mean(&field.value, r.scope.fields.iter().map(|f| f.name.as_str()))
            .unwrap_or_else(|| "`points by` names a field declared in `fields`".into());
        r.diags.push(
            Diagnostic::error(
                Code::UnknownField,
                field.span,
                format!("unknown field `{}`", field.value),
            )
            .label("not declared")
            .help(help),
        );
        return None;
    };
    if r.scope.fields[fid].ty == Type::Date {
        r.diags.push(
            Diagnostic::error(
                Code::TypeMismatch,
                field.span,
                format!(
                    "points by value need text, a number or yes/no, but `{}` is a date",
                    field.value
                ),
            )
            .label("a date")
            .help("for points that change with time, use `halving every N days since` a date"),
        );
        return None;
    }
    Some(fid)
}

/// A key as a value of the field's type; an error when it is of another
/// type or not one of a `one of` field's values.
fn key_value(key: &Spanned<ValueKey>, fid: usize, ty: Type, r: &mut Resolver<'_>) -> Option<Value> {
    let (value, key_ty) = match &key.value {
        ValueKey::Text(t) => (Value::Text(t.clone()), Type::Text),
        ValueKey::Number(n) => (Value::Number(*n), Type::Number),
        ValueKey::Yes => (Value::Bool(true), Type::YesNo),
        ValueKey::No => (Value::Bool(false), Type::YesNo),
    };
    if key_ty != ty {
        let f = &r.scope.fields[fid];
        r.diags.push(
            Diagnostic::error(
                Code::TypeMismatch,
                key.span,
                format!(
                    "`{}` is {}, but this key is {}",
                    f.name,
                    f.describe_type(),
                    key_ty.article()
                ),
            )
            .label("wrong type")
            .help(format!("keys are values of `{}`", f.name)),
        );
        return None;
    }
    if let Value::Text(t) = &value {
        r.one_of_value(fid, t, key.span)?;
    }
    Some(value)
}
