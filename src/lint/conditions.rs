//! Conditions on their own: a criterion, disqualifier or stage whose condition
//! can never hold or always holds; a criterion that only matches inquiries a
//! disqualifier removes; two criteria with the same condition.
//!
//! In: the checked model. Out: findings (see [`super::Finding`]).

use super::conjunction::Conjunction;
use super::logic::{all_of, possible, shape, when_not_true, when_true, Alternatives};
use super::stages::{uses, Uses};
use super::unused::field_uses;
use super::{quoted, Finding};
use crate::ast::Span;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Earning, Expr, Model};
use std::collections::HashMap;

/// What a condition belongs to, for messages.
struct Owner<'m> {
    what: String,
    condition: &'m Expr,
    span: Span,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Criterion,
    Disqualifier,
    Stage,
}

fn owners(model: &Model) -> Vec<Owner<'_>> {
    let mut out = Vec::new();
    for d in &model.disqualifiers {
        out.push(Owner {
            what: format!("disqualifier {}", quoted(&d.reason)),
            condition: &d.condition,
            span: d.span,
            kind: Kind::Disqualifier,
        });
    }
    for c in &model.criteria {
        if let Some(condition) = criterion_condition(&c.earning) {
            out.push(Owner {
                what: format!("criterion {}", quoted(&c.name)),
                condition,
                span: c.span,
                kind: Kind::Criterion,
            });
        }
    }
    for s in &model.stages {
        if let Some(condition) = &s.condition {
            out.push(Owner {
                what: format!("stage {}", quoted(&s.name)),
                condition,
                span: s.span,
                kind: Kind::Stage,
            });
        }
    }
    out
}

pub(super) fn criterion_condition(e: &Earning) -> Option<&Expr> {
    match e {
        Earning::Fixed { condition, .. } => Some(condition),
        Earning::PerUnit { condition, .. } => condition.as_ref(),
        Earning::ByValue { .. } => None,
    }
}

pub(super) fn never_holds(model: &Model, e: &Expr) -> bool {
    when_true(model, e).is_some_and(|alts| !possible(model, &alts))
}

pub(super) fn always_holds(model: &Model, e: &Expr) -> bool {
    when_not_true(model, e).is_some_and(|alts| !possible(model, &alts))
}

pub(super) fn run(model: &Model, tight: &dyn Fn(Span) -> Span, out: &mut Vec<Finding>) {
    for o in owners(model) {
        let span = tight(o.condition.span);
        if never_holds(model, o.condition) {
            let consequence = match o.kind {
                Kind::Criterion => "it never earns its points",
                Kind::Disqualifier => "it never disqualifies anyone",
                Kind::Stage => "no inquiry ever gets this stage",
            };
            out.push(Finding {
                diagnostic: Diagnostic::warning(
                    Code::NeverHolds,
                    span,
                    format!("the condition of {} can never hold", o.what),
                )
                .label("no inquiry can meet this")
                .help(format!(
                    "{consequence}: its parts contradict each other, use a value the field \
                     cannot have, or test a required field for `is missing`; fix the \
                     comparisons or remove it"
                )),
                owner: o.span,
            });
        } else if always_holds(model, o.condition) {
            let consequence = match o.kind {
                Kind::Criterion => "it gives its points to every inquiry",
                Kind::Disqualifier => "every inquiry is disqualified",
                Kind::Stage => "every inquiry that reaches it gets this stage",
            };
            out.push(Finding {
                diagnostic: Diagnostic::warning(
                    Code::AlwaysHolds,
                    span,
                    format!("the condition of {} always holds", o.what),
                )
                .label("every inquiry meets this")
                .help(format!(
                    "{consequence}; check the comparisons (an `or` that covers every \
                     value?) or remove the condition"
                )),
                owner: o.span,
            });
        }
    }
    shadowed(model, tight, out);
    same_condition(model, tight, out);
}

/// A criterion whose every match is disqualified anyway. The disqualifiers
/// are analysed and folded once ([`Conjunction`]), so each criterion is one
/// question, not one per disqualifier.
fn shadowed(model: &Model, tight: &dyn Fn(Span) -> Span, out: &mut Vec<Finding>) {
    if model.disqualifiers.is_empty() {
        return;
    }
    let fails: Vec<Option<Alternatives>> = model
        .disqualifiers
        .iter()
        .map(|d| when_not_true(model, &d.condition))
        .collect();
    let mut kept = Conjunction::new(model);
    for f in &fails {
        kept.push(f.as_ref());
    }
    // Each disqualifier's failing on its own, built when first needed.
    let mut alone: Vec<Conjunction<'_>> = Vec::new();
    for c in &model.criteria {
        let Some(cond) = criterion_condition(&c.earning) else {
            continue;
        };
        let Some(matches) = when_true(model, cond) else {
            continue;
        };
        if !possible(model, &matches) {
            continue; // never-holds says it better
        }
        if kept.possible_with(Some(&matches)) != Some(false) {
            continue;
        }
        if alone.is_empty() {
            alone = fails
                .iter()
                .map(|f| Conjunction::of(model, f.as_ref()))
                .collect();
        }
        // Name the one disqualifier that covers it, when one does on its own.
        let single = model
            .disqualifiers
            .iter()
            .zip(&alone)
            .find(|(_, a)| a.possible_with(Some(&matches)) == Some(false))
            .map(|(d, _)| d);
        let mut diag = Diagnostic::warning(
            Code::ShadowedByDisqualifier,
            tight(cond.span),
            format!(
                "criterion {} only matches inquiries that are disqualified",
                quoted(&c.name)
            ),
        )
        .label(match single {
            Some(d) => format!("whenever this holds, {} holds too", quoted(&d.reason)),
            None => "whenever this holds, some disqualifier holds too".into(),
        })
        .help("a disqualified inquiry never reaches sales whatever it scores; narrow the criterion or the disqualifier, or remove the criterion");
        if let Some(d) = single {
            diag = diag.related(tight(d.condition.span), "this disqualifier");
        }
        out.push(Finding {
            diagnostic: diag,
            owner: c.span,
        });
    }
}

/// Two criteria (without decay) whose conditions say the same thing.
fn same_condition(model: &Model, tight: &dyn Fn(Span) -> Span, out: &mut Vec<Finding>) {
    let plain: Vec<Plain<'_>> = model
        .criteria
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match &c.earning {
            Earning::Fixed {
                condition,
                decay: None,
            } => Some(Plain::new(model, i, condition)),
            _ => None,
        })
        .collect();
    // Written the same way: one look-up per criterion. Said differently:
    // only criteria that look at the same fields and criteria are compared,
    // pairwise, and only in groups small enough to stay quick; a bigger group
    // is left to the exact comparison (saying nothing is allowed, a slow
    // `check` on a huge definition is not).
    let mut first_of_shape: HashMap<&str, usize> = HashMap::new();
    let mut group_of_print: HashMap<Footprint, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of = Vec::with_capacity(plain.len());
    for (k, p) in plain.iter().enumerate() {
        let g = *group_of_print
            .entry(footprint(model, p.condition))
            .or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
        groups[g].push(k);
        group_of.push(g);
    }
    for (k, later) in plain.iter().enumerate() {
        let same_shape = *first_of_shape.entry(later.shape.as_str()).or_insert(k);
        let first = if same_shape < k {
            Some(&plain[same_shape])
        } else {
            let group = &groups[group_of[k]];
            (group.len() <= MAX_COMPARED)
                .then(|| {
                    group
                        .iter()
                        .take_while(|&&j| j < k)
                        .map(|&j| &plain[j])
                        .find(|earlier| earlier.same_as(model, later))
                })
                .flatten()
        };
        let Some(first) = first else {
            continue;
        };
        let (a, b) = (&model.criteria[first.id], &model.criteria[later.id]);
        out.push(Finding {
            diagnostic: Diagnostic::warning(
                Code::SameCondition,
                tight(later.condition.span),
                format!(
                    "criteria {} and {} have the same condition",
                    quoted(&a.name),
                    quoted(&b.name)
                ),
            )
            .label("same as the earlier criterion")
            .related(tight(first.condition.span), "first here")
            .help("they always match together; merge them into one criterion with the points added up, or tell them apart"),
            owner: b.span,
        });
    }
}

/// Whether conditions `a` and `b` of `model` hold for exactly the same
/// inquiries, as far as the analysis can tell (`false` when it cannot): what
/// "same condition" means, for `diff` to agree with.
pub fn same_meaning(model: &Model, a: &Expr, b: &Expr) -> bool {
    Plain::new(model, 0, a).same_as(model, &Plain::new(model, 1, b))
}

/// Most criteria over the same fields compared with each other by meaning.
const MAX_COMPARED: usize = 200;

/// The fields and criteria a condition looks at: two conditions can only be
/// found to mean the same when these agree.
#[derive(PartialEq, Eq, Hash)]
struct Footprint {
    fields: Vec<bool>,
    criteria: Vec<usize>,
}

fn footprint(model: &Model, e: &Expr) -> Footprint {
    let mut fields = vec![false; model.fields.len()];
    field_uses(e, &mut fields);
    let mut u = Uses::default();
    uses(e, &mut u);
    u.criteria.sort_unstable();
    u.criteria.dedup();
    Footprint {
        fields,
        criteria: u.criteria,
    }
}

/// A criterion's condition with its analysis done once.
struct Plain<'m> {
    id: usize,
    condition: &'m Expr,
    shape: String,
    holds: Option<Alternatives>,
    fails: Option<Alternatives>,
}

impl<'m> Plain<'m> {
    fn new(model: &Model, id: usize, condition: &'m Expr) -> Self {
        Plain {
            id,
            condition,
            shape: shape(model, condition),
            holds: when_true(model, condition),
            fails: when_not_true(model, condition),
        }
    }

    /// Same shape, or each holds exactly when the other does.
    fn same_as(&self, model: &Model, other: &Plain<'_>) -> bool {
        if self.shape == other.shape {
            return true;
        }
        let implies = |x: &Plain<'_>, y: &Plain<'_>| {
            all_of(vec![x.holds.clone(), y.fails.clone()])
                .is_some_and(|alts| !possible(model, &alts))
        };
        let can_hold = self.holds.as_ref().is_some_and(|a| possible(model, a));
        can_hold && implies(self, other) && implies(other, self)
    }
}
