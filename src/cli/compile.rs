//! `qualify compile DEFINITION --listing`: check a definition, compile it and
//! show the program the scorer runs.

use super::load::{load_or_usage, model_or_report};
use super::EXIT_OK;
use crate::compile::{compile_with, Passes};
use crate::plural::count;

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
    let loaded = match load_or_usage(&args.definition) {
        Ok(l) => l,
        Err(status) => return status,
    };
    let model = match model_or_report(&loaded, || {
        format!(
            "`{}` has {}; nothing was compiled",
            loaded.source.name,
            count(loaded.error_count(), "error", "errors")
        )
    }) {
        Ok(model) => model,
        Err(status) => return status,
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
