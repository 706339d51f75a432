//! Reading an inquiry file: a path (or `-`) in, raw rows out, each decoded into
//! typed field values or a [`Reject`] saying where and why.
//!
//! Reading ([`InquiryReader::read_raw`]) and decoding ([`Decoder::decode`]) are
//! separate so a batch run can read on one thread and decode on many; simple
//! callers use [`InquiryReader::rows`], which does both.

use super::cells::CellSpec;
use super::columns::ColumnMap;
use super::options::{InputFormat, InputOptions};
use super::records::{Cells, CsvRecords};
use crate::cli::common::io_reason;
use crate::model::{Model, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

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
    /// The column mapping this decoder uses.
    pub fn columns(&self) -> &ColumnMap {
        &self.map
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
            return Err(self.reject(raw, "", "", problem.clone()));
        }
        if raw.cells.len() != self.map.header.len() {
            return Err(self.reject(
                raw,
                "",
                "",
                format!(
                    "the row has {} cells, the header has {}",
                    raw.cells.len(),
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
                return Err(self.reject(
                    raw,
                    &self.map.header[c],
                    text,
                    "a value is required".into(),
                ));
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

enum Source {
    Csv {
        /// Boxed: the parser's tables are large, and they stay put.
        records: Box<CsvRecords>,
        /// csv-core reports a record's line one short when lines end with
        /// CRLF (it counts from the `\n` that ended the previous record).
        line_offset: u64,
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
        let crlf = skip_bom(&mut input).map_err(|e| InputError::Open {
            path: path.into(),
            reason: io_reason(&e),
        })?;
        let delimiter = opts.delimiter_for(path);
        let (source, header) = match opts.format_for(path) {
            InputFormat::Csv => open_csv(path, input, delimiter, crlf)?,
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
        let decoder = Decoder {
            specs: model.fields.iter().map(CellSpec::new).collect(),
            required: model.fields.iter().map(|f| !f.optional).collect(),
            map,
            delimiter,
            keep,
        };
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
        let map = ColumnMap::resolve(model, &self.decoder.map.header)?;
        Ok(Decoder {
            specs: model.fields.iter().map(CellSpec::new).collect(),
            required: model.fields.iter().map(|f| !f.optional).collect(),
            map,
            delimiter: self.decoder.delimiter,
            keep: Vec::new(),
        })
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
            Source::Csv {
                records,
                line_offset,
            } => {
                raw.raw_line.clear();
                raw.problem = None;
                let line = records
                    .read(&mut raw.cells)
                    .map_err(|(e, line)| InputError::Read {
                        path: self.path.clone(),
                        line,
                        reason: io_reason(&e),
                    })?;
                raw.line = line.unwrap_or(0) + *line_offset;
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

/// A file's bytes mapped into memory when the system allows it (a regular
/// file), else read through a buffer (a pipe, a FIFO, `/dev/stdin`). Mapped,
/// the parser reads the page cache itself: no copy of the file is made at
/// all, where reading copies it once into a buffer (5% of the CPU time of a
/// 1M-row run, with a second copy the csv crate's reader made).
fn mapped_or_read(file: std::fs::File) -> Box<dyn BufRead + Send> {
    // SAFETY: the map is only read, through `Mapped`. Like every program
    // that maps its input (ripgrep does by default), a run whose file another
    // program truncates while it is read is stopped by the system (SIGBUS);
    // a file that is only appended to, or replaced by renaming, is safe.
    match unsafe { memmap2::Mmap::map(&file) } {
        Ok(map) => {
            // Only a hint: reading ahead is what the kernel does anyway.
            let _ = map.advise(memmap2::Advice::Sequential);
            Box::new(Mapped {
                map,
                pos: 0,
                released: 0,
            })
        }
        Err(_) => buffered(file),
    }
}

/// How far behind the reading position the pages of a mapped file are handed
/// back: a multiple of every page size in use (4 KiB to 64 KiB).
const RELEASE_STEP: usize = 8 << 20;

/// A mapped file read front to back. Every page the process has touched
/// counts in its resident memory until it is unmapped, so without this a run
/// over a 2.5 GB file would show 2.5 GB resident; the pages behind the reading
/// position are handed back every [`RELEASE_STEP`] bytes, which keeps a run's
/// memory flat whatever the size of the file. They stay in the system's page
/// cache (another run reads them as fast); only this process's mapping of
/// them goes.
struct Mapped {
    map: memmap2::Mmap,
    pos: usize,
    /// Bytes from the start whose pages have been handed back.
    released: usize,
}

impl Mapped {
    fn release_behind(&mut self) {
        let end = self.pos - self.pos % RELEASE_STEP;
        if end > self.released {
            // SAFETY: nothing borrows the map behind `pos` (a slice from
            // `fill_buf` ends before `consume` is called), and the mapping is
            // a read-only shared one of a file: a page touched again after
            // MADV_DONTNEED is read back from the file, not zeroed. A failure
            // only means the pages stay mapped.
            let _ = unsafe {
                self.map.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    self.released,
                    end - self.released,
                )
            };
            self.released = end;
        }
    }
}

impl Read for Mapped {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (&self.map[self.pos..]).read(buf)?;
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Mapped {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        Ok(&self.map[self.pos..])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.map.len());
        if self.pos - self.released >= RELEASE_STEP {
            self.release_behind();
        }
    }
}

/// Input read through a buffer large enough that each read is a big one.
fn buffered(input: impl Read + Send + 'static) -> Box<dyn BufRead + Send> {
    Box::new(BufReader::with_capacity(1 << 17, input))
}

/// Skip a UTF-8 byte-order mark; say whether the first line ends with CRLF.
fn skip_bom(input: &mut Box<dyn BufRead + Send>) -> std::io::Result<bool> {
    let buf = input.fill_buf()?;
    let crlf = buf
        .iter()
        .position(|&b| b == b'\n')
        .is_some_and(|i| i > 0 && buf[i - 1] == b'\r');
    if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
        input.consume(3);
    }
    Ok(crlf)
}

fn open_csv(
    path: &str,
    input: Box<dyn BufRead + Send>,
    delimiter: u8,
    crlf: bool,
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
    Ok((
        Source::Csv {
            records,
            line_offset: u64::from(crlf),
        },
        header,
    ))
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
