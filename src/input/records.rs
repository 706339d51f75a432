//! CSV bytes in, records of cells out: the csv crate's parser (`csv-core`)
//! driven straight over the input's buffer.
//!
//! `csv::Reader` copies its input into a buffer of its own before parsing it.
//! A mapped file is already in memory, so [`CsvRecords`] hands the parser the
//! mapped bytes themselves (any [`BufRead`] works: a read file goes through
//! an ordinary buffer). The parsing, quoting rules and line counting are
//! csv-core's; this module only feeds it and keeps each record's cells. It
//! reads exactly the records and cells `csv::Reader` reads with the same
//! settings (flexible, no header handling), which tests/it/score_props.rs
//! checks on mangled input read through buffers of every small size.
//!
//! Line numbers are counted here rather than taken from csv-core, which counts
//! only LFs (a file with old Mac CR-only line ends is all "line 1"), nor from
//! `csv::Reader`, which places a record on the line where the previous one
//! ended: after blank lines, or a CRLF line end, that is a line or more too
//! early. Here a record's line is the line its first byte is on, what an
//! editor shows: LF, CR and CRLF each end one line.
//!
//! Two things csv-core reads without a word are told apart here: a quote
//! never closed (the parser reads the rest of the input as one cell, so the
//! record is marked with the line the quote opened on), and a record grown
//! past [`MAX_RECORD_BYTES`] (an error, rather than memory as large as the
//! file).

use std::io::BufRead;
use std::ops::Range;

/// One record's cells: their bytes end to end, and where each one ends.
/// The buffers keep their length between records (only the first `used`
/// bytes and `count` ends are the record's), so the parser can write into
/// them without their being cleared or zeroed again.
#[derive(Debug, Clone, Default)]
pub struct Cells {
    bytes: Vec<u8>,
    used: usize,
    ends: Vec<usize>,
    count: usize,
}

impl Cells {
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn clear(&mut self) {
        self.used = 0;
        self.count = 0;
    }

    /// Add a cell at the end.
    pub fn push_field(&mut self, cell: &[u8]) {
        self.bytes.truncate(self.used);
        self.bytes.extend_from_slice(cell);
        self.used = self.bytes.len();
        self.ends.truncate(self.count);
        self.ends.push(self.used);
        self.count += 1;
    }

    fn ends(&self) -> &[usize] {
        &self.ends[..self.count]
    }

    /// Where cell `i` lies in [`Cells::as_slice`].
    #[inline]
    pub fn range(&self, i: usize) -> Option<Range<usize>> {
        let ends = self.ends();
        let end = *ends.get(i)?;
        let start = if i == 0 { 0 } else { ends[i - 1] };
        Some(start..end)
    }

    /// Cell `i`, if there is one.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.range(i).map(|r| &self.bytes[r])
    }

    /// Every cell's bytes, end to end.
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.used]
    }

    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

/// The most bytes one record may hold. A real row is far smaller; a row this
/// large is a quote that is never closed, which makes the rest of the input
/// one cell, and reading on would take memory as large as the file.
pub const MAX_RECORD_BYTES: usize = 64 << 20;

/// What [`CsvRecords::read`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// The line the record's first byte is on.
    pub line: u64,
    /// The line of a quote that opens the record's last cell and is never
    /// closed: the parser read everything after it to the end of the input
    /// as that one cell.
    pub unclosed_quote: Option<u64>,
}

/// Why [`CsvRecords::read`] stopped.
#[derive(Debug)]
pub enum ReadError {
    /// The input's own error (reading a pipe, say), on this line.
    Io(std::io::Error, u64),
    /// The record starting on this line is longer than [`MAX_RECORD_BYTES`].
    TooLong(u64),
}

/// Counts line ends as an editor does: LF, CR and CRLF each end one line.
/// Fed the input piece by piece, so a CRLF may be split between two pieces.
#[derive(Debug, Clone, Copy, Default)]
struct LineCounter {
    /// Line ends seen, not counting a CR that is the last byte fed so far.
    ends: u64,
    /// The last byte fed was a CR: it ends a line, with or without the LF
    /// that may come next.
    after_cr: bool,
}

impl LineCounter {
    fn feed(&mut self, bytes: &[u8]) {
        let Some(&last) = bytes.last() else {
            return;
        };
        // A CR ending the previous piece is a line end of its own unless
        // this piece starts with its LF (then the LF below counts for both).
        if self.after_cr && bytes[0] != b'\n' {
            self.ends += 1;
        }
        // One pass for both bytes: a record is short, and usually holds one
        // line end, its last byte (two passes cost 5% of a run's time).
        // A CR followed by anything but LF ends a line by itself (the last
        // byte's CR waits for the next piece).
        let before_last = bytes.len() - 1;
        for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            let counts = bytes[at] == b'\n' || (at < before_last && bytes[at + 1] != b'\n');
            self.ends += u64::from(counts);
        }
        self.after_cr = last == b'\r';
    }

    /// The line the next byte is on.
    fn line(&self) -> u64 {
        1 + self.ends + u64::from(self.after_cr)
    }
}

/// Line ends in `bytes` (LF, CR and CRLF each one).
fn line_ends(bytes: &[u8]) -> u64 {
    let mut counter = LineCounter::default();
    counter.feed(bytes);
    counter.line() - 1
}

/// Records read from CSV bytes by csv-core.
pub struct CsvRecords {
    input: Box<dyn BufRead + Send>,
    core: csv_core::Reader,
    /// Bytes consumed so far.
    bytes: u64,
    /// Line ends in the bytes consumed so far.
    lines: LineCounter,
    ended: bool,
    /// [`MAX_RECORD_BYTES`], smaller in tests.
    max_record_bytes: usize,
    /// The input is part of a file that goes on after it
    /// ([`CsvRecords::for_part`]): a record its end cuts short is not read.
    part: bool,
    /// Where that record starts, once reading has stopped at it.
    cut: Option<Cut>,
}

/// A record the end of a part of a file cuts short ([`CsvRecords::cut`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cut {
    /// Bytes of the input before the record's first byte.
    pub(crate) start: u64,
    /// The line of its first byte.
    pub(crate) line: u64,
}

impl CsvRecords {
    pub fn new(input: Box<dyn BufRead + Send>, delimiter: u8) -> Self {
        CsvRecords {
            input,
            // csv::Reader's defaults: `"` quotes, `""` escapes one, any of
            // CR, LF or CRLF ends a record, blank lines are skipped.
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            bytes: 0,
            lines: LineCounter::default(),
            ended: false,
            max_record_bytes: MAX_RECORD_BYTES,
            part: false,
            cut: None,
        }
    }

    /// Records read from bytes that start where a record may start, inside
    /// a file: the lines are counted from 1 at the first byte. With `part`
    /// the file goes on after the input, so a record the input's end cuts
    /// short is left unread and reported by [`CsvRecords::cut`].
    pub(crate) fn for_part(input: Box<dyn BufRead + Send>, delimiter: u8, part: bool) -> Self {
        let mut records = CsvRecords::new(input, delimiter);
        // A new parser drops a byte-order mark at the start of what it is
        // first given; one that has read a record does not. A blank line
        // read first makes this parser one of the second kind, and changes
        // nothing else: at the start of a record a line end is skipped.
        let _ = records.core.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
        records.part = part;
        records
    }

    /// The record a part's end cut short, once [`CsvRecords::read`] has
    /// returned `Ok(None)` for it.
    pub(crate) fn cut(&self) -> Option<Cut> {
        self.cut
    }

    #[cfg(test)]
    fn with_max_record_bytes(mut self, max: usize) -> Self {
        self.max_record_bytes = max;
        self
    }

    /// Bytes of the input consumed so far.
    pub fn position(&self) -> u64 {
        self.bytes
    }

    /// The line the input has reached: the line of the next byte.
    pub(crate) fn line(&self) -> u64 {
        self.lines.line()
    }

    /// Consume the line ends (CR, LF) before the next record. csv-core would
    /// skip them too, as blank lines or the LF of a CRLF, but then the line
    /// it is on when a record starts is not known. After a CR it waits for a
    /// possible LF; any other byte starts the next record, so taking the LF
    /// away from it changes nothing it reads.
    pub(crate) fn skip_line_ends(&mut self) -> std::io::Result<()> {
        loop {
            let input = match self.input.fill_buf() {
                Ok(input) => input,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let ends = input
                .iter()
                .position(|&b| b != b'\r' && b != b'\n')
                .unwrap_or(input.len());
            let refill = ends == input.len() && ends > 0;
            self.lines.feed(&input[..ends]);
            self.input.consume(ends);
            self.bytes += ends as u64;
            if !refill {
                return Ok(());
            }
        }
    }

    /// Read the next record into `cells`; `Ok(None)` at the end of the input.
    /// On an error of the input's own (reading a pipe, say) the line is where
    /// reading stopped; the input ends after any error.
    pub fn read(&mut self, cells: &mut Cells) -> Result<Option<Record>, ReadError> {
        use csv_core::ReadRecordResult as Parsed;
        if self.ended {
            return Ok(None);
        }
        if let Err(e) = self.skip_line_ends() {
            self.ended = true;
            return Err(ReadError::Io(e, self.line()));
        }
        let (line, start) = (self.line(), self.bytes);
        let (mut probed, mut unclosed_quote) = (false, false);
        // The parser writes into the buffers as they are, and says when
        // one is full: it is then doubled.
        let (mut written, mut ended) = (0, 0);
        if cells.bytes.is_empty() {
            cells.bytes.resize(256, 0);
        }
        if cells.ends.is_empty() {
            cells.ends.resize(32, 0);
        }
        let result = loop {
            let input = match self.input.fill_buf() {
                Ok(input) => input,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.ended = true;
                    break Err(ReadError::Io(e, self.line()));
                }
            };
            // A record the end of the input cuts short is first given one
            // line end of our own (from no input, so in no line count).
            // Outside quotes it ends the record as the end of the input
            // would; inside a quoted cell it is read into the cell, and that
            // is how a quote never closed is told, by csv-core's own rules
            // (its state is private, and a copy of the parser is not a
            // working one: its tables are not copied). It is taken out of
            // the cell below.
            let at_end = input.is_empty();
            if at_end && self.part && self.bytes > start {
                self.cut = Some(Cut { start, line });
                self.ended = true;
                break Ok(None);
            }
            let probe = at_end && self.bytes > start && !probed;
            if probe {
                probed = true;
                if written == cells.bytes.len() {
                    cells.bytes.resize(cells.bytes.len() * 2, 0);
                }
                if ended == cells.ends.len() {
                    cells.ends.resize(cells.ends.len() * 2, 0);
                }
            }
            let fed: &[u8] = if probe { b"\n" } else { input };
            let (result, nin, nout, nend) =
                self.core
                    .read_record(fed, &mut cells.bytes[written..], &mut cells.ends[ended..]);
            if !at_end {
                self.lines.feed(&input[..nin]);
                self.input.consume(nin);
                self.bytes += nin as u64;
            }
            unclosed_quote |= probe && result == Parsed::InputEmpty;
            written += nout;
            ended += nend;
            match result {
                Parsed::InputEmpty => {}
                Parsed::OutputFull if written >= self.max_record_bytes => {
                    self.ended = true;
                    break Err(ReadError::TooLong(line));
                }
                // A row of millions of empty cells is as large, in its ends.
                Parsed::OutputEndsFull
                    if ended * std::mem::size_of::<usize>() >= self.max_record_bytes =>
                {
                    self.ended = true;
                    break Err(ReadError::TooLong(line));
                }
                Parsed::OutputFull => cells.bytes.resize(cells.bytes.len() * 2, 0),
                Parsed::OutputEndsFull => cells.ends.resize(cells.ends.len() * 2, 0),
                Parsed::Record => {
                    break Ok(Some(Record {
                        line,
                        unclosed_quote: None,
                    }))
                }
                Parsed::End => {
                    self.ended = true;
                    break Ok(None);
                }
            }
        };
        cells.used = written;
        cells.count = ended;
        match result {
            Ok(Some(record)) if unclosed_quote => {
                // Our line end is the last byte of the last cell.
                cells.used -= 1;
                cells.ends[ended - 1] -= 1;
                // The quote opened the last cell, and every line end after
                // it is in that cell as read.
                let cell = cells.get(cells.len().saturating_sub(1)).unwrap_or_default();
                let opened = self.line().saturating_sub(line_ends(cell)).max(line);
                Ok(Some(Record {
                    unclosed_quote: Some(opened),
                    ..record
                }))
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cut_where_they_end() {
        let mut cells = Cells::default();
        cells.push_field(b"ab");
        cells.push_field(b"");
        cells.push_field(b"cde");
        assert_eq!(cells.len(), 3);
        assert_eq!(cells.get(0), Some(&b"ab"[..]));
        assert_eq!(cells.get(1), Some(&b""[..]));
        assert_eq!(cells.range(2), Some(2..5));
        assert_eq!(cells.get(3), None);
        assert_eq!(cells.as_slice(), b"abcde");
    }

    #[test]
    fn line_ends_are_lf_cr_and_crlf_however_the_input_is_cut() {
        let text = b"a\r\nb\rc\nd\r\r\ne\n\rf\r";
        // a | b | c | d | (blank) | e | (blank) | f, then the end.
        let whole = line_ends(text);
        assert_eq!(whole, 8);
        for cut in 0..=text.len() {
            let mut counter = LineCounter::default();
            counter.feed(&text[..cut]);
            counter.feed(&text[cut..]);
            assert_eq!(counter.line(), whole + 1, "cut at {cut}");
        }
    }

    #[test]
    fn a_record_past_the_limit_stops_reading_at_its_line() {
        let mut text = b"h\nshort\n\"".to_vec();
        text.extend(std::iter::repeat_n(b'x', 5000));
        let input = std::io::Cursor::new(text);
        let mut records = CsvRecords::new(Box::new(input), b',').with_max_record_bytes(1024);
        let mut cells = Cells::default();
        assert!(records.read(&mut cells).unwrap().is_some());
        assert!(records.read(&mut cells).unwrap().is_some());
        assert!(matches!(
            records.read(&mut cells),
            Err(ReadError::TooLong(3))
        ));
        assert!(cells.bytes.len() <= 1024, "{}", cells.bytes.len());
        assert!(records.read(&mut cells).unwrap().is_none());
        // A row of empty cells only, as long.
        let input = std::io::Cursor::new(vec![b','; 5000]);
        let mut records = CsvRecords::new(Box::new(input), b',').with_max_record_bytes(1024);
        assert!(matches!(
            records.read(&mut cells),
            Err(ReadError::TooLong(1))
        ));
    }
}
