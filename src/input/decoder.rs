//! Decoding a row as read: its cells in, one typed value per field out, or a
//! [`Reject`] naming the row, the column, the value and the reason.

use super::cells::CellSpec;
use super::columns::ColumnMap;
use super::reader::RawRow;
use crate::model::{Model, Value};

/// A row that is not scored, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Reject {
    pub row: u64,
    pub line: u64,
    /// The column at fault (empty when the whole row is).
    pub column: String,
    /// The cell as read (empty when the whole row is at fault).
    pub value: String,
    pub reason: String,
    /// The whole row as read.
    pub raw: String,
}

/// Decodes raw rows into field values. Cheap to share between threads.
#[derive(Debug, Clone)]
pub struct Decoder {
    map: ColumnMap,
    specs: Vec<CellSpec>,
    required: Vec<bool>,
    delimiter: u8,
    keep: Vec<usize>,
}

impl Decoder {
    /// A decoder for `model`'s fields, found in a file's columns by `map`;
    /// `keep` lists the columns carried through, as indices into the header.
    pub(super) fn new(model: &Model, map: ColumnMap, delimiter: u8, keep: Vec<usize>) -> Self {
        Decoder {
            specs: model.fields.iter().map(CellSpec::new).collect(),
            required: model.fields.iter().map(|f| !f.optional).collect(),
            map,
            delimiter,
            keep,
        }
    }

    /// The delimiter of the file's rows (for writing one back as read).
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The column mapping this decoder uses.
    pub fn columns(&self) -> &ColumnMap {
        &self.map
    }

    /// The column mapping, to add columns to a JSONL header before any row
    /// is read (the slots stay valid: columns are only added at the end).
    pub(super) fn columns_mut(&mut self) -> &mut ColumnMap {
        &mut self.map
    }

    /// Columns kept through, as indices into the header.
    pub fn kept_columns(&self) -> &[usize] {
        &self.keep
    }

    /// Decode `raw` into `values` (resized to one per field; text buffers are
    /// reused). A row with a bad cell, a missing required value, the wrong
    /// number of cells or invalid UTF-8 gives a [`Reject`].
    pub fn decode(&self, raw: &RawRow, values: &mut Vec<Value>) -> Result<(), Box<Reject>> {
        values.resize(self.specs.len(), Value::Missing);
        if let Some(problem) = &raw.problem {
            return Err(self.reject(raw, &problem.column, &problem.value, problem.reason.clone()));
        }
        if raw.cells.len() != self.map.header.len() {
            return Err(self.reject(
                raw,
                "",
                "",
                format!(
                    "the row has {}, the header has {}",
                    crate::plural::count(raw.cells.len(), "cell", "cells"),
                    self.map.header.len()
                ),
            ));
        }
        // One UTF-8 check for the whole row (fast when it is ASCII) rather
        // than one per cell; cells are then cut out of it by their byte range,
        // which `str::get` refuses only if a cell boundary splits a character.
        // A row with bad bytes anywhere falls back to checking cell by cell,
        // so only the cells the definition reads can reject it.
        let whole = simdutf8::basic::from_utf8(raw.cells.as_slice()).ok();
        for (f, slot) in self.map.slots.iter().enumerate() {
            let Some(c) = *slot else {
                values[f] = Value::Missing;
                continue;
            };
            // The row has as many cells as the header, so cell `c` exists.
            let range = raw.cells.range(c).unwrap_or_default();
            let cut = whole.and_then(|w| w.get(range.clone()));
            let bytes = &raw.cells.as_slice()[range];
            let text = match cut.map_or_else(|| std::str::from_utf8(bytes), Ok) {
                Ok(t) => t,
                Err(_) => {
                    let value = String::from_utf8_lossy(bytes);
                    return Err(self.reject(
                        raw,
                        &self.map.header[c],
                        &value,
                        "not valid UTF-8".into(),
                    ));
                }
            };
            if let Err(reason) = self.specs[f].decode(text, &mut values[f]) {
                return Err(self.reject(raw, &self.map.header[c], text, reason));
            }
            if self.required[f] && values[f].is_missing() {
                // A placeholder is not blank: say why it counts as nothing.
                let reason = match text.trim().is_empty() {
                    true => "a value is required".to_string(),
                    false => format!(
                        "a value is required (\"{}\" is a placeholder, read as missing)",
                        text.trim()
                    ),
                };
                return Err(self.reject(raw, &self.map.header[c], text, reason));
            }
        }
        Ok(())
    }

    /// The `keep` columns of `raw`, as text (invalid UTF-8 replaced).
    pub fn kept(&self, raw: &RawRow) -> Vec<String> {
        self.keep
            .iter()
            .map(|&c| String::from_utf8_lossy(raw.cells.get(c).unwrap_or_default()).into_owned())
            .collect()
    }

    /// The row as read, for a rejects file.
    pub fn raw_text(&self, raw: &RawRow) -> String {
        if !raw.raw_line.is_empty() {
            return String::from_utf8_lossy(&raw.raw_line)
                .trim_end()
                .to_string();
        }
        let mut w = csv::WriterBuilder::new()
            .delimiter(self.delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let _ = w.write_record(raw.cells.iter());
        let bytes = w.into_inner().unwrap_or_default();
        String::from_utf8_lossy(&bytes)
            .trim_end_matches('\n')
            .to_string()
    }

    fn reject(&self, raw: &RawRow, column: &str, value: &str, reason: String) -> Box<Reject> {
        Box::new(Reject {
            row: raw.row,
            line: raw.line,
            column: column.trim().to_string(),
            value: value.to_string(),
            reason,
            raw: self.raw_text(raw),
        })
    }
}
