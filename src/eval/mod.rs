//! Evaluation: a checked model and one inquiry in, an [`Outcome`] out.
//!
//! [`reference`] is the plain tree-walking evaluator: the naive reading of the
//! definition, kept simple so it can be trusted. The compiled program must agree
//! with it on every output. The arithmetic that turns per-criterion points into
//! sub-scores and a total lives here, shared by both, so their floats are
//! bit-identical.
//!
//! A number too large to represent is missing (docs/language.md, "Numbers"),
//! here as in conditions: a per-unit product that overflows even after its
//! cap earns nothing ([`per_unit_points`]), and a sub-score or score whose sum
//! overflows is missing (`None` in an [`Outcome`], NaN in the batch columns
//! until it is handed out), so no output ever holds an infinity or NaN.

mod columns;
pub mod engine;
pub mod examples;
pub mod program;
pub mod reference;
mod row_ops;
mod text_groups;
pub mod text_memo;
pub mod time;

use crate::model::{Decay, Model, Value};

/// Everything a run says about one inquiry.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// `None` when missing: a sub-score is missing, or the sum grew too large
    /// to represent.
    pub score: Option<f64>,
    /// One per group, in group order; `None` when its sum grew too large to
    /// represent.
    pub group_scores: Vec<Option<f64>>,
    /// Points each criterion earned, in definition order (0 when not matched);
    /// always finite.
    pub points: Vec<f64>,
    /// Whether each criterion matched, in definition order.
    pub matched: Vec<bool>,
    /// The first disqualifier that held.
    pub disqualified: Option<usize>,
    /// Index into [`Model::stage_names`]: `stages.len()` means disqualified.
    pub stage: usize,
}

impl Outcome {
    pub fn stage_name<'m>(&self, model: &'m Model) -> &'m str {
        model
            .stages
            .get(self.stage)
            .map(|s| s.name.as_str())
            .unwrap_or(crate::model::DISQUALIFIED_STAGE)
    }

    pub fn disqualified_reason<'m>(&self, model: &'m Model) -> Option<&'m str> {
        self.disqualified
            .map(|d| model.disqualifiers[d].reason.as_str())
    }

    /// Equal, every number bit for bit (a missing score equals a missing one):
    /// how two engines are held to the same answer.
    pub fn same_bits(&self, other: &Outcome) -> bool {
        let bits = |v: Option<f64>| v.map(f64::to_bits);
        bits(self.score) == bits(other.score)
            && self.group_scores.len() == other.group_scores.len()
            && self
                .group_scores
                .iter()
                .zip(&other.group_scores)
                .all(|(a, b)| bits(*a) == bits(*b))
            && self.points.len() == other.points.len()
            && self
                .points
                .iter()
                .zip(&other.points)
                .all(|(a, b)| a.to_bits() == b.to_bits())
            && self.matched == other.matched
            && self.disqualified == other.disqualified
            && self.stage == other.stage
    }

    /// Names of matched criteria, in definition order.
    pub fn matched_names<'m>(&self, model: &'m Model) -> Vec<&'m str> {
        model
            .criteria
            .iter()
            .zip(&self.matched)
            .filter(|(_, m)| **m)
            .map(|(c, _)| c.name.as_str())
            .collect()
    }
}

/// `n` when it is a number, `None` (missing) when it is too large to represent.
pub fn finite(n: f64) -> Option<f64> {
    n.is_finite().then_some(n)
}

/// A group's sum after its cap. A sum that grew too large to represent is
/// missing (NaN), cap or not: the running sum of its points overflowed, so it
/// is not known to lie above the cap.
fn capped_sum(sum: f64, cap: Option<f64>) -> f64 {
    match cap {
        _ if !sum.is_finite() => f64::NAN,
        Some(cap) => sum.min(cap),
        None => sum,
    }
}

/// Sub-scores and total from per-criterion points: each group sums its
/// criteria (in definition order) and is capped from above; the total adds the
/// groups in group order, then the ungrouped criteria in definition order. A
/// sum that grows too large to represent is missing, and so is a total with a
/// missing sub-score.
pub fn total_score(model: &Model, points: &[f64], group_scores: &mut [Option<f64>]) -> Option<f64> {
    let mut score = 0.0;
    for (g, group) in model.groups.iter().enumerate() {
        let mut sum = 0.0;
        for &c in &group.criteria {
            sum += points[c];
        }
        let sum = capped_sum(sum, group.cap);
        group_scores[g] = finite(sum);
        score += sum;
    }
    for (c, crit) in model.criteria.iter().enumerate() {
        if crit.group.is_none() {
            score += points[c];
        }
    }
    finite(score)
}

/// [`total_score`] for a batch of rows at once: `points` holds one column
/// per criterion, `group_scores` one per group, `score` the rows' totals (its
/// length is the number of rows); a missing sub-score or total is NaN. Each
/// row goes through exactly the operations of [`total_score`] in the same
/// order, so the floats are bit-identical to it; the columns just let the
/// loops run side by side.
pub fn total_scores(
    model: &Model,
    points: &[Vec<f64>],
    group_scores: &mut [Vec<f64>],
    score: &mut [f64],
) {
    let n = score.len();
    score.fill(0.0);
    for (g, group) in model.groups.iter().enumerate() {
        let sums = &mut group_scores[g][..n];
        sums.fill(0.0);
        for &c in &group.criteria {
            sums.iter_mut().zip(&points[c]).for_each(|(s, p)| *s += p);
        }
        sums.iter_mut().for_each(|s| *s = capped_sum(*s, group.cap));
        score.iter_mut().zip(sums.iter()).for_each(|(t, s)| *t += s);
    }
    for (c, crit) in model.criteria.iter().enumerate() {
        if crit.group.is_none() {
            score.iter_mut().zip(&points[c]).for_each(|(t, p)| *t += p);
        }
    }
    score
        .iter_mut()
        .for_each(|t| *t = finite(*t).unwrap_or(f64::NAN));
}

/// Points of a fixed criterion whose condition held, after decay. `None` when
/// the decay date is missing (the criterion then does not match).
pub fn decayed_points(
    points: f64,
    decay: &Option<Decay>,
    values: &[Value],
    as_of: i32,
) -> Option<f64> {
    match decay {
        None => Some(points),
        Some(d) => match values.get(d.since) {
            Some(Value::Date(since)) => {
                let days = (as_of - since).max(0) as f64;
                Some(points * 0.5f64.powf(days / d.half_life_days))
            }
            _ => None,
        },
    }
}

/// Points per unit: the product, clamped to `cap` in either direction (so a
/// product too large to represent is still the cap). `None` when the product
/// is too large to represent and nothing caps it: it is missing, and the
/// criterion earns nothing, as for a missing amount.
pub fn per_unit_points(points: f64, amount: f64, cap: Option<f64>) -> Option<f64> {
    let raw = points * amount;
    finite(match cap {
        Some(c) => raw.clamp(-c.abs(), c.abs()),
        None => raw,
    })
}

/// Holidays that fall on weekdays, the only ones that change a business-day count.
pub fn weekday_holidays(model: &Model) -> Vec<i32> {
    model
        .holidays
        .iter()
        .copied()
        .filter(|&d| time::is_weekday(d))
        .collect()
}
