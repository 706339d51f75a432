//! `qualify lsp`: the language server for editors, over stdin and stdout
//! (the library's [`crate::lsp`]); stderr carries its log.

use super::{EXIT_OK, EXIT_USAGE};
use crate::lsp::settings::Settings;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct LspArgs {
    /// An inquiry file (CSV or JSONL): hover then says how many of its first
    /// 10,000 inquiries each criterion, disqualifier and stage takes. The
    /// editor's `sample` setting, when it sends one, replaces it.
    #[arg(long, value_name = "FILE")]
    pub sample: Option<PathBuf>,
    /// Talk over stdin and stdout: the only transport, and the default;
    /// accepted because some editors pass it.
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(args: &LspArgs) -> i32 {
    let settings = Settings {
        sample: args.sample.clone(),
    };
    match crate::lsp::run_stdio(settings) {
        Ok(()) => EXIT_OK,
        Err(why) => {
            eprintln!("error: qualify lsp: {why}");
            EXIT_USAGE
        }
    }
}
