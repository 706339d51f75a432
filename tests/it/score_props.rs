//! Mangled inquiry files never panic the batch scorer and never lose a row:
//! every record the csv crate finds is either scored or rejected, the counts
//! add up, and the results file holds one line per scored row.

use proptest::prelude::*;
use qualify::driver::{score_all, Sinks};
use qualify::eval::program::Fast;
use qualify::input::records::{Cells, CsvRecords, Record};
use qualify::input::{InputOptions, InquiryReader};
use qualify::model::{days_from_date, Model};
use qualify::output::results::{OutputFormat, ResultLayout};
use std::sync::OnceLock;

/// Rows per file: more than one chunk (2,048 rows), so chunks can finish out
/// of order.
const ROWS: u64 = 3_000;

fn model() -> &'static Model {
    crate::support::northwind_model()
}

fn sample() -> &'static Vec<u8> {
    static SAMPLE: OnceLock<Vec<u8>> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut bytes = Vec::new();
        qualify::sample::write_inquiries(&mut bytes, ROWS, 11, as_of, 1).unwrap();
        bytes
    })
}

/// Bytes that upset CSV and UTF-8 the most.
fn nasty_byte() -> impl Strategy<Value = u8> {
    prop::sample::select(vec![
        b'"', b',', b'\n', b'\r', b' ', b'x', b'9', 0xff, 0xc3, 0x80, 0,
    ])
}

/// Records in `bytes` after the header, as the csv crate counts them.
fn records(bytes: &[u8]) -> u64 {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes)
        .byte_records()
        .take_while(Result::is_ok)
        .count() as u64
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_row_is_scored_or_rejected(
        edits in prop::collection::vec((any::<prop::sample::Index>(), nasty_byte()), 0..40),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let mut bytes = sample().clone();
        // Leave the header alone: a broken header is an error before any row.
        let body = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
        for (at, byte) in edits {
            let i = body + at.index(bytes.len() - body);
            bytes[i] = byte;
        }
        if let Some(at) = cut {
            bytes.truncate(body + at.index(bytes.len() - body));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mangled.csv");
        std::fs::write(&path, &bytes).unwrap();

        let model = model();
        let program = qualify::compile::compile(model);
        let as_of = days_from_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        let engine = Fast { program: &program, as_of };
        let layout = ResultLayout::new(model, OutputFormat::Csv, vec![], false);
        let reader = InquiryReader::open(path.to_str().unwrap(), &InputOptions::default(), model, &[])
            .expect("the header is intact");
        let mut output = Vec::new();
        let mut rejected = 0u64;
        let stats = score_all(reader, &engine, &layout, None, Sinks {
            output: &mut output,
            reject: &mut |_| { rejected += 1; Ok(()) },
            progress: &|_, _| {},
        });
        let Ok(stats) = stats else {
            // A read error (for instance an unterminated quote at the end)
            // stops the run with a message; that is not losing a row.
            return Ok(());
        };
        prop_assert_eq!(stats.read, stats.scored + stats.rejected);
        prop_assert_eq!(rejected, stats.rejected);
        prop_assert_eq!(stats.read, records(&bytes));
        prop_assert_eq!(records(&output), stats.scored);
        prop_assert_eq!(stats.per_stage.iter().sum::<u64>(), stats.scored);
    }
}

/// Each record's line and cells, as read by qualify's csv-core driver (fed
/// through a buffer of `capacity` bytes, so records straddle refills) and by
/// `csv::Reader` (flexible, no header handling: the settings qualify used).
/// The csv crate places a record on the line where the previous one ended
/// (one or more lines early after blank lines or CRLF), so its lines are not
/// the oracle: a record's line is worked out here from the byte the csv
/// crate says it started reading it at, as the line of the first byte after
/// the line ends there, counting LF, CR and CRLF as one line end each.
fn both_readers(bytes: &[u8], capacity: usize) -> [Vec<(u64, Vec<Vec<u8>>)>; 2] {
    let ours = read_records(bytes, capacity)
        .into_iter()
        .map(|(record, cells)| (record.line, cells))
        .collect();
    let mut theirs = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .expect("byte records do not fail")
    {
        let from = record.position().map_or(0, |p| p.byte()) as usize;
        let first = from
            + bytes[from..]
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
        let line_end =
            |i: usize| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        let line = 1 + (0..first).filter(|&i| line_end(i)).count() as u64;
        theirs.push((line, record.iter().map(<[u8]>::to_vec).collect()));
    }
    [ours, theirs]
}

/// Each record as qualify's csv-core driver reads it through a buffer of
/// `capacity` bytes.
fn read_records(bytes: &[u8], capacity: usize) -> Vec<(Record, Vec<Vec<u8>>)> {
    let input = std::io::BufReader::with_capacity(capacity, std::io::Cursor::new(bytes.to_vec()));
    let mut records = CsvRecords::new(Box::new(input), b',');
    let mut cells = Cells::default();
    let mut out = Vec::new();
    while let Some(record) = records.read(&mut cells).expect("no I/O error in memory") {
        out.push((record, cells.iter().map(<[u8]>::to_vec).collect()));
    }
    out
}

#[test]
fn records_match_the_csv_crate_on_known_cases() {
    let texts: [&[u8]; 8] = [
        b"a,b\n1,2\n",
        b"a,b\r\n1,2\r\n\r\n3,4",
        b"a,\"b\nc\",d\n\n\ne,f\n",
        b"\"x\"\"y\",z\n\"open,quote\n",
        b"one\ntwo,three,four\n,\n",
        b"stray\"quote,x\n\"a\"b,c\n",
        b"",
        b"\n\n",
    ];
    for text in texts {
        let [ours, theirs] = both_readers(text, 1 << 16);
        assert_eq!(ours, theirs, "{:?}", String::from_utf8_lossy(text));
    }
}

#[test]
fn each_record_is_on_the_line_its_first_byte_is_on() {
    let cases: [(&[u8], &[u64]); 7] = [
        (b"h\n\n\nx\ny\n", &[1, 4, 5]),
        // CRLF throughout, and a header ending in LF before CRLF rows.
        (b"h\r\nx\r\n\r\ny\r\n", &[1, 2, 4]),
        (b"h\nx\r\ny\r\n", &[1, 2, 3]),
        // A quoted line break belongs to its record; the next starts after it.
        (b"h\n\"a\nb\",c\n\nd\n", &[1, 2, 5]),
        // Old Mac line ends: a lone CR ends a line, as LF and CRLF do.
        (b"h\rx\ry\n z\n", &[1, 2, 3, 4]),
        (b"id,n\r1,a\r2,x\r3,y\r", &[1, 2, 3, 4]),
        // Mixed, with blank lines of each kind and a quoted CR.
        (b"h\r\n\r\rx\n\n\"a\rb\"\r\ny\r", &[1, 4, 6, 8]),
    ];
    for (text, lines) in cases {
        let [ours, _] = both_readers(text, 3);
        let got: Vec<u64> = ours.iter().map(|(line, _)| *line).collect();
        assert_eq!(got, lines, "{:?}", String::from_utf8_lossy(text));
    }
}

#[test]
fn a_record_longer_than_the_buffers_grows_them() {
    let mut text = (0..300)
        .map(|i| format!("cell number {i}"))
        .collect::<Vec<_>>()
        .join(",")
        .into_bytes();
    text.extend_from_slice(b"\nx\n");
    let [ours, theirs] = both_readers(&text, 1 << 16);
    assert_eq!(ours, theirs);
    assert_eq!(ours[0].1.len(), 300);
    assert_eq!(ours[1].1, vec![b"x".to_vec()]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The csv-core driver reads every record and cell exactly as the csv
    /// crate's reader does, and puts each on the line its first byte is on,
    /// however broken the quoting and wherever the input's buffer is
    /// refilled.
    #[test]
    fn records_match_the_csv_crate(
        bytes in prop::collection::vec(
            prop_oneof![nasty_byte(), prop::sample::select(b"ab\"\",\r\n".to_vec())],
            0..400,
        ),
        capacity in 1usize..24,
    ) {
        let [ours, theirs] = both_readers(&bytes, capacity);
        prop_assert_eq!(ours, theirs);
    }

    /// A record is marked as opening a quote that is never closed exactly
    /// when csv-core is inside a quoted cell at the end of the input: when
    /// the csv crate, given one more line after it, reads that line into the
    /// same cell rather than as a record of its own. Only the last record
    /// can be marked, and the quote opens on one of its lines.
    #[test]
    fn an_unclosed_quote_is_told_exactly_when_the_csv_crate_reads_on_in_it(
        bytes in prop::collection::vec(
            prop_oneof![nasty_byte(), prop::sample::select(b"ab\"\",\r\n".to_vec())],
            0..200,
        ),
        capacity in 1usize..24,
    ) {
        let records = read_records(&bytes, capacity);
        let marked: Vec<usize> = (0..records.len())
            .filter(|&i| records[i].0.unclosed_quote.is_some())
            .collect();
        let mut longer = bytes.clone();
        longer.extend_from_slice(b"\nzz\n");
        let [_, theirs] = both_readers(&longer, 1 << 16);
        let read_on = theirs.last().map(|(_, cells)| cells.clone()) != Some(vec![b"zz".to_vec()]);
        prop_assert_eq!(!marked.is_empty(), read_on);
        if let [only] = marked[..] {
            prop_assert_eq!(only, records.len() - 1);
            let last = records[only].0;
            let lines = 1 + (0..bytes.len())
                .filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
                .count() as u64;
            let opened = last.unclosed_quote.unwrap();
            prop_assert!(last.line <= opened && opened <= lines, "{} {} {}", last.line, opened, lines);
        }
        prop_assert!(marked.len() <= 1);
    }
}

#[test]
fn an_unclosed_quote_is_placed_on_the_line_it_opens() {
    let cases: [(&[u8], u64, Option<u64>); 6] = [
        // The reproducer: the quote on line 2 runs to the end.
        (
            b"id,name,n,ok\n1,\"abc,6,yes\n2,def,7,no\n3,ghi,8,no\n",
            2,
            Some(2),
        ),
        (b"h\r\nx,\"a\r\nb\r\n", 2, Some(2)),
        (b"h\rx,\"a\rb\rc", 2, Some(2)),
        // An earlier quoted cell with a line break, then the open quote.
        (b"h\nx,\"a\nb\",\"c\nd\n", 2, Some(3)),
        // Quotes that are closed, or text: nothing to tell.
        (b"h\nx,\"a\"\"b\"\n", 2, None),
        (b"h\nx,a\"b\n", 2, None),
    ];
    for (text, line, opened) in cases {
        let records = read_records(text, 3);
        let last = records.last().expect("a record").0;
        assert_eq!(
            (last.line, last.unclosed_quote),
            (line, opened),
            "{:?}",
            String::from_utf8_lossy(text)
        );
    }
}
