//! Criteria whose conditions are written differently but hold for exactly
//! the same inquiries: no change in meaning.
//!
//! In: the criteria changes found by comparing canonical forms
//! ([`super::normalize`]) and both syntax trees. Out: the same changes
//! without the `condition` details that `check`'s own analysis
//! ([`crate::lint::same_meaning`], the one behind "same condition") proves
//! hold together, and without changes left with no detail. A canonical form
//! cannot see every equivalence (`n >= 3 and n > 3` is `n > 3`); the lints'
//! reasoning over values can, so `diff` never calls a change what `check`
//! calls the same condition. It is asked only when both revisions declare
//! the same fields and holidays (so a field is the same field in both) and
//! neither condition names a criterion; otherwise the canonical forms decide.

use super::{Change, ChangeKind, Kind};
use crate::ast::Definition;
use crate::model::{Earning, Expr, ExprKind, Model};

/// Remove from `changes` the condition details of criteria whose old and
/// new conditions hold together.
pub(super) fn drop_same_conditions(changes: &mut Vec<Change>, old: &Definition, new: &Definition) {
    let asks = |c: &Change| {
        c.kind == Kind::Criterion
            && matches!(c.change, ChangeKind::Changed | ChangeKind::Renamed)
            && c.details.iter().any(|d| d.aspect == "condition")
    };
    if !changes.iter().any(asks) {
        return;
    }
    let Some((old, new)) = models(old, new) else {
        return;
    };
    for c in changes.iter_mut().filter(|c| asks(c)) {
        let new_name = c.new_name.as_deref().unwrap_or(&c.name);
        let (Some(a), Some(b)) = (condition(&old, &c.name), condition(&new, new_name)) else {
            continue;
        };
        // Both are read in the new model: the fields are the same, and
        // neither condition refers to a criterion by number.
        if crate::lint::same_meaning(&new, a, b) {
            c.details.retain(|d| d.aspect != "condition");
        }
    }
    changes.retain(|c| c.change != ChangeKind::Changed || !c.details.is_empty());
}

/// Both revisions checked, when they declare the same fields and holidays.
fn models(old: &Definition, new: &Definition) -> Option<(Model, Model)> {
    let old = crate::check::check(old, "").model?;
    let new = crate::check::check(new, "").model?;
    let same_field = |a: &crate::model::Field, b: &crate::model::Field| {
        a.name == b.name && a.ty == b.ty && a.one_of == b.one_of && a.optional == b.optional
    };
    let same_fields = old.fields.len() == new.fields.len()
        && old
            .fields
            .iter()
            .zip(&new.fields)
            .all(|(a, b)| same_field(a, b));
    (same_fields && old.holidays == new.holidays).then_some((old, new))
}

/// The condition of the criterion called `name`, when it has one that names
/// no criterion.
fn condition<'m>(model: &'m Model, name: &str) -> Option<&'m Expr> {
    let c = model.criterion_named(name)?;
    let e = match &model.criteria[c].earning {
        Earning::Fixed { condition, .. } => Some(condition),
        Earning::PerUnit { condition, .. } => condition.as_ref(),
        Earning::ByValue { .. } => None,
    }?;
    (!names_a_criterion(e)).then_some(e)
}

fn names_a_criterion(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Matched(_)) || e.children().any(names_a_criterion)
}
