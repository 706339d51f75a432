//! The score arithmetic: per-criterion points in, sub-scores and a total out.
//!
//! Shared by every evaluator (the reference evaluator, explanations and the
//! compiled program, one row or a batch of rows at a time), so their floats
//! are bit-identical. A number too large to represent is missing
//! (docs/language.md, "Numbers"): a per-unit product that overflows even
//! after its cap earns nothing ([`per_unit_points`]), and a sub-score or
//! score whose sum overflows is missing (`None`, or NaN in the batch columns
//! until it is handed out), so no output ever holds an infinity or NaN.

use super::time;
use crate::model::{Decay, Model, Value};

/// `n` when it is a number, `None` (missing) when it is too large to represent.
pub fn finite(n: f64) -> Option<f64> {
    n.is_finite().then_some(n)
}

/// A group's sum after its floor and cap. A sum that grew too large to
/// represent is missing (NaN), bounds or not: the running sum of its points
/// overflowed, so it is not known to lie between them.
fn bounded_sum(sum: f64, floor: Option<f64>, cap: Option<f64>) -> f64 {
    if !sum.is_finite() {
        return f64::NAN;
    }
    // Comparisons rather than `max`/`min`, whose choice between 0 and -0 is
    // not specified: this is exactly what the SQL target writes.
    let sum = match floor {
        Some(f) if sum < f => f,
        _ => sum,
    };
    match cap {
        Some(c) if sum > c => c,
        _ => sum,
    }
}

/// Sub-scores and total from per-criterion points: each group sums its
/// criteria (in definition order) and is held between its floor and cap; the total adds the
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
        let sum = bounded_sum(sum, group.floor, group.cap);
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
        sums.iter_mut()
            .for_each(|s| *s = bounded_sum(*s, group.floor, group.cap));
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
