//! One inquiry given as a JSON object (`--inquiry '{"budget": 7500}'`) → one
//! value per field.
//!
//! The object is read exactly as `score` reads a JSONL line (the shared
//! [`crate::input::json`] rules, then each cell decoded as a CSV cell is): keys
//! name a field's export column, ignoring case and surrounding spaces; a
//! value is a string's text, `null` is missing, any other value is taken as
//! written (`1` for a yes/no field is yes, as in a JSONL file); two keys for
//! one column are an error. Two things differ, because an inquiry is typed by
//! hand: a key may also be the field's own name (where no column has that
//! name), and fields not given are missing, as in examples, even required
//! ones. Keys that name no field are reported back so the caller can warn
//! about them: a typo should not pass silently.

use crate::input::json::{object_cells, JsonKeys, JsonObject, NotAnObject};
use crate::input::records::Cells;
use crate::model::{Model, Value};

/// The values, and the keys that named no field.
pub struct Inquiry {
    pub values: Vec<Value>,
    pub unknown_keys: Vec<String>,
}

/// Read `text` as a JSON object of field values. `Err` is phrased for the user.
pub fn parse_inquiry(model: &Model, text: &str) -> Result<Inquiry, String> {
    let object = JsonObject::parse(text.as_bytes()).map_err(|e| match e {
        NotAnObject::Invalid(why) => format!("it is not JSON: {why}"),
        NotAnObject::OtherValue => "it must be a JSON object, e.g. '{\"budget\": 7500}'".into(),
    })?;
    // The columns the fields read, as a JSONL file's header is made; then
    // each field's own name, where no column has that name already.
    let (mut keys, mut header) = (JsonKeys::default(), Vec::new());
    for field in &model.fields {
        if keys.add(&field.column, header.len()) {
            header.push(field.column.clone());
        }
    }
    let slots: Vec<usize> = model
        .fields
        .iter()
        .map(|f| keys.column(&f.column).unwrap_or_default())
        .collect();
    for (field, &slot) in model.fields.iter().zip(&slots) {
        keys.add(&field.name, slot);
    }
    let mut cells = Cells::default();
    object_cells(&object, &keys, &header, &mut cells).map_err(|problem| problem.reason)?;
    let mut values = vec![Value::Missing; model.fields.len()];
    let mut problems = Vec::new();
    for ((field, &slot), value) in model.fields.iter().zip(&slots).zip(&mut values) {
        // The cells come from a `&str`, so they are UTF-8.
        let text = String::from_utf8_lossy(cells.get(slot).unwrap_or_default());
        match crate::input::parse_cell(field, &text) {
            Ok(v) => *value = v,
            Err(why) => problems.push(format!("`{}`: \"{text}\" is {why}", field.name)),
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    let unknown_keys = object
        .keys()
        .filter(|k| keys.column(k).is_none())
        .map(str::to_string)
        .collect();
    Ok(Inquiry {
        values,
        unknown_keys,
    })
}
