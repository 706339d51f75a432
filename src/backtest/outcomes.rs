//! How an inquiry's outcome is read, for `backtest` and `diff --against`
//! alike: one [`OutcomeSource`] (the rule, and optionally an outcomes file
//! joined on an id) in; per row, converted, not converted, still open, or
//! why it cannot be used, out, with the open and absent rows counted.
//!
//! A cell is read by an [`OutcomeRule`]: the built-in words, the `--won`
//! values (every other non-empty value is lost), or, with
//! `--won-if-present`, any non-empty value is converted and an empty one is
//! not. `--open` values come first: those rows are counted and left out,
//! neither rejected nor lost. With `--absent lost`, an inquiry the outcomes
//! file has no row for counts as not converted (a wins-only export), and is
//! counted as such.

use crate::semantics::text::fold as fold_text;
use serde::Serialize;
use std::collections::HashMap;

/// Outcome words understood without `--won`.
pub const WON_WORDS: [&str; 6] = ["yes", "true", "y", "1", "won", "converted"];
pub const LOST_WORDS: [&str; 6] = ["no", "false", "n", "0", "lost", "not converted"];

/// What an outcome cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Converted,
    NotConverted,
    /// Still open (`--open`): counted, left out.
    Open,
}

/// How an outcome cell is read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutcomeRule {
    /// Folded values that count as converted; `None`: the built-in words.
    pub won: Option<Vec<String>>,
    /// Any non-empty value is converted, an empty one is not.
    pub won_if_present: bool,
    /// Folded values of outcomes still open.
    pub open: Vec<String>,
}

fn folded(values: &[String]) -> Vec<String> {
    values
        .iter()
        .map(|w| fold_text(w))
        .filter(|w| !w.is_empty())
        .collect()
}

impl OutcomeRule {
    pub fn new(won: &[String]) -> OutcomeRule {
        let won = folded(won);
        OutcomeRule {
            won: (!won.is_empty()).then_some(won),
            ..OutcomeRule::default()
        }
    }

    /// Any non-empty value means converted (`--won-if-present`).
    pub fn won_if_present(mut self, yes: bool) -> OutcomeRule {
        self.won_if_present = yes;
        self
    }

    /// These values mean the outcome is still open (`--open`).
    pub fn open(mut self, open: &[String]) -> OutcomeRule {
        self.open = folded(open);
        self
    }

    /// The values counted as converted, for the report.
    pub fn won_values(&self) -> Vec<String> {
        match &self.won {
            _ if self.won_if_present => vec!["(any value)".to_string()],
            Some(w) => w.clone(),
            None => WON_WORDS.iter().map(|w| w.to_string()).collect(),
        }
    }

    /// Whether `cell` means converted, or why it cannot be read.
    pub fn classify(&self, cell: &str) -> Result<bool, String> {
        match self.read(cell)? {
            Class::Open => Err(format!("the outcome `{}` is still open", cell.trim())),
            c => Ok(c == Class::Converted),
        }
    }

    /// What `cell` says, or why it cannot be read.
    pub fn read(&self, cell: &str) -> Result<Class, String> {
        let v = fold_text(cell);
        let class = |won: bool| match won {
            true => Class::Converted,
            false => Class::NotConverted,
        };
        if !v.is_empty() && self.open.contains(&v) {
            return Ok(Class::Open);
        }
        if self.won_if_present {
            return Ok(class(!v.is_empty()));
        }
        if v.is_empty() {
            return Err("the outcome is empty".into());
        }
        match &self.won {
            Some(won) => Ok(class(won.contains(&v))),
            None if WON_WORDS.contains(&v.as_str()) => Ok(Class::Converted),
            None if LOST_WORDS.contains(&v.as_str()) => Ok(Class::NotConverted),
            None => Err(format!(
                "`{}` is not an outcome qualify knows (yes/no, 1/0, won/lost); name the values that count as converted with `--won`, or pass `--won-if-present` when any value means converted",
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

    pub fn take(&mut self, id: &str) -> Option<String> {
        self.by_id.get_mut(id.trim()).map(|(v, used)| {
            *used = true;
            v.clone()
        })
    }

    #[cfg(test)]
    fn insert(&mut self, id: &str, value: &str) {
        self.order.push(id.into());
        self.by_id.insert(id.into(), (value.into(), false));
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

/// Where each row's outcome comes from and how it is read: the one reading
/// path of `backtest` and `diff --against`.
#[derive(Debug)]
pub struct OutcomeSource {
    /// The column holding the outcome (in the inquiries, or in `join`).
    pub column: String,
    pub rule: OutcomeRule,
    pub join: Option<OutcomeFile>,
    /// An inquiry absent from the outcomes file is not converted.
    pub absent_lost: bool,
    pub counts: OutcomeCounts,
    /// The outcome cell of the row resolved last (empty when it had none):
    /// a won date, for the time to conversion.
    pub last_cell: String,
}

/// Rows counted apart while reading outcomes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OutcomeCounts {
    /// Still open (`--open`): left out, neither rejected nor lost.
    pub open: u64,
    /// Absent from the outcomes file and counted as not converted (`--absent lost`).
    pub absent_as_lost: u64,
    /// Absent from the outcomes file and rejected.
    pub without_outcome: u64,
}

/// One row's outcome.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Known(bool),
    Open,
    /// Why the row cannot be used: the column and value to name.
    Rejected {
        column: String,
        value: String,
        reason: String,
    },
}

impl OutcomeSource {
    /// The column of the inquiry file each row keeps: the outcome, or the id
    /// to join on; and the option that named it, for errors.
    pub fn kept_column(&self) -> (String, &'static str) {
        match &self.join {
            Some(j) => (j.on.clone(), "--on"),
            None => (self.column.clone(), "--outcome"),
        }
    }

    /// The outcome of a row whose kept cell is `key`, counted.
    pub fn resolve(&mut self, key: &str) -> Resolved {
        let cell = match self.join.as_mut() {
            None => Some(key.to_string()),
            Some(file) => file.take(key),
        };
        self.last_cell.clear();
        if let Some(c) = &cell {
            self.last_cell.push_str(c);
        }
        let Some(cell) = cell else {
            if self.absent_lost {
                self.counts.absent_as_lost += 1;
                return Resolved::Known(false);
            }
            self.counts.without_outcome += 1;
            let (column, _) = self.kept_column();
            let file = self.join.as_ref().map_or("", |j| j.path.as_str());
            return Resolved::Rejected {
                column,
                value: key.to_string(),
                reason: format!(
                    "no outcome for `{}` in `{file}` (pass `--absent lost` when a missing row means not converted)",
                    key.trim()
                ),
            };
        };
        match self.rule.read(&cell) {
            Ok(Class::Open) => {
                self.counts.open += 1;
                Resolved::Open
            }
            Ok(c) => Resolved::Known(c == Class::Converted),
            Err(reason) => Resolved::Rejected {
                column: self.column.clone(),
                value: cell,
                reason,
            },
        }
    }
}

/// The date at the start of an outcome cell (`2018-02-26` or
/// `2018-02-26 19:58:54`), in days since 1970; `None` when it is not one.
pub fn outcome_date(cell: &str) -> Option<i32> {
    let cell = cell.trim();
    let day = cell.get(..10)?;
    crate::input::parse_date_arg(day)
        .ok()
        .map(crate::model::days_from_date)
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

    #[test]
    fn open_values_come_first_and_any_value_can_mean_won() {
        let rule = OutcomeRule::new(&["Won".into()]).open(&["In progress".into()]);
        assert_eq!(rule.read("in progress"), Ok(Class::Open));
        assert_eq!(rule.read("Won"), Ok(Class::Converted));
        assert_eq!(rule.read("Lost"), Ok(Class::NotConverted));
        assert!(rule.read("").is_err());
        let rule = OutcomeRule::new(&[])
            .won_if_present(true)
            .open(&["open".into()]);
        assert_eq!(rule.read("2018-03-01"), Ok(Class::Converted));
        assert_eq!(rule.read("  "), Ok(Class::NotConverted));
        assert_eq!(rule.read("Open"), Ok(Class::Open));
    }

    fn source(absent_lost: bool) -> OutcomeSource {
        let mut join = OutcomeFile {
            path: "deals.csv".into(),
            on: "id".into(),
            ..Default::default()
        };
        join.insert("a", "2018-01-02");
        join.insert("b", "pending");
        OutcomeSource {
            column: "won_date".into(),
            rule: OutcomeRule::new(&[])
                .won_if_present(true)
                .open(&["pending".into()]),
            join: Some(join),
            absent_lost,
            counts: OutcomeCounts::default(),
            last_cell: String::new(),
        }
    }

    #[test]
    fn an_outcome_date_is_read_from_its_first_ten_characters() {
        assert_eq!(outcome_date("1970-01-11"), Some(10));
        assert_eq!(outcome_date(" 1970-01-11 19:58:54"), Some(10));
        assert_eq!(outcome_date("Won"), None);
        assert_eq!(outcome_date(""), None);
        assert_eq!(outcome_date("1970-01-1é"), None);
    }

    #[test]
    fn absent_rows_are_rejected_or_counted_as_lost() {
        let mut s = source(false);
        assert_eq!(s.resolve("a"), Resolved::Known(true));
        assert_eq!(s.resolve("b"), Resolved::Open);
        assert!(matches!(s.resolve("c"), Resolved::Rejected { .. }));
        assert_eq!(
            (
                s.counts.open,
                s.counts.without_outcome,
                s.counts.absent_as_lost
            ),
            (1, 1, 0)
        );
        let mut s = source(true);
        assert_eq!(s.resolve("c"), Resolved::Known(false));
        assert_eq!(s.resolve("d"), Resolved::Known(false));
        assert_eq!((s.counts.without_outcome, s.counts.absent_as_lost), (0, 2));
    }
}
