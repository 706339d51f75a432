//! `qualify explain DEFINITION --inquiry '{...}'`: why one inquiry gets its score
//! and stage, rule by rule, as text or JSON.

use super::common::{as_of_days, load_path, parse_as_of, stderr_is_terminal, usage_error};
use super::{EXIT_FAILED, EXIT_OK};
use crate::explain::inquiry::parse_inquiry;
use crate::explain::{explain, json, text};
use crate::load::Loaded;
use crate::model::Value;
use crate::report::diagnostics::render_human;
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The definition file.
    pub definition: String,
    /// The inquiry as a JSON object of field values, e.g. '{"budget": 7500}'.
    /// Fields not given are missing.
    #[arg(long)]
    pub inquiry: Option<String>,
    /// Date `days since` counts to (default today); always shown in the output.
    #[arg(long, value_parser = parse_as_of)]
    pub as_of: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExplainFormat,
}

/// Print a definition's errors to stderr; true when there were any.
pub fn report_errors(loaded: &Loaded) -> bool {
    if loaded.model.is_some() {
        return false;
    }
    let color = stderr_is_terminal();
    for d in loaded.located().iter().filter(|d| d.diagnostic.is_error()) {
        eprint!("{}", render_human(d, color, 100));
    }
    eprintln!(
        "error: `{}` has errors; run `qualify check {}`",
        loaded.source.name, loaded.source.name
    );
    true
}

pub fn run(args: &ExplainArgs) -> i32 {
    let loaded = match load_path(&args.definition) {
        Ok(l) => l,
        Err(message) => return usage_error(&message),
    };
    if report_errors(&loaded) {
        return EXIT_FAILED;
    }
    let Some(model) = &loaded.model else {
        return EXIT_FAILED;
    };
    let (_, as_of) = as_of_days(args.as_of);
    let values: Vec<Value> = match &args.inquiry {
        Some(text) => {
            match parse_inquiry(model, text) {
                Ok(inquiry) => {
                    for key in &inquiry.unknown_keys {
                        let hint = crate::diagnostic::did_you_mean(
                            key,
                            model.fields.iter().map(|f| f.name.as_str()),
                        )
                        .map(|h| format!(" ({h})"))
                        .unwrap_or_default();
                        eprintln!("warning: `{key}` is not a field of the definition and is ignored{hint}");
                    }
                    inquiry.values
                }
                Err(why) => return usage_error(&format!("the `--inquiry` cannot be read: {why}")),
            }
        }
        None => {
            return usage_error(
                "say which inquiry to explain: `--inquiry '{\"field\": value, ...}'`",
            )
        }
    };
    let e = explain(model, &loaded.source.text, &values, as_of);
    match args.format {
        ExplainFormat::Text => print!("{}", text::render(&e)),
        ExplainFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&json::to_json(&e)).unwrap_or_default()
        ),
    }
    EXIT_OK
}
