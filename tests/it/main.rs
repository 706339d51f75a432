//! One integration-test binary (faster to build than one per file); each module
//! tests one command or stage.

mod backtest_cli;
mod backtest_stats;
mod check_cli;
mod score_cli;
mod support;
