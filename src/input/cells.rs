//! One cell of text → one typed value for its field, or the reason it is bad.
//!
//! Rules (docs/language.md): an empty or whitespace-only cell is missing;
//! numbers are decimal (finite: `1e400` is too large); yes/no reads `yes/no`,
//! `true/false`, `y/n`, `1/0` in any case; dates are ISO 8601 (`2026-11-05`, a
//! time after it is ignored) or the field's `format`; a `one of` value must be
//! one of the list once both are folded by [`fold_text`], as every text
//! comparison folds (case and surrounding spaces ignored). A cell that folds to
//! one of the field's placeholders (`missing when`, `missing values`) is missing,
//! whatever the type; on a number field, so is a number equal to one. Text is kept as read.

use crate::model::{days_from_date, Field, Type, Value};
use crate::semantics::text::{fold as fold_text, trim};
use chrono::NaiveDate;

/// Parse one cell for `field`. `Ok(Value::Missing)` for a blank cell (whether
/// that is allowed is the caller's business: see [`crate::input::Decoder`]).
pub fn parse_cell(field: &Field, text: &str) -> Result<Value, String> {
    let mut out = Value::Missing;
    CellSpec::new(field).decode(text, &mut out)?;
    Ok(out)
}

/// `yes`, `true`, `y`, `1` → true; `no`, `false`, `n`, `0` → false (any case,
/// surrounding spaces ignored); anything else → `None`.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    let t = trim(text);
    const YES: [&str; 4] = ["yes", "true", "y", "1"];
    const NO: [&str; 4] = ["no", "false", "n", "0"];
    if YES.iter().any(|y| t.eq_ignore_ascii_case(y)) {
        Some(true)
    } else if NO.iter().any(|n| t.eq_ignore_ascii_case(n)) {
        Some(false)
    } else {
        None
    }
}

/// A field's decoding rules, prepared once per run.
#[derive(Debug, Clone)]
pub(crate) struct CellSpec {
    ty: Type,
    format: Option<String>,
    /// `one of` values, folded.
    one_of: Option<Vec<String>>,
    /// `one of` values as written, for the reject reason.
    one_of_shown: String,
    /// Placeholders (`missing when`, `missing values`), folded: such a cell is missing.
    placeholders: Vec<String>,
    /// For a number field, the placeholders that are numbers: a cell with
    /// that value is missing however it is written (`-1`, `-1.0`, `-1e0`),
    /// so a typed column reads as the same text would.
    number_placeholders: Vec<f64>,
}

impl CellSpec {
    pub(crate) fn new(field: &Field) -> Self {
        CellSpec {
            ty: field.ty,
            format: field.format.clone(),
            one_of: field
                .one_of
                .as_ref()
                .map(|vs| vs.iter().map(|v| fold_text(v)).collect()),
            one_of_shown: field
                .one_of
                .as_ref()
                .map(|vs| {
                    vs.iter()
                        .map(|v| format!("\"{v}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
            placeholders: field.placeholders.iter().map(|p| fold_text(p)).collect(),
            number_placeholders: match field.ty {
                Type::Number => field
                    .placeholders
                    .iter()
                    .filter_map(|p| trim(p).parse::<f64>().ok().filter(|n| n.is_finite()))
                    .collect(),
                _ => Vec::new(),
            },
        }
    }

    /// Whether the trimmed cell `t` is one of the field's placeholders. Most
    /// fields have none, and then no cell is folded for it.
    fn is_placeholder(&self, t: &str) -> bool {
        !self.placeholders.is_empty() && {
            let folded = fold_text(t);
            self.placeholders.contains(&folded)
        }
    }

    /// Decode `text` into `out`, reusing `out`'s text buffer (no allocation once
    /// warm). On error `out` is left missing.
    pub(crate) fn decode(&self, text: &str, out: &mut Value) -> Result<(), String> {
        let t = trim(text);
        if t.is_empty() || self.is_placeholder(t) {
            *out = Value::Missing;
            return Ok(());
        }
        let result = match self.ty {
            Type::Text => {
                if let Some(allowed) = &self.one_of {
                    if !one_of_contains(allowed, t) {
                        *out = Value::Missing;
                        return Err(format!("not one of {}", self.one_of_shown));
                    }
                }
                match out {
                    Value::Text(s) => {
                        s.clear();
                        s.push_str(text);
                    }
                    _ => *out = Value::Text(text.to_string()),
                }
                return Ok(());
            }
            Type::Number => match small_integer(t).map_or_else(|| t.parse::<f64>(), Ok) {
                Ok(n) if self.number_placeholders.contains(&n) => Ok(Value::Missing),
                Ok(n) if n.is_finite() => Ok(Value::Number(n)),
                // A decimal beyond what a float holds (`1e400`); Rust's
                // parser also reads `inf` and `NaN`, which have no digits.
                Ok(_) if t.bytes().any(|b| b.is_ascii_digit()) => Err(format!(
                    "too large a number (at most {:e} either side of zero)",
                    f64::MAX
                )),
                _ => Err("not a number".to_string()),
            },
            Type::YesNo => parse_yes_no(t)
                .map(Value::Bool)
                .ok_or_else(|| "not yes/no (write yes, no, true, false, y, n, 1 or 0)".to_string()),
            Type::Date => self.date(t).map(|d| Value::Date(days_from_date(d))),
        };
        match result {
            Ok(v) => {
                *out = v;
                Ok(())
            }
            Err(e) => {
                *out = Value::Missing;
                Err(e)
            }
        }
    }

    fn date(&self, t: &str) -> Result<NaiveDate, String> {
        match &self.format {
            Some(fmt) => NaiveDate::parse_from_str(t, fmt)
                .map_err(|_| format!("not a date in the format `{fmt}`")),
            None => {
                // An ISO date, possibly followed by a time (`2026-11-05T10:30:00`).
                let day = match t.as_bytes().get(10) {
                    Some(b'T' | b't' | b' ') if t.is_char_boundary(10) => &t[..10],
                    _ => t,
                };
                match iso_digits(day) {
                    // The common shape, read without chrono's general parser;
                    // chrono still says whether the day exists.
                    Some((y, m, d)) => NaiveDate::from_ymd_opt(y, m, d),
                    None => day.parse::<NaiveDate>().ok(),
                }
                .ok_or_else(|| "not a date (write it as YYYY-MM-DD)".to_string())
            }
        }
    }
}

/// A cell of at most 15 ASCII digits, perhaps after a `-`, read without the
/// general float parser: every such integer is exact in an `f64`, so this is
/// the number `str::parse::<f64>` gives. `None` for anything else.
fn small_integer(t: &str) -> Option<f64> {
    let (negative, digits) = match t.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        all => (false, all),
    };
    if digits.is_empty() || digits.len() > 15 {
        return None;
    }
    let mut n = 0i64;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + i64::from(c - b'0');
    }
    Some(if negative { -(n as f64) } else { n as f64 })
}

/// Year, month and day of exactly `DDDD-DD-DD` (ASCII digits), else `None`.
pub(super) fn iso_digits(day: &str) -> Option<(i32, u32, u32)> {
    let b = day.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    Some((num(0..4)? as i32, num(5..7)?, num(8..10)?))
}

/// Some value of `allowed` (each [`fold_text`]'s own output) equals
/// `fold_text(text)`: a cell is compared as every text comparison folds it.
/// An ASCII `text` is compared without a copy, which gives the same answer:
/// folding it only trims it and lowercases its ASCII letters, and a folded
/// value holds no ASCII capital (no character lowercases into one), so
/// ignoring ASCII case on both sides is folding `text`. Other text is folded
/// whole, once: Unicode lowercasing depends on context (a final `Σ` is `ς`,
/// elsewhere `σ`), so it cannot be done character by character.
fn one_of_contains(allowed: &[String], text: &str) -> bool {
    if text.is_ascii() {
        let t = trim(text);
        allowed.iter().any(|a| t.eq_ignore_ascii_case(a))
    } else {
        let folded = fold_text(text);
        allowed.contains(&folded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Span;

    fn field(ty: Type) -> Field {
        Field {
            name: "f".into(),
            ty,
            one_of: None,
            optional: false,
            column: "f".into(),
            format: None,
            placeholders: Vec::new(),
            span: Span::default(),
        }
    }

    #[test]
    fn small_integers_read_as_the_float_parser_reads_them() {
        for t in [
            "0",
            "-0",
            "7",
            "007",
            "-42",
            "38000",
            "999999999999999",
            "1000000000000000",
            "1e3",
            "+5",
            "-",
            "",
            "1.5",
            "12a",
            "٣",
            "9007199254740993",
        ] {
            if let Some(n) = small_integer(t) {
                let parsed: f64 = t.parse().unwrap();
                assert_eq!(n.to_bits(), parsed.to_bits(), "{t}");
            }
        }
        assert_eq!(small_integer("38000"), Some(38000.0));
        assert_eq!(
            small_integer("-0").map(f64::to_bits),
            Some((-0.0f64).to_bits())
        );
        assert_eq!(
            small_integer("1000000000000000"),
            None,
            "16 digits go the long way"
        );
        assert_eq!(small_integer("+5"), None);
    }

    #[test]
    fn numbers_are_finite_decimals() {
        let f = field(Type::Number);
        assert_eq!(parse_cell(&f, " 12.5 "), Ok(Value::Number(12.5)));
        assert_eq!(parse_cell(&f, "-3"), Ok(Value::Number(-3.0)));
        assert_eq!(parse_cell(&f, "   "), Ok(Value::Missing));
        assert!(parse_cell(&f, "12k").is_err());
        assert!(parse_cell(&f, "inf").is_err());
        assert!(parse_cell(&f, "NaN").is_err());
        assert!(parse_cell(&f, "1e400")
            .unwrap_err()
            .starts_with("too large a number"));
        assert!(parse_cell(&f, "-1e400")
            .unwrap_err()
            .starts_with("too large a number"));
        assert_eq!(parse_cell(&f, "infinity"), Err("not a number".into()));
    }

    #[test]
    fn yes_no_reads_the_documented_words_only() {
        let f = field(Type::YesNo);
        for (t, b) in [("YES", true), ("true", true), ("y", true), ("1", true)] {
            assert_eq!(parse_cell(&f, t), Ok(Value::Bool(b)), "{t}");
        }
        for (t, b) in [
            ("No", false),
            ("FALSE", false),
            ("n", false),
            (" 0 ", false),
        ] {
            assert_eq!(parse_cell(&f, t), Ok(Value::Bool(b)), "{t}");
        }
        assert!(parse_cell(&f, "maybe").is_err());
        assert!(parse_cell(&f, "2").is_err());
    }

    #[test]
    fn dates_are_iso_or_the_declared_format() {
        let f = field(Type::Date);
        let d = days_from_date(NaiveDate::from_ymd_opt(2026, 11, 5).unwrap());
        assert_eq!(parse_cell(&f, "2026-11-05"), Ok(Value::Date(d)));
        assert_eq!(parse_cell(&f, "2026-11-05T10:30:00Z"), Ok(Value::Date(d)));
        assert!(parse_cell(&f, "2026-02-30").is_err());
        assert!(parse_cell(&f, "2026-13-01").is_err());
        assert!(parse_cell(&f, "2026-1a-01").is_err());
        let leap = days_from_date(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(parse_cell(&f, "2024-02-29"), Ok(Value::Date(leap)));
        // Other shapes chrono accepts still go through chrono.
        assert_eq!(
            parse_cell(&f, "+2026-11-05"),
            "+2026-11-05"
                .parse::<NaiveDate>()
                .map(|d| Value::Date(days_from_date(d)))
                .map_err(|_| "not a date (write it as YYYY-MM-DD)".to_string())
        );
        assert!(parse_cell(&f, "05/11/2026").is_err());
        let mut us = field(Type::Date);
        us.format = Some("%m/%d/%Y".into());
        assert_eq!(parse_cell(&us, "11/05/2026"), Ok(Value::Date(d)));
        assert!(parse_cell(&us, "2026-11-05").is_err());
    }

    #[test]
    fn one_of_ignores_case_and_spaces_and_keeps_the_text_as_read() {
        let mut f = field(Type::Text);
        f.one_of = Some(vec!["This Quarter".into(), "now".into()]);
        assert_eq!(
            parse_cell(&f, " this QUARTER"),
            Ok(Value::Text(" this QUARTER".into()))
        );
        let err = parse_cell(&f, "later").unwrap_err();
        assert_eq!(err, "not one of \"This Quarter\", \"now\"");
    }

    #[test]
    fn one_of_folds_whole_words_as_the_model_does() {
        let mut f = field(Type::Text);
        f.one_of = Some(vec!["ΟΔΟΣ".into(), "Athens".into()]);
        // The final capital sigma folds to `ς`, not `σ`.
        for cell in ["ΟΔΟΣ", "οδος", " Οδος ", "ATHENS"] {
            assert!(parse_cell(&f, cell).is_ok(), "{cell}");
        }
        assert!(parse_cell(&f, "οδοσ").is_err());
        // The Kelvin sign folds to an ASCII `k`, so an ASCII cell matches it.
        f.one_of = Some(vec!["\u{212a}".into()]);
        assert!(parse_cell(&f, "K").is_ok());
    }
}
