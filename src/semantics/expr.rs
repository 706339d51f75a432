//! The meaning of an expression: a condition or value of the checked model
//! and the [`Env`] of one inquiry in, its value out.
//!
//! This is the language read literally, one tree walk per expression, built
//! from [`super::logic`] and [`super::compare`]. An [`Observer`] rides along:
//! [`Plain`] notes nothing (plain evaluation, what the reference evaluator
//! and constant folding use), a tracer notes the values that decided each
//! part (what explanations show). The walk is the same either way, so an
//! explanation cannot disagree with the score.

use super::compare::{self, arith, in_set, text_test};
use super::function;
use super::logic::{self, Truth};
use super::time::business_days_between;
use crate::model::{AggId, CritId, Expr, ExprKind, FieldId, Function, GroupId, Model, Value};

/// What a condition may look at while it is evaluated.
pub struct Env<'a> {
    pub model: &'a Model,
    pub values: &'a [Value],
    pub as_of: i32,
    /// Holidays on weekdays, sorted ([`super::score::weekday_holidays`]).
    pub holidays: &'a [i32],
    pub matched: &'a [bool],
    /// `None` when missing (and while criteria are evaluated: they cannot use it).
    pub score: Option<f64>,
    pub group_scores: &'a [Option<f64>],
    /// The final stage, an index into [`Model::stage_names`]: `None` until
    /// it is decided (only routes read it).
    pub stage: Option<usize>,
}

impl<'a> Env<'a> {
    /// An environment of values alone: no criterion matched yet, no score,
    /// no stage (constants, an event's `where`, a `since` date).
    pub fn of_values(
        model: &'a Model,
        values: &'a [Value],
        as_of: i32,
        holidays: &'a [i32],
    ) -> Self {
        Env {
            model,
            values,
            as_of,
            holidays,
            matched: &[],
            score: None,
            group_scores: &[],
            stage: None,
        }
    }
}

/// Notes taken while an expression is walked: for each part, what decided
/// its value. The walk decides which parts decided a result (for `a and b`
/// that is false, only the false parts; for one that is unknown, the unknown
/// parts; otherwise all of them) and hands those parts' notes to [`absorb`].
///
/// [`absorb`]: Observer::absorb
pub trait Observer {
    type Note: Default;
    /// Whether every part is walked. Plain evaluation stops an `and`/`or` at
    /// its first deciding part; a tracer walks them all to name them. The
    /// value is the same either way: parts have no side effects.
    const EVERY_PART: bool;
    fn field(&mut self, env: &Env, f: FieldId, value: &Value) -> Self::Note;
    fn score(&mut self, score: Option<f64>) -> Self::Note;
    fn group_score(&mut self, env: &Env, g: GroupId, score: Option<f64>) -> Self::Note;
    fn matched(&mut self, env: &Env, c: CritId, matched: bool) -> Self::Note;
    /// `stage = "S"` in a route: the inquiry's stage (an index into
    /// [`Model::stage_names`]).
    fn stage(&mut self, env: &Env, stage: usize) -> Self::Note;
    /// `days since field` (or business days): the date and the count.
    fn since(
        &mut self,
        env: &Env,
        f: FieldId,
        value: &Value,
        days: Option<i64>,
        business: bool,
    ) -> Self::Note;
    /// A function call's value (`round(budget / 1000, 1)` is 2.4), noted
    /// after its arguments' notes.
    fn call(&mut self, env: &Env, e: &Expr, value: &Value) -> Self::Note;
    /// An aggregate of the lead's events (`count of activity ...`) and its value.
    fn aggregate(&mut self, env: &Env, a: AggId, value: &Value) -> Self::Note;
    /// Add a deciding part's notes to its whole's.
    fn absorb(&mut self, into: &mut Self::Note, part: &Self::Note);
}

/// Plain evaluation: nothing noted.
pub struct Plain;

impl Observer for Plain {
    type Note = ();
    const EVERY_PART: bool = false;
    #[inline]
    fn field(&mut self, _: &Env, _: FieldId, _: &Value) {}
    #[inline]
    fn score(&mut self, _: Option<f64>) {}
    #[inline]
    fn group_score(&mut self, _: &Env, _: GroupId, _: Option<f64>) {}
    #[inline]
    fn matched(&mut self, _: &Env, _: CritId, _: bool) {}
    #[inline]
    fn stage(&mut self, _: &Env, _: usize) {}
    #[inline]
    fn since(&mut self, _: &Env, _: FieldId, _: &Value, _: Option<i64>, _: bool) {}
    #[inline]
    fn call(&mut self, _: &Env, _: &Expr, _: &Value) {}
    #[inline]
    fn aggregate(&mut self, _: &Env, _: AggId, _: &Value) {}
    #[inline]
    fn absorb(&mut self, _: &mut (), _: &()) {}
}

/// The value of `e` in `env`.
pub fn eval(e: &Expr, env: &Env) -> Value {
    walk(e, env, &mut Plain).0
}

/// The truth of condition `e` in `env`.
pub fn truth(e: &Expr, env: &Env) -> Truth {
    Truth::of(&eval(e, env))
}

/// A score or sub-score as a value: missing when it is.
pub fn number_or_missing(n: Option<f64>) -> Value {
    n.map_or(Value::Missing, Value::Number)
}

/// The value of `e` in `env`, and what `o` noted about the parts that decided it.
pub fn walk<O: Observer>(e: &Expr, env: &Env, o: &mut O) -> (Value, O::Note) {
    // The parts' notes, all of them in order.
    let all = |o: &mut O, parts: &[&(Value, O::Note)]| {
        let mut note = O::Note::default();
        for p in parts {
            o.absorb(&mut note, &p.1);
        }
        note
    };
    match &e.kind {
        ExprKind::Const(v) => (v.clone(), O::Note::default()),
        ExprKind::Field(f) => {
            let value = env.values.get(*f).cloned().unwrap_or(Value::Missing);
            let note = o.field(env, *f, &value);
            (value, note)
        }
        // Computed before the lead is evaluated ([`super::events`]) and
        // carried after its fields.
        ExprKind::Aggregate(a) => {
            let value = env
                .values
                .get(env.model.aggregate_slot(*a))
                .cloned()
                .unwrap_or(Value::Missing);
            let note = o.aggregate(env, *a, &value);
            (value, note)
        }
        ExprKind::Score => (number_or_missing(env.score), o.score(env.score)),
        ExprKind::GroupScore(g) => {
            let score = env.group_scores[*g];
            (number_or_missing(score), o.group_score(env, *g, score))
        }
        ExprKind::Matched(c) => {
            let m = env.matched[*c];
            (Value::Bool(m), o.matched(env, *c, m))
        }
        // Read before the stage is decided only by a bug: unknown, never a panic.
        ExprKind::StageIs(s) => match env.stage {
            Some(stage) => (Value::Bool(stage == *s), o.stage(env, stage)),
            None => (Value::Missing, O::Note::default()),
        },
        ExprKind::AtLeast(n, items) => {
            let (mut yes, mut unknown) = (0, 0);
            // When it holds, the parts that held decided it; otherwise all did.
            let (mut held, mut every) = (O::Note::default(), O::Note::default());
            for item in items {
                let (v, note) = walk(item, env, o);
                match Truth::of(&v) {
                    Truth::Yes => {
                        yes += 1;
                        o.absorb(&mut held, &note);
                    }
                    Truth::No => {}
                    Truth::Unknown => unknown += 1,
                }
                o.absorb(&mut every, &note);
            }
            let t = logic::at_least(*n, yes, unknown);
            (t.value(), if t.holds() { held } else { every })
        }
        ExprKind::DaysSince(d) | ExprKind::BusinessDaysSince(d) => {
            let business = matches!(e.kind, ExprKind::BusinessDaysSince(_));
            let count = |v: &Value| match v {
                Value::Date(date) if business => {
                    Some(business_days_between(*date, env.as_of, env.holidays))
                }
                Value::Date(date) => Some(i64::from(env.as_of - date)),
                _ => None,
            };
            let value =
                |days: Option<i64>| days.map_or(Value::Missing, |d| Value::Number(d as f64));
            match &d.kind {
                // A field's date and its count say it together ("53 days ago").
                ExprKind::Field(f) => {
                    let date = env.values.get(*f).cloned().unwrap_or(Value::Missing);
                    let days = count(&date);
                    let note = o.since(env, *f, &date, days, business);
                    (value(days), note)
                }
                _ => {
                    let inner = walk(d, env, o);
                    let note = all(o, &[&inner]);
                    (value(count(&inner.0)), note)
                }
            }
        }
        ExprKind::Neg(x) => {
            let inner = walk(x, env, o);
            let value = match inner.0 {
                Value::Number(n) => Value::Number(-n),
                _ => Value::Missing,
            };
            (value, all(o, &[&inner]))
        }
        ExprKind::Not(x) => {
            let inner = walk(x, env, o);
            let note = all(o, &[&inner]);
            (logic::not(Truth::of(&inner.0)).value(), note)
        }
        ExprKind::And(items) | ExprKind::Or(items) => {
            let is_and = matches!(e.kind, ExprKind::And(_));
            let decisive = logic::decisive(is_and);
            let mut t = if is_and {
                logic::AND_EMPTY
            } else {
                logic::OR_EMPTY
            };
            // The parts of each truth value: the result's own decided it
            // (all parts, when it is the non-deciding value).
            let mut by_truth: [O::Note; 3] = Default::default();
            for item in items {
                let (v, note) = walk(item, env, o);
                let part = Truth::of(&v);
                o.absorb(&mut by_truth[part as usize], &note);
                t = if is_and {
                    logic::and(t, part)
                } else {
                    logic::or(t, part)
                };
                if t == decisive && !O::EVERY_PART {
                    break;
                }
            }
            let [no, unknown, yes] = by_truth;
            let note = match t {
                Truth::No => no,
                Truth::Unknown => unknown,
                Truth::Yes => yes,
            };
            (t.value(), note)
        }
        ExprKind::Arith(op, l, r) => {
            let (l, r) = (walk(l, env, o), walk(r, env, o));
            let value = match (&l.0, &r.0) {
                (Value::Number(a), Value::Number(b)) => arith(*op, *a, *b),
                _ => Value::Missing,
            };
            (value, all(o, &[&l, &r]))
        }
        ExprKind::Compare(op, l, r) => {
            let (l, r) = (walk(l, env, o), walk(r, env, o));
            let t = compare::compare(*op, &l.0, &r.0);
            (t.value(), all(o, &[&l, &r]))
        }
        ExprKind::Between(v, lo, hi) => {
            let (v, lo, hi) = (walk(v, env, o), walk(lo, env, o), walk(hi, env, o));
            let t = compare::between(&v.0, &lo.0, &hi.0);
            (t.value(), all(o, &[&v, &lo, &hi]))
        }
        ExprKind::In {
            value,
            set,
            negated,
        } => {
            let inner = walk(value, env, o);
            let t = in_set(&inner.0, set, *negated);
            (t.value(), all(o, &[&inner]))
        }
        ExprKind::TextTest(op, l, r) => {
            let (l, r) = (walk(l, env, o), walk(r, env, o));
            let value = match (&l.0, &r.0) {
                (Value::Text(h), Value::Text(n)) => Value::Bool(text_test(*op, h, n)),
                _ => Value::Missing,
            };
            (value, all(o, &[&l, &r]))
        }
        ExprKind::Matches(v, re) => {
            let inner = walk(v, env, o);
            let value = match &inner.0 {
                Value::Text(t) => Value::Bool(re.is_match(t)),
                _ => Value::Missing,
            };
            (value, all(o, &[&inner]))
        }
        ExprKind::Call(f, args) => {
            let parts: Vec<(Value, O::Note)> = args.iter().map(|a| walk(a, env, o)).collect();
            let values: Vec<Value> = parts.iter().map(|p| p.0.clone()).collect();
            let value = function::apply(*f, &values);
            // `default(x, v)` with `x` present: `v` did not decide it.
            let deciding: Vec<&(Value, O::Note)> = match f {
                Function::Default if values.first().is_some_and(|v| !v.is_missing()) => {
                    parts.iter().take(1).collect()
                }
                _ => parts.iter().collect(),
            };
            let mut note = all(o, &deciding);
            let own = o.call(env, e, &value);
            o.absorb(&mut note, &own);
            (value, note)
        }
        ExprKind::IsMissing(v) | ExprKind::IsPresent(v) => {
            let inner = walk(v, env, o);
            let missing = inner.0.is_missing();
            let present = matches!(e.kind, ExprKind::IsPresent(_));
            (Value::Bool(missing != present), all(o, &[&inner]))
        }
    }
}
