//! `qualify completions SHELL`: the shell's completion script for every
//! command and option, generated from the command line's own definition (so it
//! cannot drift from it), printed to stdout.

use super::common::emit;
use super::EXIT_OK;
use clap_complete::Shell;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: &CompletionsArgs) -> i32 {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut super::command(), "qualify", &mut script);
    emit(&String::from_utf8_lossy(&script));
    EXIT_OK
}
