//! `--events FILE`: the activity export read once, streaming, into
//! per-lead accumulators before the leads are scored; its counts for the
//! summary.
//!
//! In: a definition with an events block, the events file's path, the
//! input options, the as-of date and (for `score`) the leads file, read
//! first when a `since` window needs each lead's date. Out: an
//! [`EventsRead`] (the folded table, rows read and rejected). The rows are
//! parsed on a second thread while this one decodes and folds them, in the
//! file's order, so the result is the same on any number of cores.

use crate::eval::events::{EventCounts, EventsTable, Folder};
use crate::input::{InputOptions, InquiryReader, RawRow, Reject};
use crate::model::{AggregateKind, Earning, ExprKind, Model, Value};

/// How many rejected event rows and unknown lead ids the summary lists.
const LISTED: usize = 5;

/// An events file read: the table, and its rows read and rejected.
pub struct EventsRead {
    pub table: EventsTable,
    pub read: u64,
    pub rejects: Vec<Reject>,
    pub rejected: u64,
}

/// Whether `--events` fits the definition: given exactly when it has an
/// events block.
pub fn check_given(model: &Model, events: Option<&str>) -> Result<(), String> {
    match (&model.events, events) {
        (Some(block), None) => Err(format!(
            "the definition reads events (`events {}`): give the activity export with `--events FILE`",
            block.name
        )),
        (None, Some(_)) => {
            Err("--events needs an `events NAME { ... }` block in the definition (docs/language.md#events)".into())
        }
        _ => Ok(()),
    }
}

/// Whether `--events` fits commands that score under several definitions
/// (`diff --against`'s two revisions): needed when any of them has an
/// events block, refused when none has.
pub fn check_given_any(models: &[&Model], events: Option<&str>) -> Result<(), String> {
    match (models.iter().find(|m| m.events.is_some()), events) {
        (Some(m), None) => check_given(m, None),
        (None, Some(_)) => {
            check_given(models.first().copied().unwrap_or(&Model::default()), events)
        }
        _ => Ok(()),
    }
}

/// The events file folded for `model` when it has an events block (none
/// otherwise), as [`read`] reads it.
pub fn read_for(
    model: &Model,
    events: Option<&str>,
    options: &InputOptions,
    as_of: i32,
) -> Result<Option<EventsRead>, String> {
    match (events, &model.events) {
        (Some(path), Some(_)) => read(model, path, options, as_of, false).map(Some),
        _ => Ok(None),
    }
}

/// A run's events summary, printed on stderr; the rejected event rows.
pub fn report(path: &str, read: &EventsRead) -> u64 {
    let counts = read.table.tally(LISTED_IDS);
    for line in summary(path, read, &counts) {
        eprintln!("{line}");
    }
    read.rejected
}

/// Read `path` with the events block's fields: every row folded into the
/// table or rejected (with its line).
pub fn read(
    model: &Model,
    path: &str,
    options: &InputOptions,
    as_of: i32,
    keep_lists: bool,
) -> Result<EventsRead, String> {
    read_with_leads(model, path, options, as_of, keep_lists, None)
}

/// [`read`], with the leads file (`leads`, not stdin) read first when a
/// `since D` window needs each lead's D: each lead's bounds preset, so the
/// fold counts directly and memory stays with the leads, not the events.
/// The leads file unreadable here: no preset (its own reading reports it).
pub fn read_with_leads(
    model: &Model,
    path: &str,
    options: &InputOptions,
    as_of: i32,
    keep_lists: bool,
    leads: Option<&str>,
) -> Result<EventsRead, String> {
    let Some(block) = &model.events else {
        return Err("the definition has no events block".into());
    };
    let events_model = Model {
        fields: block.fields.clone(),
        ..Model::default()
    };
    let reader = InquiryReader::open(path, options, &events_model, &[])
        .map_err(|e| format!("the events file: {e}"))?;
    let folder = Folder::new(model, as_of);
    let mut out = EventsRead {
        table: EventsTable::new(keep_lists),
        read: 0,
        rejects: Vec::new(),
        rejected: 0,
    };
    if let (Some(leads), Some(id), false) = (leads, model.id_field(), keep_lists) {
        if folder.has_since() && leads != "-" {
            preset(model, leads, options, &folder, id, &mut out.table);
        }
    }
    each_row(reader, |row| match row {
        Ok(event) => {
            out.read += 1;
            // A required `lead` is never missing in a decoded row.
            out.table.add_row(&folder, event);
        }
        Err(reject) => {
            out.read += 1;
            out.rejected += 1;
            if out.rejects.len() < LISTED {
                out.rejects.push(reject);
            }
        }
    })
    .map_err(|e| format!("the events file: {e}"))?;
    Ok(out)
}

/// Each decoded lead row's `since` bounds into `table`, before any event;
/// nothing when the file cannot be read to its end.
fn preset(
    model: &Model,
    leads: &str,
    options: &InputOptions,
    folder: &Folder,
    id: crate::model::FieldId,
    table: &mut EventsTable,
) {
    let Ok(reader) = InquiryReader::open(leads, options, model, &[]) else {
        return;
    };
    let read = each_row(reader, |row| {
        if let Ok(lead) = row {
            table.preset(folder, lead, id);
        }
    });
    // Unread to the end: some leads lack their bounds, so none is relied
    // on to skip keeping dates.
    if read.is_ok() {
        table.preset_done();
    }
}

/// Rows per batch handed from the reading thread to the folding one.
const BATCH: usize = 1024;

/// Every row of `reader`, decoded, to `each` in the file's order (the
/// values in field order, or why the row is rejected). The rows are read
/// (CSV parsed into cells) on a thread of their own while this one decodes
/// and folds the batch before; the batches go back to the reading thread
/// to be refilled, so no row's buffers are allocated twice or freed by the
/// other thread. The first error (a row that cannot be read) ends it.
fn each_row(
    mut reader: InquiryReader,
    mut each: impl FnMut(Result<&[Value], Reject>),
) -> Result<(), String> {
    let decoder = reader.decoder().clone();
    std::thread::scope(|scope| {
        let (send, full) = std::sync::mpsc::sync_channel::<Result<Vec<RawRow>, String>>(4);
        let (give_back, empty) = std::sync::mpsc::channel::<Vec<RawRow>>();
        scope.spawn(move || loop {
            let mut batch = empty.try_recv().unwrap_or_default();
            let mut n = 0;
            let end = loop {
                if n == batch.len() {
                    batch.push(RawRow::default());
                }
                match reader.read_raw(&mut batch[n]) {
                    Ok(true) if n + 1 == BATCH => break None,
                    Ok(true) => n += 1,
                    Ok(false) => break Some(Ok(())),
                    Err(e) => break Some(Err(e.to_string())),
                }
            };
            batch.truncate(if end.is_none() { BATCH } else { n });
            // The folding side stopped (an error): nothing more to read.
            if send.send(Ok(batch)).is_err() {
                return;
            }
            if let Some(end) = end {
                if let Err(e) = end {
                    let _ = send.send(Err(e));
                }
                return;
            }
        });
        let mut values = Vec::new();
        for batch in full {
            let batch = batch?;
            for raw in &batch {
                match decoder.decode(raw, &mut values) {
                    Ok(()) => each(Ok(&values)),
                    Err(reject) => each(Err(*reject)),
                }
            }
            // The reading side may have finished: then the batch is dropped.
            let _ = give_back.send(batch);
        }
        Ok(())
    })
}

/// The summary's lines about the events: the counts add up to the rows read.
pub fn summary(path: &str, read: &EventsRead, counts: &EventCounts) -> Vec<String> {
    use crate::plural::count;
    let mut lines = vec![format!(
        "events `{path}`: {} read = {} used + {} rejected + {} after the as-of date + {} for leads not in the input",
        count(read.read, "row", "rows"),
        counts.used,
        read.rejected,
        counts.after_as_of,
        counts.unknown_lead,
    )];
    for r in &read.rejects {
        let at = if r.column.is_empty() {
            String::new()
        } else {
            format!(" column \"{}\":", r.column)
        };
        lines.push(format!(
            "  rejected event, line {}:{at} {}",
            r.line, r.reason
        ));
    }
    if read.rejected > read.rejects.len() as u64 {
        lines.push(format!(
            "  ... and {} more rejected events",
            read.rejected - read.rejects.len() as u64
        ));
    }
    if counts.unknown_leads > 0 {
        lines.push(format!(
            "  {} with events but not in the input: {}{}",
            count(counts.unknown_leads as usize, "lead id", "lead ids"),
            counts.unknown_ids.join(", "),
            if counts.unknown_leads > counts.unknown_ids.len() as u64 {
                ", ..."
            } else {
                ""
            }
        ));
    }
    lines
}

/// How many unknown lead ids the summary names.
pub const LISTED_IDS: usize = LISTED;

/// What an explanation says of one aggregate: its text, the dates of the
/// events it counted and, for a per-event criterion's decayed count, the
/// points each of them earned after decay.
struct Counted {
    text: String,
    dates: Vec<String>,
    points: Option<Vec<f64>>,
}

/// The events each aggregate counted, by date, with each event's points after decay.
fn counted_dates(
    model: &Model,
    lead: &[crate::model::Value],
    events: &[Vec<crate::model::Value>],
    as_of: i32,
) -> Vec<Counted> {
    use crate::semantics::events::{event_date, kept, weight_millionths, MILLION};
    model
        .aggregates
        .iter()
        .enumerate()
        .map(|(a, agg)| {
            let days: Vec<i32> = kept(model, agg, lead, events, as_of)
                .iter()
                .filter_map(|e| event_date(model, e))
                .collect();
            let points = match (agg.kind, per_event_points(model, a)) {
                (AggregateKind::Decayed { half_life_days }, Some(each)) => Some(
                    days.iter()
                        .map(|&d| {
                            let age = i64::from(as_of) - i64::from(d);
                            each * (weight_millionths(age, half_life_days) as f64 / MILLION)
                        })
                        .collect(),
                ),
                _ => None,
            };
            Counted {
                text: agg.text.clone(),
                dates: days
                    .iter()
                    .map(|&d| crate::model::date_from_days(d).to_string())
                    .collect(),
                points,
            }
        })
        .collect()
}

/// The points one event earns before decay, for the per-event criterion
/// that counts aggregate `a`.
fn per_event_points(model: &Model, a: usize) -> Option<f64> {
    model.criteria.iter().find_map(|c| match &c.earning {
        Earning::PerUnit { amount, .. }
            if matches!(amount.kind, ExprKind::Aggregate(x) if x == a) =>
        {
            Some(c.points)
        }
        _ => None,
    })
}

/// `explain --format json`'s `events`: per aggregate, its text, the dates
/// of the events it counted and, for a decayed count, each one's points.
pub fn counted_json(
    model: &Model,
    lead: &[crate::model::Value],
    events: &[Vec<crate::model::Value>],
    as_of: i32,
) -> serde_json::Value {
    counted_dates(model, lead, events, as_of)
        .into_iter()
        .map(|c| {
            let mut j = serde_json::json!({ "aggregate": c.text, "events": c.dates });
            if let Some(points) = c.points {
                j["points"] = serde_json::json!(points);
            }
            j
        })
        .collect()
}

/// `explain`'s list of the events each aggregate counted, by date (empty
/// for a definition without aggregates).
pub fn counted(
    model: &Model,
    lead: &[crate::model::Value],
    events: &[Vec<crate::model::Value>],
    as_of: i32,
) -> String {
    if model.aggregates.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nevents\n");
    for c in counted_dates(model, lead, events, as_of) {
        // A decayed count's events with the points each earned: `2026-11-10 +3.97`.
        let listed: Vec<String> = match &c.points {
            Some(points) => c
                .dates
                .iter()
                .zip(points)
                .map(|(d, p)| {
                    let points = crate::number::signed(*p, crate::number::format_number);
                    format!("{d} {points}")
                })
                .collect(),
            None => c.dates.clone(),
        };
        out.push_str(&format!(
            "  {}: {}{}\n",
            c.text,
            crate::plural::count(c.dates.len(), "event", "events"),
            if listed.is_empty() {
                String::new()
            } else {
                format!(" ({})", listed.join(", "))
            }
        ));
    }
    out
}
