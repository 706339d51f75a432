//! The reference evaluator: the checked model read literally, one inquiry at
//! a time, one tree walk per condition, no sharing, no shortcuts beyond
//! three-valued logic.
//!
//! In: a [`Model`], one inquiry's values (one per field, in field order) and the
//! as-of date. Out: an [`Outcome`]. Used by examples, explanations and as the
//! oracle the compiled program is tested against. It is
//! [`crate::semantics::outcome`] run plainly; nothing is decided here.

use crate::model::{Model, Value};
use crate::semantics::outcome::{self, Outcome};

pub fn evaluate(model: &Model, values: &[Value], as_of: i32) -> Outcome {
    outcome::evaluate(model, values, as_of)
}
