//! One integration-test binary (faster to build than one per file); each module
//! tests one command or stage.

mod check_cli;
mod explain;
mod explain_cli;
mod score_cli;
mod support;
mod test_cli;
