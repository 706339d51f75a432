//! Header → field slots: which input column feeds each field.
//!
//! A field is read from the column named by its `from` (else its own name),
//! matched ignoring case and surrounding spaces. Required fields whose columns
//! are absent are an error (naming them all) before any row is read; an
//! optional one is simply missing.
//! A field that matches two columns (`email` and `EMAIL `) is an error too:
//! reading either would be a guess.

use super::error::{AbsentColumn, InputError};
use crate::diagnostic::closest;
use crate::model::Model;

/// A header name as it is matched: trimmed, lowercase, without a byte-order mark.
pub fn fold_header(name: &str) -> String {
    name.trim_start_matches('\u{feff}').trim().to_lowercase()
}

/// For each field (in field order), the input column it is read from.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnMap {
    /// `None`: an optional field whose column is absent (always missing).
    pub slots: Vec<Option<usize>>,
    /// The header as read (trimmed of a byte-order mark).
    pub header: Vec<String>,
}

impl ColumnMap {
    /// Match `model`'s fields against `header`.
    pub fn resolve(model: &Model, header: &[String]) -> Result<ColumnMap, InputError> {
        let header: Vec<String> = header
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_string())
            .collect();
        let folded: Vec<String> = header.iter().map(|h| fold_header(h)).collect();
        let mut slots = Vec::with_capacity(model.fields.len());
        // Every required column absent is told at once: a file with another
        // header entirely should not take one run per column to find out.
        let mut missing = Vec::new();
        for field in &model.fields {
            let found = match positions(&folded, &field.column)[..] {
                [] => None,
                [one] => Some(one),
                ref many => {
                    return Err(ambiguous(format!("field `{}`", field.name), &header, many))
                }
            };
            if found.is_none() && !field.optional {
                missing.push(AbsentColumn {
                    field: field.name.clone(),
                    column: field.column.clone(),
                    closest: closest(&field.column, header.iter().map(|h| h.trim()))
                        .map(str::to_string),
                });
            }
            slots.push(found);
        }
        if !missing.is_empty() {
            return Err(InputError::MissingColumn { missing, header });
        }
        Ok(ColumnMap { slots, header })
    }

    /// The column called `name` (ignoring case and surrounding spaces).
    pub fn find(&self, name: &str) -> Option<usize> {
        let want = fold_header(name);
        self.header.iter().position(|h| fold_header(h) == want)
    }

    /// The column called `name`, asked for by `option` (`--keep`): an error
    /// says so when there is none, or more than one.
    pub fn find_for(&self, name: &str, option: &str) -> Result<usize, InputError> {
        let folded: Vec<String> = self.header.iter().map(|h| fold_header(h)).collect();
        match positions(&folded, name)[..] {
            [one] => Ok(one),
            [] => Err(InputError::MissingOptionColumn {
                option: option.into(),
                column: name.into(),
                closest: closest(name, self.header.iter().map(|h| h.trim())).map(str::to_string),
                header: self.header.clone(),
            }),
            ref many => Err(ambiguous(format!("{option} `{name}`"), &self.header, many)),
        }
    }

    /// The column called `name`, or an error naming the closest header.
    pub fn find_or_explain(&self, name: &str) -> Result<usize, String> {
        self.find(name).ok_or_else(|| {
            let mut msg = format!("there is no column `{name}` in the input");
            if let Some(c) = closest(name, self.header.iter().map(|h| h.trim())) {
                msg.push_str(&format!("; did you mean `{c}`?"));
            }
            msg
        })
    }
}

/// Column names as `--keep` takes them: separated by commas, spaces around a
/// name ignored, and a name holding a comma or a quote written in double
/// quotes with its quotes doubled, as in CSV: `Notes,"City, State"`. Written
/// here rather than read with the csv crate because people type a space
/// after a comma, and to CSV a quote after a space is text, not quoting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnList(pub Vec<String>);

/// Read a [`ColumnList`]; the error says where the quoting goes wrong.
pub fn parse_column_list(list: &str) -> Result<ColumnList, String> {
    let mut names = Vec::new();
    let mut rest = list;
    loop {
        let item = rest.trim_start();
        let (name, after) = match item.strip_prefix('"') {
            Some(quoted) => {
                let (name, after) = quoted_name(quoted).ok_or_else(|| {
                    format!("the quote before `{}` is never closed", first_word(quoted))
                })?;
                let after = after.trim_start();
                if !(after.is_empty() || after.starts_with(',')) {
                    return Err(format!(
                        "`{}` follows the closing quote of `{name}`; put a comma between names",
                        first_word(after)
                    ));
                }
                (name, after)
            }
            None => {
                let end = item.find(',').unwrap_or(item.len());
                (item[..end].trim_end().to_string(), &item[end..])
            }
        };
        names.push(name);
        match after.strip_prefix(',') {
            Some(next) => rest = next,
            None => return Ok(ColumnList(names)),
        }
    }
}

/// The name inside quotes whose opening quote is gone, and what follows the
/// closing one; `None` when it is never closed.
fn quoted_name(text: &str) -> Option<(String, &str)> {
    let mut name = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '"' {
            name.push(c);
        } else if text[i + 1..].starts_with('"') {
            name.push('"');
            chars.next();
        } else {
            return Some((name, &text[i + 1..]));
        }
    }
    None
}

fn first_word(text: &str) -> &str {
    text.split([',', ' ', '"'])
        .find(|w| !w.is_empty())
        .unwrap_or(text)
}

/// How `name` is typed in a `--keep` list at a shell prompt: as it is when
/// that is safe, else in single quotes; in double quotes inside them when it
/// holds a comma or a quote, which the list would otherwise split or misread.
pub fn keep_argument(name: &str) -> String {
    let item = if name.contains([',', '"']) {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        name.to_string()
    };
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-.,:/@%+=".contains(c);
    if !item.is_empty() && item.chars().all(safe) {
        item
    } else {
        format!("'{}'", item.replace('\'', "'\\''"))
    }
}

/// Where `name` is in a folded header.
fn positions(folded: &[String], name: &str) -> Vec<usize> {
    let want = fold_header(name);
    (0..folded.len()).filter(|&i| folded[i] == want).collect()
}

fn ambiguous(wanted: String, header: &[String], at: &[usize]) -> InputError {
    InputError::AmbiguousColumn {
        wanted,
        columns: at.iter().map(|&i| header[i].clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_str;

    fn model() -> Model {
        let text = r#"
fields {
  id     text  from "Inquiry ID"
  budget number optional from "Annual Budget (USD)"
  state  text
}
stage "all" otherwise
"#;
        let loaded = load_str("t.lead", text);
        loaded.model.expect("the test definition checks")
    }

    #[test]
    fn columns_match_ignoring_case_spaces_and_bom() {
        let header = vec![
            "\u{feff} inquiry id ".to_string(),
            "STATE".into(),
            "x".into(),
        ];
        let map = ColumnMap::resolve(&model(), &header).unwrap();
        assert_eq!(map.slots, vec![Some(0), None, Some(1)]);
        assert_eq!(map.find("x"), Some(2));
    }

    #[test]
    fn a_missing_required_column_names_the_field_and_the_closest_header() {
        let header = vec!["Inquiry ID".to_string(), "Stat".into()];
        let err = ColumnMap::resolve(&model(), &header).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the input has no column `state` (for field `state`)"
        );
        assert_eq!(err.help().as_deref(), Some("did you mean `Stat`?"));
    }

    #[test]
    fn a_field_matching_two_columns_is_an_error_but_unread_duplicates_are_not() {
        let header = vec!["Inquiry ID".to_string(), "state".into(), " STATE ".into()];
        let err = ColumnMap::resolve(&model(), &header).unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `state` matches 2 columns: `state` and ` STATE ` (ignoring case and surrounding spaces)"
        );
        let header = vec![
            "Inquiry ID".to_string(),
            "state".into(),
            "x".into(),
            "X".into(),
        ];
        let map = ColumnMap::resolve(&model(), &header).unwrap();
        assert!(map.find_for("x", "--keep").is_err());
        assert_eq!(map.find_for(" STATE", "--keep"), Ok(1));
    }

    #[test]
    fn every_absent_required_column_is_named_at_once() {
        let header = vec!["a".to_string(), "b".into()];
        let err = ColumnMap::resolve(&model(), &header).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the input has none of the columns of 2 required fields: `Inquiry ID` (for field `id`) and `state`"
        );
        assert_eq!(
            err.help().as_deref(),
            Some("the columns are `a`, `b`; name each field's column with `from \"...\"`, or mark the field `optional`")
        );
    }

    #[test]
    fn keep_lists_split_at_commas_outside_quotes() {
        let list = |s: &str| parse_column_list(s).map(|l| l.0);
        assert_eq!(
            list("Notes,Company"),
            Ok(vec!["Notes".into(), "Company".into()])
        );
        assert_eq!(
            list(" Notes , \"City, State\" ,x"),
            Ok(vec!["Notes".into(), "City, State".into(), "x".into()])
        );
        assert_eq!(list("\"say \"\"hi\"\"\""), Ok(vec!["say \"hi\"".into()]));
        // A quote inside a name is text, as in a CSV cell.
        assert_eq!(list("a\"b"), Ok(vec!["a\"b".into()]));
        assert_eq!(list(""), Ok(vec!["".into()]));
        assert_eq!(list("a,"), Ok(vec!["a".into(), "".into()]));
        assert_eq!(
            list("a,\"City, State"),
            Err("the quote before `City` is never closed".into())
        );
        assert_eq!(
            list("\"City\" State"),
            Err("`State` follows the closing quote of `City`; put a comma between names".into())
        );
    }

    #[test]
    fn a_keep_argument_reads_back_as_the_name() {
        for name in [
            "Notes",
            "City, State",
            "Annual Budget (USD)",
            "say \"hi\"",
            "it's",
            "a,\"b'c",
        ] {
            let typed = keep_argument(name);
            // What a POSIX shell passes on for the typed word.
            let passed = match typed.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
                Some(inner) => inner.replace("'\\''", "'"),
                None => typed.clone(),
            };
            assert_eq!(
                parse_column_list(&passed),
                Ok(ColumnList(vec![name.to_string()])),
                "{typed}"
            );
        }
        assert_eq!(keep_argument("Notes"), "Notes");
        assert_eq!(keep_argument("City, State"), "'\"City, State\"'");
    }
}
