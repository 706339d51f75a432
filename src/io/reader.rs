//! Reading an inquiry file: a path (or `-`) in, raw rows out, each decoded into
//! typed field values or a [`Reject`] saying where and why.
//!
//! Reading ([`InquiryReader::read_raw`]) and decoding ([`Decoder::decode`]) are
//! separate so a batch run can read on one thread and decode on many; simple
//! callers use [`InquiryReader::rows`], which does both.

use super::columns::ColumnMap;
use super::decoder::{Decoder, Reject};
use super::input::{buffered, mapped_or_read};
use super::options::{InputFormat, InputOptions};
use super::records::{Cells, CsvRecords};
use crate::cli::common::io_reason;
use crate::model::{Model, Value};
use std::collections::HashMap;
use std::io::BufRead;

/// A problem that stops reading altogether (as opposed to a rejected row).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    #[error("cannot read `{path}`: {reason}")]
    Open { path: String, reason: String },
    #[error("`{path}` is empty: there is no header row")]
    Empty { path: String },
    #[error("the input has no column `{column}` (for field `{field}`)")]
    MissingColumn {
        field: String,
        column: String,
        closest: Option<String>,
        header: Vec<String>,
    },
    #[error("the first line of `{path}` is not a JSON object: {reason}")]
    JsonHeader { path: String, reason: String },
    #[error("cannot read `{path}` at line {line}: {reason}")]
    Read {
        path: String,
        line: u64,
        reason: String,
    },
}

impl InputError {
    /// Advice for the user, when there is some.
    pub fn help(&self) -> Option<String> {
        if let InputError::MissingColumn { header, .. } = self {
            if let Some(d) = hidden_delimiter(header) {
                return Some(format!(
                    "the header reads as one column, so the file is probably not comma-separated: try `--delimiter {d:?}`"
                ));
            }
        }
        match self {
            InputError::MissingColumn {
                closest: Some(c), ..
            } => Some(format!("did you mean `{c}`?")),
            InputError::MissingColumn { field, header, .. } => Some(format!(
                "the columns are {}; name the column with `from \"...\"` on field `{field}`, or mark it `optional`",
                header
                    .iter()
                    .take(12)
                    .map(|h| format!("`{}`", h.trim()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            InputError::Empty { .. } => {
                Some("an inquiry file starts with a header row naming its columns".into())
            }
            _ => None,
        }
    }
}

/// The usual delimiter hidden in a header read as one cell (`a;b;c`).
fn hidden_delimiter(header: &[String]) -> Option<char> {
    match header {
        [only] => [';', '\t', '|'].into_iter().find(|&d| only.contains(d)),
        _ => None,
    }
}

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
    /// JSONL: why the line could not be read as an object.
    pub problem: Option<String>,
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
    },
    Jsonl {
        input: Box<dyn BufRead + Send>,
        /// Folded key → header position.
        keys: HashMap<String, usize>,
        width: usize,
        line: u64,
        /// The first object, read to learn the header.
        pending: Option<RawRow>,
    },
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
    /// `keep` names columns to carry through ([`Inquiry::kept`]).
    pub fn open(
        path: &str,
        opts: &InputOptions,
        model: &Model,
        keep: &[String],
    ) -> Result<InquiryReader, InputError> {
        let (mut input, size): (Box<dyn BufRead + Send>, Option<u64>) = if path == "-" {
            (buffered(std::io::stdin()), None)
        } else {
            let file = std::fs::File::open(path).map_err(|e| InputError::Open {
                path: path.into(),
                reason: io_reason(&e),
            })?;
            let size = file.metadata().ok().map(|m| m.len());
            (mapped_or_read(file), size)
        };
        skip_bom(&mut input).map_err(|e| InputError::Open {
            path: path.into(),
            reason: io_reason(&e),
        })?;
        let delimiter = opts.delimiter_for(path);
        let (source, header) = match opts.format_for(path) {
            InputFormat::Csv => open_csv(path, input, delimiter)?,
            InputFormat::Jsonl => open_jsonl(path, input)?,
        };
        let map = ColumnMap::resolve(model, &header)?;
        let keep = keep
            .iter()
            .map(|k| {
                map.find(k).ok_or_else(|| InputError::MissingColumn {
                    field: k.clone(),
                    column: k.clone(),
                    closest: crate::diagnostic::closest(k, map.header.iter().map(|h| h.trim()))
                        .map(str::to_string),
                    header: map.header.clone(),
                })
            })
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
    pub fn decoder_for(&self, model: &Model) -> Result<Decoder, InputError> {
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
            Source::Jsonl { .. } => 0,
        }
    }

    /// Data rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.rows
    }

    /// Read the next data row into `raw`; `Ok(false)` at the end of the input.
    pub fn read_raw(&mut self, raw: &mut RawRow) -> Result<bool, InputError> {
        let more = match &mut self.source {
            Source::Csv { records } => {
                raw.raw_line.clear();
                raw.problem = None;
                let line = records
                    .read(&mut raw.cells)
                    .map_err(|(e, line)| InputError::Read {
                        path: self.path.clone(),
                        line,
                        reason: io_reason(&e),
                    })?;
                raw.line = line.unwrap_or(0);
                line.is_some()
            }
            Source::Jsonl {
                input,
                keys,
                width,
                line,
                pending,
            } => {
                if let Some(first) = pending.take() {
                    *raw = first;
                    true
                } else {
                    read_json_row(&self.path, input, keys, *width, line, raw)?
                }
            }
        };
        if more {
            self.rows += 1;
            raw.row = self.rows;
        }
        Ok(more)
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

/// Skip a UTF-8 byte-order mark.
fn skip_bom(input: &mut Box<dyn BufRead + Send>) -> std::io::Result<()> {
    if input.fill_buf()?.starts_with(&[0xEF, 0xBB, 0xBF]) {
        input.consume(3);
    }
    Ok(())
}

fn open_csv(
    path: &str,
    input: Box<dyn BufRead + Send>,
    delimiter: u8,
) -> Result<(Source, Vec<String>), InputError> {
    let mut records = Box::new(CsvRecords::new(input, delimiter));
    // The header is read as an ordinary record, so its line is counted like
    // every other.
    let mut header = Cells::default();
    let more = records
        .read(&mut header)
        .map_err(|(e, _)| InputError::Read {
            path: path.into(),
            line: 1,
            reason: io_reason(&e),
        })?;
    if more.is_none() || header.is_empty() {
        return Err(InputError::Empty { path: path.into() });
    }
    let header = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    Ok((Source::Csv { records }, header))
}

fn open_jsonl(
    path: &str,
    mut input: Box<dyn BufRead + Send>,
) -> Result<(Source, Vec<String>), InputError> {
    let mut line = 0;
    let mut buf = Vec::new();
    // The first non-blank line names the columns.
    let first = loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| InputError::Read {
                path: path.into(),
                line: line + 1,
                reason: io_reason(&e),
            })?;
        if n == 0 {
            return Err(InputError::Empty { path: path.into() });
        }
        line += 1;
        if !buf.iter().all(u8::is_ascii_whitespace) {
            break parse_object(&buf).map_err(|reason| InputError::JsonHeader {
                path: path.into(),
                reason,
            })?;
        }
    };
    let header: Vec<String> = first.keys().cloned().collect();
    let keys: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, k)| (super::columns::fold_header(k), i))
        .rev()
        .collect();
    let mut raw = RawRow {
        line,
        ..RawRow::default()
    };
    fill_cells(&first, &keys, header.len(), &mut raw);
    raw.raw_line = buf;
    let source = Source::Jsonl {
        input,
        keys,
        width: header.len(),
        line,
        pending: Some(raw),
    };
    Ok((source, header))
}

fn parse_object(bytes: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    // Without its line end, so that serde_json's position ("line 1 column
    // 17") is the position within the line, and a line cut short reads as
    // ending where it does rather than on the line below.
    let line = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    match serde_json::from_slice::<serde_json::Value>(line) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(_) => Err("the line is not a JSON object".into()),
        Err(e) => Err(format!("not valid JSON ({e})")),
    }
}

fn fill_cells(
    object: &serde_json::Map<String, serde_json::Value>,
    keys: &HashMap<String, usize>,
    width: usize,
    raw: &mut RawRow,
) {
    let mut cells: Vec<String> = vec![String::new(); width];
    for (k, v) in object {
        if let Some(&i) = keys.get(&super::columns::fold_header(k)) {
            cells[i] = match v {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Bool(b) => b.to_string(),
                other => other.to_string(),
            };
        }
    }
    raw.cells.clear();
    for c in &cells {
        raw.cells.push_field(c.as_bytes());
    }
    raw.problem = None;
}

fn read_json_row(
    path: &str,
    input: &mut Box<dyn BufRead + Send>,
    keys: &HashMap<String, usize>,
    width: usize,
    line: &mut u64,
    raw: &mut RawRow,
) -> Result<bool, InputError> {
    loop {
        raw.raw_line.clear();
        let n = input
            .read_until(b'\n', &mut raw.raw_line)
            .map_err(|e| InputError::Read {
                path: path.into(),
                line: *line + 1,
                reason: io_reason(&e),
            })?;
        if n == 0 {
            return Ok(false);
        }
        *line += 1;
        if raw.raw_line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        raw.line = *line;
        match parse_object(&raw.raw_line) {
            Ok(object) => fill_cells(&object, keys, width, raw),
            Err(reason) => {
                raw.cells.clear();
                raw.problem = Some(reason);
            }
        }
        return Ok(true);
    }
}
