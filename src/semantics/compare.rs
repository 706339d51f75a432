//! Comparing and combining values: two values (numbers, texts, dates, yes/no)
//! in, a truth value or a number out.
//!
//! A comparison with a missing side is unknown; text compares folded
//! ([`super::text::fold`]); arithmetic that is not finite (a division by
//! zero, an overflow) is missing, never an infinity.

use super::logic::Truth;
use super::text::fold;
use crate::ast::{ArithOp, CompareOp, TextOp};
use crate::model::{Value, ValueSet};
use std::cmp::Ordering;

/// Orders two present values of the same type; text compares folded.
/// `None` when either is missing (or the types differ, which a checked
/// model never asks).
pub fn order(l: &Value, r: &Value) -> Option<Ordering> {
    match (l, r) {
        (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
        (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
        (Value::Text(a), Value::Text(b)) => Some(fold(a).cmp(&fold(b))),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

/// Whether `op` holds between two values in the order `o`.
#[inline]
pub fn holds(op: CompareOp, o: Ordering) -> bool {
    match op {
        CompareOp::Eq => o == Ordering::Equal,
        CompareOp::Ne => o != Ordering::Equal,
        CompareOp::Lt => o == Ordering::Less,
        CompareOp::Le => o != Ordering::Greater,
        CompareOp::Gt => o == Ordering::Greater,
        CompareOp::Ge => o != Ordering::Less,
    }
}

/// `l op r`: unknown when a side is missing.
pub fn compare(op: CompareOp, l: &Value, r: &Value) -> Truth {
    Truth::known(order(l, r).map(|o| holds(op, o)))
}

/// `v between lo and hi`: `v >= lo` and `v <= hi`.
pub fn between(v: &Value, lo: &Value, hi: &Value) -> Truth {
    super::logic::between(compare(CompareOp::Ge, v, lo), compare(CompareOp::Le, v, hi))
}

/// `a op b` on two present numbers: missing when the result is not finite.
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

/// `hay contains/starts with/ends with needle`, both folded.
pub fn text_test(op: TextOp, hay: &str, needle: &str) -> bool {
    let (h, n) = (fold(hay), fold(needle));
    match op {
        TextOp::Contains => h.contains(&n),
        TextOp::StartsWith => h.starts_with(&n),
        TextOp::EndsWith => h.ends_with(&n),
    }
}

/// `v in set` (or `not in`, when `negated`): unknown when `v` is missing;
/// text is looked up folded.
pub fn in_set(v: &Value, set: &ValueSet, negated: bool) -> Truth {
    let found = match v {
        Value::Missing => return Truth::Unknown,
        Value::Text(t) => set.texts.contains(&fold(t)),
        Value::Number(n) => set.numbers.contains(n),
        Value::Date(d) => set.dates.contains(d),
        Value::Bool(_) => false,
    };
    Truth::from(found != negated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_side_makes_every_comparison_unknown() {
        use CompareOp::*;
        for op in [Eq, Ne, Lt, Le, Gt, Ge] {
            assert_eq!(
                compare(op, &Value::Missing, &Value::Number(1.0)),
                Truth::Unknown
            );
            assert_eq!(
                compare(op, &Value::Date(3), &Value::Missing),
                Truth::Unknown
            );
        }
        assert_eq!(
            compare(
                Eq,
                &Value::Text(" ΟΔΟΣ".into()),
                &Value::Text("οδος ".into())
            ),
            Truth::Yes
        );
    }

    #[test]
    fn arithmetic_that_is_not_finite_is_missing() {
        assert_eq!(arith(ArithOp::Div, 1.0, 0.0), Value::Missing);
        assert_eq!(arith(ArithOp::Mul, f64::MAX, 2.0), Value::Missing);
        assert_eq!(arith(ArithOp::Sub, 3.0, 5.0), Value::Number(-2.0));
    }

    #[test]
    fn between_is_unknown_only_when_no_known_side_fails() {
        let n = Value::Number;
        assert_eq!(between(&n(5.0), &Value::Missing, &n(4.0)), Truth::No);
        assert_eq!(between(&n(5.0), &Value::Missing, &n(6.0)), Truth::Unknown);
        assert_eq!(between(&n(5.0), &n(5.0), &n(5.0)), Truth::Yes);
    }
}
