//! `qualify lsp`: the language server for editors, over stdin and stdout
//! (the library's [`crate::lsp`]); stderr carries its log.

use super::{EXIT_OK, EXIT_USAGE};

#[derive(Debug, clap::Args)]
pub struct LspArgs {
    /// Talk over stdin and stdout: the only transport, and the default;
    /// accepted because some editors pass it.
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: &LspArgs) -> i32 {
    match crate::lsp::run_stdio() {
        Ok(()) => EXIT_OK,
        Err(why) => {
            eprintln!("error: qualify lsp: {why}");
            EXIT_USAGE
        }
    }
}
