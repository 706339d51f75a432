//! One JSON object (a JSONL line, an `explain --inquiry`) in, one cell per
//! wanted column out. It is the one place JSON values become cells, so a line
//! `score` reads and the same object given to `explain` read alike; the cells
//! are then decoded by their fields' types as CSV cells are.
//!
//! - A value is taken as written: a string is its text, `null` is empty, and
//!   any other value (a number, `true`, a list) is its JSON text exactly as in
//!   the input, so `12.50` stays `12.50` and a 27-digit id keeps its digits.
//! - Only keys that give a wanted column are looked at: a key nothing reads
//!   (holding `1e400`, or a list with a repeated key) is never a problem.
//! - Two keys giving one column (the same key twice, or `n` and `N`) make the
//!   object unreadable: taking either would be a guess.
//!
//! Values are kept unparsed (serde_json's `RawValue`), which is what keeps
//! numbers as written; keys are kept in order with their repeats, which
//! serde_json's own map would drop (the last one winning).

use super::reader::RowProblem;
use super::records::Cells;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;

/// A JSON object as written: its keys in order (repeats kept), each with its
/// value unparsed.
#[derive(Debug)]
pub struct JsonObject<'a> {
    entries: Vec<(Cow<'a, str>, &'a RawValue)>,
}

/// Why bytes are not a JSON object.
#[derive(Debug, Clone, PartialEq)]
pub enum NotAnObject {
    /// Not valid JSON: serde_json's words, with the position.
    Invalid(String),
    /// Valid JSON, but a list, a string, a number...
    OtherValue,
}

impl<'a> JsonObject<'a> {
    pub fn parse(bytes: &'a [u8]) -> Result<JsonObject<'a>, NotAnObject> {
        serde_json::from_slice(bytes).map_err(|e| match e.classify() {
            // A well-formed value of another type.
            serde_json::error::Category::Data => NotAnObject::OtherValue,
            _ => NotAnObject::Invalid(e.to_string()),
        })
    }

    /// The keys, in order, repeats included.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_ref())
    }
}

/// Which column each key gives: keys are matched to names folded as
/// headers are (ignoring case and surrounding spaces).
#[derive(Debug, Clone, Default)]
pub struct JsonKeys {
    columns: HashMap<String, usize>,
}

impl JsonKeys {
    /// Let keys named `name` give column `column`; false (and nothing
    /// changed) when a name of the same folded form gives a column already.
    pub fn add(&mut self, name: &str, column: usize) -> bool {
        match self.columns.entry(super::columns::fold_header(name)) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(column);
                true
            }
            std::collections::hash_map::Entry::Occupied(_) => false,
        }
    }

    /// The column `key` gives, if any.
    pub fn column(&self, key: &str) -> Option<usize> {
        // The usual key is folded already: look it up without a copy.
        let plain = key
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b.is_ascii_uppercase());
        if plain {
            self.columns.get(key).copied()
        } else {
            self.columns.get(&super::columns::fold_header(key)).copied()
        }
    }
}

/// Set `cells` to `object`'s values: one cell per column of `header`, empty
/// where no key gives it. A problem when two keys give one column.
pub fn object_cells(
    object: &JsonObject,
    keys: &JsonKeys,
    header: &[String],
    cells: &mut Cells,
) -> Result<(), RowProblem> {
    // The entry giving each column.
    let mut given: Vec<Option<usize>> = vec![None; header.len()];
    for (i, (key, _)) in object.entries.iter().enumerate() {
        let Some(column) = keys.column(key).filter(|&c| c < header.len()) else {
            continue;
        };
        if let Some(earlier) = given[column] {
            let earlier = &object.entries[earlier].0;
            let reason = if earlier == key {
                format!("the key `{key}` appears twice")
            } else {
                format!(
                    "the keys `{earlier}` and `{key}` name the same column (ignoring case and surrounding spaces)"
                )
            };
            return Err(RowProblem {
                column: header[column].clone(),
                value: String::new(),
                reason,
            });
        }
        given[column] = Some(i);
    }
    cells.clear();
    for entry in given {
        let text = entry.map_or(Cow::Borrowed(""), |i| cell_text(object.entries[i].1));
        cells.push_field(text.as_bytes());
    }
    Ok(())
}

/// A value as a cell: a string's text, empty for `null`, anything else as
/// written.
pub fn cell_text(value: &RawValue) -> Cow<'_, str> {
    let raw = value.get();
    match raw.as_bytes().first() {
        // Without a backslash a JSON string is its text between the quotes.
        Some(b'"') if !raw.contains('\\') => Cow::Borrowed(&raw[1..raw.len() - 1]),
        // The parser has read the string already, so this cannot fail; if it
        // did, the text as written is the least surprising cell.
        Some(b'"') => serde_json::from_str::<String>(raw).map_or(Cow::Borrowed(raw), Cow::Owned),
        _ if raw == "null" => Cow::Borrowed(""),
        _ => Cow::Borrowed(raw),
    }
}

/// A key, borrowed from the input unless it has escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for JsonObject<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = JsonObject<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(16));
                while let Some((key, value)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                    entries.push((key.0, value));
                }
                Ok(JsonObject { entries })
            }
        }
        d.deserialize_map(ObjectVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cells of `json` for the columns `header`, each named by itself.
    fn cells(json: &str, header: &[&str]) -> Result<Vec<String>, String> {
        let object = JsonObject::parse(json.as_bytes()).map_err(|e| format!("{e:?}"))?;
        let mut keys = JsonKeys::default();
        for (i, name) in header.iter().enumerate() {
            keys.add(name, i);
        }
        let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        let mut out = Cells::default();
        object_cells(&object, &keys, &header, &mut out).map_err(|p| p.reason)?;
        Ok(out
            .iter()
            .map(|c| String::from_utf8(c.to_vec()).unwrap())
            .collect())
    }

    #[test]
    fn values_are_cells_as_written() {
        assert_eq!(
            cells(
                r#"{"a": 12.50, "b": 1e2, "c": 123456789012345678901234567, "d": -0, "e": true, "f": null, "g": "x\"y", "h": [1, 2.0]}"#,
                &["a", "b", "c", "d", "e", "f", "g", "h", "absent"]
            ),
            Ok(vec![
                "12.50".to_string(),
                "1e2".into(),
                "123456789012345678901234567".into(),
                "-0".into(),
                "true".into(),
                "".into(),
                "x\"y".into(),
                "[1, 2.0]".into(),
                "".into(),
            ])
        );
    }

    #[test]
    fn keys_nothing_reads_are_never_a_problem() {
        assert_eq!(
            cells(
                r#"{"a": 1, "x": 1e400, "y": {"k": 1, "k": 2}, "x": 3}"#,
                &["a"]
            ),
            Ok(vec!["1".to_string()])
        );
    }

    #[test]
    fn two_keys_for_one_column_are_a_problem() {
        assert_eq!(
            cells(r#"{"n": 1, "n": 7}"#, &["n"]),
            Err("the key `n` appears twice".to_string())
        );
        assert_eq!(
            cells(r#"{"N": 1, " n": 7}"#, &["n"]),
            Err(
                "the keys `N` and ` n` name the same column (ignoring case and surrounding spaces)"
                    .to_string()
            )
        );
    }

    #[test]
    fn only_objects_are_objects() {
        assert_eq!(
            JsonObject::parse(b"[1, 2]").unwrap_err(),
            NotAnObject::OtherValue
        );
        assert!(matches!(
            JsonObject::parse(b"{\"a\": 1} x").unwrap_err(),
            NotAnObject::Invalid(_)
        ));
        assert!(matches!(
            JsonObject::parse(b"{a: 1}").unwrap_err(),
            NotAnObject::Invalid(_)
        ));
    }
}
