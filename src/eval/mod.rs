//! Evaluation: a checked model and inquiries in, an [`Outcome`] per inquiry out.
//!
//! What the language means lives in [`crate::semantics`]; this module runs it.
//! [`reference`] is the plain reading of the semantics, one inquiry at a time,
//! kept simple so it can be trusted. [`program`] runs the compiled
//! [`crate::program::Program`] a batch of rows at a time over typed columns
//! ([`columns`], [`row_ops`]); it must agree with the reference on every
//! output, and its column kernels are held to [`crate::semantics::logic`] and
//! [`crate::semantics::compare`] by truth tables over every operand
//! combination. The score arithmetic is [`crate::semantics::score`], shared
//! by both, so their floats are bit-identical.

mod columns;
pub mod engine;
pub mod events;
pub mod examples;
pub mod program;
pub mod reference;
mod row_ops;
mod text_groups;
pub mod text_memo;
#[cfg(test)]
mod truth_tables;
