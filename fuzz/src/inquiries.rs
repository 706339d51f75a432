//! The `inquiries` target: any bytes as an inquiry file scored with
//! `rules/northwind.lead`, read by qualify and by the csv crate or
//! serde_json.
//!
//! In: bytes; a file whose first non-blank byte is `{` is JSONL, any other
//! CSV (comma-separated unless its first line has no comma but a `;`, tab or
//! `|`). Out: a panic when a property fails:
//! - opening fails as "empty" exactly when the oracle finds nothing, and a
//!   JSONL file stops at once exactly when its first line is no object;
//! - qualify reads as many rows as the oracle, each on the oracle's line,
//!   with the oracle's cell texts (CSV: every cell, a record ending in a
//!   quote never closed rejected; JSONL: each column's key, a line with two
//!   keys for one column rejected);
//! - a decoded text value is its cell as read, a number its cell's number;
//! - scoring the file reads every row: read = scored + rejected, one result
//!   per scored row, one reject reported per rejected row, and (JSONL out)
//!   every result line is JSON.

use crate::known::skipped;
use crate::{oracle_csv, oracle_jsonl};
use qualify::driver::{score_all, Sinks};
use qualify::eval::program::Fast;
use qualify::input::{fold_header, InputError, InputFormat, InputOptions, InquiryReader, RawRow};
use qualify::model::{Model, Type, Value};
use qualify::output::results::{OutputFormat, ResultLayout};
use qualify::program::Program;
use std::sync::OnceLock;

const AS_OF: i32 = 20_780; // 2026-11-23

struct Setup {
    model: Model,
    program: Program,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        // One thread: no threads started per input, and the same order of
        // work every time.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build_global();
        let text = include_str!("../../rules/northwind.lead");
        let model = qualify::load::load_str("northwind.lead", text)
            .model
            .expect("rules/northwind.lead checks");
        let program = qualify::compile::compile(&model);
        Setup { model, program }
    })
}

/// The input's format and delimiter, from its bytes.
fn format_of(bytes: &[u8]) -> (InputFormat, u8) {
    let body = oracle_csv::without_bom(bytes);
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        return (InputFormat::Jsonl, b',');
    }
    let first = body.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t', b'|']
        .into_iter()
        .find(|d| first.contains(d))
        .unwrap_or(b',');
    (InputFormat::Csv, delimiter)
}

/// The input written to a file of this process, removed when dropped
/// (qualify reads inquiry files by path).
struct InputFile(std::path::PathBuf);

impl InputFile {
    fn new(bytes: &[u8], format: InputFormat) -> Self {
        let dir = if std::path::Path::new("/dev/shm").is_dir() {
            std::path::PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let ext = if format == InputFormat::Jsonl {
            "jsonl"
        } else {
            "csv"
        };
        let path = dir.join(format!("qualify-fuzz-{}.{ext}", std::process::id()));
        std::fs::write(&path, bytes).expect("the fuzz input file is written");
        InputFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temporary path")
    }
}

impl Drop for InputFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

pub fn check(bytes: &[u8]) {
    let setup = setup();
    let (format, delimiter) = format_of(bytes);
    let file = InputFile::new(bytes, format);
    let opts = InputOptions {
        input_format: Some(format),
        delimiter: Some(delimiter),
        ..InputOptions::default()
    };
    let rows = match format {
        InputFormat::Csv => read_csv(bytes, delimiter, &file, &opts, &setup.model),
        InputFormat::Jsonl => read_jsonl(bytes, &file, &opts, &setup.model),
    };
    let Some(rows) = rows else {
        return;
    };
    score(&file, &opts, setup, format, rows);
}

/// Open `file`; `None` when it did not open (after checking why).
fn open(file: &InputFile, opts: &InputOptions, model: &Model) -> Result<InquiryReader, InputError> {
    InquiryReader::open(file.path(), opts, model, &[])
}

/// Check the rows qualify reads against the csv crate's; the number of
/// data rows, or `None` when the file does not open.
fn read_csv(
    bytes: &[u8],
    delimiter: u8,
    file: &InputFile,
    opts: &InputOptions,
    model: &Model,
) -> Option<u64> {
    let records = oracle_csv::records(bytes, delimiter);
    let open_quote = oracle_csv::ends_in_open_quote(oracle_csv::without_bom(bytes), delimiter);
    let mut reader = match open(file, opts, model) {
        Ok(reader) => reader,
        Err(e) => {
            assert_open_error_is_true(&e, &records, open_quote);
            return None;
        }
    };
    assert!(
        !records.is_empty(),
        "a file the csv crate finds no record in opened"
    );
    assert!(
        !(open_quote && records.len() == 1),
        "a header with a quote never closed opened"
    );
    let mut raw = RawRow::default();
    let mut last_line = records[0].line;
    for (k, record) in records[1..].iter().enumerate() {
        let more = reader.read_raw(&mut raw).unwrap_or_else(|e| {
            panic!(
                "row {} of {} could not be read: {e}",
                k + 1,
                records.len() - 1
            )
        });
        assert!(
            more,
            "qualify read {k} rows, the csv crate {}",
            records.len() - 1
        );
        let cells: Vec<&[u8]> = raw.cells.iter().collect();
        let expected: Vec<&[u8]> = record.cells.iter().map(Vec::as_slice).collect();
        assert_eq!(cells, expected, "row {} is read with other cells", k + 1);
        assert!(
            raw.line >= last_line,
            "row {} is on line {}, before the previous row's line {last_line}",
            k + 1,
            raw.line
        );
        last_line = raw.line;
        assert_eq!(raw.line, record.line, "row {} is on another line", k + 1);
        let unclosed = open_quote && k + 2 == records.len();
        assert_eq!(
            raw.problem.is_some(),
            unclosed,
            "row {}: {:?}, yet the file ends inside a quote: {open_quote}",
            k + 1,
            raw.problem
        );
        assert_decoded(&reader, &raw, model);
    }
    let extra = reader
        .read_raw(&mut raw)
        .map(|more| more.then_some(raw.line));
    assert!(
        matches!(extra, Ok(None)),
        "qualify reads more rows than the csv crate's {} ({extra:?})",
        records.len() - 1
    );
    Some(records.len() as u64 - 1)
}

/// An error at opening a CSV file must be true of its header, the first of
/// the csv crate's `records`.
fn assert_open_error_is_true(e: &InputError, records: &[oracle_csv::Record], open_quote: bool) {
    let header = records.first().map(|r| &r.cells[..]);
    let folded: Vec<String> = header
        .unwrap_or_default()
        .iter()
        .map(|h| fold_header(&String::from_utf8_lossy(h)))
        .collect();
    match e {
        InputError::Empty { .. } => assert!(
            header.is_none_or(|h| h.is_empty()),
            "`{e}`, but the csv crate reads a header {header:?}"
        ),
        InputError::MissingColumn { missing, .. } => {
            for absent in missing {
                assert!(
                    !folded.contains(&fold_header(&absent.column)),
                    "`{e}`, but the header {folded:?} has `{}`",
                    absent.column
                );
            }
        }
        InputError::HeaderQuote { .. } => assert!(
            open_quote && records.len() == 1,
            "`{e}`, but the csv crate reads {} records",
            records.len()
        ),
        InputError::AmbiguousColumn { columns, .. } => {
            let wanted = fold_header(&columns[0]);
            let n = folded.iter().filter(|h| **h == wanted).count();
            assert!(n >= 2, "`{e}`, but the header {folded:?} has it {n} times");
        }
        other => panic!("unexpected error at opening: {other}"),
    }
}

/// Check the rows qualify reads against serde_json's; the number of data
/// rows, or `None` when the file does not open.
fn read_jsonl(bytes: &[u8], file: &InputFile, opts: &InputOptions, model: &Model) -> Option<u64> {
    let lines = oracle_jsonl::lines(bytes);
    let mut reader = match open(file, opts, model) {
        Ok(reader) => reader,
        Err(InputError::EmptyJsonl { .. }) => {
            assert!(
                lines.is_empty(),
                "a file with a non-blank line is called empty"
            );
            return None;
        }
        Err(e @ InputError::JsonHeader { .. }) => {
            let first_is_object = lines[0].entries.is_some();
            if first_is_object && !beyond_serde_json_depth(&e.to_string()) {
                panic!(
                    "`{e}`, but serde_json reads line {} as an object",
                    lines[0].line
                );
            }
            return None;
        }
        Err(e) => panic!("unexpected error at opening: {e}"),
    };
    assert!(
        lines[0].entries.is_some(),
        "a file whose first line is no object opened"
    );
    let header = reader.decoder().columns().header.clone();
    let folded: Vec<String> = header.iter().map(|h| fold_header(h)).collect();
    let mut raw = RawRow::default();
    for (k, line) in lines.iter().enumerate() {
        let more = reader
            .read_raw(&mut raw)
            .unwrap_or_else(|e| panic!("row {} of {} could not be read: {e}", k + 1, lines.len()));
        assert!(
            more,
            "qualify read {k} rows, serde_json finds {}",
            lines.len()
        );
        assert_eq!(raw.line, line.line, "row {} is on another line", k + 1);
        match &line.entries {
            None => assert!(
                raw.problem.is_some(),
                "line {} is no JSON object, yet it is read without a problem",
                line.line
            ),
            Some(entries) => assert_jsonl_cells(&raw, entries, &folded, line.line),
        }
        assert_decoded(&reader, &raw, model);
    }
    let extra = reader
        .read_raw(&mut raw)
        .map(|more| more.then_some(raw.line));
    assert!(
        matches!(extra, Ok(None)),
        "qualify reads more rows than serde_json's {} ({extra:?})",
        lines.len()
    );
    Some(lines.len() as u64)
}

/// serde_json reading into a `Value` stops at 128 levels of nesting, where
/// reading only the text of a value does not: a line nested deeper may be
/// refused.
fn beyond_serde_json_depth(reason: &str) -> bool {
    reason.contains("recursion limit exceeded")
}

/// A line serde_json reads as an object: each column's cell is the text of
/// the one key naming it, and a line with two keys naming one column (the
/// same key twice included) is rejected.
fn assert_jsonl_cells(
    raw: &RawRow,
    entries: &[(String, Box<serde_json::value::RawValue>)],
    folded: &[String],
    line: u64,
) {
    if let Some(problem) = &raw.problem {
        if beyond_serde_json_depth(&problem.reason) {
            return;
        }
    }
    // Two keys for one column: differently spelt (`email`, `EMAIL`), or the
    // same key twice.
    let mut twice = false;
    for (i, column) in folded.iter().enumerate() {
        let keys: Vec<&(String, Box<serde_json::value::RawValue>)> = entries
            .iter()
            .filter(|(k, _)| fold_header(k) == *column)
            .collect();
        if keys.len() > 1 {
            twice = true;
            continue;
        }
        if raw.problem.is_some() {
            continue;
        }
        let expected = match keys.first() {
            None => Some(String::new()),
            Some((_, value)) => oracle_jsonl::cell_text(value),
        };
        let Some(expected) = expected else {
            continue;
        };
        let got = raw.cells.get(i).unwrap_or_default();
        assert!(
            got == expected.as_bytes(),
            "line {line}, column `{column}`: the cell is {:?}, the line has {expected:?}",
            String::from_utf8_lossy(got)
        );
    }
    if twice {
        assert!(
            raw.problem.is_some(),
            "line {line} has two keys for one column, yet it is read without a problem"
        );
    } else {
        assert!(
            raw.problem.is_none(),
            "line {line} is a JSON object, yet it is refused: {:?}",
            raw.problem
        );
    }
}

/// Decoding a row read: a text value is its cell as read, a number its
/// cell's number; a reject names the row's line and row.
fn assert_decoded(reader: &InquiryReader, raw: &RawRow, model: &Model) {
    let decoder = reader.decoder();
    let mut values = Vec::new();
    match decoder.decode(raw, &mut values) {
        Err(reject) => {
            assert_eq!((reject.line, reject.row), (raw.line, raw.row), "{reject:?}");
            assert!(!reject.reason.is_empty(), "a reject without a reason");
        }
        Ok(()) => {
            assert_eq!(values.len(), model.fields.len());
            for (f, value) in values.iter().enumerate() {
                let Some(column) = decoder.columns().slots[f] else {
                    assert_eq!(*value, Value::Missing);
                    continue;
                };
                let cell = std::str::from_utf8(raw.cells.get(column).unwrap_or_default())
                    .expect("a decoded cell is UTF-8");
                match (model.fields[f].ty, value) {
                    (_, Value::Missing) => assert!(
                        cell.trim().is_empty(),
                        "field `{}`: {cell:?} read as missing",
                        model.fields[f].name
                    ),
                    (Type::Text, Value::Text(t)) => assert_eq!(t, cell),
                    (Type::Number, Value::Number(n)) => {
                        let parsed: f64 = cell.trim().parse().unwrap_or(f64::NAN);
                        assert!(
                            *n == parsed && n.is_finite(),
                            "field `{}`: {cell:?} read as {n}",
                            model.fields[f].name
                        );
                    }
                    (Type::YesNo, Value::Bool(_)) | (Type::Date, Value::Date(_)) => {}
                    (ty, v) => panic!("a {ty:?} field read as {v:?}"),
                }
            }
        }
    }
}

/// Score the whole file: every row read is scored or rejected.
fn score(file: &InputFile, opts: &InputOptions, setup: &Setup, format: InputFormat, rows: u64) {
    let reader = open(file, opts, &setup.model).expect("the file opened before");
    let out_format = match format {
        InputFormat::Csv => OutputFormat::Csv,
        InputFormat::Jsonl => OutputFormat::Jsonl,
    };
    let layout = ResultLayout::new(&setup.model, out_format, vec![], true);
    let engine = Fast {
        program: &setup.program,
        as_of: AS_OF,
    };
    let mut output = Vec::new();
    let mut reported = 0u64;
    let stats = score_all(
        reader,
        &engine,
        &layout,
        None,
        Sinks {
            output: &mut output,
            reject: &mut |_| {
                reported += 1;
                Ok(())
            },
            progress: &|_, _| {},
        },
    );
    let stats = match stats {
        Ok(stats) => stats,
        Err(e) => panic!("scoring stopped: {e}"),
    };
    assert_eq!(stats.read, rows, "rows read by the scorer");
    assert_eq!(stats.read, stats.scored + stats.rejected, "{stats:?}");
    assert_eq!(reported, stats.rejected, "rejects reported");
    assert_eq!(
        stats.per_stage.iter().sum::<u64>(),
        stats.scored,
        "{stats:?}"
    );
    let results = match out_format {
        OutputFormat::Csv => {
            let mut results = 0;
            for record in csv::Reader::from_reader(output.as_slice()).byte_records() {
                record.expect("the results are CSV");
                results += 1;
            }
            results
        }
        OutputFormat::Jsonl => {
            let text = std::str::from_utf8(&output).expect("the results are UTF-8");
            for line in text.lines() {
                let parsed = serde_json::from_str::<serde_json::Value>(line);
                assert!(
                    parsed.is_ok() || skipped("01"),
                    "a result line is not JSON: {line}"
                );
            }
            text.lines().count()
        }
    };
    assert_eq!(results as u64, stats.scored, "one result per scored row");
}
