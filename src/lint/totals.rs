//! Which score totals the criteria can add up to, and whether one criterion's
//! points can carry a total across a stage's threshold (for the no-effect
//! lint).
//!
//! In: the model's criteria points and the stages' `score <op> number`
//! thresholds. Out: per points value, whether adding it can change a
//! comparison; `true` (assume it matters) when the totals are too many.

use crate::ast::CompareOp;
use crate::model::Model;
use std::collections::{BTreeMap, HashMap};

/// Most distinct totals tracked before giving up.
const MAX_TOTALS: usize = 4096;

/// Which criteria's points can cross a threshold, worked out once per distinct
/// points value: criteria with equal points are interchangeable, so a large
/// definition costs a pass per points value, not per criterion.
pub(super) struct Crossings<'t> {
    /// How many criteria earn each non-zero points value (by bit pattern).
    counts: BTreeMap<u64, usize>,
    /// Whether all the totals together already exceed twice the limit: then
    /// every leave-one-out set exceeds it too (it is at least half as big).
    too_many: bool,
    thresholds: &'t [(CompareOp, f64)],
    known: HashMap<u64, bool>,
}

impl<'t> Crossings<'t> {
    pub(super) fn new(model: &Model, thresholds: &'t [(CompareOp, f64)]) -> Self {
        let mut counts = BTreeMap::new();
        for c in &model.criteria {
            if c.points != 0.0 {
                *counts.entry(c.points.to_bits()).or_insert(0) += 1;
            }
        }
        let too_many = totals(&counts, 2 * MAX_TOTALS).is_none();
        Crossings {
            counts,
            too_many,
            thresholds,
            known: HashMap::new(),
        }
    }

    /// Whether adding `p` points to some possible total of the other criteria
    /// (every criterion but one earning `p`) changes a score comparison.
    pub(super) fn crosses(&mut self, p: f64) -> bool {
        if self.too_many {
            return true; // too many totals to enumerate: assume it matters
        }
        if let Some(&known) = self.known.get(&p.to_bits()) {
            return known;
        }
        let mut others = self.counts.clone();
        if let Some(n) = others.get_mut(&p.to_bits()) {
            *n -= 1;
        }
        let answer = match totals(&others, MAX_TOTALS) {
            None => true,
            Some(totals) => crosses_from(&totals, p, self.thresholds),
        };
        self.known.insert(p.to_bits(), answer);
        answer
    }
}

/// Every total some subset of the criteria can add up to, or `None` past
/// `limit`. Each criterion adds at least one new total (the largest plus its
/// points), so this stops after at most `limit` steps.
///
/// Adding a criterion with the points of the one before only adds its points
/// to the totals the one before added (the others had them added already), so
/// a step costs a merge of the new totals into the sorted ones, not a sort of
/// everything: thousands of criteria with equal points stay quick.
fn totals(counts: &BTreeMap<u64, usize>, limit: usize) -> Option<Vec<f64>> {
    let mut totals: Vec<f64> = vec![0.0];
    for (&bits, &n) in counts {
        let points = f64::from_bits(bits);
        if !points.is_finite() || totals.iter().any(|t| t.is_nan()) {
            // inf - inf is NaN, which is unequal to itself: no shortcut.
            for _ in 0..n {
                let mut next: Vec<f64> = totals.iter().map(|t| t + points).collect();
                next.extend(totals.iter().copied());
                next.sort_by(f64::total_cmp);
                next.dedup();
                if next.len() > limit {
                    return None;
                }
                totals = next;
            }
            continue;
        }
        // Finite points over sums of finite points: no NaN, no -0, and adding
        // keeps the order, so the shifted totals come out sorted.
        let mut fresh = totals.clone();
        for _ in 0..n {
            if fresh.is_empty() {
                break; // nothing new: more of the same points add nothing
            }
            let shifted: Vec<f64> = fresh.iter().map(|t| t + points).collect();
            let (merged, added) = merge(&totals, &shifted);
            if merged.len() > limit {
                return None;
            }
            totals = merged;
            fresh = added;
        }
    }
    Some(totals)
}

/// `old` and `new` (both sorted) merged without repeats, and the values of
/// `new` that `old` did not have.
fn merge(old: &[f64], new: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let mut merged = Vec::with_capacity(old.len() + new.len());
    let mut added: Vec<f64> = Vec::new();
    let mut i = 0;
    for &x in new {
        while i < old.len() && old[i].total_cmp(&x).is_lt() {
            merged.push(old[i]);
            i += 1;
        }
        let known = old.get(i) == Some(&x) || added.last() == Some(&x);
        if !known {
            merged.push(x);
            added.push(x);
        }
    }
    merged.extend_from_slice(&old[i..]);
    (merged, added)
}

fn crosses_from(totals: &[f64], p: f64, thresholds: &[(CompareOp, f64)]) -> bool {
    let holds = |op: CompareOp, s: f64, t: f64| match op {
        CompareOp::Eq => s == t,
        CompareOp::Ne => s != t,
        CompareOp::Lt => s < t,
        CompareOp::Le => s <= t,
        CompareOp::Gt => s > t,
        CompareOp::Ge => s >= t,
    };
    totals.iter().any(|&s| {
        thresholds
            .iter()
            .any(|&(op, t)| holds(op, s, t) != holds(op, s + p, t))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The totals as first written: every step sorts everything again.
    fn by_sorting(counts: &BTreeMap<u64, usize>, limit: usize) -> Option<Vec<f64>> {
        let mut totals: Vec<f64> = vec![0.0];
        for (&bits, &n) in counts {
            let points = f64::from_bits(bits);
            for _ in 0..n {
                let mut next: Vec<f64> = totals.iter().map(|t| t + points).collect();
                next.extend(totals.iter().copied());
                next.sort_by(f64::total_cmp);
                next.dedup();
                if next.len() > limit {
                    return None;
                }
                totals = next;
            }
        }
        Some(totals)
    }

    #[test]
    fn merging_gives_the_totals_sorting_gives() {
        let sets: [&[(f64, usize)]; 7] = [
            &[(1.0, 3000)],
            &[(1.0, 40), (2.5, 7), (-3.0, 12)],
            &[(0.1, 30), (0.2, 30), (0.3, 30)],
            &[(1e308, 3), (-1e308, 3)],
            &[(1e16, 5), (1.0, 5), (-0.5, 9)],
            &[(5.0, 2), (7.0, 3), (11.0, 4), (-13.0, 5)],
            &[(1.0, 9000)],
        ];
        for set in sets {
            let counts: BTreeMap<u64, usize> = set.iter().map(|&(p, n)| (p.to_bits(), n)).collect();
            for limit in [10, 100, 4096, 8192] {
                let (a, b) = (totals(&counts, limit), by_sorting(&counts, limit));
                let bits = |v: Option<Vec<f64>>| {
                    v.map(|v| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>())
                };
                assert_eq!(bits(a), bits(b), "{set:?} limit {limit}");
            }
        }
    }
}
