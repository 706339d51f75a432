//! The reference evaluator: the checked model read literally, one inquiry at
//! a time, one tree walk per condition, no sharing, no shortcuts beyond
//! three-valued logic.
//!
//! In: a [`Model`], one inquiry's values (one per field, in field order) and the
//! as-of date. Out: an [`Outcome`]. Used by examples, explanations and as the
//! oracle the compiled program is tested against. It is
//! [`crate::semantics::outcome`] run plainly; nothing is decided here.

use crate::model::{Model, Value};
use crate::semantics::outcome;

pub use crate::semantics::expr::{eval, number_or_missing, Env};
pub use crate::semantics::outcome::Outcome;

pub fn evaluate(model: &Model, values: &[Value], as_of: i32) -> Outcome {
    outcome::evaluate(model, values, as_of)
}

/// A yes/no value as three-valued truth: `None` is unknown. Kept for callers
/// outside the engine (the back-test's threshold search) until the merge;
/// [`crate::semantics::Truth::of`] is the one definition.
pub fn truth(v: &Value) -> Option<bool> {
    crate::semantics::Truth::of(v).to_option()
}
