//! Reading an inquiry file: a path (or `-`) in, raw rows out, each decoded into
//! typed field values or a [`Reject`] saying where and why.
//!
//! Reading ([`InquiryReader::read_raw`]) and decoding ([`Decoder::decode`]) are
//! separate so a batch run can read on one thread and decode on many; simple
//! callers use [`InquiryReader::rows`], which does both.

use super::bytes::{buffered, mapped_or_read, MappedFile};
use super::columns::ColumnMap;
use super::decoder::{Decoder, Reject};
use super::error::io_reason;
use super::error::InputError;
use super::jsonl::JsonlLines;
use super::options::{InputFormat, InputOptions};
use super::ranges::CsvRanges;
use super::records::{Cells, CsvRecords, ReadError, Record};
use crate::model::{Model, Value};
use std::io::BufRead;
use std::sync::Arc;

/// One data row as read, not yet decoded. Reuse it across calls to avoid
/// allocating per row.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    /// 1-based data row number (the header is not counted).
    pub row: u64,
    /// 1-based line of the input where the row starts.
    pub line: u64,
    /// The cells, in header order.
    pub cells: Cells,
    /// JSONL: the line as read (CSV rows are written back from `cells`).
    pub raw_line: Vec<u8>,
    /// Why the row cannot be read at all, whatever the fields: a JSONL line
    /// that is not an object, a CSV quote never closed.
    pub problem: Option<RowProblem>,
}

/// What makes a whole row unreadable, and the column it shows in, if one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowProblem {
    /// The column (empty when the row as a whole is at fault).
    pub column: String,
    /// The cell as read (empty when there is none).
    pub value: String,
    pub reason: String,
}

/// A decoded row.
#[derive(Debug, Clone, PartialEq)]
pub struct Inquiry {
    pub row: u64,
    pub line: u64,
    /// One value per field, in field order.
    pub values: Vec<Value>,
    /// The `keep` columns asked for when opening, as read.
    pub kept: Vec<String>,
}

/// What [`InquiryReader::rows`] yields per data row.
#[derive(Debug, Clone, PartialEq)]
pub enum RowResult {
    Row(Inquiry),
    Reject(Reject),
}

enum Source {
    Csv {
        /// Boxed: the parser's tables are large, and they stay put.
        records: Box<CsvRecords>,
        /// The file, when it is mapped, and the bytes skipped before
        /// `records` read it (a byte-order mark).
        mapped: Option<(Arc<MappedFile>, usize)>,
    },
    /// JSONL has no header: each line's keys are matched to the columns the
    /// readers want ([`wanted_columns`]); a key absent from a line is an
    /// empty cell on that line.
    Jsonl(JsonlLines),
}

/// An open inquiry file with its header matched to a definition's fields.
pub struct InquiryReader {
    path: String,
    source: Source,
    decoder: Decoder,
    rows: u64,
    size: Option<u64>,
}

impl InquiryReader {
    /// Open `path` (`-` is stdin) and match its header against `model`'s fields.
    /// `keep` names columns to carry through ([`Inquiry::kept`]), as asked for
    /// by `--keep`.
    pub fn open(
        path: &str,
        opts: &InputOptions,
        model: &Model,
        keep: &[String],
    ) -> Result<InquiryReader, InputError> {
        Self::open_keeping(path, opts, model, keep, "--keep")
    }

    /// [`InquiryReader::open`], with the `keep` columns asked for by `option`
    /// (named in the error when one is absent, e.g. the backtest's `--on`).
    pub fn open_keeping(
        path: &str,
        opts: &InputOptions,
        model: &Model,
        keep: &[String],
        option: &str,
    ) -> Result<InquiryReader, InputError> {
        if keep.iter().any(|k| k.trim().is_empty()) {
            return Err(InputError::EmptyColumnName {
                option: option.into(),
            });
        }
        let (mut input, size, mapped) = if path == "-" {
            (buffered(std::io::stdin()), None, None)
        } else {
            let file = std::fs::File::open(path).map_err(|e| InputError::Open {
                path: path.into(),
                reason: io_reason(&e),
            })?;
            let size = file.metadata().ok().map(|m| m.len());
            let (input, mapped) = mapped_or_read(file);
            (input, size, mapped)
        };
        let bom = skip_bom(&mut input).map_err(|e| InputError::Open {
            path: path.into(),
            reason: io_reason(&e),
        })?;
        let delimiter = opts.delimiter_for(path);
        let (source, header) = match opts.format_for(path) {
            InputFormat::Csv => open_csv(path, input, delimiter, mapped.map(|m| (m, bom)))?,
            InputFormat::Jsonl => {
                let (lines, header) = JsonlLines::open(path, input, &wanted_columns(model, keep))?;
                (Source::Jsonl(lines), header)
            }
        };
        let map = ColumnMap::resolve(model, &header)?;
        let keep = keep
            .iter()
            .map(|k| map.find_for(k, option))
            .collect::<Result<Vec<_>, _>>()?;
        let decoder = Decoder::new(model, map, delimiter, keep);
        Ok(InquiryReader {
            path: path.into(),
            source,
            decoder,
            rows: 0,
            size,
        })
    }

    /// A decoder for another definition's fields over this file's header, so
    /// two revisions can read one pass over the file (`qualify diff --against`).
    /// Call it before reading any row: a JSONL file's columns grow by the
    /// columns `model` reads.
    pub fn decoder_for(&mut self, model: &Model) -> Result<Decoder, InputError> {
        if let Source::Jsonl(lines) = &mut self.source {
            let header = &mut self.decoder.columns_mut().header;
            for field in &model.fields {
                lines.add_column(header, &field.column);
            }
        }
        let map = ColumnMap::resolve(model, &self.decoder.columns().header)?;
        Ok(Decoder::new(
            model,
            map,
            self.decoder.delimiter(),
            Vec::new(),
        ))
    }

    /// The decoder for this file's rows (clone it for other threads).
    pub fn decoder(&self) -> &Decoder {
        &self.decoder
    }

    /// The size of the file in bytes (`None` for stdin).
    pub fn size(&self) -> Option<u64> {
        self.size
    }

    /// Bytes read so far (CSV only; for progress).
    pub fn position(&self) -> u64 {
        match &self.source {
            Source::Csv { records, .. } => records.position(),
            Source::Jsonl(_) => 0,
        }
    }

    /// Data rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.rows
    }

    /// Read the next data row into `raw`; `Ok(false)` at the end of the input.
    pub fn read_raw(&mut self, raw: &mut RawRow) -> Result<bool, InputError> {
        let more = match &mut self.source {
            Source::Csv { records, .. } => {
                raw.raw_line.clear();
                raw.problem = None;
                let record = records
                    .read(&mut raw.cells)
                    .map_err(|e| read_error(&self.path, e))?;
                raw.line = record.map_or(0, |r| r.line);
                if let Some(Record {
                    unclosed_quote: Some(opened),
                    ..
                }) = record
                {
                    raw.problem = Some(unclosed_quote(
                        &raw.cells,
                        &self.decoder.columns().header,
                        opened,
                    ));
                }
                record.is_some()
            }
            Source::Jsonl(lines) => lines.read(&self.path, &self.decoder.columns().header, raw)?,
        };
        if more {
            self.rows += 1;
            raw.row = self.rows;
        }
        Ok(more)
    }

    /// The rest of the file as ranges that several threads parse at once
    /// ([`CsvRanges`]), when it is a mapped CSV file; else the reader back.
    pub fn into_ranges(mut self) -> Result<CsvRanges, Box<InquiryReader>> {
        let Source::Csv {
            records,
            mapped: Some((file, skipped)),
        } = &mut self.source
        else {
            return Err(Box::new(self));
        };
        // The ranges start at a record's first byte, after the line ends
        // before it (in memory, skipping them cannot fail).
        if records.skip_line_ends().is_err() {
            return Err(Box::new(self));
        }
        let start = *skipped + records.position() as usize;
        let header = self.decoder.columns().header.clone();
        let delimiter = self.decoder.delimiter();
        Ok(CsvRanges::new(
            Arc::clone(file),
            &self.path,
            header,
            delimiter,
            (start, records.line(), self.rows),
        ))
    }

    /// Read and decode every row: a typed [`Inquiry`] or a [`Reject`] each.
    pub fn rows(&mut self) -> Rows<'_> {
        Rows {
            reader: self,
            raw: RawRow::default(),
        }
    }
}

/// Iterator over decoded rows; see [`InquiryReader::rows`].
pub struct Rows<'a> {
    reader: &'a mut InquiryReader,
    raw: RawRow,
}

impl Iterator for Rows<'_> {
    type Item = Result<RowResult, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.reader.read_raw(&mut self.raw) {
            Err(e) => Some(Err(e)),
            Ok(false) => None,
            Ok(true) => {
                let mut values = Vec::new();
                let decoder = &self.reader.decoder;
                Some(Ok(match decoder.decode(&self.raw, &mut values) {
                    Ok(()) => RowResult::Row(Inquiry {
                        row: self.raw.row,
                        line: self.raw.line,
                        values,
                        kept: decoder.kept(&self.raw),
                    }),
                    Err(reject) => RowResult::Reject(*reject),
                }))
            }
        }
    }
}

/// Skip a UTF-8 byte-order mark; the bytes skipped.
fn skip_bom(input: &mut Box<dyn BufRead + Send>) -> std::io::Result<usize> {
    if input.fill_buf()?.starts_with(&[0xEF, 0xBB, 0xBF]) {
        input.consume(3);
        return Ok(3);
    }
    Ok(0)
}

pub(super) fn read_error(path: &str, e: ReadError) -> InputError {
    match e {
        ReadError::Io(e, line) => InputError::Read {
            path: path.into(),
            line,
            reason: io_reason(&e),
        },
        ReadError::TooLong(line) => InputError::RowTooLong {
            path: path.into(),
            line,
        },
    }
}

/// The problem of a CSV row whose last cell opens with a quote on line
/// `opened` that is never closed: the rest of the input is that one cell,
/// so the row is rejected as a whole rather than for its number of cells.
pub(super) fn unclosed_quote(cells: &Cells, header: &[String], opened: u64) -> RowProblem {
    let last = cells.len().saturating_sub(1);
    let cell = cells.get(last).unwrap_or_default();
    let column = match header.get(last) {
        Some(name) => format!("column `{}`", name.trim()),
        None => format!("cell {} (the header has {})", last + 1, header.len()),
    };
    RowProblem {
        column: header.get(last).cloned().unwrap_or_default(),
        value: String::from_utf8_lossy(cell).into_owned(),
        reason: format!(
            "the quote that opens {column} on line {opened} is never closed, so the rest of the \
             input was read as that one cell; close it, or double a quote meant as text (`\"\"`)"
        ),
    }
}

fn open_csv(
    path: &str,
    input: Box<dyn BufRead + Send>,
    delimiter: u8,
    mapped: Option<(Arc<MappedFile>, usize)>,
) -> Result<(Source, Vec<String>), InputError> {
    let mut records = Box::new(CsvRecords::new(input, delimiter));
    // The header is read as an ordinary record, so its line is counted like
    // every other.
    let mut header = Cells::default();
    let more = records.read(&mut header).map_err(|e| read_error(path, e))?;
    if more.is_none() || header.is_empty() {
        return Err(InputError::Empty { path: path.into() });
    }
    if let Some(Record {
        unclosed_quote: Some(line),
        ..
    }) = more
    {
        return Err(InputError::HeaderQuote {
            path: path.into(),
            line,
        });
    }
    let header = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    Ok((Source::Csv { records, mapped }, header))
}

/// The columns a JSONL reader matches each line's keys to: those `model`'s
/// fields read, then the `keep` columns. JSONL has no header row and
/// exporters leave out keys whose value is null, so no line (not even the
/// first) can say which columns the file has.
fn wanted_columns(model: &Model, keep: &[String]) -> Vec<String> {
    let fields = model.fields.iter().map(|f| f.column.clone());
    fields.chain(keep.iter().cloned()).collect()
}
