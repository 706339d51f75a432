//! One inquiry given as a JSON object (`--inquiry '{"budget": 7500}'`) → one
//! value per field.
//!
//! Keys name a field or its export column (ignoring case and surrounding
//! spaces). Fields not given are missing, as in examples. Strings are read the
//! way a CSV cell is; JSON numbers, booleans and `null` are taken as they are
//! when the field's type agrees. Keys that name no field are reported back so
//! the caller can warn about them: a typo should not pass silently.

use crate::model::{fold_text, Field, Model, Type, Value};
use serde_json::Value as Json;

/// The values, and the keys that named no field.
pub struct Inquiry {
    pub values: Vec<Value>,
    pub unknown_keys: Vec<String>,
}

/// Read `text` as a JSON object of field values. `Err` is phrased for the user.
pub fn parse_inquiry(model: &Model, text: &str) -> Result<Inquiry, String> {
    let json: Json = serde_json::from_str(text).map_err(|e| format!("it is not JSON: {e}"))?;
    let Json::Object(map) = json else {
        return Err("it must be a JSON object, e.g. '{\"budget\": 7500}'".into());
    };
    let mut values = vec![Value::Missing; model.fields.len()];
    let mut unknown_keys = Vec::new();
    let mut problems = Vec::new();
    for (key, v) in &map {
        let k = fold_text(key);
        let field = model
            .fields
            .iter()
            .position(|f| fold_text(&f.name) == k)
            .or_else(|| model.fields.iter().position(|f| fold_text(&f.column) == k));
        match field {
            Some(f) => match json_value(&model.fields[f], v) {
                Ok(value) => values[f] = value,
                Err(why) => problems.push(format!("`{key}`: {why}")),
            },
            None => unknown_keys.push(key.clone()),
        }
    }
    if problems.is_empty() {
        Ok(Inquiry {
            values,
            unknown_keys,
        })
    } else {
        Err(problems.join("; "))
    }
}

fn json_value(field: &Field, v: &Json) -> Result<Value, String> {
    match (v, field.ty) {
        (Json::Null, _) => Ok(Value::Missing),
        (Json::Bool(b), Type::YesNo) => Ok(Value::Bool(*b)),
        (Json::Number(n), Type::Number) => n
            .as_f64()
            .filter(|x| x.is_finite())
            .map(Value::Number)
            .ok_or_else(|| format!("{n} is not a usable number")),
        (Json::Number(n), Type::Text) => cell(field, &n.to_string()),
        (Json::String(s), _) => cell(field, s),
        (other, _) => Err(format!(
            "`{}` is {}, not {}",
            field.name,
            field.describe_type(),
            match other {
                Json::Bool(_) => "true/false",
                Json::Number(_) => "a number",
                Json::Array(_) => "a list",
                _ => "an object",
            }
        )),
    }
}

/// A string read the way a CSV cell is (the shared input reader's rules).
fn cell(field: &Field, s: &str) -> Result<Value, String> {
    crate::io::parse_cell(field, s).map_err(|why| format!("\"{s}\" is {why}"))
}
