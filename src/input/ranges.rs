//! Parsing a mapped CSV file on several threads: the file's bytes after the
//! header in, chunks of raw rows out, numbered in the file's order, holding
//! exactly the rows, cells, lines and errors the one-thread reader
//! ([`super::records::CsvRecords`] over the whole file) gives.
//!
//! Whoever reads next takes the next range of bytes under a short lock: up
//! to [`RANGE_BYTES`] or [`RANGE_LINES`] line ends, ending just after a line
//! end (one `memchr` pass; a CRLF is never split). It parses the range on its
//! own thread with a new parser, as if a record started there. That guess is
//! wrong only when the line end before it is inside a quoted cell, so each
//! range then waits for its turn: the ranges are confirmed in order, each
//! knowing where the one before truly ended, how many rows came before it
//! and on which line it starts.
//!
//! - The guess was right (the range before ended where this one starts): the
//!   rows stand; their row numbers and lines are shifted by what came before.
//! - It was wrong: the range is parsed again from the true end of the one
//!   before (or holds no rows, when that end is past it). This costs one
//!   range more, only where a quoted cell holds a line end at a boundary.
//! - A record the range's end cuts short (a quoted cell going on past it) is
//!   read on from its first byte, on through the following ranges as far as
//!   it goes; those ranges then start after it. However far an unclosed
//!   quote reads, each byte is read at most twice.
//!
//! The confirming is short next to parsing, so the threads wait little, and
//! the rest of the parsing runs on all of them. The driver's input lock held
//! the one reader for the whole parsing before; on a file of many columns of
//! which few are used, reading was most of a run's time.

use super::bytes::{MappedFile, MappedRange};
use super::error::InputError;
use super::reader::{read_error, unclosed_quote, RawRow};
use super::records::{CsvRecords, Cut, ReadError};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// Bytes per range, at most (a longer line makes a longer range): small
/// enough that a range's rows stay a few hundred kilobytes, large enough that
/// taking one costs nothing next to parsing it.
pub const RANGE_BYTES: usize = 256 << 10;

/// Line ends per range, at most: a range holds no more rows than this (and
/// one record it read on into the next), so memory stays as flat as with
/// the driver's chunks of rows whatever the length of the lines.
pub const RANGE_LINES: usize = 2048;

/// A mapped CSV file whose rows several threads read at once.
pub struct CsvRanges {
    file: Arc<MappedFile>,
    path: String,
    header: Vec<String>,
    delimiter: u8,
    max_bytes: usize,
    max_lines: usize,
    next: Mutex<NextRange>,
    frontier: Mutex<Frontier>,
    /// Signalled when a range is confirmed (or the reading stops).
    turn: Condvar,
    /// An error or [`CsvRanges::stop`] ended the reading.
    stopped: AtomicBool,
    /// Where the confirmed ranges end, for progress.
    position: AtomicU64,
    /// The range whose reader panics after parsing it, in tests.
    #[cfg(test)]
    panic_at: Option<u64>,
}

/// The next range to hand out.
struct NextRange {
    start: usize,
    seq: u64,
}

/// What the ranges confirmed so far add up to.
struct Frontier {
    /// The range whose turn it is.
    seq: u64,
    /// Where the confirmed ranges truly end: the first byte of the next record
    /// (line ends before it already read).
    end: usize,
    /// Data rows before `end`.
    rows: u64,
    /// The line `end` is on.
    line: u64,
}

/// A range as parsed from a start that may be wrong. Lines count from 1 at
/// the start.
struct Parsed {
    start: usize,
    rows: usize,
    /// Where reading stopped.
    end: usize,
    /// The line of `end`.
    end_line: u64,
    /// The line a quote opens on that is never closed, in the last row.
    unclosed: Option<u64>,
    outcome: Outcome,
}

enum Outcome {
    /// Every record up to the range's end was read.
    Whole,
    /// The range's end cut the record starting here short.
    Cut(Cut),
    Failed(ReadError),
}

impl CsvRanges {
    /// The rows of `file` from `start`, a record's first byte (on `line`,
    /// with `rows` data rows before it).
    pub(super) fn new(
        file: Arc<MappedFile>,
        path: &str,
        header: Vec<String>,
        delimiter: u8,
        (start, line, rows): (usize, u64, u64),
    ) -> Self {
        CsvRanges {
            file,
            path: path.into(),
            header,
            delimiter,
            max_bytes: RANGE_BYTES,
            max_lines: RANGE_LINES,
            next: Mutex::new(NextRange { start, seq: 0 }),
            frontier: Mutex::new(Frontier {
                seq: 0,
                end: start,
                rows,
                line,
            }),
            turn: Condvar::new(),
            stopped: AtomicBool::new(false),
            position: AtomicU64::new(start as u64),
            #[cfg(test)]
            panic_at: None,
        }
    }

    /// Smaller ranges, for tests: with a few bytes each, most boundaries
    /// fall inside quoted cells and records.
    #[doc(hidden)]
    pub fn with_range_limits(mut self, max_bytes: usize, max_lines: usize) -> Self {
        self.max_bytes = max_bytes.max(1);
        self.max_lines = max_lines.max(1);
        self
    }

    /// Bytes whose rows are read and numbered.
    pub fn position(&self) -> u64 {
        self.position.load(Ordering::Relaxed)
    }

    /// End the reading: every call to [`CsvRanges::read_chunk`] returns
    /// `None` from now on, those waiting for their turn too.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
        // Taking the lock orders the flag before any waiter's check.
        drop(self.frontier.lock());
        self.turn.notify_all();
    }

    /// Read the next range's rows into `rows[..len]`, numbered; `Some((seq,
    /// len, result))` with the range's place in the file's order (every seq
    /// from 0 up is handed out once; `len` may be 0), or `None` once the
    /// file is read or the reading stopped. A read error stops the reading
    /// and is returned in its range's place.
    pub fn read_chunk(
        &self,
        rows: &mut Vec<RawRow>,
    ) -> Option<(u64, usize, Result<(), InputError>)> {
        // A thread that panics before confirming its range would leave the
        // later ranges waiting for their turn for ever: it stops the reading
        // instead, so the others end and the panic reaches the caller.
        let _stop_on_panic = StopOnPanic(self);
        let bytes = self.file.bytes();
        let (seq, start, end) = {
            let mut next = self.next.lock().ok()?;
            if next.start >= bytes.len() || self.stopped.load(Ordering::Relaxed) {
                return None;
            }
            let start = next.start;
            let end = range_end(bytes, start, self.max_bytes, self.max_lines);
            next.start = end;
            next.seq += 1;
            (next.seq - 1, start, end)
        };
        let parsed = self.parse(start, end, rows);
        #[cfg(test)]
        if self.panic_at == Some(seq) {
            // Late enough that the next range is waiting for its turn.
            std::thread::sleep(std::time::Duration::from_millis(200));
            panic!("a reader panics in range {seq}");
        }
        let mut frontier = self.frontier.lock().ok()?;
        while frontier.seq != seq && !self.stopped.load(Ordering::Relaxed) {
            frontier = self.turn.wait(frontier).ok()?;
        }
        if self.stopped.load(Ordering::Relaxed) {
            return None;
        }
        let (len, result) = self.confirm(&mut frontier, end, parsed, rows);
        frontier.seq += 1;
        if result.is_err() {
            self.stopped.store(true, Ordering::Relaxed);
        }
        let confirmed = frontier.end;
        drop(frontier);
        self.turn.notify_all();
        // Ranges confirmed later may get here first.
        self.position.fetch_max(confirmed as u64, Ordering::Relaxed);
        self.file.release_behind(confirmed);
        Some((seq, len, result))
    }

    /// Parse `start..end` into `rows`, as if a record started at `start`.
    fn parse(&self, start: usize, end: usize, rows: &mut Vec<RawRow>) -> Parsed {
        let part = end < self.file.bytes().len();
        let input = MappedRange::new(Arc::clone(&self.file), start, end);
        let mut records = CsvRecords::for_part(Box::new(input), self.delimiter, part);
        let (mut len, mut unclosed) = (0, None);
        let outcome = loop {
            if rows.len() == len {
                rows.push(RawRow::default());
            }
            let raw = &mut rows[len];
            match records.read(&mut raw.cells) {
                Ok(Some(record)) => {
                    raw.line = record.line;
                    unclosed = record.unclosed_quote;
                    len += 1;
                }
                Ok(None) => break records.cut().map_or(Outcome::Whole, Outcome::Cut),
                Err(e) => break Outcome::Failed(e),
            }
        };
        Parsed {
            start,
            rows: len,
            end: start + records.position() as usize,
            end_line: records.line(),
            unclosed,
            outcome,
        }
    }

    /// Make `parsed`, the range ending at `end`, exact and number its rows,
    /// given the ranges before it (`frontier`, moved on past it).
    fn confirm(
        &self,
        frontier: &mut Frontier,
        end: usize,
        parsed: Parsed,
        rows: &mut Vec<RawRow>,
    ) -> (usize, Result<(), InputError>) {
        let parsed = if parsed.start == frontier.end {
            parsed
        } else if frontier.end < end {
            // The range before read on past this one's start.
            self.parse(frontier.end, end, rows)
        } else {
            // ... or past its end: it has no rows of its own.
            Parsed {
                start: frontier.end,
                rows: 0,
                end: frontier.end,
                end_line: 1,
                unclosed: None,
                outcome: Outcome::Whole,
            }
        };
        let base = frontier.line;
        let line = |relative: u64| base + relative - 1;
        let mut len = parsed.rows;
        self.number(&mut rows[..len], frontier.rows, &line, parsed.unclosed);
        frontier.end = parsed.end;
        frontier.line = line(parsed.end_line);
        let result = match parsed.outcome {
            Outcome::Whole => Ok(()),
            Outcome::Failed(e) => Err(read_error(&self.path, shifted(e, line))),
            Outcome::Cut(cut) => {
                let from = parsed.start + cut.start as usize;
                let first_line = line(cut.line);
                let read_on = self.read_on(frontier, from, first_line, rows, len);
                read_on.map(|added| len += added)
            }
        };
        frontier.rows += len as u64;
        (len, result)
    }

    /// Read the record starting at `from` (on `first_line`) to its end,
    /// however far past the range that is, into `rows[len]`, and the line
    /// ends after it; the frontier moves to the next record. The rows added
    /// (one: a cut record has bytes, so it is read).
    fn read_on(
        &self,
        frontier: &mut Frontier,
        from: usize,
        first_line: u64,
        rows: &mut Vec<RawRow>,
        len: usize,
    ) -> Result<usize, InputError> {
        let all = self.file.bytes().len();
        let input = MappedRange::new(Arc::clone(&self.file), from, all);
        let mut records = CsvRecords::for_part(Box::new(input), self.delimiter, false);
        let line = |relative: u64| first_line + relative - 1;
        if rows.len() == len {
            rows.push(RawRow::default());
        }
        let read = records.read(&mut rows[len].cells);
        let record = read.map_err(|e| read_error(&self.path, shifted(e, line)))?;
        let added = match record {
            Some(record) => {
                rows[len].line = record.line;
                let before = frontier.rows + len as u64;
                self.number(&mut rows[len..=len], before, &line, record.unclosed_quote);
                1
            }
            None => 0,
        };
        // In memory, skipping line ends cannot fail.
        let _ = records.skip_line_ends();
        frontier.end = from + records.position() as usize;
        frontier.line = line(records.line());
        Ok(added)
    }

    /// Give `rows` their numbers (after `before` rows) and lines, and the
    /// last its unclosed quote, if it has one.
    fn number(
        &self,
        rows: &mut [RawRow],
        before: u64,
        line: &dyn Fn(u64) -> u64,
        unclosed: Option<u64>,
    ) {
        for (i, raw) in rows.iter_mut().enumerate() {
            raw.row = before + i as u64 + 1;
            raw.line = line(raw.line);
            raw.raw_line.clear();
            raw.problem = None;
        }
        if let (Some(opened), Some(last)) = (unclosed, rows.last_mut()) {
            last.problem = Some(unclosed_quote(&last.cells, &self.header, line(opened)));
        }
    }
}

/// Stops the reading when dropped by a panicking thread.
struct StopOnPanic<'a>(&'a CsvRanges);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

/// `e` with its line counted from the range's first line.
fn shifted(e: ReadError, line: impl Fn(u64) -> u64) -> ReadError {
    match e {
        ReadError::Io(e, at) => ReadError::Io(e, line(at)),
        ReadError::TooLong(at) => ReadError::TooLong(line(at)),
    }
}

/// Where the range from `start` ends: after at most `max_lines` line ends
/// within `max_bytes`, just after a line end (LF, lone CR, or CRLF whole),
/// or at the end of the file; past `max_bytes` only for a line that long.
fn range_end(bytes: &[u8], start: usize, max_bytes: usize, max_lines: usize) -> usize {
    let window_end = start.saturating_add(max_bytes).min(bytes.len());
    let mut lines = 0;
    let mut last = None;
    for at in memchr::memchr2_iter(b'\r', b'\n', &bytes[start..window_end]) {
        let at = start + at;
        if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
            continue; // its LF ends the line
        }
        last = Some(at);
        lines += 1;
        if lines == max_lines {
            return at + 1;
        }
    }
    if window_end == bytes.len() {
        return bytes.len();
    }
    match last {
        Some(at) => at + 1,
        // One line longer than the window: the range ends with it.
        None => match memchr::memchr2(b'\r', b'\n', &bytes[window_end..]) {
            Some(at) => {
                let at = window_end + at;
                if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                    at + 2
                } else {
                    at + 1
                }
            }
            None => bytes.len(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::{range_end, CsvRanges, MappedFile};
    use std::sync::Arc;

    #[test]
    fn a_reader_that_panics_stops_the_others_rather_than_leaving_them_waiting() {
        let mut text = b"id\n".to_vec();
        for i in 0..100 {
            text.extend_from_slice(format!("{i}\n").as_bytes());
        }
        let file = MappedFile::for_test(&text);
        let mut ranges =
            CsvRanges::new(Arc::new(file), "in.csv", vec!["id".into()], b',', (3, 2, 0))
                .with_range_limits(8, 2);
        ranges.panic_at = Some(0);
        let ranges = Arc::new(ranges);
        let (done, finished) = std::sync::mpsc::channel();
        for delay in [0, 50] {
            let (ranges, done) = (Arc::clone(&ranges), done.clone());
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(delay));
                let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let mut rows = Vec::new();
                    while ranges.read_chunk(&mut rows).is_some() {}
                }));
                let _ = done.send(read.is_err());
            });
        }
        let wait = std::time::Duration::from_secs(20);
        let ended = [finished.recv_timeout(wait), finished.recv_timeout(wait)];
        let mut panicked: Vec<bool> = ended
            .into_iter()
            .map(|e| e.expect("every reader ends"))
            .collect();
        panicked.sort();
        assert_eq!(panicked, [false, true], "one reader ends by its panic");
    }

    #[test]
    fn ranges_end_just_after_a_line_end_and_never_split_a_crlf() {
        let text = b"ab\r\ncd\ref\ngh";
        // Two lines at most: after "ab\r\n" and "cd\r".
        assert_eq!(range_end(text, 0, 100, 2), 7);
        assert_eq!(range_end(text, 7, 100, 2), text.len());
        assert_eq!(range_end(text, 4, 6, 100), 10);
        // A window ending between CR and LF takes the line end before it.
        assert_eq!(range_end(b"a\nb\r\nc", 0, 4, 100), 2);
        // A window inside one line runs to that line's end, CRLF whole.
        assert_eq!(range_end(text, 0, 3, 100), 4);
        assert_eq!(range_end(text, 10, 1, 100), text.len());
    }
}
