//! Placeholders that work against the definition: one that is also a listed
//! `one of` value (that value can then never be read), and a blank one (blank
//! cells are missing already).
//!
//! In: the syntax tree (placeholders and `one of` lists with their spans).
//! Out: findings.

use super::Finding;
use crate::ast::{Definition, FieldDecl, FieldType, Item, Span, Spanned};
use crate::diagnostic::{Code, Diagnostic};
use crate::semantics::text::fold;

pub(super) fn run(ast: &Definition, tight: &dyn Fn(Span) -> Span, out: &mut Vec<Finding>) {
    let everywhere: Vec<(&Spanned<String>, Span)> = ast
        .items
        .iter()
        .filter_map(|item| match item {
            Item::MissingValues(m) => Some(m.values.iter().map(move |v| (v, m.span))),
            _ => None,
        })
        .flatten()
        .collect();
    for (v, owner) in &everywhere {
        blank(v, *owner, tight, out);
    }
    for item in &ast.items {
        let Item::Fields(block) = item else { continue };
        for f in &block.fields {
            for v in &f.missing {
                blank(v, f.span, tight, out);
            }
            let own = f.missing.iter().map(|v| (v, f.span));
            for (v, owner) in own.chain(everywhere.iter().copied()) {
                listed(f, v, owner, tight, out);
            }
        }
    }
}

/// `missing when ""`: blank cells are read as missing without it.
fn blank(v: &Spanned<String>, owner: Span, tight: &dyn Fn(Span) -> Span, out: &mut Vec<Finding>) {
    if !v.value.trim().is_empty() {
        return;
    }
    out.push(Finding {
        diagnostic: Diagnostic::warning(
            Code::NoEffect,
            v.span,
            "a blank placeholder has no effect",
        )
        .label("blank cells are missing already")
        .help("remove it"),
        owner: tight(owner),
    });
}

/// A placeholder of `f` that is also one of its listed values.
fn listed(
    f: &FieldDecl,
    v: &Spanned<String>,
    owner: Span,
    tight: &dyn Fn(Span) -> Span,
    out: &mut Vec<Finding>,
) {
    let FieldType::OneOf(values) = &f.ty.value else {
        return;
    };
    let Some(value) = values.iter().find(|l| fold(&l.value) == fold(&v.value)) else {
        return;
    };
    out.push(Finding {
        diagnostic: Diagnostic::warning(
            Code::PlaceholderIsAValue,
            v.span,
            format!(
                "\"{}\" is a placeholder and a listed value of `{}`",
                v.value, f.name.value
            ),
        )
        .label("read as missing")
        .related(value.span, "so this value is never seen")
        .help(format!(
            "if \"{}\" means no answer, remove it from the list of `{}`; otherwise it is not a placeholder for this field",
            value.value, f.name.value
        )),
        owner: tight(owner),
    });
}
