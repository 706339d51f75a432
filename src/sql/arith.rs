//! Arithmetic on 64-bit floats in SQL, as the language defines it: two
//! number expressions in, their sum, difference, product or quotient out,
//! NULL (missing) when the result is not finite or a divisor is zero.
//!
//! Engines disagree on what a float operation does when it overflows
//! (PostgreSQL raises an error, also when a product or quotient rounds to
//! zero; DuckDB and Spark give an infinity), so every operation that could
//! is guarded: the plain operation where it cannot overflow or vanish, else
//! the same operation on operands scaled by a power of two (exact), whose
//! result says whether the true one is finite. The result, when finite, is
//! the IEEE result bit for bit, as Rust computes it.

use super::dialect::Dialect;
use crate::ast::ArithOp;

/// 2^64 and 2^-64, 2^600: scaling by them is exact in the ranges used.
const UP: f64 = 18_446_744_073_709_551_616.0;
const DOWN: f64 = 1.0 / UP;

/// `a op b` for two number expressions (each may be NULL). Each operand
/// appears several times: callers keep them small (columns, literals).
pub fn arith(d: Dialect, op: ArithOp, a: &str, b: &str) -> String {
    match op {
        ArithOp::Add => add(d, a, b, "+"),
        ArithOp::Sub => add(d, a, b, "-"),
        ArithOp::Mul => mul(d, a, b),
        ArithOp::Div => div(d, a, b),
    }
}

/// `a ± b`: finite unless both are large. Halves add without rounding
/// differently (both normal), and the doubled half-sum is finite exactly
/// when it is at most MAX / 2.
fn add(d: Dialect, a: &str, b: &str, sign: &str) -> String {
    let half_max = d.double(f64::MAX / 2.0);
    let half = d.double(0.5);
    let two = d.double(2.0);
    let half_sum = format!("({a} * {half} {sign} {b} * {half})");
    format!(
        "(CASE WHEN abs({a}) <= {half_max} AND abs({b}) <= {half_max} THEN ({a} {sign} {b}) \
         WHEN abs({half_sum}) <= {half_max} THEN {half_sum} * {two} END)"
    )
}

/// `a * b`, with its magnitude bounded before it is computed: plain when
/// it lies between 1e-290 and 1e300; zero when it surely rounds to zero
/// (below 2^-1076); else scaled by 2^±600 so that the scaled product is
/// normal, whose size decides.
fn mul(d: Dialect, a: &str, b: &str) -> String {
    scaled(d, a, b, "*", |x, y| {
        format!("(ln(abs({x})) + ln(abs({y})))")
    })
}

/// `a / b`: missing when `b` is zero; otherwise like [`mul`].
fn div(d: Dialect, a: &str, b: &str) -> String {
    let quotient = scaled(d, a, b, "/", |x, y| {
        format!("(ln(abs({x})) - ln(abs({y})))")
    });
    format!(
        "(CASE WHEN {b} = {zero} THEN {null} ELSE {quotient} END)",
        zero = d.double(0.0),
        null = d.null_of(crate::model::Type::Number)
    )
}

fn scaled(d: Dialect, a: &str, b: &str, op: &str, log: impl Fn(&str, &str) -> String) -> String {
    // A literal zero: the result is zero (or a division by zero, handled by
    // the caller), and its logarithm must not be planned.
    if literal(a) == Some(0.0) || literal(b) == Some(0.0) {
        return format!("({a} {op} {b})");
    }
    let zero = d.double(0.0);
    let l = log(a, b);
    let lit = |n: f64| d.double(n);
    // ln(MAX) is 709.78; ln(2^-1075) is -745.13.
    let up = lit(2f64.powi(600));
    // Large: (a · 2^-64) op b is normal; its size says whether a op b fits.
    let big = format!("(({a} * {}) {op} {b})", lit(DOWN));
    // Small: (a · 2^600) op b is normal; at most 2^-475 means a op b rounds
    // to 0 (which PostgreSQL refuses to compute), else it is computed plainly.
    // A literal `a` too large to scale cannot reach this branch (the result
    // would not be small), and PostgreSQL computes constant parts of every
    // branch while planning: the branch is then left out.
    let small = match literal(a) {
        Some(v) if !(v * 2f64.powi(600)).is_finite() => d.null_of(crate::model::Type::Number),
        _ => format!("(({a} * {up}) {op} {b})"),
    };
    format!(
        "(CASE WHEN {a} = {zero} OR {b} = {zero} OR {a} IS NULL OR {b} IS NULL THEN ({a} {op} {b}) \
         WHEN {l} BETWEEN -690 AND 690 THEN ({a} {op} {b}) \
         WHEN {l} > 712 THEN {null} \
         WHEN {l} > 0 THEN (CASE WHEN abs({big}) <= {max_down} THEN {big} * {uplit} END) \
         WHEN {l} < -747 THEN {a} * {zero} \
         WHEN abs({small}) <= {tiny} THEN {a} * {zero} \
         ELSE ({a} {op} {b}) END)",
        null = d.null_of(crate::model::Type::Number),
        max_down = lit(f64::MAX * DOWN),
        uplit = lit(UP),
        tiny = lit(2f64.powi(-475)),
    )
}

/// The value of a float literal written by [`Dialect::double`].
fn literal(sql: &str) -> Option<f64> {
    let rest = sql.strip_prefix("CAST('")?;
    let end = rest.find('\'')?;
    rest[..end].parse().ok()
}

/// `points · 0.5^(days / half_life)`: the decay factor, zero once it is
/// too small to represent (0.5^1075 rounds to zero), then a guarded product.
pub fn decayed(d: Dialect, points: f64, days: &str, half_life: f64) -> String {
    decayed_sql(d, &d.double(points), days, half_life)
}

/// [`decayed`] of points that are a column (a per-unit criterion's capped points).
pub fn decayed_sql(d: Dialect, points: &str, days: &str, half_life: f64) -> String {
    let exponent = format!("({days} / {})", d.double(half_life));
    let factor = format!(
        "(CASE WHEN {exponent} >= {} THEN {} ELSE power({}, {exponent}) END)",
        d.double(1075.0),
        d.double(0.0),
        d.double(0.5)
    );
    mul(d, points, &factor)
}
