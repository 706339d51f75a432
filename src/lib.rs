//! qualify: a company's written lead definition, checked, tested and run.
//!
//! The pipeline, one module per stage:
//! source text ([`source`]) → syntax tree ([`syntax`] into [`ast`]) →
//! checked model ([`check`] into [`model`]) → evaluation ([`eval`]) → reports
//! ([`report`]). [`load`] runs the front half for every command; [`cli`] holds
//! one file per command. Every stage reports problems as
//! [`diagnostic::Diagnostic`]s with a stable code and a span.
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

pub mod ast;
pub mod backtest;
pub mod check;
pub mod cli;
pub mod compile;
pub mod diagnostic;
pub mod diff;
pub mod driver;
pub mod eval;
pub mod explain;
pub mod fmt;
pub mod input;
pub mod lint;
pub mod load;
pub mod model;
pub mod number;
pub mod output;
pub mod plural;
pub mod program;
pub mod report;
pub mod sample;
pub mod semantics;
pub mod source;
pub mod suite;
pub mod syntax;
pub mod testing;
