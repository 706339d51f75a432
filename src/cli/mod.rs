//! The command line: arguments in, a command run, an exit status out.
//!
//! One file per command. Exit statuses are the same for every command:
//! 0 success, 1 the definition (or its examples) has errors, 2 usage or I/O
//! problem, 3 some input rows were rejected, 4 a review gate failed.

mod backtest;
mod check;
pub mod common;
pub mod compile;
mod diff;
mod explain;
mod fmt;
mod revision;
pub mod score;
mod test;

use clap::{Parser, Subcommand};

pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_REJECTS: i32 = 3;
pub const EXIT_GATE: i32 = 4;

#[derive(Debug, Parser)]
#[command(
    name = "qualify",
    version,
    about = "A written lead definition, checked, tested and run over inquiry lists."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check definitions: report every error and warning, and run their examples.
    Check(check::CheckArgs),
    /// Explain one inquiry: each rule, whether it held, the points and the values that decided it.
    Explain(explain::ExplainArgs),
    /// Run the definitions' examples (and their NAME.examples.lead files); `--coverage` shows what they cover.
    Test(test::TestArgs),
    /// Backtest a definition against past inquiries and their outcomes.
    Backtest(Box<backtest::BacktestArgs>),
    /// Compare two revisions of a definition by meaning (`REV:path` reads from git).
    Diff(diff::DiffArgs),
    /// Rewrite definitions in the canonical layout (`--check` for CI, `-` for stdin).
    Fmt(fmt::FmtArgs),
    /// Score an inquiry list (CSV or JSONL): score, stage and matched criteria per row.
    Score(score::ScoreArgs),
    /// Compile a definition to the program the scorer runs; `--listing` shows it.
    Compile(compile::CompileArgs),
}

/// Parse the arguments, run the command, return the exit status.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            };
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Backtest(args) => backtest::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Score(args) => score::run(&args),
        Command::Compile(args) => compile::run(&args),
    }
}
