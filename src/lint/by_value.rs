//! Points by value: an entry with the points of `otherwise` (0 when there is
//! none) changes nothing, since a value no key names earns them already.
//!
//! In: the syntax tree (entries with their spans; named points read through
//! the definition's `let`s). Out: findings (`qualify::no-effect`).

use super::Finding;
use crate::ast::{CriterionBody, Definition, Span};
use crate::diagnostic::{Code, Diagnostic};

pub(super) fn run(ast: &Definition, tight: &dyn Fn(Span) -> Span, out: &mut Vec<Finding>) {
    let number = |a: &crate::ast::Amount| a.value(|name| ast.let_number(name));
    for (c, _) in ast.criteria() {
        let CriterionBody::ByValue { entries, .. } = &c.body else {
            continue;
        };
        let otherwise = match entries.iter().find(|e| e.key.is_none()) {
            Some(e) => number(&e.points.value),
            None => Some(0.0),
        };
        let Some(otherwise) = otherwise else { continue };
        for e in entries.iter().filter(|e| e.key.is_some()) {
            if number(&e.points.value) != Some(otherwise) {
                continue;
            }
            out.push(Finding {
                diagnostic: Diagnostic::warning(
                    Code::NoEffect,
                    e.span,
                    format!(
                        "this entry of \"{}\" has no effect",
                        c.name.value
                    ),
                )
                .label("the points of a value not listed")
                .help(format!(
                    "a value no key names earns {} already: remove the entry, or give it other points",
                    crate::number::signed(otherwise, crate::model::format_exact)
                )),
                owner: tight(c.span),
            });
        }
    }
}
