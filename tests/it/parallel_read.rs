//! Parsing a mapped CSV file on several threads (`CsvRanges`) reads exactly
//! what the one-thread reader reads: the same rows, numbers, lines, cells
//! and problems, in the same order, however broken the quoting and wherever
//! the ranges' boundaries fall (ranges of a few bytes put most of them
//! inside quoted cells and records).

use proptest::prelude::*;
use qualify::input::{CsvRanges, InputOptions, InquiryReader, RawRow, RowProblem};
use qualify::model::Model;
use std::sync::OnceLock;

fn model() -> &'static Model {
    crate::support::northwind_model()
}

/// A generated file's header line and a few rows, for real-looking rows.
fn sample() -> &'static (Vec<u8>, Vec<u8>) {
    static SAMPLE: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut bytes = Vec::new();
        qualify::sample::write_inquiries(&mut bytes, 40, 5, as_of, 5).unwrap();
        let body = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
        let rows = bytes.split_off(body);
        (bytes, rows)
    })
}

/// One row as read: number, line, cells, problem.
type Seen = (u64, u64, Vec<Vec<u8>>, Option<RowProblem>);

fn seen(raw: &RawRow) -> Seen {
    let cells = raw.cells.iter().map(<[u8]>::to_vec).collect();
    (raw.row, raw.line, cells, raw.problem.clone())
}

fn open(path: &std::path::Path) -> InquiryReader {
    InquiryReader::open(
        path.to_str().unwrap(),
        &InputOptions::default(),
        model(),
        &[],
    )
    .expect("the header is intact")
}

/// Every row the one-thread reader reads, and the error it stops at.
fn one_thread(path: &std::path::Path) -> (Vec<Seen>, Option<String>) {
    let mut reader = open(path);
    let mut raw = RawRow::default();
    let mut rows = Vec::new();
    loop {
        match reader.read_raw(&mut raw) {
            Ok(true) => rows.push(seen(&raw)),
            Ok(false) => return (rows, None),
            Err(e) => return (rows, Some(e.to_string())),
        }
    }
}

/// Every chunk `threads` threads read from `ranges`, put in order: the rows
/// up to the first error, and that error.
fn many_threads(ranges: &CsvRanges, threads: usize) -> (Vec<Seen>, Option<String>) {
    let mut chunks: Vec<(u64, Vec<Seen>, Option<String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let (mut buffer, mut got) = (Vec::new(), Vec::new());
                    while let Some((seq, len, read)) = ranges.read_chunk(&mut buffer) {
                        let rows = buffer[..len].iter().map(seen).collect();
                        got.push((seq, rows, read.err().map(|e| e.to_string())));
                    }
                    got
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    chunks.sort_by_key(|(seq, ..)| *seq);
    let mut rows = Vec::new();
    for (i, (seq, chunk, error)) in chunks.into_iter().enumerate() {
        assert_eq!(seq, i as u64, "every range is handed out once, in order");
        if error.is_some() {
            return (rows, error);
        }
        rows.extend(chunk);
    }
    (rows, None)
}

/// Pieces of CSV that break it the most: quotes, line ends of every kind,
/// delimiters, a byte-order mark, bad UTF-8, and whole generated rows.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    let rows = sample().1.clone();
    let row_lines: Vec<Vec<u8>> = rows
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    prop_oneof![
        prop::sample::select(vec![
            b"\"".to_vec(),
            b",".to_vec(),
            b"\n".to_vec(),
            b"\r".to_vec(),
            b"\r\n".to_vec(),
            b"\"\"".to_vec(),
            b"x".to_vec(),
            b"9".to_vec(),
            b"\xEF\xBB\xBF".to_vec(),
            b"\xff".to_vec(),
        ]),
        prop::sample::select(row_lines),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn ranges_read_what_one_reader_reads(
        pieces in prop::collection::vec(piece(), 0..60),
        bom in any::<bool>(),
        range_bytes in 1usize..80,
        range_lines in 1usize..6,
        threads in 1usize..4,
    ) {
        let (header, _) = sample();
        let mut bytes = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
        bytes.extend_from_slice(header);
        bytes.extend(pieces.concat());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        std::fs::write(&path, &bytes).unwrap();

        let expected = one_thread(&path);
        let ranges = open(&path)
            .into_ranges()
            .map_err(|_| "a file is mapped")
            .unwrap()
            .with_range_limits(range_bytes, range_lines);
        let (rows, error) = many_threads(&ranges, threads);
        // In memory, reading fails only for a record past the size limit,
        // which these files are far from.
        prop_assert_eq!(&error, &None);
        prop_assert_eq!(&expected.1, &None);
        prop_assert_eq!(rows, expected.0);
        prop_assert_eq!(ranges.position(), bytes.len() as u64);
    }
}

#[test]
fn an_unclosed_quote_reads_on_through_every_later_range() {
    let (header, rows) = sample();
    let mut bytes = header.clone();
    bytes.extend_from_slice(&rows[..rows.len() / 2]);
    // A quote opening a cell and never closed: the rest of the file (its
    // quotes taken out) is that cell, however many ranges it spans.
    bytes.extend_from_slice(b"7,\"open quote\n");
    bytes.extend(rows[rows.len() / 2..].iter().filter(|&&b| b != b'"'));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.csv");
    std::fs::write(&path, &bytes).unwrap();

    let expected = one_thread(&path);
    let last = expected.0.last().expect("rows").clone();
    assert!(
        last.3
            .as_ref()
            .is_some_and(|p| p.reason.contains("never closed")),
        "{last:?}"
    );
    for (range_bytes, threads) in [(7, 2), (64, 3), (1000, 2)] {
        let ranges = open(&path)
            .into_ranges()
            .map_err(|_| "a file is mapped")
            .unwrap()
            .with_range_limits(range_bytes, 3);
        let (rows, error) = many_threads(&ranges, threads);
        assert_eq!(error, expected.1, "ranges of {range_bytes} bytes");
        assert_same_rows(&rows, &expected.0, range_bytes);
    }
}

/// The first row that differs, named, rather than two long lists.
fn assert_same_rows(rows: &[Seen], expected: &[Seen], range_bytes: usize) {
    let differs = rows.iter().zip(expected).position(|(a, b)| a != b);
    if let Some(at) = differs {
        panic!(
            "ranges of {range_bytes} bytes: row {at} is {:?}, one reader read {:?}",
            rows[at], expected[at]
        );
    }
    assert_eq!(rows.len(), expected.len(), "ranges of {range_bytes} bytes");
}

#[test]
fn a_jsonl_file_is_read_by_one_reader() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.jsonl");
    std::fs::write(&path, b"{\"id\": \"1\"}\n").unwrap();
    assert!(open(&path).into_ranges().is_err());
}
