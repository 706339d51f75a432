//! The reference evaluator: the checked model read literally, one tree walk per
//! condition, no sharing, no shortcuts beyond three-valued logic.
//!
//! In: a [`Model`], one inquiry's values (one per field, in field order) and the
//! as-of date. Out: an [`Outcome`]. Used by examples, explanations and as the
//! oracle the compiled program is tested against.

use super::{decayed_points, per_unit_points, total_score, weekday_holidays, Outcome};
use crate::ast::{ArithOp, CompareOp, TextOp};
use crate::model::{fold_text, Earning, Expr, ExprKind, Model, Value};
use std::cmp::Ordering;

/// What a condition may look at while it is evaluated.
pub struct Env<'a> {
    pub model: &'a Model,
    pub values: &'a [Value],
    pub as_of: i32,
    pub holidays: &'a [i32],
    pub matched: &'a [bool],
    /// `None` when missing (and while criteria are evaluated: they cannot use it).
    pub score: Option<f64>,
    pub group_scores: &'a [Option<f64>],
}

pub fn evaluate(model: &Model, values: &[Value], as_of: i32) -> Outcome {
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
        };
        let crit = &model.criteria[c];
        let (m, p) = match &crit.earning {
            Earning::Fixed { condition, decay } => {
                if truth(&eval(condition, &env)) == Some(true) {
                    match decayed_points(crit.points, decay, values, as_of) {
                        Some(p) => (true, p),
                        None => (false, 0.0),
                    }
                } else {
                    (false, 0.0)
                }
            }
            Earning::PerUnit {
                amount,
                cap,
                condition,
            } => {
                let gate = condition
                    .as_ref()
                    .map_or(Some(true), |c| truth(&eval(c, &env)));
                match (gate, eval(amount, &env)) {
                    (Some(true), Value::Number(a)) => match per_unit_points(crit.points, a, *cap) {
                        Some(p) => (p != 0.0, p),
                        None => (false, 0.0),
                    },
                    _ => (false, 0.0),
                }
            }
        };
        matched[c] = m;
        points[c] = p;
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
    };
    let disqualified = model
        .disqualifiers
        .iter()
        .position(|d| truth(&eval(&d.condition, &env)) == Some(true));
    let stage = match disqualified {
        Some(_) => model.stages.len(),
        None => model
            .stages
            .iter()
            .position(|s| {
                s.condition
                    .as_ref()
                    .is_none_or(|c| truth(&eval(c, &env)) == Some(true))
            })
            .unwrap_or(model.stages.len().saturating_sub(1)),
    };
    Outcome {
        score,
        group_scores,
        points,
        matched,
        disqualified,
        stage,
    }
}

/// A yes/no value as three-valued truth: `None` is unknown.
pub fn truth(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

/// A score or sub-score as a value: missing when it is.
pub fn number_or_missing(n: Option<f64>) -> Value {
    n.map_or(Value::Missing, Value::Number)
}

fn known(b: Option<bool>) -> Value {
    b.map_or(Value::Missing, Value::Bool)
}

/// Orders two present values of the same type; text compares folded.
pub fn order(l: &Value, r: &Value) -> Option<Ordering> {
    match (l, r) {
        (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
        (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
        (Value::Text(a), Value::Text(b)) => Some(fold_text(a).cmp(&fold_text(b))),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

pub fn compare(op: CompareOp, l: &Value, r: &Value) -> Option<bool> {
    let o = order(l, r)?;
    Some(match op {
        CompareOp::Eq => o == Ordering::Equal,
        CompareOp::Ne => o != Ordering::Equal,
        CompareOp::Lt => o == Ordering::Less,
        CompareOp::Le => o != Ordering::Greater,
        CompareOp::Gt => o == Ordering::Greater,
        CompareOp::Ge => o != Ordering::Less,
    })
}

pub fn arith(op: ArithOp, a: f64, b: f64) -> Value {
    let r = match op {
        ArithOp::Add => a + b,
        ArithOp::Sub => a - b,
        ArithOp::Mul => a * b,
        ArithOp::Div if b == 0.0 => return Value::Missing,
        ArithOp::Div => a / b,
    };
    if r.is_finite() {
        Value::Number(r)
    } else {
        Value::Missing
    }
}

pub fn text_test(op: TextOp, hay: &str, needle: &str) -> bool {
    let (h, n) = (fold_text(hay), fold_text(needle));
    match op {
        TextOp::Contains => h.contains(&n),
        TextOp::StartsWith => h.starts_with(&n),
        TextOp::EndsWith => h.ends_with(&n),
    }
}

pub fn eval(e: &Expr, env: &Env) -> Value {
    match &e.kind {
        ExprKind::Const(v) => v.clone(),
        ExprKind::Field(f) => env.values.get(*f).cloned().unwrap_or(Value::Missing),
        ExprKind::Score => number_or_missing(env.score),
        ExprKind::GroupScore(g) => number_or_missing(env.group_scores[*g]),
        ExprKind::Matched(c) => Value::Bool(env.matched[*c]),
        ExprKind::AtLeast(n, items) => {
            let (mut yes, mut unknown) = (0, 0);
            for item in items {
                match truth(&eval(item, env)) {
                    Some(true) => yes += 1,
                    Some(false) => {}
                    None => unknown += 1,
                }
            }
            if yes >= *n {
                Value::Bool(true)
            } else if yes + unknown < *n {
                Value::Bool(false)
            } else {
                Value::Missing
            }
        }
        ExprKind::DaysSince(d) => match eval(d, env) {
            Value::Date(d) => Value::Number((env.as_of - d) as f64),
            _ => Value::Missing,
        },
        ExprKind::BusinessDaysSince(d) => match eval(d, env) {
            Value::Date(d) => {
                Value::Number(super::time::business_days_between(d, env.as_of, env.holidays) as f64)
            }
            _ => Value::Missing,
        },
        ExprKind::Neg(x) => match eval(x, env) {
            Value::Number(n) => Value::Number(-n),
            _ => Value::Missing,
        },
        ExprKind::Not(x) => known(truth(&eval(x, env)).map(|b| !b)),
        ExprKind::And(items) => {
            let mut unknown = false;
            for item in items {
                match truth(&eval(item, env)) {
                    Some(false) => return Value::Bool(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            known(if unknown { None } else { Some(true) })
        }
        ExprKind::Or(items) => {
            let mut unknown = false;
            for item in items {
                match truth(&eval(item, env)) {
                    Some(true) => return Value::Bool(true),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            known(if unknown { None } else { Some(false) })
        }
        ExprKind::Arith(op, l, r) => match (eval(l, env), eval(r, env)) {
            (Value::Number(a), Value::Number(b)) => arith(*op, a, b),
            _ => Value::Missing,
        },
        ExprKind::Compare(op, l, r) => known(compare(*op, &eval(l, env), &eval(r, env))),
        ExprKind::Between(v, lo, hi) => {
            let v = eval(v, env);
            let above = compare(CompareOp::Ge, &v, &eval(lo, env));
            let below = compare(CompareOp::Le, &v, &eval(hi, env));
            known(match (above, below) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            })
        }
        ExprKind::In {
            value,
            set,
            negated,
        } => known(
            set.contains(&eval(value, env))
                .map(|found| found != *negated),
        ),
        ExprKind::TextTest(op, l, r) => match (eval(l, env), eval(r, env)) {
            (Value::Text(h), Value::Text(n)) => Value::Bool(text_test(*op, &h, &n)),
            _ => Value::Missing,
        },
        ExprKind::Matches(v, re) => match eval(v, env) {
            Value::Text(t) => Value::Bool(re.is_match(&t)),
            _ => Value::Missing,
        },
        ExprKind::IsMissing(v) => Value::Bool(eval(v, env).is_missing()),
        ExprKind::IsPresent(v) => Value::Bool(!eval(v, env).is_missing()),
    }
}
