//! `qualify explain DEFINITION [INPUT --row N | --id VALUE] [--inquiry JSON]`:
//! why one inquiry gets its score and stage, rule by rule, as text or JSON.
//!
//! `--id` explains the first row with that id, and only that one: when it
//! is rejected, the rejection is reported (a later row with the same id is
//! another inquiry), and when later rows share the id, a note names them.
//!
//! A file is read through the one file driver ([`crate::driver`]), so the
//! row asked for is decoded, and rejected, exactly as `score` would. Only
//! that row matters: `explain` takes no `--rejects` or `--max-rejects`. The
//! rejected rows it reads past are not its subject (it writes no rejects
//! file, and a count of them would stop it short of the row asked for for a
//! reason that has nothing to do with that row); the one it explains, when
//! rejected, is reported with the reason `score` writes in its rejects file.

use super::args::InputArgs;
use super::common::{emit, swapped_arguments, usage_error};
use super::{EXIT_OK, EXIT_REJECTS, EXIT_USAGE};
use crate::driver::{drive, ChunkWork, Limits, Rejects, Stop};
use crate::explain::inquiry::parse_inquiry;
use crate::explain::{explain, json, text};
use crate::input::{Decoder, InquiryReader, RawRow, Reject};
use crate::model::{Model, Type, Value};
use crate::plural;
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
    /// The activity export a definition with an `events` block reads (as
    /// for `score`): the inquiry's events are found by its `id`, and the
    /// text lists the events each aggregate counted.
    #[arg(long, value_name = "FILE")]
    pub events: Option<String>,
    #[command(flatten)]
    pub input_options: InputArgs,
}

pub fn run(args: &ExplainArgs) -> i32 {
    // Naming the examples file `x.examples.lead` means its definition `x.lead`.
    let loaded = match super::load::load_or_usage(&crate::suite::definition_path(&args.definition))
    {
        Ok(l) => l,
        Err(status) => return status,
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
    let model = match super::load::model_or_report(&loaded, || {
        let name = &loaded.source.name;
        format!("`{name}` has errors; run `qualify check {name}`")
    }) {
        Ok(model) => model,
        Err(status) => return status,
    };
    let (_, as_of) = args.input_options.options().as_of();
    if let Err(message) = super::events::check_given(model, args.events.as_deref()) {
        return usage_error(&message);
    }
    let values = match pick(args, model) {
        Ok(v) => v,
        Err(status) => return status,
    };
    // The inquiry's events, read plainly (the reference reading explains).
    let mut lead_events = Vec::new();
    if let (Some(path), Some(id)) = (&args.events, model.id_field()) {
        let options = args.input_options.options();
        match super::events::read(model, path, &options, as_of, true) {
            Ok(read) => lead_events = read.table.events_of(&values[id]).to_vec(),
            Err(message) => {
                eprintln!("error: {message}");
                return super::EXIT_USAGE;
            }
        }
    }
    let values = crate::semantics::events::with_aggregates(model, &values, &lead_events, as_of);
    let e = explain(model, &loaded.source.text, &values, as_of);
    match args.format {
        ExplainFormat::Text => {
            emit(&text::render(&e));
            emit(&super::events::counted(model, &values, &lead_events, as_of));
        }
        ExplainFormat::Json => {
            let mut j = json::to_json(&e);
            if !model.aggregates.is_empty() {
                j["events"] = super::events::counted_json(model, &values, &lead_events, as_of);
            }
            emit(&format!(
                "{}\n",
                serde_json::to_string_pretty(&j).unwrap_or_default()
            ))
        }
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
    let reader =
        InquiryReader::open(input, &args.input_options.options(), model, &[]).map_err(|e| {
            eprintln!("error: {e}");
            if let Some(help) = e.help() {
                eprintln!("  help: {help}");
            }
            EXIT_USAGE
        })?;
    let decoder = reader.decoder().clone();
    // An optional `id` field may have no column: then no row has an id.
    let wanted = match (&args.id, id_field) {
        (Some(id), Some(field)) => {
            let Some(column) = decoder.columns().slots.get(field).copied().flatten() else {
                return Err(usage_error(&format!(
                    "no inquiry in `{input}` has the id `{id}`: it has no `{}` column",
                    model.fields[field].column
                )));
            };
            Wanted::Id {
                column,
                matcher: IdMatcher::new(id, model.fields[field].ty == Type::Number),
            }
        }
        _ => Wanted::Row(args.row.unwrap_or(0)),
    };
    let work = FindRow { decoder, wanted };
    let mut found = Found::default();
    let limits = Limits {
        // Only the row asked for matters (see the module's comment).
        max_rejects: None,
        reject: &mut |_| Ok(()),
        progress: &|_, _| {},
    };
    let by_row = matches!(work.wanted, Wanted::Row(_));
    let run = drive(
        reader,
        &work,
        limits,
        |_, hits: &mut Vec<Hit>, _: &mut Rejects| {
            for hit in hits.drain(..) {
                match hit {
                    Hit::Unread => found.unread += 1,
                    Hit::Row(row, _) if found.first.is_some() => found.others.push(row),
                    Hit::Row(row, result) => found.first = Some((row, result)),
                }
            }
            // A row number is one row: the rest of the input need not be read.
            if by_row && found.first.is_some() {
                return Err(Stop::Done);
            }
            Ok(())
        },
    )
    .map_err(|e| usage_error(&e.to_string()))?;
    match (&args.id, id_field) {
        (Some(id), Some(_)) => found.for_id(input, id),
        _ => match found.first {
            Some((_, Ok(values))) => Ok(values),
            Some((_, Err(r))) => {
                eprintln!("error: {}", rejected_row(&r, input, ""));
                Err(EXIT_REJECTS)
            }
            None => Err(usage_error(&match args.row {
                Some(row) => format!(
                    "`{input}` has {}, so there is no row {row}",
                    plural::count(run.read, "row", "rows")
                ),
                None => "no inquiry was named".to_string(),
            })),
        },
    }
}

/// Which row `explain` looks for.
enum Wanted {
    /// Data row N.
    Row(u64),
    /// The rows whose id cell (in `column`) matches.
    Id { column: usize, matcher: IdMatcher },
}

/// A row that is the one asked for (or, for an id, may be).
enum Hit {
    /// The row and its values, or why it was rejected.
    Row(u64, Result<Vec<Value>, Reject>),
    /// A row with no id cell to read (a JSONL line that is not an object, a
    /// CSV row cut short): it may be the one asked for.
    Unread,
}

/// Find the rows asked for and decode them; every other row is skipped
/// undecoded. Rows are matched on the id cell as read, so a rejected row
/// is found as surely as a scored one.
struct FindRow {
    decoder: Decoder,
    wanted: Wanted,
}

impl ChunkWork for FindRow {
    type Scratch = ();
    type Out = Vec<Hit>;

    fn scratch(&self) {}

    fn work(&self, rows: &[RawRow], _: &mut (), hits: &mut Vec<Hit>) {
        hits.clear();
        for raw in rows {
            let wanted = match &self.wanted {
                Wanted::Row(n) => raw.row == *n,
                Wanted::Id { column, matcher } => match raw.cells.get(*column) {
                    Some(cell) if raw.problem.is_none() => {
                        matcher.matches(&String::from_utf8_lossy(cell))
                    }
                    _ => {
                        hits.push(Hit::Unread);
                        continue;
                    }
                },
            };
            if wanted {
                let mut values = Vec::new();
                let result = match self.decoder.decode(raw, &mut values) {
                    Ok(()) => Ok(values),
                    Err(reject) => Err(*reject),
                };
                hits.push(Hit::Row(raw.row, result));
            }
        }
    }
}

/// What the reading found: the first row asked for, later rows with the
/// same id, and rows with no id to read.
#[derive(Default)]
struct Found {
    first: Option<(u64, Result<Vec<Value>, Reject>)>,
    others: Vec<u64>,
    unread: u64,
}

impl Found {
    /// The values of the first row with the id `id`; or, when that row is
    /// rejected or there is none, the exit status after saying so.
    fn for_id(self, input: &str, id: &str) -> Result<Vec<Value>, i32> {
        let Found {
            first,
            others,
            unread,
        } = self;
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
            Some((row, Ok(values))) => {
                if !others.is_empty() {
                    eprintln!(
                        "note: explaining row {row}, the first with the id `{id}`; {}",
                        also(&others)
                    );
                }
                Ok(values)
            }
            Some((_, Err(reject))) => {
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
