//! Inquiries with their outcomes: an inquiry file (and optionally a separate
//! outcomes file joined on an id column) in, one [`Sample`] per backtested row
//! and one [`Reject`] per row left out, with the reason, out.
//!
//! Inquiries are read by the shared reader ([`crate::input`]) through the one
//! file driver ([`crate::driver`]), so a backtest accepts and rejects exactly
//! the rows `qualify score` does, and stops at `--max-rejects` as it does; on
//! top of that a row is rejected when its outcome is empty, not understood,
//! or (when joining) absent from the outcomes file.

use super::suggest::Sample;
use crate::driver::{drive, ChunkWork, DriverError, Limits, Rejects};
use crate::input::{Decoder, InputOptions, InquiryReader, RawRow, Reject};
use crate::model::{Model, Value};
use crate::semantics::text::fold as fold_text;
use std::collections::HashMap;

/// Outcome words understood without `--won`.
pub const WON_WORDS: [&str; 6] = ["yes", "true", "y", "1", "won", "converted"];
pub const LOST_WORDS: [&str; 6] = ["no", "false", "n", "0", "lost", "not converted"];

/// How an outcome cell is read.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeRule {
    /// Folded values that count as converted; `None`: the built-in words.
    pub won: Option<Vec<String>>,
}

impl OutcomeRule {
    pub fn new(won: &[String]) -> OutcomeRule {
        let won: Vec<String> = won
            .iter()
            .map(|w| fold_text(w))
            .filter(|w| !w.is_empty())
            .collect();
        OutcomeRule {
            won: (!won.is_empty()).then_some(won),
        }
    }

    /// The values counted as converted, for the report.
    pub fn won_values(&self) -> Vec<String> {
        match &self.won {
            Some(w) => w.clone(),
            None => WON_WORDS.iter().map(|w| w.to_string()).collect(),
        }
    }

    /// Whether `cell` means converted, or why it cannot be read.
    pub fn classify(&self, cell: &str) -> Result<bool, String> {
        let v = fold_text(cell);
        if v.is_empty() {
            return Err("the outcome is empty".into());
        }
        match &self.won {
            Some(won) => Ok(won.contains(&v)),
            None if WON_WORDS.contains(&v.as_str()) => Ok(true),
            None if LOST_WORDS.contains(&v.as_str()) => Ok(false),
            None => Err(format!(
                "`{}` is not an outcome qualify knows (yes/no, 1/0, won/lost); name the values that count as converted with `--won`",
                cell.trim()
            )),
        }
    }
}

/// Outcomes read from a second file, keyed by id.
#[derive(Debug, Default)]
pub struct OutcomeFile {
    pub path: String,
    pub on: String,
    pub rows: u64,
    /// Trimmed id → (outcome cell, whether an inquiry used it).
    by_id: HashMap<String, (String, bool)>,
    /// Ids in file order, to list unmatched ones in a stable order.
    order: Vec<String>,
}

impl OutcomeFile {
    /// Read `path`: a header naming `on` and `outcome`, one row per id.
    pub fn read(path: &str, on: &str, outcome: &str, delimiter: u8) -> Result<OutcomeFile, String> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_path(path)
            .map_err(|e| format!("cannot read `{path}`: {}", csv_reason(&e)))?;
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| format!("cannot read the header of `{path}`: {}", csv_reason(&e)))?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        let find = |name: &str| {
            header
                .iter()
                .position(|h| h.eq_ignore_ascii_case(name.trim()))
                .ok_or_else(|| {
                    let mut msg = format!("the outcomes file `{path}` has no column `{name}`");
                    if let Some(c) =
                        crate::diagnostic::closest(name, header.iter().map(String::as_str))
                    {
                        msg.push_str(&format!("; did you mean `{c}`?"));
                    }
                    msg
                })
        };
        let (id_col, outcome_col) = (find(on)?, find(outcome)?);
        let mut file = OutcomeFile {
            path: path.into(),
            on: on.into(),
            ..Default::default()
        };
        for record in reader.records() {
            let record = record.map_err(|e| format!("cannot read `{path}`: {}", csv_reason(&e)))?;
            let line = record.position().map_or(0, |p| p.line());
            file.rows += 1;
            let id = record.get(id_col).unwrap_or("").trim().to_string();
            let value = record.get(outcome_col).unwrap_or("").to_string();
            if id.is_empty() {
                return Err(format!("line {line} of `{path}` has no `{on}`"));
            }
            match file.by_id.get(&id) {
                Some((earlier, _)) if fold_text(earlier) != fold_text(&value) => {
                    return Err(format!(
                        "`{on}` `{id}` has two different outcomes in `{path}` (`{}` and, at line {line}, `{}`)",
                        earlier.trim(),
                        value.trim()
                    ));
                }
                Some(_) => {}
                None => {
                    file.order.push(id.clone());
                    file.by_id.insert(id, (value, false));
                }
            }
        }
        Ok(file)
    }

    fn take(&mut self, id: &str) -> Option<String> {
        self.by_id.get_mut(id.trim()).map(|(v, used)| {
            *used = true;
            v.clone()
        })
    }

    /// Ids no inquiry used, in file order.
    pub fn unmatched(&self) -> Vec<&str> {
        self.order
            .iter()
            .filter(|id| self.by_id.get(*id).is_some_and(|(_, used)| !used))
            .map(String::as_str)
            .collect()
    }

    /// Distinct ids in the file.
    pub fn ids(&self) -> u64 {
        self.order.len() as u64
    }
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => crate::input::io_reason(io),
        _ => e.to_string(),
    }
}

/// Every row of the input: backtested or rejected.
pub struct Rows {
    pub samples: Vec<Sample>,
    /// Every rejected row, in input order (also handed to the rejects writer).
    pub rejects: Vec<Reject>,
    pub read: u64,
    /// Inquiries rejected because the outcomes file has no row for them.
    pub without_outcome: u64,
    /// `--max-rejects` was reached: reading stopped at row `read`.
    pub stopped_early: bool,
}

/// Where the rows come from and how many rejects they may have.
pub struct RowsFrom<'a> {
    pub input: &'a str,
    pub opts: &'a InputOptions,
    /// The column holding each row's outcome (in the input, or in `join`).
    pub outcome: &'a str,
    pub rule: &'a OutcomeRule,
    pub max_rejects: Option<u64>,
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

/// Read the input, taking each row's outcome from column `from.outcome` or,
/// with `join`, from the outcomes file by the `join.on` column. Each
/// rejected row goes to `on_reject` too, in input order.
pub fn read_rows(
    from: &RowsFrom,
    model: &Model,
    mut join: Option<&mut OutcomeFile>,
    on_reject: &mut dyn FnMut(&Reject) -> std::io::Result<()>,
) -> Result<Rows, String> {
    let (outcome, rule) = (from.outcome, from.rule);
    // The one column kept through holds the outcome, or the id to join on; an
    // error about it names the option that asked for it.
    let (keep, option) = match &join {
        Some(j) => (vec![j.on.clone()], "--on"),
        None => (vec![outcome.to_string()], "--outcome"),
    };
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
        without_outcome: 0,
        stopped_early: false,
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
                let cell = match join.as_deref_mut() {
                    None => Some(key.clone()),
                    Some(file) => file.take(&key),
                };
                let reject = |column: &str, value: &str, reason: String| Reject {
                    row,
                    line,
                    column: column.into(),
                    value: value.into(),
                    reason,
                    raw: String::new(),
                };
                let rejected = match cell {
                    None => {
                        rows.without_outcome += 1;
                        let file = join.as_deref().map_or("", |j| j.path.as_str());
                        reject(
                            &keep[0],
                            &key,
                            format!("no outcome for `{}` in `{file}`", key.trim()),
                        )
                    }
                    Some(cell) => match rule.classify(&cell) {
                        Ok(converted) => {
                            rows.samples.push(Sample { values, converted });
                            continue;
                        }
                        Err(reason) => reject(outcome, &cell, reason),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_read_the_usual_words_or_the_won_list() {
        let rule = OutcomeRule::new(&[]);
        assert_eq!(rule.classify(" Yes "), Ok(true));
        assert_eq!(rule.classify("0"), Ok(false));
        assert_eq!(rule.classify("Lost"), Ok(false));
        assert!(rule.classify("").is_err());
        assert!(rule.classify("maybe").unwrap_err().contains("`--won`"));
        let rule = OutcomeRule::new(&["Closed Won".into(), "Signed".into()]);
        assert_eq!(rule.classify("closed won"), Ok(true));
        assert_eq!(rule.classify("Closed Lost"), Ok(false));
        assert!(rule.classify(" ").is_err());
    }
}
