//! `qualify compile DEFINITION --listing`: check a definition, compile it and
//! show the program the scorer runs.

use super::common::{load_path, stderr_is_terminal, usage_error};
use super::{EXIT_FAILED, EXIT_OK};
use crate::compile::{compile_with, Passes};
use crate::plural::count;
use crate::report::diagnostics::render_human;

#[derive(Debug, clap::Args)]
pub struct CompileArgs {
    /// The definition file (`-` reads stdin).
    pub definition: String,
    /// Print the compiled program in readable form.
    #[arg(long)]
    pub listing: bool,
    /// Compile without optimisations (no folding, sharing or regex sets), to
    /// compare listings.
    #[arg(long)]
    pub no_optimize: bool,
}

pub fn run(args: &CompileArgs) -> i32 {
    let loaded = match load_path(&args.definition) {
        Ok(l) => l,
        Err(message) => return usage_error(&message),
    };
    let Some(model) = &loaded.model else {
        let color = stderr_is_terminal();
        for d in loaded.located().iter().filter(|d| d.diagnostic.is_error()) {
            eprint!("{}", render_human(d, color, 100));
        }
        eprintln!(
            "error: `{}` has {}; nothing was compiled",
            loaded.source.name,
            count(loaded.error_count(), "error", "errors")
        );
        return EXIT_FAILED;
    };
    let passes = if args.no_optimize {
        Passes::NONE
    } else {
        Passes::ALL
    };
    let program = compile_with(model, passes);
    if args.listing {
        super::common::emit(&program.listing());
    } else {
        eprintln!(
            "compiled `{}`: {} for {}, {}, {}",
            loaded.source.name,
            count(program.nodes.len(), "node", "nodes"),
            count(program.criteria.len(), "criterion", "criteria"),
            count(program.disqualifiers.len(), "disqualifier", "disqualifiers"),
            count(program.stages.len(), "stage", "stages")
        );
    }
    EXIT_OK
}
