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
//! Line numbers are counted here rather than taken from `csv::Reader`, which
//! places a record on the line where the previous one ended: after blank
//! lines, or a CRLF line end, that is a line or more too early. Here a
//! record's line is the line its first byte is on, what an editor shows.

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

/// Records read from CSV bytes by csv-core.
pub struct CsvRecords {
    input: Box<dyn BufRead + Send>,
    core: csv_core::Reader,
    /// Bytes consumed so far.
    bytes: u64,
    /// Line ends skipped here between records (csv-core counts the others).
    skipped_lines: u64,
    ended: bool,
}

impl CsvRecords {
    pub fn new(input: Box<dyn BufRead + Send>, delimiter: u8) -> Self {
        CsvRecords {
            input,
            // csv::Reader's defaults: `"` quotes, `""` escapes one, any of
            // CR, LF or CRLF ends a record, blank lines are skipped.
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            bytes: 0,
            skipped_lines: 0,
            ended: false,
        }
    }

    /// Bytes of the input consumed so far.
    pub fn position(&self) -> u64 {
        self.bytes
    }

    /// The line the input has reached: 1 + every `\n` consumed.
    fn line(&self) -> u64 {
        self.core.line() + self.skipped_lines
    }

    /// Consume the line ends (CR, LF) before the next record, counting the
    /// LFs. csv-core would skip them too, as blank lines or the LF of a CRLF,
    /// but then the line it is on when a record starts is not known. After a
    /// CR it waits for a possible LF; any other byte starts the next record,
    /// so taking the LF away from it changes nothing it reads.
    fn skip_line_ends(&mut self) -> std::io::Result<()> {
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
            let lfs = input[..ends].iter().filter(|&&b| b == b'\n').count();
            let refill = ends == input.len() && ends > 0;
            self.input.consume(ends);
            self.bytes += ends as u64;
            self.skipped_lines += lfs as u64;
            if !refill {
                return Ok(());
            }
        }
    }

    /// Read the next record into `cells`; `Ok(None)` at the end of the input,
    /// else the line the record's first byte is on. An error is the input's
    /// own (reading a pipe, say); on error the line is where reading stopped.
    pub fn read(&mut self, cells: &mut Cells) -> Result<Option<u64>, (std::io::Error, u64)> {
        use csv_core::ReadRecordResult::*;
        if self.ended {
            return Ok(None);
        }
        if let Err(e) = self.skip_line_ends() {
            self.ended = true;
            return Err((e, self.line()));
        }
        let line = self.line();
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
                    break Err((e, self.line()));
                }
            };
            let (result, nin, nout, nend) =
                self.core
                    .read_record(input, &mut cells.bytes[written..], &mut cells.ends[ended..]);
            self.input.consume(nin);
            self.bytes += nin as u64;
            written += nout;
            ended += nend;
            match result {
                InputEmpty => {}
                OutputFull => cells.bytes.resize(cells.bytes.len() * 2, 0),
                OutputEndsFull => cells.ends.resize(cells.ends.len() * 2, 0),
                Record => break Ok(Some(line)),
                End => {
                    self.ended = true;
                    break Ok(None);
                }
            }
        };
        cells.used = written;
        cells.count = ended;
        result
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
}
