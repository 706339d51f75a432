//! One integration-test binary (faster to build than one per file); each module
//! tests one command or stage.

mod arbitrary;
mod check_cli;
mod compile_cli;
mod diff;
mod diff_against;
mod diff_props;
mod engines_agree;
mod score_cli;
mod score_parallel;
mod support;
