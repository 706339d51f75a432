//! `qualify diff OLD NEW`: what a revision changes in meaning, as text, markdown
//! or JSON.

use super::common::{stderr_is_terminal, stdout_is_terminal};
use super::revision::read_revision;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::diff::render::{self, Paint};
use crate::diff::{diff, DefinitionDiff};
use crate::load::{load, Loaded};
use crate::report::diagnostics::render_human;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// For a terminal (coloured when stdout is one).
    Text,
    /// For a pull-request comment.
    Markdown,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old revision: a file, `-` for stdin, or `REV:path` read with git
    /// (e.g. `HEAD~1:rules/northwind.lead`).
    pub old: String,
    /// The new revision, given the same way.
    pub new: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
}

pub fn run(args: &DiffArgs) -> i32 {
    if args.old == "-" && args.new == "-" {
        return super::common::usage_error("only one of OLD and NEW can be read from stdin (`-`)");
    }
    let old = match load_revision(&args.old) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let new = match load_revision(&args.new) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let (Some(old_ast), Some(new_ast)) = (&old.ast, &new.ast) else {
        return EXIT_FAILED;
    };
    let d = diff(old_ast, new_ast, &args.old, &args.new);
    print!("{}", render_diff(&d, args.format));
    EXIT_OK
}

pub fn render_diff(d: &DefinitionDiff, format: DiffFormat) -> String {
    match format {
        DiffFormat::Text => {
            let color = stdout_is_terminal() && std::env::var_os("NO_COLOR").is_none();
            render::text(d, Paint(color))
        }
        DiffFormat::Markdown => render::markdown(d),
        DiffFormat::Json => serde_json::to_string_pretty(d).unwrap_or_else(|_| "{}".into()) + "\n",
    }
}

/// Read and check one revision. A definition with errors cannot be compared by
/// meaning: its diagnostics go to stderr and the exit status is 1.
fn load_revision(arg: &str) -> Result<Loaded, i32> {
    let bytes = read_revision(arg).map_err(|message| {
        eprintln!("error: {message}");
        EXIT_USAGE
    })?;
    let name = if arg == "-" { "<stdin>" } else { arg };
    let loaded = load(name, bytes);
    let errors = loaded.error_count();
    if errors > 0 || loaded.model.is_none() {
        let color = stderr_is_terminal() && std::env::var_os("NO_COLOR").is_none();
        for d in loaded.located().iter().filter(|d| d.diagnostic.is_error()) {
            eprint!("{}", render_human(d, color, 100));
        }
        let noun = if errors == 1 { "error" } else { "errors" };
        eprintln!(
            "error: `{arg}` has {errors} {noun}; `qualify diff` compares definitions that check cleanly\n\
             help: run `qualify check` on it and fix what it reports"
        );
        return Err(EXIT_FAILED);
    }
    Ok(loaded)
}
