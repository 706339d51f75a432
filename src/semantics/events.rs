//! What an aggregate of events means, said once: a checked model, one lead's
//! values and its events (each a row of the events block's fields) in; the
//! aggregate's value out.
//!
//! - Events dated after the as-of date are ignored, by every aggregate
//!   (replay: a score as of a past date sees only what had happened).
//! - An event counts when its `where` condition is yes; unknown (a missing
//!   `page` for `page contains "pricing"`) does not count it.
//! - Windows: `since D` keeps events on or after the lead's date D, and the
//!   aggregate is missing when D is; `in the last N days` keeps events fewer
//!   than N days before the as-of date (`days since at < N`: the as-of date
//!   and the N - 1 days before it); `in the last N business days` keeps those
//!   fewer than N business days before it ([`super::time`], with the
//!   definition's holidays).
//! - `count of` is the number kept (0 for a lead with no events); `first`
//!   and `last` are the earliest and latest dates kept, missing when none is.
//! - A decayed count (`+5 per activity where ..., each halving every 30
//!   days`) sums each kept event's weight, 0.5^(its age in days / 30)
//!   rounded to millionths ([`weight_millionths`]): 0 for no events.
//!
//! [`reference`] is the plain reading over a list of events (examples,
//! explanations and the judge); the streaming fold the batch scorer uses
//! ([`crate::eval::events`]) decides each event with [`counts`] and is
//! tested against [`reference`].

use super::expr::{truth, Env};
use super::time::business_days_between;
use crate::model::{Aggregate, AggregateKind, EventWindow, Model, Value};

/// Whether `event` counts for aggregate `agg` at `as_of`, before any
/// `since` window (which needs the lead): dated up to the as-of date, in a
/// `last N days` window, and its `where` condition yes. `holidays` are the
/// weekday holidays ([`super::score::weekday_holidays`]).
pub fn counts(
    model: &Model,
    agg: &Aggregate,
    event: &[Value],
    as_of: i32,
    holidays: &[i32],
) -> bool {
    let Some(at) = event_date(model, event) else {
        return false;
    };
    if at > as_of {
        return false;
    }
    let in_window = match agg.window {
        EventWindow::All | EventWindow::Since(_) => true,
        EventWindow::LastDays(n) => i64::from(as_of) - i64::from(at) < i64::from(n),
        EventWindow::LastBusinessDays(n) => {
            business_days_between(at, as_of, holidays) < i64::from(n)
        }
    };
    in_window
        && agg.filter.as_ref().is_none_or(|cond| {
            let env = Env::of_values(model, event, as_of, holidays);
            truth(cond, &env).holds()
        })
}

/// An event's date (its `at` field), when it has one.
pub fn event_date(model: &Model, event: &[Value]) -> Option<i32> {
    let at = model.events.as_ref()?.at;
    match event.get(at) {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    }
}

/// The lower bound a `since D` window puts on event dates for this lead:
/// `Some(None)` without such a window, `None` when D is missing (the
/// aggregate is then missing).
pub fn since_bound(
    model: &Model,
    agg: &Aggregate,
    lead: &[Value],
    as_of: i32,
    holidays: &[i32],
) -> Option<Option<i32>> {
    let EventWindow::Since(d) = &agg.window else {
        return Some(None);
    };
    let env = Env::of_values(model, lead, as_of, holidays);
    match super::expr::eval(d, &env) {
        Value::Date(d) => Some(Some(d)),
        _ => None,
    }
}

/// An event's weight in a decayed count, in millionths, `days` days before
/// the as-of date: 0.5^(days / half-life) rounded to the nearest millionth,
/// halves up (`floor(w · 10^6 + 0.5)`), and 0 from 22 half-lives on (below
/// half a millionth). Whole millionths add up to the same sum in any order,
/// so every engine and every order of the events file gives the same value.
pub fn weight_millionths(days: i64, half_life_days: f64) -> u64 {
    let exponent = days.max(0) as f64 / half_life_days;
    if exponent >= DECAYED_TO_NOTHING {
        return 0;
    }
    (0.5f64.powf(exponent) * MILLION + 0.5).floor() as u64
}

/// Half-lives after which an event weighs 0 (0.5^22 is below half a millionth).
pub const DECAYED_TO_NOTHING: f64 = 22.0;
/// A decayed count's unit: weights are whole millionths.
pub const MILLION: f64 = 1_000_000.0;

/// What an aggregate keeps of the events it counts: how many, their
/// weights' sum in millionths (decayed counts only), the earliest and latest date.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    pub count: u64,
    pub weight: u64,
    pub first: Option<i32>,
    pub last: Option<i32>,
}

impl Tally {
    /// One more event, dated `at`, counted for an aggregate of kind `kind` as of `as_of`.
    #[inline]
    pub fn add(&mut self, kind: AggregateKind, at: i32, as_of: i32) {
        self.count += 1;
        if let AggregateKind::Decayed { half_life_days } = kind {
            let days = i64::from(as_of) - i64::from(at);
            self.weight = self
                .weight
                .saturating_add(weight_millionths(days, half_life_days));
        }
        self.first = Some(self.first.map_or(at, |f| f.min(at)));
        self.last = Some(self.last.map_or(at, |l| l.max(at)));
    }

    /// The aggregate's value: the count, the summed weights, the earliest
    /// or the latest date (missing when no event was kept).
    pub fn value(&self, kind: AggregateKind) -> Value {
        match kind {
            AggregateKind::Count => Value::Number(self.count as f64),
            // Exact while the sum is below 2^53 millionths (9 billion
            // events at full weight), as every SQL engine sums it.
            AggregateKind::Decayed { .. } => Value::Number(self.weight as f64 / MILLION),
            AggregateKind::First => self.first.map_or(Value::Missing, Value::Date),
            AggregateKind::Last => self.last.map_or(Value::Missing, Value::Date),
        }
    }
}

/// The plain reading: aggregate `agg` of one lead's `events` (in any order).
pub fn reference(
    model: &Model,
    agg: &Aggregate,
    lead: &[Value],
    events: &[Vec<Value>],
    as_of: i32,
    holidays: &[i32],
) -> Value {
    let Some(since) = since_bound(model, agg, lead, as_of, holidays) else {
        return Value::Missing;
    };
    let mut tally = Tally::default();
    events
        .iter()
        .filter(|e| counts(model, agg, e, as_of, holidays))
        .filter_map(|e| event_date(model, e))
        .filter(|at| since.is_none_or(|d| *at >= d))
        .for_each(|at| tally.add(agg.kind, at, as_of));
    tally.value(agg.kind)
}

/// A lead's values followed by every aggregate's value (read at
/// [`Model::aggregate_slot`]), by the plain reading.
pub fn with_aggregates(
    model: &Model,
    lead: &[Value],
    events: &[Vec<Value>],
    as_of: i32,
) -> Vec<Value> {
    let holidays = super::score::weekday_holidays(model);
    let mut out = lead[..model.fields.len().min(lead.len())].to_vec();
    out.resize(model.fields.len(), Value::Missing);
    for agg in &model.aggregates {
        out.push(reference(model, agg, lead, events, as_of, &holidays));
    }
    out
}

/// The events of `events` that aggregate `agg` kept for this lead, in the
/// order given: what an explanation lists.
pub fn kept<'e>(
    model: &Model,
    agg: &Aggregate,
    lead: &[Value],
    events: &'e [Vec<Value>],
    as_of: i32,
) -> Vec<&'e [Value]> {
    let holidays = super::score::weekday_holidays(model);
    let Some(since) = since_bound(model, agg, lead, as_of, &holidays) else {
        return Vec::new();
    };
    events
        .iter()
        .filter(|e| counts(model, agg, e, as_of, &holidays))
        .filter(|e| since.is_none_or(|d| event_date(model, e).is_some_and(|at| at >= d)))
        .map(Vec::as_slice)
        .collect()
}
