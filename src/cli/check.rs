//! `qualify check FILE...`: every error and warning of each definition, and its
//! examples run (those in it and those in its `NAME.examples.lead`), with a
//! summary line per file.

// The command line's own copy of the format (clap derives stay in `cli`).
use super::args::DiagnosticFormatArg as DiagnosticFormat;
use super::common::{as_of_days, emit, parse_as_of, stdout_is_terminal};
use super::load::suite_or_report;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::load::{add_example_failures, example_failures};
use crate::report::diagnostics::{render_github, render_human, summary_line, to_json};
use crate::suite::{companion_path, definition_path};
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
    let mut seen = std::collections::HashSet::new();
    for path in &args.files {
        // `x.lead` and `x.examples.lead` are checked together, once.
        if !seen.insert(definition_path(path)) {
            continue;
        }
        let Ok(mut suite) = suite_or_report(path) else {
            io_failed = true;
            continue;
        };
        add_example_failures(&mut suite.definition, as_of);
        if let (Some(model), Some(companion)) = (&suite.definition.model, &mut suite.companion) {
            let failures = example_failures(model, &companion.examples, as_of);
            companion.diagnostics.extend(failures);
        }
        let loaded = &suite.definition;
        let mut files = vec![(
            loaded.source.name.clone(),
            loaded.located(),
            loaded.error_count(),
            loaded.warning_count(),
        )];
        if let Some(c) = &suite.companion {
            let errors = c.error_count();
            let warnings = c.diagnostics.len() - errors;
            files.push((c.source.name.clone(), c.located(), errors, warnings));
        }
        for (name, located, errors, warnings) in files {
            failed |= errors > 0 || (deny_warnings && warnings > 0);
            for d in located {
                match args.format {
                    DiagnosticFormat::Human => emit(&render_human(&d, color, 100)),
                    DiagnosticFormat::Github => emit(&render_github(&d)),
                    DiagnosticFormat::Json => json.push(to_json(&d)),
                }
            }
            if args.format == DiagnosticFormat::Human {
                emit(&format!("{}\n", summary_line(&name, errors, warnings)));
            }
        }
        let unchecked = companion_path(&loaded.source.name)
            .filter(|c| suite.companion.is_none() && std::path::Path::new(c).exists());
        if let (Some(c), DiagnosticFormat::Human) = (unchecked, args.format) {
            emit(&format!(
                "{c}: not checked, because `{}` has errors\n",
                loaded.source.name
            ));
        }
    }
    if args.format == DiagnosticFormat::Json {
        emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&json).unwrap_or_else(|_| "[]".into())
        ));
    }
    if io_failed {
        EXIT_USAGE
    } else if failed {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
