//! What serde_json reads in a JSONL input: the oracle of the `inquiries`
//! target for JSONL.
//!
//! In: the input's bytes. Out: each line that is not blank, with its line
//! number and either the object's entries as written (every key, duplicates
//! included, and each value's JSON text) or the fact that it is no object.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// One non-blank line.
#[derive(Debug)]
pub struct Line {
    /// 1-based, counting LF line ends.
    pub line: u64,
    /// `None`: not a JSON object (not JSON, or JSON of another kind).
    pub entries: Option<Vec<(String, Box<RawValue>)>>,
}

/// Every line that holds something besides ASCII whitespace.
pub fn lines(bytes: &[u8]) -> Vec<Line> {
    let bytes = crate::oracle_csv::without_bom(bytes);
    let mut out = Vec::new();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let line_text = line.strip_suffix(b"\r").unwrap_or(line);
        let entries = serde_json::from_slice::<Entries>(line_text)
            .ok()
            .map(|e| e.0);
        out.push(Line {
            line: i as u64 + 1,
            entries,
        });
    }
    out
}

/// The text a value becomes as a cell, as documented: a string's own text,
/// `null` empty, other values as written. `None` for arrays and objects
/// (written as JSON; how exactly is not promised).
pub fn cell_text(value: &RawValue) -> Option<String> {
    let raw = value.get();
    match raw.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(raw).ok(),
        Some(b'n') => Some(String::new()),
        Some(b'[' | b'{') => None,
        _ => Some(raw.to_string()),
    }
}

/// A JSON object's entries in order, duplicate keys kept.
struct Entries(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Collect;
        impl<'de> Visitor<'de> for Collect {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(Collect)
    }
}
