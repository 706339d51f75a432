//! The language's functions in SQL: a function and its arguments' SQL in,
//! one SQL expression out, NULL exactly where [`crate::semantics::function`]
//! says missing, and the same bits where it gives a value.
//!
//! Nothing here leans on an engine's own `LEAST`, `GREATEST` or `round`:
//! DuckDB and PostgreSQL skip NULLs in `LEAST`/`GREATEST` (the language's
//! `min` of a missing value is missing), PostgreSQL rounds a float half to
//! even, and Spark's `floor` and `ceil` give 64-bit integers. So `min`/`max`
//! are `CASE`s, and rounding is the semantics' steps, `floor` and `ceil`
//! taken only below 2^52 (where every float is whole anyway), each exact.

use super::dialect::Dialect;
use crate::model::{Function, Type};
use crate::semantics::function::{SCALES, WHOLE_FROM};

/// `f(args)` whose value has type `ty`. Each argument appears several
/// times: like [`super::arith`], callers keep them small.
pub fn call(d: Dialect, f: Function, ty: Type, args: &[String]) -> String {
    match (f, args) {
        (Function::Min, [a, b]) => {
            format!("(CASE WHEN {a} <= {b} THEN {a} WHEN {b} < {a} THEN {b} END)")
        }
        (Function::Max, [a, b]) => {
            format!("(CASE WHEN {a} >= {b} THEN {a} WHEN {b} > {a} THEN {b} END)")
        }
        (Function::Default, [x, v]) => format!("coalesce({x}, {v})"),
        (Function::Floor, [x]) => {
            let whole = d.double(WHOLE_FROM);
            format!(
                "(CASE WHEN abs({x}) >= {whole} THEN {x} ELSE {} END)",
                d.to_double(&format!("floor({x})"))
            )
        }
        (Function::Round(digits), [x]) => round(d, x, digits),
        // A checked model never has another shape.
        _ => d.null_of(ty),
    }
}

/// `round(x, digits)`: `x` from 2^52 up; else `x · 10^digits` rounded half
/// away from zero ([`crate::semantics::function::half_away_from_zero`]),
/// divided by `10^digits`.
fn round(d: Dialect, x: &str, digits: u8) -> String {
    let whole = d.double(WHOLE_FROM);
    let scale = SCALES[usize::from(digits).min(SCALES.len() - 1)];
    let y = if digits == 0 {
        x.to_string()
    } else {
        format!("({x} * {})", d.double(scale))
    };
    let half = d.double(0.5);
    let one = d.double(1.0);
    let floor = d.to_double(&format!("floor({y})"));
    let ceil = d.to_double(&format!("ceil({y})"));
    let rounded = format!(
        "(CASE WHEN abs({y}) >= {whole} THEN {y} \
         WHEN {y} >= {zero} THEN (CASE WHEN {y} - {floor} >= {half} THEN {floor} + {one} ELSE {floor} END) \
         ELSE (CASE WHEN {ceil} - {y} >= {half} THEN {ceil} - {one} ELSE {ceil} END) END)",
        zero = d.double(0.0),
    );
    let scaled_back = if digits == 0 {
        rounded
    } else {
        format!("({rounded} / {})", d.double(scale))
    };
    format!("(CASE WHEN abs({x}) >= {whole} THEN {x} ELSE {scaled_back} END)")
}
