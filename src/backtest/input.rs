//! Inquiries with their outcomes: an inquiry file (and optionally a separate
//! outcomes file joined on an id column) in, one [`Sample`] per backtested row
//! and one [`Reject`] per row left out, with the reason, out.
//!
//! Inquiries are read by the shared reader ([`crate::io`]), so a backtest
//! accepts and rejects exactly the rows `qualify score` does; on top of that a
//! row is rejected when its outcome is empty, not understood, or (when joining)
//! absent from the outcomes file.

use super::suggest::Sample;
use crate::io::{InputOptions, InquiryReader, Reject, RowResult};
use crate::model::Model;
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
        csv::ErrorKind::Io(io) => crate::cli::common::io_reason(io),
        _ => e.to_string(),
    }
}

/// Every row of the input: backtested or rejected.
pub struct Rows {
    pub samples: Vec<Sample>,
    pub rejects: Vec<Reject>,
    pub read: u64,
    /// Inquiries rejected because the outcomes file has no row for them.
    pub without_outcome: u64,
}

/// Read `input`, taking each row's outcome from column `outcome` or, with
/// `join`, from the outcomes file by the `join.on` column.
pub fn read_rows(
    input: &str,
    opts: &InputOptions,
    model: &Model,
    outcome: &str,
    rule: &OutcomeRule,
    mut join: Option<&mut OutcomeFile>,
) -> Result<Rows, String> {
    // The one column kept through holds the outcome, or the id to join on; an
    // error about it names the option that asked for it.
    let (keep, option) = match &join {
        Some(j) => (vec![j.on.clone()], "--on"),
        None => (vec![outcome.to_string()], "--outcome"),
    };
    let mut reader =
        InquiryReader::open_keeping(input, opts, model, &keep, option).map_err(|e| {
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
    };
    for row in reader.rows() {
        let row = row.map_err(|e| e.to_string())?;
        rows.read += 1;
        let inquiry = match row {
            RowResult::Row(inquiry) => inquiry,
            RowResult::Reject(reject) => {
                rows.rejects.push(reject);
                continue;
            }
        };
        let key = inquiry.kept.first().cloned().unwrap_or_default();
        let cell = match join.as_deref_mut() {
            None => Some(key.clone()),
            Some(file) => file.take(&key),
        };
        let reject = |column: &str, value: &str, reason: String| Reject {
            row: inquiry.row,
            line: inquiry.line,
            column: column.into(),
            value: value.into(),
            reason,
            raw: String::new(),
        };
        match cell {
            None => {
                rows.without_outcome += 1;
                let file = join.as_deref().map_or("", |j| j.path.as_str());
                rows.rejects.push(reject(
                    &keep[0],
                    &key,
                    format!("no outcome for `{}` in `{file}`", key.trim()),
                ));
            }
            Some(cell) => match rule.classify(&cell) {
                Ok(converted) => rows.samples.push(Sample {
                    values: inquiry.values,
                    converted,
                }),
                Err(reason) => rows.rejects.push(reject(outcome, &cell, reason)),
            },
        }
    }
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
