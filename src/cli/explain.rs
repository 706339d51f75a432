//! `qualify explain DEFINITION [INPUT --row N | --id VALUE] [--inquiry JSON]`:
//! why one inquiry gets its score and stage, rule by rule, as text or JSON.

use super::common::{emit, load_path, stderr_is_terminal, usage_error};
use super::{EXIT_FAILED, EXIT_OK, EXIT_REJECTS, EXIT_USAGE};
use crate::explain::inquiry::parse_inquiry;
use crate::explain::{explain, json, text};
use crate::io::{InputOptions, InquiryReader, RowResult};
use crate::load::Loaded;
use crate::model::{fold_text, Model, Value};
use crate::plural;
use crate::report::diagnostics::render_human;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The definition file.
    pub definition: String,
    /// An inquiry list (CSV or JSONL, as for `score`) to take the inquiry from.
    pub input: Option<String>,
    /// The inquiry on data row N of INPUT (1 is the first row after the header,
    /// as in `score`'s `row` column).
    #[arg(long, value_name = "N", conflicts_with_all = ["id", "inquiry"])]
    pub row: Option<u64>,
    /// The first inquiry of INPUT whose `id` field is VALUE.
    #[arg(long, value_name = "VALUE", conflicts_with = "inquiry")]
    pub id: Option<String>,
    /// The inquiry as a JSON object of field values, e.g. '{"budget": 7500}'
    /// (no INPUT needed). Fields not given are missing.
    #[arg(long, value_name = "JSON", conflicts_with = "input")]
    pub inquiry: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExplainFormat,
    #[command(flatten)]
    pub input_options: InputOptions,
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
    // Naming the examples file `x.examples.lead` means its definition `x.lead`.
    let loaded = match load_path(&crate::suite::definition_path(&args.definition)) {
        Ok(l) => l,
        Err(message) => return usage_error(&message),
    };
    if report_errors(&loaded) {
        return EXIT_FAILED;
    }
    let Some(model) = &loaded.model else {
        return EXIT_FAILED;
    };
    let (_, as_of) = args.input_options.as_of();
    let values = match pick(args, model) {
        Ok(v) => v,
        Err(status) => return status,
    };
    let e = explain(model, &loaded.source.text, &values, as_of);
    match args.format {
        ExplainFormat::Text => emit(&text::render(&e)),
        ExplainFormat::Json => emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&json::to_json(&e)).unwrap_or_default()
        )),
    }
    EXIT_OK
}

/// The inquiry the arguments name, or the exit status after saying why not.
fn pick(args: &ExplainArgs, model: &Model) -> Result<Vec<Value>, i32> {
    if let Some(text) = &args.inquiry {
        let inquiry = parse_inquiry(model, text)
            .map_err(|why| usage_error(&format!("the `--inquiry` cannot be read: {why}")))?;
        for key in &inquiry.unknown_keys {
            let hint =
                crate::diagnostic::did_you_mean(key, model.fields.iter().map(|f| f.name.as_str()))
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
            eprintln!("warning: `{key}` is not a field of the definition and is ignored{hint}");
        }
        return Ok(inquiry.values);
    }
    let Some(input) = &args.input else {
        return Err(usage_error(
            "say which inquiry to explain: an INPUT file with `--row N` or `--id VALUE`, \
             or `--inquiry '{\"field\": value, ...}'`",
        ));
    };
    let id_field = model.id_field();
    if args.id.is_some() && id_field.is_none() {
        return Err(usage_error(
            "the definition has no `id` field, so `--id` cannot find an inquiry; use `--row N`",
        ));
    }
    if args.row.is_none() && args.id.is_none() {
        return Err(usage_error(&format!(
            "say which inquiry of `{input}` to explain: `--row N` or `--id VALUE`"
        )));
    }
    let mut reader = InquiryReader::open(input, &args.input_options, model, &[]).map_err(|e| {
        eprintln!("error: {e}");
        if let Some(help) = e.help() {
            eprintln!("  help: {help}");
        }
        EXIT_USAGE
    })?;
    let want_id = args.id.as_deref().map(fold_text);
    let (mut rows, mut rejected) = (0, 0);
    for result in reader.rows() {
        let result = result.map_err(|e| usage_error(&e.to_string()))?;
        rows += 1;
        match result {
            RowResult::Row(inquiry) => {
                let hit = match (&want_id, id_field) {
                    (Some(want), Some(f)) => match &inquiry.values[f] {
                        Value::Text(t) => fold_text(t) == *want,
                        Value::Number(n) => crate::model::format_number(*n) == *want,
                        _ => false,
                    },
                    _ => Some(inquiry.row) == args.row,
                };
                if hit {
                    return Ok(inquiry.values);
                }
            }
            RowResult::Reject(r) => {
                rejected += 1;
                if want_id.is_none() && Some(r.row) == args.row {
                    eprintln!(
                        "error: row {} (line {}) of `{input}` is rejected: `{}` is {} ({})",
                        r.row,
                        r.line,
                        r.column,
                        if r.value.is_empty() {
                            "empty".to_string()
                        } else {
                            format!("`{}`", r.value)
                        },
                        r.reason
                    );
                    return Err(EXIT_REJECTS);
                }
            }
        }
    }
    Err(usage_error(&match (&args.id, args.row) {
        (Some(id), _) if rejected > 0 => format!(
            "no inquiry in `{input}` has the id `{id}` ({} {} not searched; \
             `qualify score` lists them)",
            plural::count(rejected, "rejected row", "rejected rows"),
            plural::pick(rejected, "was", "were")
        ),
        (Some(id), _) => format!("no inquiry in `{input}` has the id `{id}`"),
        (None, Some(row)) => format!(
            "`{input}` has {}, so there is no row {row}",
            plural::count(rows, "row", "rows")
        ),
        (None, None) => "no inquiry was named".to_string(),
    }))
}
