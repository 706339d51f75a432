//! One integration-test binary (faster to build than one per file); each module
//! tests one command or stage.

mod broken_cases;
mod check_cli;
mod robustness;
mod score_cli;
mod support;
