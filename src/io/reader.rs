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
    #[error("{} is empty: there is no header row", shown(path))]
    Empty { path: String },
    /// JSONL has no header row, so an empty file is told apart from CSV's.
    #[error("{} is empty: there is no JSON object in it", shown(path))]
    EmptyJsonl { path: String },
    #[error("the input has no column `{column}` (for field `{field}`)")]
    MissingColumn {
        field: String,
        column: String,
        closest: Option<String>,
        header: Vec<String>,
    },
    /// A column named by an option (`--keep`, the backtest's `--on`) rather
    /// than by a field.
    #[error("the input has no column `{column}` (asked for by {option})")]
    MissingOptionColumn {
        option: String,
        column: String,
        closest: Option<String>,
        header: Vec<String>,
    },
    #[error("{option} names an empty column")]
    EmptyColumnName { option: String },
    /// Two or more header cells match one wanted column once case and
    /// surrounding spaces are ignored; taking the first would be a guess.
    #[error(
        "{wanted} matches {} columns: {} (ignoring case and surrounding spaces)",
        columns.len(),
        quoted(columns)
    )]
    AmbiguousColumn {
        /// "field `email`" or "--keep `email`".
        wanted: String,
        columns: Vec<String>,
    },
    #[error("the first line of {} is not a JSON object: {reason}", shown(path))]
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
        match self {
            InputError::MissingColumn {
                field,
                closest,
                header,
                ..
            } => Some(missing_column_help(
                closest.as_deref(),
                header,
                &format!("name the column with `from \"...\"` on field `{field}`, or mark it `optional`"),
            )),
            InputError::MissingOptionColumn {
                option,
                closest,
                header,
                ..
            } => Some(missing_column_help(
                closest.as_deref(),
                header,
                &format!("name one of them with {option}"),
            )),
            InputError::EmptyColumnName { option } => Some(format!(
                "give {option} column names separated by commas, with none empty, e.g. `{option} Notes,Company`"
            )),
            InputError::AmbiguousColumn { .. } => Some(
                "columns are matched ignoring case and surrounding spaces, so these name the same column; rename or remove all but one".into(),
            ),
            InputError::Empty { .. } => {
                Some("an inquiry file starts with a header row naming its columns".into())
            }
            InputError::EmptyJsonl { .. } => {
                Some("a JSONL inquiry file holds one JSON object per line".into())
            }
            _ => None,
        }
    }
}

/// How the input is named in a message: stdin, or the path in backticks.
fn shown(path: &str) -> String {
    if path == "-" {
        "stdin".into()
    } else {
        format!("`{path}`")
    }
}

/// `a`, `b` and `c`: column names as a message lists them.
fn quoted(names: &[String]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// Advice for a column not found: the delimiter the header hides, else the
/// closest column, else the columns there are and `otherwise`.
fn missing_column_help(closest: Option<&str>, header: &[String], otherwise: &str) -> String {
    if let Some(d) = hidden_delimiter(header) {
        return format!(
            "the header reads as one column, so the file is probably not comma-separated: try `--delimiter {d:?}`"
        );
    }
    if let Some(c) = closest {
        return format!("did you mean `{c}`?");
    }
    if header.is_empty() {
        return format!("the input names no columns; {otherwise}");
    }
    format!(
        "the columns are {}; {otherwise}",
        header
            .iter()
            .take(12)
            .map(|h| format!("`{}`", h.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    )
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
    /// JSONL has no header: each line's keys are matched to the columns the
    /// readers want (see [`open_jsonl`]); a key absent from a line is an empty
    /// cell on that line.
    Jsonl {
        input: Box<dyn BufRead + Send>,
        /// Folded column name → header position (the row's cell).
        keys: HashMap<String, usize>,
        line: u64,
        /// The first object, read at opening to check the input is JSONL, and
        /// turned into cells only when read (the header may still grow).
        pending: Option<FirstLine>,
    },
}

/// The first JSONL object, as parsed at opening.
struct FirstLine {
    object: serde_json::Map<String, serde_json::Value>,
    raw_line: Vec<u8>,
    line: u64,
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
            InputFormat::Jsonl => open_jsonl(path, input, &wanted_columns(model, keep))?,
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
        if let Source::Jsonl { keys, .. } = &mut self.source {
            let header = &mut self.decoder.columns_mut().header;
            for field in &model.fields {
                add_column(keys, header, &field.column);
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
                line,
                pending,
            } => match pending.take() {
                Some(first) => {
                    raw.line = first.line;
                    fill_cells(&first.object, keys, raw);
                    raw.raw_line = first.raw_line;
                    true
                }
                None => read_json_row(&self.path, input, keys, line, raw)?,
            },
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

/// The columns a JSONL reader matches each line's keys to: those `model`'s
/// fields read, then the `keep` columns. JSONL has no header row and
/// exporters leave out keys whose value is null, so no line (not even the
/// first) can say which columns the file has.
fn wanted_columns(model: &Model, keep: &[String]) -> Vec<String> {
    let fields = model.fields.iter().map(|f| f.column.clone());
    fields.chain(keep.iter().cloned()).collect()
}

/// Add `column` to a JSONL header unless a column of the same folded name is
/// there already.
fn add_column(keys: &mut HashMap<String, usize>, header: &mut Vec<String>, column: &str) {
    let folded = super::columns::fold_header(column);
    if let std::collections::hash_map::Entry::Vacant(e) = keys.entry(folded) {
        e.insert(header.len());
        header.push(column.to_string());
    }
}

/// Open a JSONL input whose header is `columns`. Its first object is read
/// now, so that an input that is not JSONL at all (a CSV file, say) stops the
/// run at once rather than rejecting every line.
fn open_jsonl(
    path: &str,
    mut input: Box<dyn BufRead + Send>,
    columns: &[String],
) -> Result<(Source, Vec<String>), InputError> {
    let mut keys = HashMap::new();
    let mut header = Vec::new();
    for column in columns {
        add_column(&mut keys, &mut header, column);
    }
    let mut line = 0;
    let mut raw_line = Vec::new();
    // The first non-blank line.
    let object = loop {
        raw_line.clear();
        let n = input
            .read_until(b'\n', &mut raw_line)
            .map_err(|e| InputError::Read {
                path: path.into(),
                line: line + 1,
                reason: io_reason(&e),
            })?;
        if n == 0 {
            return Err(InputError::EmptyJsonl { path: path.into() });
        }
        line += 1;
        if !raw_line.iter().all(u8::is_ascii_whitespace) {
            break parse_object(&raw_line).map_err(|reason| InputError::JsonHeader {
                path: path.into(),
                reason,
            })?;
        }
    };
    let first = FirstLine {
        object,
        raw_line,
        line,
    };
    let source = Source::Jsonl {
        input,
        keys,
        line,
        pending: Some(first),
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

/// Set `raw`'s cells from a JSONL object: one per header column, empty
/// where the object has no key for it (or its value is null). Keys are matched
/// folded, as CSV headers are; two keys naming one column make the row a
/// problem rather than a guess.
fn fill_cells(
    object: &serde_json::Map<String, serde_json::Value>,
    keys: &HashMap<String, usize>,
    raw: &mut RawRow,
) {
    let mut cells: Vec<Option<(&str, String)>> = vec![None; keys.len()];
    raw.cells.clear();
    raw.problem = None;
    for (k, v) in object {
        let Some(&i) = keys.get(&super::columns::fold_header(k)) else {
            continue;
        };
        if let Some((earlier, _)) = &cells[i] {
            raw.problem = Some(format!(
                "the keys `{earlier}` and `{k}` name the same column (ignoring case and surrounding spaces)"
            ));
            return;
        }
        cells[i] = Some((k, cell_text(v)));
    }
    for cell in &cells {
        let text = cell.as_ref().map_or("", |(_, t)| t.as_str());
        raw.cells.push_field(text.as_bytes());
    }
}

/// A JSON value as a cell: strings as they are, null as empty, the rest as
/// JSON.
fn cell_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn read_json_row(
    path: &str,
    input: &mut Box<dyn BufRead + Send>,
    keys: &HashMap<String, usize>,
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
            Ok(object) => fill_cells(&object, keys, raw),
            Err(reason) => {
                raw.cells.clear();
                raw.problem = Some(reason);
            }
        }
        return Ok(true);
    }
}
