//! `qualify check FILE...`: every error and warning of each definition, and its
//! examples run, with a summary line per file.

use super::common::{as_of_days, load_path, parse_as_of, stdout_is_terminal};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::load::add_example_failures;
use crate::report::diagnostics::{
    render_github, render_human, summary_line, to_json, DiagnosticFormat,
};
use chrono::NaiveDate;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Definition files (`-` reads stdin).
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: DiagnosticFormat,
    /// `--deny warnings` makes any warning fail the check (exit 1).
    #[arg(long, value_parser = ["warnings"])]
    pub deny: Option<String>,
    /// Date examples without their own `as of` are run at (default today).
    #[arg(long, value_parser = parse_as_of)]
    pub as_of: Option<NaiveDate>,
}

pub fn run(args: &CheckArgs) -> i32 {
    let (_, as_of) = as_of_days(args.as_of);
    let deny_warnings = args.deny.is_some();
    let color = stdout_is_terminal();
    let mut failed = false;
    let mut io_failed = false;
    let mut json = Vec::new();
    for path in &args.files {
        let mut loaded = match load_path(path) {
            Ok(l) => l,
            Err(message) => {
                eprintln!("error: {message}");
                io_failed = true;
                continue;
            }
        };
        add_example_failures(&mut loaded, as_of);
        let (errors, warnings) = (loaded.error_count(), loaded.warning_count());
        failed |= errors > 0 || (deny_warnings && warnings > 0);
        for d in loaded.located() {
            match args.format {
                DiagnosticFormat::Human => print!("{}", render_human(&d, color, 100)),
                DiagnosticFormat::Github => print!("{}", render_github(&d)),
                DiagnosticFormat::Json => json.push(to_json(&d)),
            }
        }
        if args.format == DiagnosticFormat::Human {
            println!("{}", summary_line(&loaded.source.name, errors, warnings));
        }
    }
    if args.format == DiagnosticFormat::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_else(|_| "[]".into())
        );
    }
    if io_failed {
        EXIT_USAGE
    } else if failed {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
