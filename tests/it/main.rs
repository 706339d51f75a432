//! One integration-test binary (faster to build than one per file); each module
//! tests one command or stage.

mod arbitrary;
mod broken_cases;
mod check_cli;
mod compile_cli;
mod engines_agree;
mod fmt;
mod fmt_props;
mod lint_soundness;
mod lints;
mod robustness;
mod score_cli;
mod score_parallel;
mod support;
