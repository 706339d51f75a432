//! Numbers in a rule's shape written as names: `+strong`, `at most cap`,
//! `halving every half_life days`, with `let strong = 25`.
//!
//! In: an [`Amount`] and the definition's `let`s. Out: its number, or an error
//! naming what the name is (unknown, a list, a condition) and the value lets
//! that would fit.

use super::Scope;
use crate::ast::{Amount, LetValue, Spanned};
use crate::diagnostic::{did_you_mean, Code, Diagnostic};

/// The number `a` stands for; `what` names its place ("points", "a cap", "a
/// half-life") for the message.
pub(super) fn resolve(
    a: &Spanned<Amount>,
    what: &str,
    scope: &Scope<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<f64> {
    let Amount::Named { name, negative } = &a.value else {
        return a.value.value(|_| None);
    };
    let number = |l: &crate::ast::LetDecl| match &l.value {
        LetValue::Condition(e) => e.literal_number(),
        LetValue::List(_) => None,
    };
    let Some(decl) = scope.lets.get(name.as_str()) else {
        let numbers = scope
            .lets
            .iter()
            .filter(|(_, l)| number(l).is_some())
            .map(|(n, _)| n.as_str());
        let help = did_you_mean(name, numbers).unwrap_or_else(|| {
            format!("declare it first, e.g. `let {name} = 20`, or write the number")
        });
        diags.push(
            Diagnostic::error(Code::UnknownName, a.span, format!("unknown name `{name}`"))
                .label(format!("{what} must be a number or a `let` value"))
                .help(help),
        );
        return None;
    };
    match number(decl) {
        Some(n) => Some(if *negative { -n } else { n }),
        None => {
            let is = match &decl.value {
                LetValue::List(_) => "a list",
                LetValue::Condition(_) => "not a number written out",
            };
            diags.push(
                Diagnostic::error(
                    Code::TypeMismatch,
                    a.span,
                    format!("`{name}` is {is}; {what} must be a number"),
                )
                .label("not a number")
                .related(decl.name.span, "declared here")
                .help(format!(
                    "name a number, e.g. `let {name} = 20`; {what} cannot be computed"
                )),
            );
            None
        }
    }
}
