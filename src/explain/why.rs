//! The compact `why` of a score: the disqualification when there is one, then
//! the criteria that matched, in definition order, with the points they earned
//! (`decision maker +20; asked for a demo +30; gone quiet -15`), then any group
//! whose cap cut its points or whose floor lifted them.
//!
//! Two ways in, one wording: [`why`] from a full [`Explanation`], and
//! [`WhyColumn`] from a bare [`Outcome`] (for `score --explain`, where tracing
//! every row would be wasted work). A property test holds them equal.

use super::Explanation;
use crate::model::{format_exact, Model};
use crate::number::push_signed;
use crate::semantics::Outcome;
use std::fmt::Write;

/// One matched criterion: its name, whether it carries points, and the points earned.
struct Part<'a> {
    name: &'a str,
    labels_only: bool,
    points: f64,
}

/// The bound that set a group's sub-score from its `sum`, if one did:
/// `("capped at", cap)` or `("floored at", floor)`. A sum too large to
/// represent is missing, not bounded.
pub fn applied_bound(
    sum: f64,
    floor: Option<f64>,
    cap: Option<f64>,
) -> Option<(&'static str, f64)> {
    if !sum.is_finite() {
        return None;
    }
    match (floor, cap) {
        (_, Some(c)) if sum > c => Some(("capped at", c)),
        (Some(f), _) if sum < f => Some(("floored at", f)),
        _ => None,
    }
}

fn compose<'a>(
    reason: Option<&str>,
    matched: impl Iterator<Item = Part<'a>>,
    bounded: impl Iterator<Item = (&'a str, &'static str, f64)>,
    out: &mut String,
) {
    out.clear();
    let sep = |out: &mut String| {
        if !out.is_empty() {
            out.push_str("; ");
        }
    };
    if let Some(r) = reason {
        sep(out);
        let _ = write!(out, "disqualified: {r}");
    }
    for p in matched {
        sep(out);
        out.push_str(p.name);
        if !p.labels_only {
            // Written in place: this runs once per row of `score --explain`.
            out.push(' ');
            push_signed(out, p.points);
        }
    }
    for (group, how, bound) in bounded {
        sep(out);
        let _ = write!(out, "{group} {how} {}", format_exact(bound));
    }
}

/// The `why` of an explanation.
pub fn why(e: &Explanation) -> String {
    let mut out = String::new();
    compose(
        e.reason(),
        e.criteria.iter().filter(|c| c.matched).map(|c| Part {
            name: &c.name,
            labels_only: c.nominal == 0.0,
            points: c.points,
        }),
        e.groups.iter().filter_map(|g| {
            let (how, bound) = applied_bound(g.sum?, g.floor, g.cap)?;
            Some((g.name.as_str(), how, bound))
        }),
        &mut out,
    );
    out
}

/// A group with a floor or a cap: name, floor, cap and member criteria.
type BoundedGroup = (String, Option<f64>, Option<f64>, Vec<usize>);

/// What the `why` of a bare outcome needs from the model, prepared once per run.
#[derive(Debug, Clone)]
pub struct WhyColumn {
    criteria: Vec<(String, f64)>,
    /// Each group with a floor or a cap.
    groups: Vec<BoundedGroup>,
    reasons: Vec<String>,
}

impl WhyColumn {
    pub fn new(model: &Model) -> Self {
        WhyColumn {
            criteria: model
                .criteria
                .iter()
                .map(|c| (c.name.clone(), c.points))
                .collect(),
            groups: model
                .groups
                .iter()
                .filter(|g| g.floor.is_some() || g.cap.is_some())
                .map(|g| (g.name.clone(), g.floor, g.cap, g.criteria.clone()))
                .collect(),
            reasons: model
                .disqualifiers
                .iter()
                .map(|d| d.reason.clone())
                .collect(),
        }
    }

    /// Write the `why` of `outcome` into `out` (cleared first).
    pub fn write(&self, outcome: &Outcome, out: &mut String) {
        compose(
            outcome.disqualified.map(|d| self.reasons[d].as_str()),
            self.criteria
                .iter()
                .zip(outcome.matched.iter().zip(&outcome.points))
                .filter(|(_, (m, _))| **m)
                .map(|((name, nominal), (_, &points))| Part {
                    name,
                    labels_only: *nominal == 0.0,
                    points,
                }),
            self.groups
                .iter()
                .filter_map(|(name, floor, cap, members)| {
                    let sum = members.iter().fold(0.0, |s, &c| s + outcome.points[c]);
                    let (how, bound) = applied_bound(sum, *floor, *cap)?;
                    Some((name.as_str(), how, bound))
                }),
            out,
        );
    }
}
