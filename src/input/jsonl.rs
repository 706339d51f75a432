//! JSONL input: lines in, raw rows out, one cell per column of a header made
//! from the columns the readers want (JSONL has none of its own).
//!
//! Each non-blank line is one JSON object whose keys are matched to those
//! columns by the shared rules of [`super::json`]; a line that is not an
//! object is a row with a problem (rejected, never dropped). Only a first line
//! that is not one stops the run: the input is then probably not JSONL.

use super::error::io_reason;
use super::error::InputError;
use super::json::{object_cells, JsonKeys, JsonObject, NotAnObject};
use super::reader::{RawRow, RowProblem};
use super::records::MAX_RECORD_BYTES;
use std::io::{BufRead, Read};

/// An open JSONL input.
pub(super) struct JsonlLines {
    input: Box<dyn BufRead + Send>,
    /// Which header position (the row's cell) each key gives.
    keys: JsonKeys,
    /// Lines read so far.
    line: u64,
    /// The first non-blank line, read at opening to check the input is
    /// JSONL, and turned into cells only when read (the header may grow).
    pending: Option<(Vec<u8>, u64)>,
}

impl JsonlLines {
    /// Open `input` (named `path` in messages) with the header `columns`
    /// (those of the same folded name once). Its first object is read now,
    /// so that an input that is not JSONL at all (a CSV file, say) stops the
    /// run at once rather than rejecting every line.
    pub(super) fn open(
        path: &str,
        mut input: Box<dyn BufRead + Send>,
        columns: &[String],
    ) -> Result<(JsonlLines, Vec<String>), InputError> {
        let mut keys = JsonKeys::default();
        let mut header = Vec::new();
        for column in columns {
            add_column(&mut keys, &mut header, column);
        }
        let mut line = 0;
        let mut raw_line = Vec::new();
        loop {
            if !read_line(path, &mut input, line, &mut raw_line)? {
                return Err(InputError::EmptyJsonl { path: path.into() });
            }
            line += 1;
            if !is_blank(&raw_line) {
                parse_line(&raw_line).map_err(|reason| InputError::JsonHeader {
                    path: path.into(),
                    reason,
                })?;
                break;
            }
        }
        let lines = JsonlLines {
            input,
            keys,
            line,
            pending: Some((raw_line, line)),
        };
        Ok((lines, header))
    }

    /// Add `column` to `header`, the header keys are matched to, unless a
    /// column of the same folded name is there already.
    pub(super) fn add_column(&mut self, header: &mut Vec<String>, column: &str) {
        add_column(&mut self.keys, header, column);
    }

    /// Read the next non-blank line into `raw`, its cells set for `header`;
    /// false at the end of the input.
    pub(super) fn read(
        &mut self,
        path: &str,
        header: &[String],
        raw: &mut RawRow,
    ) -> Result<bool, InputError> {
        if let Some((line, number)) = self.pending.take() {
            raw.raw_line = line;
            raw.line = number;
        } else {
            loop {
                if !read_line(path, &mut self.input, self.line, &mut raw.raw_line)? {
                    return Ok(false);
                }
                self.line += 1;
                if !is_blank(&raw.raw_line) {
                    break;
                }
            }
            raw.line = self.line;
        }
        raw.cells.clear();
        raw.problem = match parse_line(&raw.raw_line) {
            Ok(object) => object_cells(&object, &self.keys, header, &mut raw.cells).err(),
            Err(reason) => Some(RowProblem {
                reason,
                ..RowProblem::default()
            }),
        };
        Ok(true)
    }
}

fn add_column(keys: &mut JsonKeys, header: &mut Vec<String>, column: &str) {
    if keys.add(column, header.len()) {
        header.push(column.to_string());
    }
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// Read the line after line `line` into `raw_line`; false at the end of the
/// input. A line longer than a row may be stops the run, as in CSV: a file
/// without line ends would otherwise be read whole into memory.
fn read_line(
    path: &str,
    input: &mut Box<dyn BufRead + Send>,
    line: u64,
    raw_line: &mut Vec<u8>,
) -> Result<bool, InputError> {
    raw_line.clear();
    let limit = MAX_RECORD_BYTES as u64 + 1;
    let n = input
        .by_ref()
        .take(limit)
        .read_until(b'\n', raw_line)
        .map_err(|e| InputError::Read {
            path: path.into(),
            line: line + 1,
            reason: io_reason(&e),
        })?;
    if n as u64 == limit && raw_line.last() != Some(&b'\n') {
        return Err(InputError::RowTooLong {
            path: path.into(),
            line: line + 1,
        });
    }
    Ok(n > 0)
}

/// A JSONL line as a JSON object, or why it is not one.
fn parse_line(bytes: &[u8]) -> Result<JsonObject<'_>, String> {
    // Without its line end, so that serde_json's position ("line 1 column
    // 17") is the position within the line, and a line cut short reads as
    // ending where it does rather than on the line below.
    let line = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    JsonObject::parse(line).map_err(|e| match e {
        NotAnObject::OtherValue => "the line is not a JSON object".into(),
        NotAnObject::Invalid(why) => format!("not valid JSON ({why})"),
    })
}
