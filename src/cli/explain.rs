//! `qualify explain DEFINITION [INPUT --row N | --id VALUE] [--inquiry JSON]`:
//! why one inquiry gets its score and stage, rule by rule, as text or JSON.
//!
//! `--id` explains the first row with that id, and only that one: when it
//! is rejected, the rejection is reported (a later row with the same id is
//! another inquiry), and when later rows share the id, a note names them.

use super::common::{emit, load_path, stderr_is_terminal, swapped_arguments, usage_error};
use super::{EXIT_FAILED, EXIT_OK, EXIT_REJECTS, EXIT_USAGE};
use crate::explain::inquiry::parse_inquiry;
use crate::explain::{explain, json, text};
use crate::io::{InputOptions, InquiryReader, RawRow, Reject, RowResult};
use crate::load::Loaded;
use crate::model::{FieldId, Model, Type, Value};
use crate::plural;
use crate::report::diagnostics::render_human;
use crate::semantics::text::fold as fold_text;

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
    /// The first inquiry of INPUT whose `id` field is VALUE (ignoring case
    /// and surrounding spaces); if that row is rejected, the rejection is
    /// reported, and later rows with the id are named.
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
    if loaded.model.is_none() {
        if let Some(hint) = args
            .input
            .as_deref()
            .and_then(|input| swapped_arguments("explain", &args.definition, input))
        {
            return usage_error(&hint);
        }
    }
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
    if let (Some(id), Some(field)) = (&args.id, id_field) {
        return find_id(reader, input, id, model, field);
    }
    let mut rows = 0;
    for result in reader.rows() {
        let result = result.map_err(|e| usage_error(&e.to_string()))?;
        rows += 1;
        match result {
            RowResult::Row(inquiry) if Some(inquiry.row) == args.row => {
                return Ok(inquiry.values);
            }
            RowResult::Row(_) => {}
            RowResult::Reject(r) if Some(r.row) == args.row => {
                eprintln!("error: {}", rejected_row(&r, input, ""));
                return Err(EXIT_REJECTS);
            }
            RowResult::Reject(_) => {}
        }
    }
    Err(usage_error(&match args.row {
        Some(row) => format!(
            "`{input}` has {}, so there is no row {row}",
            plural::count(rows, "row", "rows")
        ),
        None => "no inquiry was named".to_string(),
    }))
}

/// The first row of `reader` whose id is `id`, decoded; or, when that row
/// is rejected, the exit status after saying so. Rows are matched on the id
/// cell as read, so a rejected row is found as surely as a scored one; the
/// rest of the input is read to name the other rows with the id.
fn find_id(
    mut reader: InquiryReader,
    input: &str,
    id: &str,
    model: &Model,
    field: FieldId,
) -> Result<Vec<Value>, i32> {
    let decoder = reader.decoder().clone();
    // An optional `id` field may have no column: then no row has an id.
    let Some(column) = decoder.columns().slots.get(field).copied().flatten() else {
        return Err(usage_error(&format!(
            "no inquiry in `{input}` has the id `{id}`: it has no `{}` column",
            model.fields[field].column
        )));
    };
    let matcher = IdMatcher::new(id, model.fields[field].ty == Type::Number);
    let mut raw = RawRow::default();
    let mut first: Option<Result<(u64, Vec<Value>), Reject>> = None;
    let mut others: Vec<u64> = Vec::new();
    // Rows with no id cell to read (a JSONL line that is not an object, a
    // CSV row cut short): they may be the one asked for.
    let mut unread = 0;
    while reader
        .read_raw(&mut raw)
        .map_err(|e| usage_error(&e.to_string()))?
    {
        let cell = match raw.cells.get(column) {
            Some(cell) if raw.problem.is_none() => cell,
            _ => {
                unread += 1;
                continue;
            }
        };
        if !matcher.matches(&String::from_utf8_lossy(cell)) {
            continue;
        }
        if first.is_some() {
            others.push(raw.row);
            continue;
        }
        let mut values = Vec::new();
        first = Some(match decoder.decode(&raw, &mut values) {
            Ok(()) => Ok((raw.row, values)),
            Err(reject) => Err(*reject),
        });
    }
    let also = |others: &[u64]| -> String {
        let mut listed: Vec<String> = others.iter().take(5).map(u64::to_string).collect();
        if others.len() > 5 {
            listed.push(format!("and {} more", others.len() - 5));
        }
        let rows = if others.len() == 1 { "row" } else { "rows" };
        format!(
            "{rows} {} of `{input}` also {} the id `{id}`; `--row N` explains one of them",
            listed.join(", "),
            if others.len() == 1 { "has" } else { "have" }
        )
    };
    match first {
        Some(Ok((row, values))) => {
            if !others.is_empty() {
                eprintln!(
                    "note: explaining row {row}, the first with the id `{id}`; {}",
                    also(&others)
                );
            }
            Ok(values)
        }
        Some(Err(reject)) => {
            let first = format!(", the first with the id `{id}`,");
            eprintln!("error: {}", rejected_row(&reject, input, &first));
            if !others.is_empty() {
                eprintln!("  note: {}", also(&others));
            }
            Err(EXIT_REJECTS)
        }
        None if unread > 0 => Err(usage_error(&format!(
            "no inquiry in `{input}` has the id `{id}` ({unread} rejected rows have no id \
             to read; `qualify score` lists them)"
        ))),
        None => Err(usage_error(&format!(
            "no inquiry in `{input}` has the id `{id}`"
        ))),
    }
}

/// An `--id` as ids are compared: text ignoring case and surrounding
/// spaces; a number id by its value as well (`42` finds `42.0`).
struct IdMatcher {
    folded: String,
    number: Option<f64>,
}

impl IdMatcher {
    fn new(id: &str, numeric: bool) -> IdMatcher {
        IdMatcher {
            folded: fold_text(id),
            number: numeric.then(|| id.trim().parse().ok()).flatten(),
        }
    }

    fn matches(&self, cell: &str) -> bool {
        fold_text(cell) == self.folded
            || self
                .number
                .is_some_and(|n| cell.trim().parse::<f64>() == Ok(n))
    }
}

/// "row 3 (line 4) of `in.csv`{which} is rejected: `source` is `fax` (not
/// one of ...)"; a whole-row problem is given as its reason alone.
fn rejected_row(r: &Reject, input: &str, which: &str) -> String {
    let what = if r.column.is_empty() {
        r.reason.clone()
    } else {
        format!(
            "`{}` is {} ({})",
            r.column,
            if r.value.is_empty() {
                "empty".to_string()
            } else {
                format!("`{}`", r.value)
            },
            r.reason
        )
    };
    format!(
        "row {} (line {}) of `{input}`{which} is rejected: {what}",
        r.row, r.line
    )
}
