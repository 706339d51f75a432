//! The rejects file: one CSV line per rejected row, saying where and why.
//!
//! Columns: `line` (of the input), `row` (data row number), `column`, `value`,
//! `reason`, `raw` (the whole row as read).

use super::decoder::Reject;
use std::io::Write;

pub const REJECTS_HEADER: [&str; 6] = ["line", "row", "column", "value", "reason", "raw"];

/// Append `reject` as one CSV record to `out`.
pub fn write_reject<W: Write>(out: &mut csv::Writer<W>, reject: &Reject) -> csv::Result<()> {
    out.write_record([
        reject.line.to_string().as_str(),
        reject.row.to_string().as_str(),
        &reject.column,
        &reject.value,
        &reject.reason,
        &reject.raw,
    ])
}

/// A CSV writer for a rejects file, its header written.
pub fn rejects_writer<W: Write>(out: W) -> csv::Result<csv::Writer<W>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(REJECTS_HEADER)?;
    Ok(w)
}
