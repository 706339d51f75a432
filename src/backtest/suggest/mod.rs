//! `--suggest`: revised points and stage thresholds learned from outcomes.
//!
//! In: a loaded definition (text, syntax tree, model), the backtested rows with
//! their outcomes, and [`SuggestOptions`]. Out: a [`Suggestion`]: the edited
//! definition text, its unified diff against the original, and the backtest
//! figures of both on held-out rows.
//!
//! How: rows are split into training and held-out rows by a seeded hash of
//! their position. On the training rows a ridge-regularised logistic
//! regression learns one weight per criterion with points (its feature: the
//! points it earned over its written points, so 1/0 for a yes/no criterion and
//! the units for a per-unit one). Weights are scaled so the largest fixed
//! criterion keeps the largest fixed points of the definition, then rounded.
//! Score thresholds in stages either keep the share of training rows at or
//! above them or, with a target precision, move to the lowest score at which
//! the stage and those before it convert at that rate on the training rows.

mod edits;
pub mod fit;
mod thresholds;
mod warnings;

use super::intervals::{Interval, Z95};
use super::{Backtest, BandSpec, Tally};
use crate::eval::engine::evaluate_many;
use crate::fmt::format_text;
use crate::load::{add_example_failures, load_str, Loaded};
use crate::model::{Earning, Model, Value};
use crate::semantics::outcome::{entry_of, Entry};
use crate::semantics::Outcome;
pub use edits::signed;
use edits::{apply, point_spans, Edit, PointSpans};
use serde::Serialize;

/// One backtested inquiry, kept for the suggestion.
#[derive(Debug, Clone)]
pub struct Sample {
    pub values: Vec<Value>,
    pub converted: bool,
    /// When the outcome is a date: the day it converted (days since 1970).
    pub converted_on: Option<i32>,
}

/// A target precision for one stage (`None`: the first stage with a score threshold).
#[derive(Debug, Clone, PartialEq)]
pub struct TargetPrecision {
    pub stage: Option<String>,
    pub precision: f64,
}

/// Learn on the inquiries up to a date of one field, judge on the later ones.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeSplit {
    /// The date field (index into the model's fields).
    pub field: usize,
    /// Days since 1970: inquiries dated after it are held out.
    pub after: i32,
    /// As given, for the report.
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct SuggestOptions {
    pub seed: u64,
    /// A time-ordered split instead of the seeded hash (`--held-out-after`).
    pub time_split: Option<TimeSplit>,
    /// Share of rows held out (not used for fitting).
    pub held_out: f64,
    /// Ridge penalty on standardised weights.
    pub lambda: f64,
    pub targets: Vec<TargetPrecision>,
    pub bands: BandSpec,
    pub as_of: i32,
}

/// One criterion's points, before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointChange {
    pub criterion: String,
    pub per_unit: bool,
    pub points: f64,
    pub proposed: f64,
    pub cap: Option<f64>,
    pub proposed_cap: Option<f64>,
    /// Learned change in log-odds when matched (per unit for per-unit criteria).
    pub weight: f64,
    /// The weight's 95% interval (Wald, from the penalised fit's information).
    pub weight_interval: Interval,
    /// The same interval in proposed points (the weight's scale).
    pub points_interval: Interval,
}

/// One score threshold in a stage, before and after, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThresholdChange {
    pub stage: String,
    pub threshold: f64,
    pub proposed: f64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub seed: u64,
    /// How the rows were split, in words.
    pub split: String,
    pub training_rows: u64,
    pub held_out_rows: u64,
    /// With a time split: rows whose date is missing, in neither part.
    pub undated_rows: u64,
    pub points: Vec<PointChange>,
    pub thresholds: Vec<ThresholdChange>,
    /// Figures of the definition as written, on the held-out rows.
    pub before: Backtest,
    /// Figures of the proposal, on the same held-out rows.
    pub after: Backtest,
    /// What fails when the proposal is checked: the examples it breaks
    /// (update them too), each with what was expected and what came out.
    pub broken_examples: Vec<String>,
    /// Criteria whose learned sign contradicts the definition or their own
    /// matched/not-matched direction, with the criterion they overlap most.
    pub warnings: Vec<String>,
    /// Unified diff of the definition text.
    pub diff: String,
    #[serde(skip)]
    pub proposed_text: String,
}

/// Whether row `index` is held out: a hash of the seed and the position, so the
/// split does not depend on the order rows finish in.
pub fn is_held_out(index: usize, seed: u64, share: f64) -> bool {
    let mut z = seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    ((z >> 11) as f64 / (1u64 << 53) as f64) < share
}

/// What the fit learns a weight for: a criterion with points, or one keyed
/// entry of a points-by-value criterion (its `otherwise` is the baseline).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Scored {
    Criterion(usize),
    Entry(usize, usize),
}

impl Scored {
    fn criterion(self) -> usize {
        match self {
            Scored::Criterion(c) | Scored::Entry(c, _) => c,
        }
    }

    /// Its points as written.
    fn points(self, model: &Model) -> f64 {
        match self {
            Scored::Criterion(c) => model.criteria[c].points,
            Scored::Entry(c, i) => match &model.criteria[c].earning {
                Earning::ByValue { entries, .. } => entries[i].points,
                _ => 0.0,
            },
        }
    }

    /// `lead source: "API"` for an entry.
    fn name(self, model: &Model) -> String {
        let crit = &model.criteria[self.criterion()];
        match (self, &crit.earning) {
            (Scored::Entry(_, i), Earning::ByValue { entries, .. }) => {
                format!("{}: {}", crit.name, entries[i].key.display())
            }
            _ => crit.name.clone(),
        }
    }
}

/// Every criterion with points and every keyed entry, in definition order.
fn scored(model: &Model) -> Vec<Scored> {
    let mut out = Vec::new();
    for (c, crit) in model.criteria.iter().enumerate() {
        match &crit.earning {
            Earning::ByValue { entries, .. } => {
                out.extend((0..entries.len()).map(|i| Scored::Entry(c, i)))
            }
            _ if crit.points != 0.0 => out.push(Scored::Criterion(c)),
            _ => {}
        }
    }
    out
}

/// The feature of `s` for one inquiry: a criterion's earned points over its
/// written points; for an entry, 1 when it applied, else 0.
fn feature(model: &Model, values: &[Value], outcome: &Outcome, s: Scored) -> f64 {
    match s {
        Scored::Entry(c, i) => match &model.criteria[c].earning {
            Earning::ByValue { field, entries, .. } => {
                let value = values.get(*field).unwrap_or(&Value::Missing);
                let applied = entry_of(value, entries) == Entry::Listed(i);
                f64::from(u8::from(applied))
            }
            _ => 0.0,
        },
        Scored::Criterion(c) => {
            let p = model.criteria[c].points;
            if p == 0.0 {
                0.0
            } else {
                outcome.points[c] / p
            }
        }
    }
}

pub fn suggest(
    loaded: &Loaded,
    samples: &[Sample],
    opts: &SuggestOptions,
) -> Result<Suggestion, String> {
    let (Some(model), Some(ast)) = (&loaded.model, &loaded.ast) else {
        return Err("the definition has errors; fix them before asking for a suggestion".into());
    };
    let mut train: Vec<&Sample> = Vec::new();
    let mut held: Vec<&Sample> = Vec::new();
    let mut undated = 0u64;
    for (i, s) in samples.iter().enumerate() {
        let held_out = match &opts.time_split {
            None => is_held_out(i, opts.seed, opts.held_out),
            Some(t) => match s.values.get(t.field) {
                Some(Value::Date(d)) => *d > t.after,
                _ => {
                    undated += 1;
                    continue;
                }
            },
        };
        if held_out {
            held.push(s);
        } else {
            train.push(s);
        }
    }
    let split = match &opts.time_split {
        None => format!("split by seed {}", opts.seed),
        Some(t) => format!(
            "learned on `{}` up to {}, judged on the later ones",
            model.fields[t.field].name, t.label
        ),
    };
    if opts.time_split.is_some() && held.is_empty() {
        return Err(format!(
            "no inquiry is dated after the split ({split}): nothing to judge the proposal on"
        ));
    }
    let converted = train.iter().filter(|s| s.converted).count();
    if converted == 0 || converted == train.len() {
        return Err(format!(
            "the {} {} all {}: nothing to learn points from",
            crate::plural::count(train.len(), "training row", "training rows"),
            crate::plural::pick(train.len(), "is", "are"),
            if converted == 0 {
                "unconverted"
            } else {
                "converted"
            }
        ));
    }

    // 1. Learn a weight per criterion with points.
    let scored = scored(model);
    let old_train: Vec<Outcome> = evaluate_many(
        &crate::compile::compile(model),
        &train,
        |s| &s.values,
        opts.as_of,
    );
    let rows: Vec<Vec<f64>> = old_train
        .iter()
        .zip(&train)
        .map(|(o, s)| {
            scored
                .iter()
                .map(|&f| feature(model, &s.values, o, f))
                .collect()
        })
        .collect();
    let y: Vec<bool> = train.iter().map(|s| s.converted).collect();
    let fit = fit::fit_logistic(&rows, &y, opts.lambda);

    // 2. Scale to the definition's point range and round.
    let is_fixed = |s: Scored| {
        !matches!(
            model.criteria[s.criterion()].earning,
            Earning::PerUnit { .. }
        )
    };
    let largest = |pick: &dyn Fn(Scored) -> bool, of: &dyn Fn(usize, Scored) -> f64| {
        scored
            .iter()
            .enumerate()
            .filter(|(_, &c)| pick(c))
            .map(|(k, &c)| of(k, c).abs())
            .fold(0.0f64, f64::max)
    };
    let (old_max, w_max) = if scored.iter().any(|&c| is_fixed(c)) {
        (
            largest(&|c| is_fixed(c), &|_, c| c.points(model)),
            largest(&|c| is_fixed(c), &|k, _| fit.weights[k]),
        )
    } else {
        (
            largest(&|_| true, &|_, c| c.points(model)),
            largest(&|_| true, &|k, _| fit.weights[k]),
        )
    };
    let scale = if w_max > 0.0 { old_max / w_max } else { 0.0 };
    let spans = point_spans(ast);
    let mut edits = Vec::new();
    let mut points = Vec::new();
    for (k, &s) in scored.iter().enumerate() {
        let crit = &model.criteria[s.criterion()];
        let written = s.points(model);
        let (per_unit, cap) = match &crit.earning {
            Earning::PerUnit { cap, .. } => (true, *cap),
            // Never scored: its own points are 0 (its entries carry them).
            Earning::Fixed { .. } | Earning::ByValue { .. } => (false, None),
        };
        let raw = fit.weights[k] * scale;
        let proposed = if per_unit {
            (raw * 10.0).round() / 10.0
        } else {
            raw.round()
        } + 0.0; // no "-0"
        let proposed_cap = cap.map(|cap| {
            if proposed == 0.0 {
                cap
            } else {
                (cap / crit.points.abs() * proposed.abs()).round().max(1.0)
            }
        });
        let at = match s {
            Scored::Criterion(_) => spans.iter().find(|(n, _)| *n == crit.name).map(|x| x.1),
            Scored::Entry(_, i) => {
                entry_span(ast, &crit.name, i).map(|points| PointSpans { points, cap: None })
            }
        };
        if let Some(at) = at {
            if proposed != written {
                edits.push(Edit {
                    span: at.points,
                    text: signed(proposed),
                });
            }
            if let (Some(span), Some(new), Some(old)) = (at.cap, proposed_cap, cap) {
                if new != old {
                    edits.push(Edit {
                        span,
                        text: crate::model::format_literal(new),
                    });
                }
            }
        }
        let half = Z95 * fit.std_errors[k];
        let weight_interval = Interval {
            low: fit.weights[k] - half,
            high: fit.weights[k] + half,
        };
        points.push(PointChange {
            criterion: s.name(model),
            per_unit,
            points: written,
            proposed,
            cap,
            proposed_cap,
            weight: fit.weights[k],
            weight_interval,
            points_interval: Interval {
                low: weight_interval.low * scale,
                high: weight_interval.high * scale,
            },
        });
    }
    let learned: Vec<warnings::Learned> = points
        .iter()
        .map(|p| warnings::Learned {
            name: &p.criterion,
            points: p.points,
            weight: p.weight,
            interval: p.weight_interval,
        })
        .collect();
    let warnings = warnings::sign_warnings(&learned, &rows, &y);

    // 3. Stage thresholds, on the training rows scored with the new points.
    let text = &loaded.source.text;
    let repointed = load_str(&loaded.source.name, &apply(text, &edits));
    let Some(new_model) = repointed.model.as_ref() else {
        return Err(
            "the proposed points do not make a valid definition (this is a bug in qualify)".into(),
        );
    };
    let train_rows: Vec<(&Sample, Outcome)> = train
        .iter()
        .copied()
        .zip(evaluate_many(
            &crate::compile::compile(new_model),
            &train,
            |s| &s.values,
            opts.as_of,
        ))
        .collect();
    let (threshold_edits, thresholds) = thresholds::propose(
        model,
        new_model,
        &old_train,
        &train_rows,
        &opts.targets,
        opts.as_of,
    )?;
    edits.extend(threshold_edits);

    // 4. The proposal as text, checked, and both definitions on held-out rows.
    let proposed_text = keep_formatted(&loaded.source.name, text, apply(text, &edits));
    let mut proposed = load_str(&loaded.source.name, &proposed_text);
    let Some(after_model) = proposed.model.clone() else {
        return Err(
            "the proposal does not make a valid definition (this is a bug in qualify)".into(),
        );
    };
    let tally = |m: &Model| {
        let mut t = Tally::new(m);
        let outcomes = evaluate_many(
            &crate::compile::compile(m),
            &held,
            |s| &s.values,
            opts.as_of,
        );
        for (s, outcome) in held.iter().zip(&outcomes) {
            t.add(&s.values, outcome, s.converted);
        }
        t.finish(&opts.bands)
    };
    let before = tally(model);
    let after = tally(&after_model);
    add_example_failures(&mut proposed, opts.as_of);
    let broken_examples = proposed
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| match d.label.as_str() {
            "" => d.message.clone(),
            label => format!("{}: {label}", d.message),
        })
        .collect();
    let diff = similar::TextDiff::from_lines(text.as_str(), proposed_text.as_str())
        .unified_diff()
        .context_radius(1)
        .header(
            &loaded.source.name,
            &format!("{} (proposed)", loaded.source.name),
        )
        .to_string();
    Ok(Suggestion {
        seed: opts.seed,
        split,
        training_rows: train.len() as u64,
        held_out_rows: held.len() as u64,
        undated_rows: undated,
        points,
        thresholds,
        before,
        after,
        broken_examples,
        warnings,
        diff,
        proposed_text,
    })
}

/// Where the points of keyed entry `i` of the points-by-value criterion
/// `name` are written (the model's entries are the keyed ones, in order).
fn entry_span(ast: &crate::ast::Definition, name: &str, i: usize) -> Option<crate::ast::Span> {
    let (c, _) = ast.criteria().find(|(c, _)| c.name.value == name)?;
    let crate::ast::CriterionBody::ByValue { entries, .. } = &c.body else {
        return None;
    };
    entries
        .iter()
        .filter(|e| e.key.is_some())
        .nth(i)
        .map(|e| e.points.span)
}

/// A formatted definition stays formatted: CI runs `fmt --check`, and points of
/// another width (`+5` → `+15`) would break the column its criteria align on.
/// A file that was not formatted keeps its own layout, edited in place.
fn keep_formatted(name: &str, before: &str, edited: String) -> String {
    let was_formatted = matches!(format_text(name, before), Ok(f) if f == before);
    match was_formatted {
        true => format_text(name, &edited).unwrap_or(edited),
        false => edited,
    }
}
