//! Output columns: the results `score` writes name a column after each group
//! (its sub-score) and, with `--points`, after each criterion, beside the
//! fixed columns; two columns named alike (ignoring case) would make `score`
//! refuse, so `check` says so first.
//!
//! In: the checked model. Out: `qualify::output-column-clash` diagnostics: an
//! error when plain `score` would refuse, a warning when only `score --points`
//! or `score --explain` would. The column names come from the list the result
//! writer uses ([`ColumnPlan`]), so the two cannot disagree.

use super::result_columns::{ColumnPlan, ColumnSource};
use crate::ast::Span;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Model;

pub(super) fn check_output_columns(model: &Model, diags: &mut Vec<Diagnostic>) {
    let groups: Vec<String> = model.groups.iter().map(|g| g.name.clone()).collect();
    let criteria: Vec<String> = model.criteria.iter().map(|c| c.name.clone()).collect();
    let mut plan = ColumnPlan {
        id_field: true,
        groups: &groups,
        criteria: &criteria,
        keep: &[],
        routes: model.has_routes(),
        points: true,
        why: true,
        handoff: model.handoff.is_some(),
    };
    let mut clashes = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // The first column is `id` when the definition has an `id` field, else
    // `row`: a group is checked against both, so adding the field later does
    // not bring a clash nobody was told about.
    for id_field in [true, false] {
        plan.id_field = id_field;
        for clash in plan.clashes() {
            if seen.insert(clash.clone()) {
                clashes.push(clash);
            }
        }
    }
    for [(first, a), (second, b)] in &clashes {
        // Point at the definition's part of the clash (a group after `score`
        // comes before `stage`, so it may be either one).
        let (here, there) = match span_of(model, *b) {
            Some(_) => ((second, *b), (first, *a)),
            None => ((first, *a), (second, *b)),
        };
        let Some(span) = span_of(model, here.1) else {
            continue;
        };
        let named = ColumnPlan::clash_words(first, second);
        // The labels show where both columns come from, unless one is fixed.
        let what = match span_of(model, there.1) {
            Some(_) => String::new(),
            None => format!(
                ": {} and {}",
                a.describe(&plan, first),
                b.describe(&plan, second)
            ),
        };
        // No `--keep` here: check knows no input columns.
        let option = [a, b].into_iter().find_map(|s| s.option());
        let diag = match option {
            None => Diagnostic::error(
                Code::OutputColumnClash,
                span,
                format!("the results would have {named}{what}"),
            ),
            Some(option) => Diagnostic::warning(
                Code::OutputColumnClash,
                span,
                format!("with `{option}`, the results would have {named}{what}"),
            ),
        };
        let help = match here.1 {
            ColumnSource::Points(_) => {
                "rename one of the criteria: with `--points` each has a column `points: NAME`, \
                 and column names are compared ignoring case"
            }
            _ => {
                "rename the group: its sub-score is a column of the results named after it, \
                 beside `id` (or `row`), `score`, `stage`, `disqualified`, `matched` and, with \
                 `--explain`, `why`; column names are compared ignoring case"
            }
        };
        let mut diag = diag
            .label(format!("gives the column `{}`", here.0))
            .help(help);
        if let Some(other) = span_of(model, there.1) {
            diag = diag.related(other, format!("gives the column `{}`", there.0));
        }
        diags.push(diag);
    }
}

/// Where in the definition a column comes from, if it does.
fn span_of(model: &Model, source: ColumnSource) -> Option<Span> {
    match source {
        ColumnSource::Group(i) => model.groups.get(i).map(|g| g.span),
        ColumnSource::Points(i) => model.criteria.get(i).map(|c| c.span),
        ColumnSource::Fixed | ColumnSource::Keep | ColumnSource::Why | ColumnSource::Handoff => {
            None
        }
    }
}
