//! CSV bytes in, records of cells out: the csv crate's parser (`csv-core`)
//! driven straight over the input's buffer.
//!
//! `csv::Reader` copies its input into a buffer of its own before parsing it.
//! A mapped file is already in memory, so [`CsvRecords`] hands the parser the
//! mapped bytes themselves (any [`BufRead`] works: a read file goes through
//! an ordinary buffer). The parsing, quoting rules and line counting are
//! csv-core's; this module only feeds it and keeps each record's cells. It
//! reads exactly what `csv::Reader` reads with the same settings (flexible,
//! no header handling), which tests/it/score_props.rs checks on mangled input
//! read through buffers of every small size.

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
            ended: false,
        }
    }

    /// Bytes of the input consumed so far.
    pub fn position(&self) -> u64 {
        self.bytes
    }

    /// Read the next record into `cells`; `Ok(None)` at the end of the input,
    /// else the line the record starts on, counted as `csv::Reader` counts it
    /// (a record is placed on the line where the previous one's terminator
    /// began). An error is the input's own (reading a pipe, say); on error
    /// the line is where reading stopped.
    pub fn read(&mut self, cells: &mut Cells) -> Result<Option<u64>, (std::io::Error, u64)> {
        use csv_core::ReadRecordResult::*;
        let line = self.core.line();
        if self.ended {
            return Ok(None);
        }
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
                    break Err((e, self.core.line()));
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
