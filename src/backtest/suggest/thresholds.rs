//! Score thresholds in stages, moved to suit the proposed points.
//!
//! In: the model as written and the model with proposed points, the training
//! rows scored by each, and the target precisions. Out: text edits of the
//! thresholds and what was decided for each, with the reason.

use super::edits::{for_each_threshold, Edit};
use super::{Sample, TargetPrecision, ThresholdChange};
use crate::ast::Span;
use crate::model::{format_exact, format_literal, Model};
use crate::semantics::expr::{eval, Env};
use crate::semantics::score::weekday_holidays;
use crate::semantics::Outcome;
use crate::semantics::Truth;

/// Most candidate thresholds tried per stage (spread over the distinct scores).
const MAX_CANDIDATES: usize = 200;

struct Found {
    strict: bool,
    value: f64,
    span: Span,
}

fn thresholds_of(model: &Model, stage: usize) -> Vec<Found> {
    let mut found = Vec::new();
    if let Some(mut cond) = model.stages[stage].condition.clone() {
        for_each_threshold(&mut cond, &mut |t| {
            found.push(Found {
                strict: t.strict,
                value: *t.value,
                span: t.span,
            })
        });
    }
    found
}

fn set_thresholds(model: &mut Model, stage: usize, value: f64, only: Option<usize>) {
    if let Some(cond) = model.stages[stage].condition.as_mut() {
        let mut i = 0;
        for_each_threshold(cond, &mut |t| {
            if only.is_none_or(|o| o == i) {
                *t.value = value;
            }
            i += 1;
        });
    }
}

/// Whether `score` passes the threshold; a missing score (too large to
/// represent) passes none, as `score >= N` is then unknown.
fn passes(score: Option<f64>, strict: bool, threshold: f64) -> bool {
    match score {
        Some(score) if strict => score > threshold,
        Some(score) => score >= threshold,
        None => false,
    }
}

/// Whether a row lands in stage `stage` or an earlier one.
fn at_or_above(
    model: &Model,
    stage: usize,
    s: &Sample,
    o: &Outcome,
    as_of: i32,
    holidays: &[i32],
) -> bool {
    if o.disqualified.is_some() {
        return false;
    }
    let env = Env {
        model,
        values: &s.values,
        as_of,
        holidays,
        matched: &o.matched,
        score: o.score,
        group_scores: &o.group_scores,
        stage: None,
    };
    model.stages[..=stage].iter().any(|st| {
        st.condition
            .as_ref()
            .is_none_or(|c| Truth::of(&eval(c, &env)) == Truth::Yes)
    })
}

/// Which stage each target applies to, checked against the model.
fn target_stages(model: &Model, targets: &[TargetPrecision]) -> Result<Vec<(usize, f64)>, String> {
    let mut out = Vec::new();
    for t in targets {
        if !(t.precision > 0.0 && t.precision <= 1.0) {
            return Err(format!(
                "a target precision is a share between 0 and 1 (or a percentage), not `{}`",
                format_exact(t.precision)
            ));
        }
        let stage = match &t.stage {
            Some(name) => model
                .stages
                .iter()
                .position(|s| s.name == *name)
                .ok_or_else(|| {
                    let names: Vec<String> = model
                        .stages
                        .iter()
                        .map(|s| format!("`{}`", s.name))
                        .collect();
                    format!(
                        "there is no stage `{name}`; the stages are {}",
                        names.join(", ")
                    )
                })?,
            None => (0..model.stages.len())
                .find(|&s| !thresholds_of(model, s).is_empty())
                .ok_or(
                    "no stage compares the score with a number, so there is no threshold to move",
                )?,
        };
        if thresholds_of(model, stage).is_empty() {
            return Err(format!(
                "stage `{}` does not compare the score with a number, so it has no threshold to move",
                model.stages[stage].name
            ));
        }
        out.push((stage, t.precision));
    }
    Ok(out)
}

fn candidates(scores: impl Iterator<Item = Option<f64>>) -> Vec<f64> {
    let mut all: Vec<f64> = scores.flatten().map(f64::ceil).collect();
    all.sort_by(f64::total_cmp);
    all.dedup();
    if all.len() <= MAX_CANDIDATES {
        return all;
    }
    (0..MAX_CANDIDATES)
        .map(|i| all[i * (all.len() - 1) / (MAX_CANDIDATES - 1)])
        .collect()
}

/// The candidate threshold whose share of training rows passing it (with the
/// new scores) is closest to the share passing `f` with the old scores; and
/// that old share.
fn keep_share(
    old_train: &[Outcome],
    train: &[(&Sample, Outcome)],
    cands: &[f64],
    f: &Found,
    n: f64,
) -> (f64, f64) {
    let share = old_train
        .iter()
        .filter(|o| passes(o.score, f.strict, f.value))
        .count() as f64
        / n;
    let mut best = (f.value, f64::INFINITY);
    for &t in cands {
        let new_share = train
            .iter()
            .filter(|(_, o)| passes(o.score, f.strict, t))
            .count() as f64
            / n;
        if (new_share - share).abs() < best.1 {
            best = (t, (new_share - share).abs());
        }
    }
    (best.0, share)
}

pub fn propose(
    old_model: &Model,
    new_model: &Model,
    old_train: &[Outcome],
    train: &[(&Sample, Outcome)],
    targets: &[TargetPrecision],
    as_of: i32,
) -> Result<(Vec<Edit>, Vec<ThresholdChange>), String> {
    let targets = target_stages(old_model, targets)?;
    let holidays = weekday_holidays(new_model);
    let mut working = new_model.clone();
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    let n = train.len().max(1) as f64;
    let cands = candidates(train.iter().map(|(_, o)| o.score));
    for stage in 0..old_model.stages.len() {
        let found = thresholds_of(old_model, stage);
        if found.is_empty() {
            continue;
        }
        let name = old_model.stages[stage].name.clone();
        let mut decided: Vec<(usize, f64, String)> = Vec::new();
        if let Some(&(_, target)) = targets.iter().find(|(s, _)| *s == stage) {
            let mut best = None;
            for &t in &cands {
                set_thresholds(&mut working, stage, t, None);
                let (mut reached, mut converted) = (0u64, 0u64);
                for (s, o) in train {
                    if at_or_above(&working, stage, s, o, as_of, &holidays) {
                        reached += 1;
                        converted += u64::from(s.converted);
                    }
                }
                if reached > 0 && converted as f64 / reached as f64 >= target {
                    best = Some((t, converted as f64 / reached as f64, reached));
                    break;
                }
            }
            let lowest = cands.first().copied();
            match best {
                // Met at the lowest score seen: the score does not limit the
                // precision of this stage, so its threshold only sets volume.
                Some((t, precision, _)) if Some(t) == lowest => {
                    for (i, f) in found.iter().enumerate() {
                        let (value, share) = keep_share(old_train, train, &cands, f, n);
                        decided.push((
                            i,
                            value,
                            format!(
                                "`{name}` or better converts at {:.1}% (target {:.1}%) whatever the score, so this keeps the share of training rows scoring {} it near {:.1}%",
                                precision * 100.0,
                                target * 100.0,
                                if f.strict { "above" } else { "at or above" },
                                share * 100.0
                            ),
                        ));
                    }
                }
                Some((t, precision, reached)) => {
                    for i in 0..found.len() {
                        decided.push((
                            i,
                            t,
                            format!(
                                "lowest score at which `{name}` or better converts at {:.1}% (target {:.1}%) on the training rows; {} {} it",
                                precision * 100.0,
                                target * 100.0,
                                crate::plural::count(reached, "row", "rows"),
                                crate::plural::pick(reached, "reaches", "reach")
                            ),
                        ));
                    }
                }
                None => {
                    for (i, f) in found.iter().enumerate() {
                        decided.push((
                            i,
                            f.value,
                            format!(
                                "kept: no threshold makes `{name}` or better convert at {:.1}% on the training rows",
                                target * 100.0
                            ),
                        ));
                    }
                }
            }
        } else {
            for (i, f) in found.iter().enumerate() {
                let (value, share) = keep_share(old_train, train, &cands, f, n);
                decided.push((
                    i,
                    value,
                    format!(
                        "keeps the share of training rows scoring {} it near {:.1}%",
                        if f.strict { "above" } else { "at or above" },
                        share * 100.0
                    ),
                ));
            }
        }
        for (i, value, reason) in decided {
            set_thresholds(&mut working, stage, value, Some(i));
            let f = &found[i];
            if value != f.value {
                edits.push(Edit {
                    span: f.span,
                    text: format_literal(value),
                });
            }
            changes.push(ThresholdChange {
                stage: name.clone(),
                threshold: f.value,
                proposed: value,
                reason,
            });
        }
    }
    Ok((edits, changes))
}
