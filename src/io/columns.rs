//! Header → field slots: which input column feeds each field.
//!
//! A field is read from the column named by its `from` (else its own name),
//! matched ignoring case and surrounding spaces. A required field whose column is
//! absent is an error before any row is read; an optional one is simply missing.
//! A field that matches two columns (`email` and `EMAIL `) is an error too:
//! reading either would be a guess.

use super::reader::InputError;
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
        for field in &model.fields {
            let found = match positions(&folded, &field.column)[..] {
                [] => None,
                [one] => Some(one),
                ref many => {
                    return Err(ambiguous(format!("field `{}`", field.name), &header, many))
                }
            };
            if found.is_none() && !field.optional {
                let suggestion =
                    closest(&field.column, header.iter().map(|h| h.trim())).map(str::to_string);
                return Err(InputError::MissingColumn {
                    field: field.name.clone(),
                    column: field.column.clone(),
                    closest: suggestion,
                    header: header.clone(),
                });
            }
            slots.push(found);
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
}
