//! qualify: a company's written lead definition, checked, tested and run.
//!
//! The modules, grouped by stage (ARCHITECTURE.md maps each with what goes in
//! and out; `tests/it/layering.rs` holds every module to importing only its own
//! stage or those below):
//!
//! - **front**: source text ([`source`]) → syntax tree ([`syntax`] into
//!   [`ast`]) → checked model ([`check`] into [`model`]). [`semantics`] says
//!   once what a model means (three-valued logic, comparison, text folding,
//!   the score arithmetic, the outcome); [`diagnostic`] is how every stage
//!   reports a problem; [`load`] is the front door every command goes
//!   through, adding [`lint`]'s warnings and example failures.
//! - **engine**: a model → a flat program ([`compile`] into [`program`]) →
//!   outcomes ([`eval`]: the compiled program over batches, and the reference
//!   evaluator, the plain reading of [`semantics`]).
//! - **files**: inquiry files read ([`input`]) → scored in order on every core
//!   by the one file driver ([`driver`]) → results and rejects written
//!   ([`output`]).
//! - **tools**: [`explain`], examples as tests ([`suite`], [`testing`]),
//!   [`fmt`], [`diff`], [`backtest`], the published page ([`doc`]), and their renderings ([`report`]).
//!   [`sample`] writes realistic inquiry files for examples and benchmarks.
//! - **shared words**: [`number`] formats numbers, [`plural`] counts in words.
//! - **command line**: [`cli`], one file per command; nothing else imports it.
//!
//! ```
//! use qualify::load::load_str;
//! use qualify::model::{days_from_date, Value};
//!
//! let loaded = load_str("mini.lead", r#"
//!     definition "Mini"
//!     fields {
//!       budget number optional
//!       demo   yes/no
//!     }
//!     criterion "has budget" +15 when budget >= 10000
//!     criterion "asked for a demo" +30 when demo
//!     stage "sales ready" when score >= 40
//!     stage "nurture" otherwise
//! "#);
//! assert!(loaded.diagnostics.is_empty());
//! let model = loaded.model.expect("checked");
//!
//! let as_of = days_from_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
//! let inquiry = [Value::Number(25_000.0), Value::Bool(true)];
//! let outcome = qualify::eval::reference::evaluate(&model, &inquiry, as_of);
//! assert_eq!(outcome.score, Some(45.0));
//! assert_eq!(outcome.stage_name(&model), "sales ready");
//!
//! // A missing budget is unknown: "has budget" does not count.
//! let inquiry = [Value::Missing, Value::Bool(true)];
//! let outcome = qualify::eval::reference::evaluate(&model, &inquiry, as_of);
//! assert_eq!(outcome.matched_names(&model), ["asked for a demo"]);
//! assert_eq!(outcome.stage_name(&model), "nurture");
//! ```

// Shared words.
pub mod number;
pub mod plural;

// Front: source → syntax → check → model, and what a model means.
pub mod ast;
pub mod check;
pub mod diagnostic;
pub mod lint;
pub mod load;
pub mod model;
pub mod semantics;
pub mod source;
pub mod syntax;

// Engine: compile → program → eval.
pub mod compile;
pub mod eval;
pub mod program;

// Files: input → driver → output.
pub mod driver;
pub mod input;
pub mod output;

// Tools.
pub mod backtest;
pub mod diff;
pub mod doc;
pub mod explain;
pub mod fmt;
pub mod lsp;
pub mod report;
pub mod sample;
pub mod sql;
pub mod suite;
pub mod testing;

// The command line.
pub mod cli;
