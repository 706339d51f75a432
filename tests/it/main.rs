//! One integration-test binary (faster to build than one per file); each module
//! tests one command or stage.

mod arbitrary;
mod backtest_cli;
mod backtest_stats;
mod broken_cases;
mod check_cli;
mod compile_cli;
mod diff;
mod diff_against;
mod diff_props;
mod docs_examples;
mod engines_agree;
mod explain;
mod explain_cli;
mod fmt;
mod fmt_props;
mod help_cli;
mod input_cli;
mod install;
mod lint_soundness;
mod lints;
mod output_files;
mod plurals;
mod robustness;
mod score_cli;
mod score_files;
mod score_memory;
mod score_parallel;
mod score_props;
mod support;
mod test_cli;
