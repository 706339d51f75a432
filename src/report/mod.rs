//! Reports: results in, text for people or machines out.
pub mod backtest;
pub mod diagnostics;
pub mod github;
pub mod testing;
