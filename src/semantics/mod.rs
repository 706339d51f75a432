//! What the language means, said once: values and a checked model in,
//! truth values, numbers and outcomes out.
//!
//! - [`logic`]: three-valued truth and Kleene `and`/`or`/`not`/`at least`/`between`;
//! - [`compare`]: comparing values (numbers, texts, dates), arithmetic, `in`, text tests;
//! - [`text`]: the one case fold every text comparison goes through;
//! - [`time`]: `days since` and `business days since`;
//! - [`score`]: per-criterion points → sub-scores → total;
//! - [`expr`]: an expression's value, walked with an optional observer (tracing);
//! - [`outcome`]: the driver, criteria → totals → first disqualifier → first stage → first route;
//! - [`handoff`]: the hand-off brief of an outcome, in sentences;
//! - [`events`]: aggregates of a lead's events (`count of`, `first`, `last`), windows, replay.
//!
//! Every evaluator is this module or is tested against it: the reference
//! evaluator ([`crate::eval::reference`]) and explanations run [`outcome`]
//! directly; the compiled program ([`crate::eval::program`]) shares
//! [`score`] and [`outcome`]'s earning rules, and its column kernels are
//! checked against [`logic`] and [`compare`] over every operand combination.
//! Depends only on the model (and the syntax tree's operator names): nothing
//! here knows about programs, files or commands.

pub mod compare;
pub mod events;
pub mod expr;
pub mod function;
pub mod handoff;
pub mod logic;
pub mod outcome;
pub mod score;
pub mod text;
pub mod time;

pub use logic::Truth;
pub use outcome::Outcome;
