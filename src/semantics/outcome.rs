//! The outcome driver: a model, one inquiry and an [`Observer`] in, an
//! [`Outcome`] out: criteria in dependency order → sub-scores and total →
//! the first disqualifier that holds → the first stage that holds → the first
//! route that holds (routes may read that stage).
//!
//! The reference evaluator runs it with [`Plain`]; explanations run it with
//! a tracer and a [`Record`] that keeps every step, so an explanation is the
//! reference evaluation, traced. The compiled program drives its batches
//! itself (a column at a time) but earns points and picks the stage with the
//! functions here ([`fixed`], [`per_unit`], [`stage`]).

use super::compare::compare;
use super::expr::{walk, Env, Observer, Plain};
use super::logic::Truth;
use super::score::{decayed_points, per_unit_points, total_score, weekday_holidays};
use crate::ast::CompareOp;
use crate::model::{CritId, Earning, Model, Value, ValueEntry, DISQUALIFIED_STAGE};

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
    /// The first route that held, an index into [`Model::routes`]; `None`
    /// when none did (or there are none): an empty cell.
    pub route: Option<usize>,
}

impl Outcome {
    /// What an expression may read once this outcome is decided: its
    /// criteria, scores and stage (route and hand-off conditions, tests).
    pub fn env<'a>(
        &'a self,
        model: &'a Model,
        values: &'a [Value],
        as_of: i32,
        holidays: &'a [i32],
    ) -> Env<'a> {
        Env {
            model,
            values,
            as_of,
            holidays,
            matched: &self.matched,
            score: self.score,
            group_scores: &self.group_scores,
            stage: Some(self.stage),
        }
    }

    pub fn stage_name<'m>(&self, model: &'m Model) -> &'m str {
        model
            .stages
            .get(self.stage)
            .map(|s| s.name.as_str())
            .unwrap_or(DISQUALIFIED_STAGE)
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
            && self.route == other.route
    }

    /// The route's name, "" when no route held.
    pub fn route_name<'m>(&self, model: &'m Model) -> &'m str {
        model.route_name(self.route)
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

/// How one criterion came out: whether it counts and the points it earned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Earned {
    /// `Yes` when it matched; `Unknown` when a value it needs is missing
    /// (a missing decay date or amount, or a product too large to represent).
    pub truth: Truth,
    /// 0 unless it matched; always finite.
    pub points: f64,
}

impl Earned {
    fn unknown() -> Earned {
        Earned {
            truth: Truth::Unknown,
            points: 0.0,
        }
    }
}

/// A fixed criterion: `points` when its condition holds, after decay; a
/// missing decay date leaves it unknown.
#[inline]
pub fn fixed(
    held: Truth,
    points: f64,
    decay: &Option<crate::model::Decay>,
    values: &[Value],
    as_of: i32,
) -> Earned {
    if !held.holds() {
        return Earned {
            truth: held,
            points: 0.0,
        };
    }
    match decayed_points(points, decay, values, as_of) {
        Some(points) => Earned {
            truth: Truth::Yes,
            points,
        },
        None => Earned::unknown(),
    }
}

/// A per-unit criterion whose gate is `gate` and whose amount is `amount`
/// (looked at only when the gate holds): it matches when its capped points are
/// other than 0, which then decay like a fixed criterion's (a missing decay
/// date leaves it unknown).
#[inline]
pub fn per_unit(
    gate: Truth,
    amount: &Value,
    points: f64,
    cap: Option<f64>,
    decay: &Option<crate::model::Decay>,
    values: &[Value],
    as_of: i32,
) -> Earned {
    if !gate.holds() {
        return Earned {
            truth: gate,
            points: 0.0,
        };
    }
    let Value::Number(a) = amount else {
        return Earned::unknown();
    };
    match per_unit_points(points, *a, cap) {
        Some(p) if p == 0.0 => Earned {
            truth: Truth::No,
            points: p,
        },
        Some(p) => match decayed_points(p, decay, values, as_of) {
            Some(points) => Earned {
                truth: Truth::Yes,
                points,
            },
            None => Earned::unknown(),
        },
        None => Earned::unknown(),
    }
}

/// Which entry of a points-by-value criterion applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// The keyed entry at this index.
    Listed(usize),
    /// A present value no key names: `otherwise` (0 when not written).
    Otherwise,
    /// The field's value is missing: nothing earned, unknown.
    Missing,
}

/// The entry of `entries` whose key equals `value`: text as `=` compares it
/// (folded, the value once against each key's folded form), other values by
/// [`compare`].
#[inline]
pub fn entry_of(value: &Value, entries: &[ValueEntry]) -> Entry {
    let found = match value {
        Value::Missing => return Entry::Missing,
        Value::Text(t) => {
            let t = super::text::fold(t);
            entries
                .iter()
                .position(|e| e.folded.as_deref() == Some(t.as_str()))
        }
        _ => entries
            .iter()
            .position(|e| compare(CompareOp::Eq, value, &e.key).holds()),
    };
    found.map_or(Entry::Otherwise, Entry::Listed)
}

/// A points-by-value criterion on `value`: the points of its entry; it
/// matches when they are other than 0, and is unknown when the value is missing.
#[inline]
pub fn by_value(value: &Value, entries: &[ValueEntry], otherwise: f64) -> (Entry, Earned) {
    let entry = entry_of(value, entries);
    let points = match entry {
        Entry::Listed(i) => entries[i].points,
        Entry::Otherwise => otherwise,
        Entry::Missing => return (entry, Earned::unknown()),
    };
    let truth = if points == 0.0 { Truth::No } else { Truth::Yes };
    (entry, Earned { truth, points })
}

/// The stage index of an outcome: [`Model::stage_names`]' `disqualified`
/// when disqualified, else the first stage that holds (by `holds`), else
/// the last (a checked model ends with `otherwise`, which always holds).
#[inline]
pub fn stage(disqualified: bool, stages: usize, holds: impl FnMut(usize) -> bool) -> usize {
    if disqualified {
        stages
    } else {
        (0..stages)
            .position(holds)
            .unwrap_or(stages.saturating_sub(1))
    }
}

/// The route of an outcome: the first route that holds (by `holds`), else
/// none. Routes are tried for disqualified inquiries too (their stage is
/// `disqualified`), so every row gets one when an `otherwise` ends them.
#[inline]
pub fn route(routes: usize, holds: impl FnMut(usize) -> bool) -> Option<usize> {
    (0..routes).position(holds)
}

/// Every step of a run, for those who show it (explanations); `()` keeps nothing.
pub trait Record<N> {
    /// A fixed criterion: its condition's truth and notes, and what it earned.
    fn fixed(&mut self, _c: CritId, _held: Truth, _note: N, _earned: Earned) {}
    /// A per-unit criterion: its gate (`Yes` when it has none) and notes, the
    /// amount when the gate held, and what it earned.
    fn per_unit(
        &mut self,
        _c: CritId,
        _gate: Truth,
        _gate_note: Option<N>,
        _amount: Option<(Value, N)>,
        _earned: Earned,
    ) {
    }
    /// A points-by-value criterion: the field's value, the entry that
    /// applied, and what it earned.
    fn by_value(&mut self, _c: CritId, _value: &Value, _entry: Entry, _earned: Earned) {}
    /// A disqualifier's condition (every one, when the observer walks every part).
    fn disqualifier(&mut self, _d: usize, _held: Truth, _note: N) {}
    /// A stage's condition, in order up to the first that holds (`otherwise`: `None`).
    fn stage(&mut self, _s: usize, _held: Truth, _note: Option<N>) {}
    /// A route's condition, in order up to the first that holds (`otherwise`: `None`).
    fn route(&mut self, _r: usize, _held: Truth, _note: Option<N>) {}
}

impl<N> Record<N> for () {}

/// The outcome of `values` at `as_of` (days since 1970), plainly.
pub fn evaluate(model: &Model, values: &[Value], as_of: i32) -> Outcome {
    run(model, values, as_of, &mut Plain, &mut ())
}

/// The outcome of `values` at `as_of`, walking every condition with `o` and
/// handing every step to `rec`.
pub fn run<O: Observer, R: Record<O::Note>>(
    model: &Model,
    values: &[Value],
    as_of: i32,
    o: &mut O,
    rec: &mut R,
) -> Outcome {
    let holidays = weekday_holidays(model);
    let n = model.criteria.len();
    let mut matched = vec![false; n];
    let mut points = vec![0.0; n];
    let mut group_scores = vec![None; model.groups.len()];
    for &c in &model.evaluation_order {
        let env = Env {
            model,
            values,
            as_of,
            holidays: &holidays,
            matched: &matched,
            score: None,
            group_scores: &group_scores,
            stage: None,
        };
        let crit = &model.criteria[c];
        let earned = match &crit.earning {
            Earning::Fixed { condition, decay } => {
                let (v, note) = walk(condition, &env, o);
                let held = Truth::of(&v);
                let earned = fixed(held, crit.points, decay, values, as_of);
                rec.fixed(c, held, note, earned);
                earned
            }
            Earning::PerUnit {
                amount,
                cap,
                condition,
                decay,
            } => {
                let (gate, gate_note) = match condition {
                    Some(cond) => {
                        let (v, note) = walk(cond, &env, o);
                        (Truth::of(&v), Some(note))
                    }
                    None => (Truth::Yes, None),
                };
                let amount = gate.holds().then(|| walk(amount, &env, o));
                let a = amount.as_ref().map_or(&Value::Missing, |(a, _)| a);
                let earned = per_unit(gate, a, crit.points, *cap, decay, values, as_of);
                rec.per_unit(c, gate, gate_note, amount, earned);
                earned
            }
            Earning::ByValue {
                field,
                entries,
                otherwise,
            } => {
                let value = values.get(*field).unwrap_or(&Value::Missing);
                let (entry, earned) = by_value(value, entries, *otherwise);
                rec.by_value(c, value, entry, earned);
                earned
            }
        };
        matched[c] = earned.truth.holds();
        points[c] = earned.points;
    }
    let score = total_score(model, &points, &mut group_scores);
    let env = Env {
        model,
        values,
        as_of,
        holidays: &holidays,
        matched: &matched,
        score,
        group_scores: &group_scores,
        stage: None,
    };
    let mut disqualified = None;
    for (d, dq) in model.disqualifiers.iter().enumerate() {
        let (v, note) = walk(&dq.condition, &env, o);
        let held = Truth::of(&v);
        rec.disqualifier(d, held, note);
        if held.holds() && disqualified.is_none() {
            disqualified = Some(d);
            if !O::EVERY_PART {
                break;
            }
        }
    }
    let stage = stage(disqualified.is_some(), model.stages.len(), |s| {
        let (held, note) = match &model.stages[s].condition {
            Some(c) => {
                let (v, note) = walk(c, &env, o);
                (Truth::of(&v), Some(note))
            }
            None => (Truth::Yes, None),
        };
        rec.stage(s, held, note);
        held.holds()
    });
    let env = Env {
        stage: Some(stage),
        ..env
    };
    let route = route(model.routes.len(), |r| {
        let (held, note) = match &model.routes[r].condition {
            Some(c) => {
                let (v, note) = walk(c, &env, o);
                (Truth::of(&v), Some(note))
            }
            None => (Truth::Yes, None),
        };
        rec.route(r, held, note);
        held.holds()
    });
    Outcome {
        score,
        group_scores,
        points,
        matched,
        disqualified,
        stage,
        route,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Decay;

    #[test]
    fn the_stage_is_disqualified_else_the_first_that_holds_else_the_last() {
        assert_eq!(stage(true, 3, |_| true), 3);
        assert_eq!(stage(false, 3, |s| s >= 1), 1);
        assert_eq!(stage(false, 3, |_| false), 2);
        assert_eq!(stage(false, 0, |_| false), 0);
    }

    #[test]
    fn the_route_is_the_first_that_holds_else_none() {
        assert_eq!(route(3, |r| r >= 1), Some(1));
        assert_eq!(route(3, |_| false), None);
        assert_eq!(route(0, |_| true), None);
    }

    #[test]
    fn a_missing_decay_date_or_amount_leaves_a_criterion_unknown() {
        let decay = Some(Decay {
            half_life_days: 10.0,
            since: 0,
        });
        let earned = fixed(Truth::Yes, 30.0, &decay, &[Value::Missing], 0);
        assert_eq!(earned, Earned::unknown());
        let earned = fixed(Truth::Yes, 30.0, &decay, &[Value::Date(-10)], 0);
        assert_eq!((earned.truth, earned.points), (Truth::Yes, 15.0));
        assert_eq!(fixed(Truth::No, 30.0, &None, &[], 0).points, 0.0);
        assert_eq!(
            per_unit(Truth::Yes, &Value::Missing, 2.0, None, &None, &[], 0),
            Earned::unknown()
        );
        // Too large to represent and nothing caps it: missing, so unknown.
        let huge = per_unit(
            Truth::Yes,
            &Value::Number(f64::MAX),
            2.0,
            None,
            &None,
            &[],
            0,
        );
        assert_eq!(huge, Earned::unknown());
        // A cap keeps it: the cap, with the product's sign.
        let capped = per_unit(
            Truth::Yes,
            &Value::Number(f64::MAX),
            -2.0,
            Some(5.0),
            &None,
            &[],
            0,
        );
        assert_eq!((capped.truth, capped.points), (Truth::Yes, -5.0));
    }

    /// A text key is found exactly when `value = key` holds: the folded
    /// shortcut is the comparison's meaning, not another one.
    #[test]
    fn a_text_key_is_found_exactly_when_equality_holds() {
        let texts = [
            "API",
            " api ",
            "ΣΑΣ",
            "σας",
            "İstanbul",
            "i\u{307}stanbul",
            "",
            " ",
        ];
        for key in texts {
            let entries = [ValueEntry {
                key: Value::Text(key.into()),
                folded: Some(crate::semantics::text::fold(key)),
                points: 5.0,
            }];
            for v in texts {
                let value = Value::Text(v.into());
                let equal = compare(CompareOp::Eq, &value, &entries[0].key).holds();
                let found = entry_of(&value, &entries) == Entry::Listed(0);
                assert_eq!(found, equal, "{v:?} against the key {key:?}");
                let (_, earned) = by_value(&value, &entries, 0.0);
                assert_eq!(earned.points, if equal { 5.0 } else { 0.0 });
            }
        }
        assert_eq!(entry_of(&Value::Missing, &[]), Entry::Missing);
        assert_eq!(by_value(&Value::Missing, &[], 3.0).1, Earned::unknown());
        let zero = by_value(&Value::Number(1.0), &[], -0.0).1;
        assert_eq!(
            (zero.truth, zero.points.to_bits()),
            (Truth::No, (-0.0f64).to_bits())
        );
    }

    #[test]
    fn a_per_unit_criterion_earning_zero_does_not_match_but_keeps_its_zero() {
        let zero = per_unit(Truth::Yes, &Value::Number(0.0), -3.0, None, &None, &[], 0);
        assert_eq!(zero.truth, Truth::No);
        // -3 × 0 is -0: the points are the product as computed, bit for bit.
        assert_eq!(zero.points.to_bits(), (-0.0f64).to_bits());
        assert_eq!(
            per_unit(
                Truth::Unknown,
                &Value::Number(4.0),
                2.0,
                None,
                &None,
                &[],
                0
            )
            .truth,
            Truth::Unknown
        );
    }
}
