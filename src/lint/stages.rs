//! Stages and scores: a stage earlier stages already cover, a score threshold
//! outside what the criteria can add up to, a criterion that can never change
//! any inquiry's stage.
//!
//! In: the checked model and its source text. Out: findings.

use super::conjunction::Conjunction;
use super::logic::{constant_number, possible, when_not_true, when_true, Alternatives};
use super::totals::Crossings;
use super::{quoted, Finding};
use crate::ast::{CompareOp, Span};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{format_exact, CritId, Earning, Expr, ExprKind, Model, Stage};
use crate::number::format_number;
use std::collections::HashSet;

pub(super) fn run(
    model: &Model,
    source: &str,
    tight: &dyn Fn(Span) -> Span,
    out: &mut Vec<Finding>,
) {
    unreachable(model, tight, out);
    thresholds(model, source, tight, out);
    no_effect(model, tight, out);
}

/// A stage that holds only where an earlier stage already holds.
fn unreachable(model: &Model, tight: &dyn Fn(Span) -> Span, out: &mut Vec<Finding>) {
    for (k, cover) in covered(model, &model.stages) {
        let stage = &model.stages[k];
        let cover = cover.map(|j| &model.stages[j]);
        let mut diag = Diagnostic::warning(
            Code::UnreachableStage,
            tight(stage.span),
            format!("stage {} can never be reached", quoted(&stage.name)),
        )
        .label(match cover {
            Some(s) => format!("every inquiry that meets this gets {} first", quoted(&s.name)),
            None => "the stages above take every inquiry that meets this".into(),
        })
        .help("the first stage that holds wins; move this stage above the one that covers it, or narrow the earlier stages");
        if let Some(s) = cover {
            diag = diag.related(tight(s.span), "this stage comes first");
        }
        out.push(Finding {
            diagnostic: diag,
            owner: stage.span,
        });
    }
}

/// Rules tried in order, first that holds wins (stages, routes), that hold
/// only where earlier ones already hold: each one's index, with the first
/// earlier rule that covers it on its own when there is one. One sweep down
/// the rules: each condition is analysed once, and what the earlier rules
/// leave open is carried along folded ([`Conjunction`]), so many rules cost
/// a pass, not a pass per pair. `otherwise` rules are skipped.
pub(super) fn covered(model: &Model, rules: &[Stage]) -> Vec<(usize, Option<usize>)> {
    let analysed =
        |walk: fn(&Model, &Expr) -> Option<Alternatives>| -> Vec<Option<Option<Alternatives>>> {
            rules
                .iter()
                .map(|s| s.condition.as_ref().map(|c| walk(model, c)))
                .collect()
        };
    let holds = analysed(when_true);
    let fails = analysed(when_not_true);
    let mut earlier = Conjunction::new(model);
    // Each rule's failing on its own, folded, built when first needed.
    let mut alone: Vec<Conjunction<'_>> = Vec::new();
    let mut out = Vec::new();
    for k in 0..rules.len() {
        let Some(holds_k) = &holds[k] else {
            continue;
        };
        let reached = (k > 0 && holds_k.as_ref().is_none_or(|a| possible(model, a)))
            .then(|| earlier.possible_with(holds_k.as_ref()));
        if let Some(fails_k) = &fails[k] {
            earlier.push(fails_k.as_ref());
        }
        if reached != Some(Some(false)) {
            continue;
        }
        if alone.is_empty() {
            alone = fails
                .iter()
                .map(|f| Conjunction::of(model, f.as_ref().and_then(Option::as_ref)))
                .collect();
        }
        let cover = (0..k)
            .filter(|&j| fails[j].is_some())
            .find(|&j| alone[j].possible_with(holds_k.as_ref()) == Some(false));
        out.push((k, cover));
    }
    out
}

/// Lowest and highest points a criterion can earn.
fn criterion_range(model: &Model, c: CritId) -> (f64, f64) {
    let crit = &model.criteria[c];
    let p = crit.points;
    match &crit.earning {
        Earning::Fixed { .. } => (p.min(0.0), p.max(0.0)),
        Earning::PerUnit { .. } if p == 0.0 => (0.0, 0.0),
        Earning::PerUnit { cap: Some(cap), .. } => (-cap.abs(), cap.abs()),
        Earning::PerUnit { cap: None, .. } => (f64::NEG_INFINITY, f64::INFINITY),
        // A missing value earns nothing, so 0 is always within reach.
        Earning::ByValue {
            entries, otherwise, ..
        } => entries
            .iter()
            .map(|e| e.points)
            .chain([*otherwise])
            .fold((0.0, 0.0), |(lo, hi), p| (p.min(lo), p.max(hi))),
    }
}

fn group_range(model: &Model, g: usize) -> (f64, f64) {
    let group = &model.groups[g];
    let (lo, hi) = group
        .criteria
        .iter()
        .map(|&c| criterion_range(model, c))
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    // A sum that may overflow is missing, whatever the floor and cap: no
    // range then (every partial sum lies in [lo, hi], each criterion's range
    // holding 0; the margin covers rounding in another order of sums).
    if lo.abs() > f64::MAX / 2.0 || hi.abs() > f64::MAX / 2.0 {
        return (f64::NEG_INFINITY, f64::INFINITY);
    }
    // The floor lifts, then the cap lowers (semantics::score).
    let (lo, hi) = match group.floor {
        Some(floor) => (lo.max(floor), hi.max(floor)),
        None => (lo, hi),
    };
    match group.cap {
        Some(cap) => (lo.min(cap), hi.min(cap)),
        None => (lo, hi),
    }
}

/// Lowest and highest possible overall score (each criterion on its own; caps
/// and negative points included).
pub(super) fn score_range(model: &Model) -> (f64, f64) {
    let mut lo = 0.0;
    let mut hi = 0.0;
    for g in 0..model.groups.len() {
        let (a, b) = group_range(model, g);
        lo += a;
        hi += b;
    }
    for (c, crit) in model.criteria.iter().enumerate() {
        if crit.group.is_none() {
            let (a, b) = criterion_range(model, c);
            lo += a;
            hi += b;
        }
    }
    (lo, hi)
}

fn thresholds(model: &Model, source: &str, tight: &dyn Fn(Span) -> Span, out: &mut Vec<Finding>) {
    // Worked out once, not per comparison: many stages stay linear.
    let total = score_range(model);
    let groups: Vec<(f64, f64)> = (0..model.groups.len())
        .map(|g| group_range(model, g))
        .collect();
    for stage in &model.stages {
        let Some(cond) = &stage.condition else {
            continue;
        };
        let mut found = Vec::new();
        comparisons_on_scores(cond, &mut found);
        for (e, what, op, t) in found {
            let (range, name) = match what {
                Scored::Total => (total, "the score".to_string()),
                Scored::Group(g) => (groups[g], format!("group `{}`", model.groups[g].name)),
            };
            let (lo, hi) = range;
            let never = match op {
                CompareOp::Ge => t > hi,
                CompareOp::Gt => t >= hi,
                CompareOp::Le => t < lo,
                CompareOp::Lt => t <= lo,
                CompareOp::Eq => t < lo || t > hi,
                CompareOp::Ne => false,
            };
            let always = match op {
                CompareOp::Ge => t <= lo,
                CompareOp::Gt => t < lo,
                CompareOp::Le => t >= hi,
                CompareOp::Lt => t > hi,
                CompareOp::Ne => t < lo || t > hi,
                CompareOp::Eq => false,
            };
            if !never && !always {
                continue;
            }
            let span = tight(e.span);
            let text = source.get(span.start..span.end).unwrap_or("").to_string();
            let bounds = format!("{name} is always between {} and {}", shown(lo), shown(hi));
            let verdict = if never {
                "can never hold"
            } else {
                "always holds"
            };
            let message = format!("`{text}` in stage {} {verdict}", quoted(&stage.name));
            let label = bounds;
            out.push(Finding {
                diagnostic: Diagnostic::warning(Code::ThresholdOutOfRange, span, message)
                    .label(label)
                    .help("the range adds up every criterion's lowest and highest points (caps and negative points included); move the threshold inside it"),
                owner: stage.span,
            });
        }
    }
}

fn shown(v: f64) -> String {
    if v.is_infinite() {
        if v > 0.0 {
            "no upper limit"
        } else {
            "no lower limit"
        }
        .into()
    } else {
        format_number(v)
    }
}

#[derive(Clone, Copy)]
enum Scored {
    Total,
    Group(usize),
}

/// `score >= 60`, `60 <= fit`, ...: the comparison, what it compares, the
/// operator as if the score were on the left, and the threshold.
fn comparisons_on_scores<'e>(e: &'e Expr, out: &mut Vec<(&'e Expr, Scored, CompareOp, f64)>) {
    let scored = |x: &Expr| match x.kind {
        ExprKind::Score => Some(Scored::Total),
        ExprKind::GroupScore(g) => Some(Scored::Group(g)),
        _ => None,
    };
    let number = constant_number;
    match &e.kind {
        ExprKind::Compare(op, l, r) => {
            if let (Some(s), Some(t)) = (scored(l), number(r)) {
                out.push((e, s, *op, t));
            } else if let (Some(s), Some(t)) = (scored(r), number(l)) {
                let flipped = match op {
                    CompareOp::Lt => CompareOp::Gt,
                    CompareOp::Le => CompareOp::Ge,
                    CompareOp::Gt => CompareOp::Lt,
                    CompareOp::Ge => CompareOp::Le,
                    other => *other,
                };
                out.push((e, s, flipped, t));
            }
        }
        ExprKind::And(xs) | ExprKind::Or(xs) => {
            for x in xs {
                comparisons_on_scores(x, out);
            }
        }
        ExprKind::Not(x) => comparisons_on_scores(x, out),
        _ => {}
    }
}

/// What stage and disqualifier conditions look at.
#[derive(Default)]
pub(super) struct Uses {
    pub score: bool,
    pub groups: Vec<usize>,
    pub criteria: Vec<CritId>,
}

pub(super) fn uses(e: &Expr, u: &mut Uses) {
    match &e.kind {
        ExprKind::Score => u.score = true,
        ExprKind::GroupScore(g) => u.groups.push(*g),
        ExprKind::Matched(c) => u.criteria.push(*c),
        _ => {}
    }
    e.children().for_each(|x| uses(x, u));
}

/// Criteria that stages, routes or disqualifiers refer to, directly or
/// through other criteria.
pub(super) fn referenced(model: &Model) -> (Uses, Vec<bool>) {
    let mut u = Uses::default();
    for s in model.stages.iter().chain(&model.routes) {
        if let Some(c) = &s.condition {
            uses(c, &mut u);
        }
    }
    for d in &model.disqualifiers {
        uses(&d.condition, &mut u);
    }
    let mut seen = vec![false; model.criteria.len()];
    let mut todo = u.criteria.clone();
    while let Some(c) = todo.pop() {
        if !std::mem::replace(&mut seen[c], true) {
            todo.extend(model.criteria[c].depends_on.iter().copied());
        }
    }
    (u, seen)
}

fn no_effect(model: &Model, tight: &dyn Fn(Span) -> Span, out: &mut Vec<Finding>) {
    let (u, referenced) = referenced(model);
    let counted_groups: HashSet<usize> = u.groups.iter().copied().collect();
    let thresholds = score_thresholds(model);
    let mut crossings = thresholds.as_deref().map(|t| Crossings::new(model, t));
    for (id, c) in model.criteria.iter().enumerate() {
        let (lo, hi) = criterion_range(model, id);
        let earns = lo != 0.0 || hi != 0.0;
        if !earns || referenced[id] {
            continue;
        }
        let counted = u.score || c.group.is_some_and(|g| counted_groups.contains(&g));
        let help = if !counted {
            let why = match c.group {
                Some(g) => format!(
                    "no stage uses `score` or group `{}`, and none refers to it with `matched`",
                    model.groups[g].name
                ),
                None => "no stage uses `score`, and none refers to it with `matched`".into(),
            };
            format!(
                "{why}; use the score in a stage (`stage \"hot\" when score >= 50`) or remove it"
            )
        } else if crossings.as_mut().is_some_and(|x| !x.crosses(c.points)) {
            format!(
                "whatever the other criteria add up to, adding {} never takes the score across \
                 a stage's threshold, and no stage refers to it with `matched`; change its \
                 points or the thresholds, or remove it",
                // Zero points read `0` here: nothing is added.
                if c.points == 0.0 {
                    format_exact(c.points)
                } else {
                    crate::number::signed(c.points, format_exact)
                }
            )
        } else {
            continue;
        };
        out.push(Finding {
            diagnostic: Diagnostic::warning(
                Code::NoEffect,
                tight(c.span),
                format!(
                    "criterion {} can never change an inquiry's stage",
                    quoted(&c.name)
                ),
            )
            .label("its points decide nothing")
            .help(help),
            owner: c.span,
        });
    }
}

/// Every use of the score in stages and routes, when each is `score <op> number` and
/// every criterion earns fixed points (no decay, no points per unit, no group
/// caps or floors, no sub-score in a stage): then which totals are possible is exact.
/// `None` when the analysis would have to guess.
fn score_thresholds(model: &Model) -> Option<Vec<(CompareOp, f64)>> {
    let fixed = model
        .criteria
        .iter()
        .all(|c| matches!(c.earning, Earning::Fixed { decay: None, .. }));
    let bounded = model
        .groups
        .iter()
        .any(|g| g.cap.is_some() || g.floor.is_some());
    if !fixed || bounded {
        return None;
    }
    let mut out = Vec::new();
    // Routes read the score too: a threshold there counts as a stage's does.
    for s in model.stages.iter().chain(&model.routes) {
        let Some(cond) = &s.condition else { continue };
        let mut u = Uses::default();
        uses(cond, &mut u);
        let mut found = Vec::new();
        comparisons_on_scores(cond, &mut found);
        let mut score_uses = 0;
        count_score_uses(cond, &mut score_uses);
        if !u.groups.is_empty() || score_uses != found.len() {
            return None;
        }
        out.extend(found.into_iter().map(|(_, _, op, t)| (op, t)));
    }
    Some(out)
}

fn count_score_uses(e: &Expr, n: &mut usize) {
    // Every operand, calls included: `round(score) >= 60` uses the score too.
    match &e.kind {
        ExprKind::Score => *n += 1,
        _ => e.children().for_each(|x| count_score_uses(x, n)),
    }
}
