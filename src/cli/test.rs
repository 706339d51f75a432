//! `qualify test DEFINITION...`: run every example (those in the definition and
//! those in its `NAME.examples.lead`), show each failure with its explanation,
//! and with `--coverage` what the examples cover.

// The command line's own copy of the format (clap derives stay in `cli`).
use super::args::DiagnosticFormatArg as DiagnosticFormat;
use super::common::{as_of_days, emit, parse_as_of, stdout_is_terminal};
use super::load::suite_or_report;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::report::diagnostics::{render_github, render_human, to_json};
use crate::report::testing;
use crate::suite::definition_path;
use crate::testing::coverage::coverage;
use crate::testing::run_suite_with;
use chrono::NaiveDate;
use std::fmt::Write as _;

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Definition files (their `NAME.examples.lead` files are read too; naming
    /// an examples file tests its definition).
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: DiagnosticFormat,
    /// List every disqualifier, criterion and stage, and whether some example
    /// made it true and some made it false.
    #[arg(long)]
    pub coverage: bool,
    /// Fail (exit 1) when a definition's coverage is below PCT percent.
    /// Implies `--coverage`.
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    pub min_coverage: Option<f64>,
    /// Date examples without their own `as of` are run at (default today).
    #[arg(long, value_parser = parse_as_of)]
    pub as_of: Option<NaiveDate>,
    /// An activity export (CSV or JSONL, as for `score --events`): an
    /// example that gives the lead's `id` also has that lead's events from
    /// it, after those it lists. Read for each definition with an events block.
    #[arg(long, value_name = "FILE")]
    pub events: Option<String>,
}

fn parse_percent(s: &str) -> Result<f64, String> {
    let t = s.trim().trim_end_matches('%');
    match t.parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("`{s}` is not a percentage from 0 to 100")),
    }
}

pub fn run(args: &TestArgs) -> i32 {
    let (as_of_date, as_of) = as_of_days(args.as_of);
    let want_coverage = args.coverage || args.min_coverage.is_some();
    let human = args.format == DiagnosticFormat::Human;
    let color = stdout_is_terminal();
    let (mut failed, mut io_failed) = (false, false);
    let mut json = Vec::new();
    let mut out = String::new();
    let mut seen = std::collections::HashSet::new();
    if human {
        let _ = writeln!(
            out,
            "running examples as of {as_of_date} (unless an example says `as of`)"
        );
    }
    for path in &args.files {
        if !seen.insert(definition_path(path)) {
            continue;
        }
        let Ok(suite) = suite_or_report(path) else {
            io_failed = true;
            continue;
        };
        let name = suite.definition.source.name.clone();
        let model = match (&suite.definition.model, suite.error_count()) {
            (Some(model), 0) => model,
            _ => {
                // Tests cannot run on a definition that does not check.
                failed = true;
                let mut located = suite.definition.located();
                located.extend(suite.companion.iter().flat_map(|c| c.located()));
                for d in located.iter().filter(|d| d.diagnostic.is_error()) {
                    match args.format {
                        DiagnosticFormat::Human => out.push_str(&render_human(d, color, 100)),
                        DiagnosticFormat::Github => out.push_str(&render_github(d)),
                        DiagnosticFormat::Json => json.push(serde_json::json!({
                            "definition": name,
                            "errors": [to_json(d)],
                        })),
                    }
                }
                if human {
                    let why = format!("see `qualify check {name}`");
                    let _ = writeln!(out, "{name}: not tested, because it has errors ({why})");
                }
                continue;
            }
        };
        let events = match (&args.events, &model.events) {
            (Some(path), Some(_)) => {
                let options = crate::input::InputOptions::default();
                match super::events::read(model, path, &options, as_of, true) {
                    Ok(read) => {
                        if read.rejected > 0 {
                            // A bad event row fails the run, as a rejected row fails `score`.
                            failed = true;
                            let counts = read.table.tally(0);
                            let lines = super::events::summary(path, &read, &counts);
                            // The rejected rows only: which leads the examples
                            // name is not an input's question here.
                            for line in lines.iter().filter(|l| l.contains("rejected event")) {
                                let _ = writeln!(out, "{name}: events `{path}`:{line}");
                            }
                        }
                        Some(read)
                    }
                    Err(message) => {
                        eprintln!("error: {message}");
                        io_failed = true;
                        continue;
                    }
                }
            }
            _ => None,
        };
        let run = run_suite_with(model, &suite, as_of, events.as_ref().map(|e| &e.table));
        failed |= run.failed() > 0;
        let cov = want_coverage.then(|| coverage(model, &run));
        let below = match (&cov, args.min_coverage) {
            (Some(c), Some(min)) => c.percent() + 1e-9 < min,
            _ => false,
        };
        failed |= below;
        let source = &suite.definition.source;
        match args.format {
            DiagnosticFormat::Human => {
                let _ = writeln!(out, "\n{name}");
                let _ = write!(out, "{}", testing::summary(&run));
                let _ = write!(out, "{}", testing::failures(model, &source.text, &run));
                if let Some(c) = &cov {
                    out.push('\n');
                    let _ = write!(out, "{}", testing::coverage_text(&name, c));
                }
                let _ = writeln!(out, "\n{}", testing::totals(&name, &run));
                if let (true, Some(c), Some(min)) = (below, &cov, args.min_coverage) {
                    let _ = writeln!(
                        out,
                        "{name}: coverage {}% is below the minimum of {}%",
                        crate::number::format_number((c.percent() * 10.0).floor() / 10.0),
                        crate::number::format_number(min)
                    );
                }
            }
            DiagnosticFormat::Json => {
                let mut j = testing::to_json(model, source, &run, cov.as_ref());
                if let Some(min) = args.min_coverage {
                    j["coverage"]["minimum"] = serde_json::json!(min);
                    j["coverage"]["below_minimum"] = serde_json::json!(below);
                }
                json.push(j);
            }
            DiagnosticFormat::Github => {
                let _ = write!(out, "{}", testing::github(source, &run, cov.as_ref()));
                if let (true, Some(c), Some(min)) = (below, &cov, args.min_coverage) {
                    let _ = writeln!(out,
                        "::error file={name},line=1,title=coverage::coverage {}% is below the minimum of {}%",
                        crate::number::format_number((c.percent() * 10.0).floor() / 10.0),
                        crate::number::format_number(min)
                    );
                }
            }
        }
    }
    if args.format == DiagnosticFormat::Json {
        let all = serde_json::json!({ "as_of": as_of_date.to_string(), "definitions": json });
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&all).unwrap_or_default()
        );
    }
    emit(&out);
    if io_failed {
        EXIT_USAGE
    } else if failed {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
