//! One integration-test binary (faster to build than one per file); each module
//! tests one command or stage.

mod check_cli;
mod diff;
mod diff_against;
mod diff_props;
mod score_cli;
mod support;
