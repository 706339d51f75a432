//! Numbers as `score` writes them, in SQL (`compile --numbers text`): a
//! `DOUBLE` column in, the text [`crate::number::format_number`] gives out,
//! byte for byte.
//!
//! The rules: a whole number below 1e15 prints as an integer; another below
//! 1e15 prints rounded to hundredths (ties to even, on the float's exact
//! value), without trailing zeros; what rounds to zero, and everything from
//! 1e15 on, prints with an exponent in the shortest digits that read back
//! (`2.5e-7`, `1e300`), the nearer of two when two are as short, and the
//! larger of two as near (Rust's rule).
//!
//! Rounding to hundredths must see the float's exact value, not the engine's
//! rounded `x * 100`: `2.675` is just below 2.675 and prints `2.67`. Engines
//! have no exact decimal conversion of a float (PostgreSQL's goes through 15
//! digits), so the product's rounding error is found with float arithmetic
//! (Dekker's exact product, with Veltkamp's split of `x`), which every
//! engine does in IEEE 754 double precision with round to nearest.
//!
//! The exponent form starts from the engine's shortest digits (DuckDB's),
//! which break a tie between two as near to even where Rust takes the
//! larger: such a tie is recognised exactly (below) and moved up.
//! PostgreSQL 15 and Spark (Java 17's `Double.toString`) do not always print
//! the shortest digits (`2e23` prints `1.9999999999999998e+23`): no text
//! there.
//!
//! The query computes, per number, three helper columns in two layers
//! ([`helpers`]), which [`text`] then reads.

use super::dialect::Dialect;
use crate::number::EXPONENT_FROM;

/// Where the hundredths are computed: at least this size (below it, every
/// value rounds to zero hundredths, and the split could underflow, which
/// PostgreSQL refuses) and below [`EXPONENT_FROM`] (so hundredths fit a
/// 64-bit integer).
const CENTS_FROM: f64 = 1e-3;

/// Below this size a number may round to zero hundredths and print with an
/// exponent; the engine's shortest digits are only computed where they may
/// be needed.
const DIGITS_BELOW: f64 = 1e-2;

/// 2^27 + 1: splits a double's 53-bit significand into two halves of at
/// most 26 bits, whose products with 100 are exact.
const SPLIT: f64 = 134_217_729.0;

/// 2^52: from here on every double is a whole number.
const WHOLE_FROM: f64 = 4_503_599_627_370_496.0;

/// The helper columns for the number `x` (a column), named `q_n?{i}`: the
/// first layer's (hundredths, the engine's shortest text) and the second's
/// (that text's digits and power of ten), as (name, SQL) pairs.
pub fn helpers(d: Dialect, x: &str, i: usize) -> [Vec<(String, String)>; 2] {
    let shortest = format!("q_ns{i}");
    let first = vec![
        (format!("q_nc{i}"), cents(d, x)),
        (shortest.clone(), shortest_text(d, x)),
    ];
    let (digits, power) = digits_and_power(&shortest);
    let second = vec![(format!("q_nd{i}"), digits), (format!("q_np{i}"), power)];
    [first, second]
}

/// The value of `x` in hundredths, rounded as `{:.2}` rounds (nearest, ties
/// to even on the exact value), as a `BIGINT`, or NULL where the text is not
/// written from hundredths.
fn cents(d: Dialect, x: &str) -> String {
    let a = format!("abs({x})");
    let hundred = d.double(100.0);
    let product = format!("({a} * {hundred})");
    let whole = format!("floor({product})");
    // Exact: the fraction of a float is a float.
    let fraction = format!("({product} - {whole})");
    let scaled = format!("({a} * {})", d.double(SPLIT));
    let high = format!("({scaled} - ({scaled} - {a}))");
    let low = format!("({a} - {high})");
    // `a * 100 - product`, exactly: each partial product is exact, and so
    // is the sum in this order (Dekker).
    let error = format!("((({high} * {hundred}) - {product}) + ({low} * {hundred}))");
    let half = d.double(0.5);
    let whole_int = format!("CAST({whole} AS BIGINT)");
    // Below 2^52 the product's fraction is a multiple of its spacing, which
    // is at least twice the error: the fraction decides, and the error only
    // breaks a fraction of exactly one half. From 2^52 on the product is a
    // whole number and the error may exceed one: round the error instead.
    let small = format!(
        "{whole_int} + (CASE WHEN {fraction} > {half} THEN 1 WHEN {fraction} < {half} THEN 0 \
         WHEN {error} > 0 THEN 1 WHEN {error} < 0 THEN 0 \
         WHEN {whole_int} % 2 = 1 THEN 1 ELSE 0 END)"
    );
    let error_whole = format!("floor({error})");
    let error_fraction = format!("({error} - {error_whole})");
    let base = format!("(CAST({product} AS BIGINT) + CAST({error_whole} AS BIGINT))");
    let large = format!(
        "{base} + (CASE WHEN {error_fraction} > {half} THEN 1 WHEN {error_fraction} < {half} THEN 0 \
         WHEN {base} % 2 = 1 THEN 1 ELSE 0 END)"
    );
    format!(
        "(CASE WHEN {a} >= {from} AND {a} < {to} AND {x} <> trunc({x}) THEN \
         (CASE WHEN {product} < {whole_from} THEN {small} ELSE {large} END) END)",
        from = d.double(CENTS_FROM),
        to = d.double(EXPONENT_FROM),
        whole_from = d.double(WHOLE_FROM),
    )
}

/// The engine's shortest text of `abs(x)` where the exponent form may be
/// written (NULL elsewhere, so it is not made for every row). Refused
/// before this for an engine without one.
fn shortest_text(d: Dialect, x: &str) -> String {
    let text = d
        .shortest_double_text(&format!("abs({x})"))
        .unwrap_or_else(|| "NULL".into());
    format!(
        "(CASE WHEN {x} <> 0 AND (abs({x}) >= {to} OR abs({x}) < {below}) THEN {text} END)",
        to = d.double(EXPONENT_FROM),
        below = d.double(DIGITS_BELOW),
    )
}

/// From an engine's shortest text of a positive float (`1500000000000000.0`,
/// `2.5e-07`, `1e+300`, `0.001234`): its significant digits without
/// leading or trailing zeros, and the power of ten of the first.
fn digits_and_power(s: &str) -> (String, String) {
    let e_at = format!("strpos({s}, 'e')");
    let mantissa = format!("(CASE WHEN {e_at} > 0 THEN substr({s}, 1, {e_at} - 1) ELSE {s} END)");
    let exponent =
        format!("(CASE WHEN {e_at} > 0 THEN CAST(substr({s}, {e_at} + 1) AS INTEGER) ELSE 0 END)");
    let point = format!("strpos({mantissa}, '.')");
    let int_part = format!(
        "(CASE WHEN {point} > 0 THEN substr({mantissa}, 1, {point} - 1) ELSE {mantissa} END)"
    );
    let frac_part =
        format!("(CASE WHEN {point} > 0 THEN substr({mantissa}, {point} + 1) ELSE '' END)");
    let all = format!("({int_part} || {frac_part})");
    let leading = format!("(length({all}) - length(ltrim({all}, '0')))");
    (
        format!("rtrim(ltrim({all}, '0'), '0')"),
        format!("(length({int_part}) - 1 + {exponent} - {leading})"),
    )
}

/// Whether the float `a` (positive) lies exactly halfway between the
/// `digits` (at most 17, the first at 10^`power`) and the next number of as
/// many digits: `(10·digits + 5)·10^q` with `q = power - n`. Such a decimal
/// of 17 or 18 digits is a float only when `q < 0`, 5^-q divides it and the
/// quotient `r` is below 2^53; then it is `r·2^q`, compared exactly. Below
/// 16 digits the shortest form is unique, so no tie matters.
fn halfway_above(d: Dialect, a: &str, digits: &str, power: &str) -> String {
    let n = format!("length({digits})");
    let q = format!("({power} - {n})");
    let tie_point = format!("(CAST({digits} AS BIGINT) * 10 + 5)");
    let fives: Vec<String> = (1..=25u32)
        .map(|j| format!("WHEN {j} THEN {}", 5i64.pow(j)))
        .collect();
    let five_power = format!("(CASE -{q} {} END)", fives.join(" "));
    let quotient = d.int_div(&tie_point, &five_power);
    format!(
        "({n} >= 16 AND {q} < 0 AND {q} >= -25 AND {tie_point} % {five_power} = 0 \
         AND {quotient} < {two53} AND {} * power({two}, {q}) = {a})",
        d.to_double(&quotient),
        two53 = 9_007_199_254_740_992i64,
        two = d.double(2.0),
    )
}

/// `x` as `score` writes it, from `x` and its helper columns (number `i`).
pub fn text(d: Dialect, x: &str, i: usize) -> String {
    let (cents, digits, power) = (format!("q_nc{i}"), format!("q_nd{i}"), format!("q_np{i}"));
    let sign = format!("(CASE WHEN {x} < 0 THEN '-' ELSE '' END)");
    let whole = d.to_text(&format!("CAST({x} AS BIGINT)"));
    let units = d.to_text(&d.int_div(&cents, "100"));
    let hundredths = format!("({cents} % 100)");
    let tenths = d.to_text(&d.int_div(&hundredths, "10"));
    let two = format!("lpad({}, 2, '0')", d.to_text(&hundredths));
    let from_cents = format!(
        "{sign} || {units} || (CASE WHEN {hundredths} = 0 THEN '' \
         WHEN {hundredths} % 10 = 0 THEN '.' || {tenths} ELSE '.' || {two} END)"
    );
    // A tie the engine broke to even: the larger, whose last digit is odd,
    // so adding one never carries.
    let rust_digits = format!(
        "(CASE WHEN {} THEN {} ELSE {digits} END)",
        halfway_above(d, &format!("abs({x})"), &digits, &power),
        d.to_text(&format!("(CAST({digits} AS BIGINT) + 1)"))
    );
    let exponent_form = format!(
        "substr({rust_digits}, 1, 1) || (CASE WHEN length({digits}) > 1 THEN '.' || substr({rust_digits}, 2) ELSE '' END) || 'e' || {}",
        d.to_text(&power)
    );
    format!(
        "(CASE WHEN {x} IS NULL THEN NULL \
         WHEN {x} = trunc({x}) AND abs({x}) < {to} THEN {whole} \
         WHEN {cents} IS NOT NULL AND {cents} <> 0 THEN {from_cents} \
         ELSE {sign} || {exponent_form} END)",
        to = d.double(EXPONENT_FROM),
    )
}
