//! The language's functions: a function and its arguments' values in, the
//! call's value out.
//!
//! `min`, `max`, `round` and `floor` of a missing argument are missing;
//! `default(x, v)` is `v` exactly when `x` is missing. Rounding is written
//! here once, with the operations the SQL target repeats (`src/sql/function.rs`),
//! so every evaluator and target gets the same bits.

use crate::model::{Function, Value};

/// From 2^52 up, every `f64` is a whole number: rounding leaves it as it is.
pub const WHOLE_FROM: f64 = 4_503_599_627_370_496.0;

/// 10^n for the decimal places `round` allows (0..=9); each is exact.
pub const SCALES: [f64; 10] = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/// The most decimal places `round(x, n)` takes.
pub const MAX_DIGITS: u8 = 9;

/// The value of `f(args)`. A checked model gives each function its number
/// of arguments, of the types it takes; anything else is missing.
pub fn apply(f: Function, args: &[Value]) -> Value {
    match (f, args) {
        (Function::Default, [x, v]) => {
            if x.is_missing() {
                v.clone()
            } else {
                x.clone()
            }
        }
        (Function::Min | Function::Max, [a, b]) => {
            let smaller = f == Function::Min;
            match (a, b) {
                (Value::Number(x), Value::Number(y)) => Value::Number(pick(*x, *y, smaller)),
                (Value::Date(x), Value::Date(y)) => Value::Date(pick(*x, *y, smaller)),
                _ => Value::Missing,
            }
        }
        (Function::Round(digits), [Value::Number(x)]) => Value::Number(round(*x, digits)),
        (Function::Floor, [Value::Number(x)]) => Value::Number(x.floor()),
        _ => Value::Missing,
    }
}

/// The smaller (or larger) of two values; the first when they are equal,
/// so `min(0, -0)` is `0` in every evaluator.
pub fn pick<T: PartialOrd>(a: T, b: T, smaller: bool) -> T {
    let first = if smaller { a <= b } else { a >= b };
    if first {
        a
    } else {
        b
    }
}

/// `round(x, digits)`: `x · 10^digits` rounded half away from zero, divided
/// by `10^digits`, in 64-bit floating point; `x` itself when it is 2^52 or
/// more in size (already whole). Never overflows: below 2^52, `x · 10^9`
/// is far below the largest `f64`.
pub fn round(x: f64, digits: u8) -> f64 {
    if x.abs() >= WHOLE_FROM {
        return x;
    }
    let scale = SCALES[usize::from(digits.min(MAX_DIGITS))];
    half_away_from_zero(x * scale) / scale
}

/// `y` rounded to a whole number, a half away from zero, by exact steps
/// (`floor`, `ceil`, a subtraction that is exact below 2^52), as SQL
/// writes it: `2.5` → `3`, `-2.5` → `-3`, `0.49999999999999994` → `0`.
pub fn half_away_from_zero(y: f64) -> f64 {
    if y.abs() >= WHOLE_FROM {
        y
    } else if y >= 0.0 {
        let down = y.floor();
        if y - down >= 0.5 {
            down + 1.0
        } else {
            down
        }
    } else {
        let up = y.ceil();
        if up - y >= 0.5 {
            up - 1.0
        } else {
            up
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_away_from_zero_is_rusts_round() {
        let edge = [
            0.5,
            -0.5,
            1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            WHOLE_FROM - 0.5,
            WHOLE_FROM + 1.0,
            -(WHOLE_FROM + 1.0),
            1e300,
            -0.0,
            0.0,
            f64::MIN_POSITIVE,
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut random = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            f64::from_bits(state)
        };
        let many = (0..20_000).map(|_| random()).filter(|v| v.is_finite());
        for y in edge.into_iter().chain(many) {
            let ours = half_away_from_zero(y);
            assert_eq!(ours.to_bits(), y.round().to_bits(), "{y:e}");
        }
    }

    #[test]
    fn round_to_places() {
        assert_eq!(round(2.345, 2), 2.35); // 2.345 × 100 is 234.50000000000003
        assert_eq!(round(-1.005, 2), -1.0); // 1.005 is 1.00499999999999989...
        assert_eq!(round(12.5, 0), 13.0);
        assert_eq!(round(-12.5, 0), -13.0);
        assert_eq!(round(4_503_599_627_370_497.0, 2), 4_503_599_627_370_497.0);
        assert_eq!(round(1e300, 9), 1e300);
        assert_eq!(round(0.123_456_789_4, 9), 0.123_456_789);
    }

    #[test]
    fn missing_arguments() {
        use Value::{Date, Missing, Number};
        assert_eq!(apply(Function::Min, &[Number(1.0), Missing]), Missing);
        assert_eq!(apply(Function::Max, &[Missing, Number(1.0)]), Missing);
        assert_eq!(apply(Function::Max, &[Date(3), Date(5)]), Date(5));
        assert_eq!(
            apply(Function::Min, &[Number(3.0), Number(-5.0)]),
            Number(-5.0)
        );
        assert_eq!(apply(Function::Round(0), &[Missing]), Missing);
        assert_eq!(apply(Function::Floor, &[Number(-1.5)]), Number(-2.0));
        assert_eq!(
            apply(Function::Default, &[Missing, Number(0.0)]),
            Number(0.0)
        );
        assert_eq!(
            apply(Function::Default, &[Number(2.0), Number(0.0)]),
            Number(2.0)
        );
        assert_eq!(
            apply(Function::Default, &[Value::Bool(false), Value::Bool(true)]),
            Value::Bool(false)
        );
        let zero = apply(Function::Min, &[Number(0.0), Number(-0.0)]);
        assert!(matches!(zero, Number(z) if z.to_bits() == 0.0f64.to_bits()));
    }
}
