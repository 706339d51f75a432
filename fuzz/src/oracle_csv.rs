//! What the csv crate reads in a CSV input: the oracle of the `inquiries`
//! target for CSV.
//!
//! In: the input's bytes and delimiter. Out: every record (the header
//! first) with its cells and the line its first byte is on, read by
//! `csv::Reader` with the settings qualify documents (flexible: rows may
//! have any number of cells; quoted cells may hold delimiters, quotes and
//! line breaks; a UTF-8 byte-order mark is skipped).

/// One record as the csv crate reads it.
#[derive(Debug)]
pub struct Record {
    /// 1-based line of the record's first byte, counting LF, CR and CRLF
    /// as one line end each (as an editor does).
    pub line: u64,
    pub cells: Vec<Vec<u8>>,
}

/// The input without its UTF-8 byte-order mark.
pub fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Every record of `bytes` (after a byte-order mark), the header first.
///
/// The csv crate places a record on the line where the previous one ended
/// (a line early after a blank line or a CRLF), so its line is worked out
/// here from the byte it started reading the record at: the line of the
/// first byte after the line ends there.
pub fn records(bytes: &[u8], delimiter: u8) -> Vec<Record> {
    let bytes = without_bom(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut out = Vec::new();
    let mut record = csv::ByteRecord::new();
    // Reading bytes from memory never fails; stop at the end either way.
    while reader.read_byte_record(&mut record).unwrap_or(false) {
        let from = record.position().map_or(0, |p| p.byte()) as usize;
        let first = from
            + bytes[from..]
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
        let line_end =
            |i: usize| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        let line = 1 + (0..first).filter(|&i| line_end(i)).count() as u64;
        out.push(Record {
            line,
            cells: record.iter().map(<[u8]>::to_vec).collect(),
        });
    }
    out
}

/// Whether the input ends inside a quoted cell (a quote opened and never
/// closed): that record runs to the end of the file in the csv crate, and
/// qualify must reject it as a quote never closed (or, in the header, refuse
/// the file).
pub fn ends_in_open_quote(bytes: &[u8], delimiter: u8) -> bool {
    let mut at_cell_start = true;
    let mut quoted = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1; // an escaped quote
                } else {
                    quoted = false;
                }
            }
        } else if b == b'"' && at_cell_start {
            quoted = true;
        }
        at_cell_start = !quoted && (b == delimiter || b == b'\n' || b == b'\r');
        i += 1;
    }
    quoted
}
