//! The compact `why` of a score: the disqualification when there is one, then
//! the criteria that matched, in definition order, with the points they earned
//! (`decision maker +20; asked for a demo +30; gone quiet -15`), then any group
//! whose cap cut its points.
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

fn compose<'a>(
    reason: Option<&str>,
    matched: impl Iterator<Item = Part<'a>>,
    capped: impl Iterator<Item = (&'a str, f64)>,
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
    for (group, cap) in capped {
        sep(out);
        let _ = write!(out, "{group} capped at {}", format_exact(cap));
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
        e.groups.iter().filter_map(|g| match (g.sum, g.cap) {
            (Some(sum), Some(cap)) if sum > cap => Some((g.name.as_str(), cap)),
            _ => None,
        }),
        &mut out,
    );
    out
}

/// What the `why` of a bare outcome needs from the model, prepared once per run.
#[derive(Debug, Clone)]
pub struct WhyColumn {
    criteria: Vec<(String, f64)>,
    /// Name, cap and members of each capped group.
    groups: Vec<(String, f64, Vec<usize>)>,
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
                .filter_map(|g| g.cap.map(|cap| (g.name.clone(), cap, g.criteria.clone())))
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
            self.groups.iter().filter_map(|(name, cap, members)| {
                let sum = members.iter().fold(0.0, |s, &c| s + outcome.points[c]);
                // A sum too large to represent is missing, not capped.
                (sum.is_finite() && sum > *cap).then_some((name.as_str(), *cap))
            }),
            out,
        );
    }
}
