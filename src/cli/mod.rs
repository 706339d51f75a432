//! The command line: arguments in, a command run, an exit status out.
//!
//! One file per command. Exit statuses are the same for every command (see
//! [`EXIT_STATUSES`]): 0 success, 1 the definition (or its examples) has
//! errors, 2 usage or I/O problem, 3 some input rows were rejected, 4 a review
//! gate failed.

pub mod args;
mod backtest;
mod check;
pub mod common;
pub mod compile;
mod completions;
mod diff;
mod doc;
mod events;
mod explain;
mod fmt;
mod load;
mod lsp;
mod man;
mod revision;
pub mod score;
mod test;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_REJECTS: i32 = 3;
pub const EXIT_GATE: i32 = 4;

/// Every exit status and what it means, as `--help` and the man page list them.
pub const EXIT_STATUSES: &[(&str, &str)] = &[
    ("0", "success (warnings allowed unless `--deny warnings`)"),
    (
        "1",
        "a definition has errors (or warnings, with `--deny warnings`), an example fails \
         (for `score`, `backtest` and `diff`: with `--deny failing-examples`), \
         `fmt --check` finds a file to format, or `test --min-coverage` is not met",
    ),
    (
        "2",
        "usage or I/O problem: an unknown option, an unreadable file, a missing column",
    ),
    ("3", "some input rows were rejected (see the rejects file)"),
    (
        "4",
        "a review gate failed (`diff --fail-if-moved`, `--fail-if-stage-changes`)",
    ),
    (
        "128+N",
        "stopped by signal N while `score -o` was writing (130 for Ctrl-C)",
    ),
];

/// Where a newcomer reads on, in the source repository.
pub const DOCS: &[(&str, &str)] = &[
    ("README.md", "every command, with examples"),
    ("docs/language.md", "the definition language"),
    ("docs/lints.md", "what each warning of `check` means"),
    ("docs/diff.md", "reviewing a revision"),
];

/// The text after `qualify --help`: exit statuses and where the docs are.
fn after_help() -> String {
    let mut text = String::from("Exit status (every command):\n");
    for (code, meaning) in EXIT_STATUSES {
        text.push_str(&format!("  {code:<6} {meaning}\n"));
    }
    text.push_str("\nDocumentation, in the qualify repository:\n");
    for (path, what) in DOCS {
        text.push_str(&format!("  {path:<17} {what}\n"));
    }
    text.push_str(
        "`qualify <COMMAND> --help` tells more about a command; `qualify man` prints a man page.",
    );
    text
}

#[derive(Debug, Parser)]
#[command(
    name = "qualify",
    version,
    about = "A written lead definition, checked, tested and run over inquiry lists.",
    long_about = "A written lead definition, checked, tested and run over inquiry lists.\n\n\
        A `.lead` file says, in plain words, which criteria earn an inquiry points, what \
        disqualifies it and which stage it reaches. qualify checks such a file like code \
        (`check`, `fmt`), runs its examples (`test`), scores exported inquiry lists with it \
        (`score`, `explain`) and reviews its revisions against real data (`diff`, `backtest`).",
    after_help = after_help()
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
    /// The definition as a plain-language page (Markdown, or `--html PAGE`) for sales and marketing.
    Doc(doc::DocArgs),
    /// Rewrite definitions in the canonical layout (`--check` for CI, `-` for stdin).
    Fmt(fmt::FmtArgs),
    /// Score an inquiry list (CSV or JSONL): score, stage and matched criteria per row.
    Score(score::ScoreArgs),
    /// Compile a definition to the program the scorer runs; `--listing` shows it.
    Compile(compile::CompileArgs),
    /// Serve the Language Server Protocol over stdio, for editors (see docs/editors.md).
    Lsp(lsp::LspArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Print the man page, in roff (`qualify man score` for one command's page).
    Man(man::ManArgs),
}

/// The command line as clap describes it, for completions and man pages.
pub fn command() -> clap::Command {
    Cli::command()
}

/// The command line as it parses: each command's usage line in an error is
/// the one its `--help` shows. Left to itself, clap writes the options given
/// so far into the usage line of an error, without brackets, so after a typo
/// `qualify score D I --as-of 2026-11-23 --treads 2` claimed
/// `Usage: qualify score --as-of <DATE> --threads <N> <DEFINITION> <INPUT>`,
/// as if those options were required.
fn parser() -> clap::Command {
    let mut cmd = command();
    cmd.build();
    let usages: Vec<(String, String)> = cmd
        .get_subcommands_mut()
        .map(|sub| {
            let usage = sub.render_usage().to_string();
            let line = usage.strip_prefix("Usage: ").unwrap_or(&usage).to_owned();
            (sub.get_name().to_owned(), line)
        })
        .collect();
    for (name, line) in usages {
        cmd = cmd.mut_subcommand(name, |sub| sub.override_usage(line));
    }
    cmd
}

/// Parse the arguments, run the command, return the exit status.
pub fn run() -> i32 {
    let parsed = parser()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
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
        Command::Doc(args) => doc::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Score(args) => score::run(&args),
        Command::Compile(args) => compile::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
    }
}
