//! Inquiries with their outcomes: an inquiry file (and optionally a separate
//! outcomes file joined on an id column) in, one [`Sample`] per backtested row
//! and one [`Reject`] per row left out, with the reason, out.
//!
//! Inquiries are read by the shared reader ([`crate::input`]) through the one
//! file driver ([`crate::driver`]), so a backtest accepts and rejects exactly
//! the rows `qualify score` does, and stops at `--max-rejects` as it does; on
//! top of that a row is rejected when its outcome is empty, not understood,
//! (when joining) absent from the outcomes file, or (with `--as-of-field`)
//! without the date it is judged as of.

pub use super::outcomes::{
    OutcomeFile, OutcomeRule, OutcomeSource, Resolved, LOST_WORDS, WON_WORDS,
};
use super::suggest::Sample;
use crate::driver::{drive, ChunkWork, DriverError, Limits, Rejects};
use crate::input::{Decoder, InputOptions, InquiryReader, RawRow, Reject};
use crate::model::{Model, Value};

/// Every row of the input: backtested or rejected.
pub struct Rows {
    pub samples: Vec<Sample>,
    /// Every rejected row, in input order (also handed to the rejects writer).
    pub rejects: Vec<Reject>,
    /// Always `read == samples + open + rejects` (the open and absent rows
    /// are counted in the source's `counts`).
    pub read: u64,
    /// `--max-rejects` was reached: reading stopped at row `read`.
    pub stopped_early: bool,
}

/// Where the rows come from and how many rejects they may have.
pub struct RowsFrom<'a> {
    pub input: &'a str,
    pub opts: &'a InputOptions,
    pub max_rejects: Option<u64>,
    /// `--as-of-field`: the date field each row is judged as of; a row
    /// without it is rejected.
    pub as_of_field: Option<usize>,
}

/// A row decoded on a worker: its values and the kept cell (the outcome, or
/// the id to join on), or why it was rejected.
enum Decoded {
    Row {
        row: u64,
        line: u64,
        values: Vec<Value>,
        key: String,
    },
    Rejected(Reject),
}

/// Decode each row, keeping the one column asked for.
struct DecodeRows {
    decoder: Decoder,
}

impl ChunkWork for DecodeRows {
    type Scratch = ();
    type Out = Vec<Decoded>;

    fn scratch(&self) {}

    fn work(&self, rows: &[RawRow], _: &mut (), out: &mut Vec<Decoded>) {
        out.clear();
        for raw in rows {
            let mut values = Vec::new();
            out.push(match self.decoder.decode(raw, &mut values) {
                Ok(()) => Decoded::Row {
                    row: raw.row,
                    line: raw.line,
                    values,
                    key: self
                        .decoder
                        .kept(raw)
                        .into_iter()
                        .next()
                        .unwrap_or_default(),
                },
                Err(reject) => Decoded::Rejected(*reject),
            });
        }
    }
}

/// Read the input, taking each row's outcome through `outcomes` (from a
/// column of the input, or from the outcomes file by the id column). Each
/// rejected row goes to `on_reject` too, in input order.
pub fn read_rows(
    from: &RowsFrom,
    model: &Model,
    outcomes: &mut OutcomeSource,
    on_reject: &mut dyn FnMut(&Reject) -> std::io::Result<()>,
) -> Result<Rows, String> {
    // The one column kept through holds the outcome, or the id to join on; an
    // error about it names the option that asked for it.
    let (keep, option) = outcomes.kept_column();
    let keep = vec![keep];
    let reader =
        InquiryReader::open_keeping(from.input, from.opts, model, &keep, option).map_err(|e| {
            match e.help() {
                Some(help) => format!("{e}\n  help: {help}"),
                None => e.to_string(),
            }
        })?;
    let mut rows = Rows {
        samples: Vec::new(),
        rejects: Vec::new(),
        read: 0,
        stopped_early: false,
    };
    // With `--as-of-field`, a row whose date is missing has no as-of date.
    let lacks_as_of = |values: &[Value]| {
        from.as_of_field
            .is_some_and(|f| matches!(values.get(f), None | Some(Value::Missing)))
    };
    let work = DecodeRows {
        decoder: reader.decoder().clone(),
    };
    let limits = Limits {
        max_rejects: from.max_rejects,
        reject: on_reject,
        progress: &|_, _| {},
    };
    let run = drive(
        reader,
        &work,
        limits,
        |_, chunk: &mut Vec<Decoded>, rejects: &mut Rejects| {
            for item in chunk.drain(..) {
                let (row, line, values, key) = match item {
                    Decoded::Row {
                        row,
                        line,
                        values,
                        key,
                    } => (row, line, values, key),
                    Decoded::Rejected(reject) => {
                        let stop = rejects.reject(&reject);
                        rows.rejects.push(reject);
                        stop?;
                        continue;
                    }
                };
                let rejected = match outcomes.resolve(&key) {
                    Resolved::Known(_) if lacks_as_of(&values) => {
                        let field = from.as_of_field.map(|f| &model.fields[f]);
                        let (column, name) = field.map_or((String::new(), ""), |f| {
                            (f.column.clone(), f.name.as_str())
                        });
                        Reject {
                            row,
                            line,
                            reason: format!(
                                "no date in `{column}` to judge the inquiry as of (`--as-of-field {name}`)"
                            ),
                            column,
                            value: String::new(),
                            raw: String::new(),
                        }
                    }
                    Resolved::Known(converted) => {
                        let converted_on = match converted {
                            true => super::outcomes::outcome_date(&outcomes.last_cell),
                            false => None,
                        };
                        rows.samples.push(Sample {
                            values,
                            converted,
                            converted_on,
                        });
                        continue;
                    }
                    Resolved::Open => continue,
                    Resolved::Rejected {
                        column,
                        value,
                        reason,
                    } => Reject {
                        row,
                        line,
                        column,
                        value,
                        reason,
                        raw: String::new(),
                    },
                };
                let stop = rejects.reject(&rejected);
                rows.rejects.push(rejected);
                stop?;
            }
            Ok(())
        },
    )
    .map_err(|e| match e {
        // The rejects writer's errors name its file already.
        DriverError::Output(m) => m,
        other => other.to_string(),
    })?;
    rows.read = run.read;
    rows.stopped_early = run.stopped_early;
    Ok(rows)
}
