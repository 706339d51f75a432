//! qualify: a lead definition as a text file, checked, compiled and run.
//!
//! The pipeline, one module per stage:
//! source text ([`source`]) → syntax tree ([`syntax`] into [`ast`]) →
//! checked model ([`check`] into [`model`]) → evaluation ([`eval`]).
//! Every stage reports problems as [`diagnostic::Diagnostic`]s.

pub mod ast;
pub mod batch;
pub mod check;
pub mod cli;
pub mod compile;
pub mod diagnostic;
pub mod eval;
pub mod fmt;
pub mod io;
pub mod lint;
pub mod load;
pub mod model;
pub mod program;
pub mod report;
pub mod sample;
pub mod source;
pub mod syntax;
