//! Reading cells in SQL: a field's source column in, its value and, when the
//! scorer would reject the row for it, the same reason text out
//! ([`crate::input`]'s rules: blank is missing, decimal numbers, the yes/no
//! words, ISO or declared dates, `one of` values folded).
//!
//! Every column is read through its text (`CAST(... AS TEXT)`), so a column
//! loaded from a CSV as text and one already typed (numbers, booleans,
//! dates) give the same values: the engines print a typed value in a form
//! the rules read back exactly. A typed date column skips a declared format.

use super::dates::{self, DatePattern};
use super::dialect::Dialect;
use super::text;
use super::Refusal;
use crate::model::{Field, Type};
use crate::semantics::text::fold;

/// The SQL for one field, over the columns of the query's earlier parts.
pub struct FieldSql {
    /// Columns of the first part (`src`): the cell as text, and for a date
    /// field with a declared format whether the column is typed as a date.
    pub raw: Vec<(String, String)>,
    /// Columns of the second part (`cells`), over `raw`'s.
    pub cells: Vec<(String, String)>,
    /// Columns of the third part (`q_parts`), over `cells`' (a date's year,
    /// month and day).
    pub parts: Vec<(String, String)>,
    /// The value (NULL when missing or bad), over `parts`' columns.
    pub value: String,
    /// The folded text, for text fields.
    pub folded: Option<String>,
    /// `WHEN bad THEN 'reason'` arms, over `cells`' and `value`'s columns.
    pub reject_arms: Vec<String>,
}

/// Every field of a table, read as [`field_sql`] reads one: the columns of
/// each part of the table's chain, in field order.
#[derive(Default)]
pub struct TableSql {
    pub raw: Vec<(String, String)>,
    pub cells: Vec<(String, String)>,
    pub parts: Vec<(String, String)>,
    /// Each field's value and, for text, its folded text.
    pub values: Vec<(String, String)>,
    pub reject_arms: Vec<String>,
}

/// The chain of parts that reads `fields` (the leads' or the events'),
/// with a refusal for each field that cannot be read exactly.
pub fn table_sql(d: Dialect, fields: &[Field], refusals: &mut Vec<Refusal>) -> TableSql {
    let mut out = TableSql::default();
    for (f, field) in fields.iter().enumerate() {
        match field_sql(d, f, field) {
            Ok(fs) => {
                out.raw.extend(fs.raw);
                out.cells.extend(fs.cells);
                out.parts.extend(fs.parts);
                out.values.push((super::expr::value_col(f), fs.value));
                if let Some(folded) = fs.folded {
                    out.values.push((super::expr::folded_col(f), folded));
                }
                out.reject_arms.extend(fs.reject_arms);
            }
            Err(r) => refusals.push(r),
        }
    }
    out
}

/// Names of a field's working columns.
fn col(kind: &str, f: usize) -> String {
    format!("q_{kind}{f}")
}

pub fn field_sql(d: Dialect, f: usize, field: &Field) -> Result<FieldSql, Refusal> {
    let source = d.ident(&field.column);
    let raw = col("r", f);
    let trimmed = col("t", f);
    let blank_is_missing = format!("NULLIF({}, '')", text::trim(d, &raw));
    // A placeholder (`missing when`, `missing values`) is missing as a blank
    // is: compared folded, as the reader compares it.
    // On a number field, a number equal to a placeholder that is a number
    // too, however it is written (a typed column has no written form).
    let (a, z) = d.regex_anchors();
    let decimal_shape =
        format!("{a}[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?{z}");
    let numbers: Vec<String> = match field.ty {
        Type::Number => field
            .placeholders
            .iter()
            .filter_map(|p| p.trim().parse::<f64>().ok().filter(|n| n.is_finite()))
            .map(|n| d.double(n))
            .collect(),
        _ => Vec::new(),
    };
    let cell = match field.placeholders.is_empty() {
        true => blank_is_missing.clone(),
        false => {
            let listed: Vec<String> = field
                .placeholders
                .iter()
                .map(|p| d.text(&fold(p)))
                .collect();
            let mut test = format!(
                "{} IN ({})",
                text::fold_trimmed(d, &blank_is_missing),
                listed.join(", ")
            );
            if !numbers.is_empty() {
                test = format!(
                    "{test} OR (CASE WHEN {} THEN {} IN ({}) ELSE FALSE END)",
                    d.regex_search(&blank_is_missing, &decimal_shape),
                    d.parse_double(&blank_is_missing),
                    numbers.join(", ")
                );
            }
            format!("(CASE WHEN {test} THEN NULL ELSE {blank_is_missing} END)")
        }
    };
    let mut out = FieldSql {
        raw: vec![(raw.clone(), d.to_text(&source))],
        cells: vec![(trimmed.clone(), cell)],
        parts: Vec::new(),
        value: String::new(),
        folded: None,
        reject_arms: Vec::new(),
    };
    let value = super::expr::value_col(f);
    match field.ty {
        Type::Text => {
            out.value = format!("(CASE WHEN {trimmed} IS NOT NULL THEN {raw} END)");
            let folded = text::fold_trimmed(d, &trimmed);
            if let Some(values) = &field.one_of {
                let allowed: Vec<String> = values.iter().map(|v| d.text(&fold(v))).collect();
                let shown: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
                out.reject_arms.push(format!(
                    "WHEN {} IS NOT NULL AND {} NOT IN ({}) THEN {}",
                    trimmed,
                    super::expr::folded_col(f),
                    allowed.join(", "),
                    d.text(&format!("not one of {}", shown.join(", ")))
                ));
            }
            out.folded = Some(folded);
        }
        Type::Number => {
            let is_decimal = d.regex_search(&trimmed, &decimal_shape);
            out.value = format!(
                "(CASE WHEN {is_decimal} THEN {} END)",
                d.parse_double(&trimmed)
            );
            out.reject_arms.push(format!(
                "WHEN {trimmed} IS NOT NULL AND {value} IS NULL THEN (CASE WHEN {is_decimal} THEN {} ELSE 'not a number' END)",
                d.text(&format!(
                    "too large a number (at most {:e} either side of zero)",
                    f64::MAX
                ))
            ));
        }
        Type::YesNo => {
            // The words are ASCII: other text is not yes/no, and ASCII
            // lowercases by A-Z alone.
            let lower = format!(
                "(CASE WHEN {} THEN {} END)",
                d.is_ascii(&trimmed),
                d.ascii_lower(&trimmed)
            );
            out.value = format!(
                "(CASE WHEN {lower} IN ('yes', 'true', 'y', '1') THEN TRUE \
                 WHEN {lower} IN ('no', 'false', 'n', '0') THEN FALSE END)"
            );
            out.reject_arms.push(format!(
                "WHEN {trimmed} IS NOT NULL AND {value} IS NULL THEN {}",
                d.text("not yes/no (write yes, no, true, false, y, n, 1 or 0)")
            ));
        }
        Type::Date => {
            // The ISO form may be followed by a time: the first ten
            // characters, when the eleventh is `T` or a space.
            let day_text = format!(
                "(CASE WHEN substr({trimmed}, 11, 1) IN ('T', 't', ' ') THEN substr({trimmed}, 1, 10) ELSE {trimmed} END)"
            );
            let iso = dates::iso(d);
            let parts = |text_sql: &str, p: &DatePattern| -> [String; 3] {
                let matches = d.regex_search(text_sql, &p.regex);
                [p.year, p.month, p.day].map(|group| {
                    format!(
                        "(CASE WHEN {matches} THEN CAST({} AS INTEGER) END)",
                        d.regex_group(text_sql, &p.regex, group)
                    )
                })
            };
            // The usual cell, `2026-11-02`, by position: one regex test
            // rather than a search per part (the same numbers either way).
            let strict = {
                let (a, z) = d.regex_anchors();
                d.regex_search(
                    &day_text,
                    &format!("{a}[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}{z}"),
                )
            };
            let by_position = [(1, 4), (6, 2), (9, 2)]
                .map(|(start, len)| format!("CAST(substr({day_text}, {start}, {len}) AS INTEGER)"));
            let mut from_iso = parts(&day_text, &iso);
            for (searched, fixed) in from_iso.iter_mut().zip(by_position) {
                *searched = format!("(CASE WHEN {strict} THEN {fixed} ELSE {searched} END)");
            }
            let (ymd, reason) = match &field.format {
                None => (from_iso, "not a date (write it as YYYY-MM-DD)".to_string()),
                Some(format) => {
                    let declared = dates::declared(d, format).map_err(|why| Refusal {
                        span: field.span,
                        message: format!(
                            "the date format of `{}` cannot be read exactly by {}: {why}",
                            field.name,
                            d.name()
                        ),
                    })?;
                    // A typed date column prints as ISO, whatever the format.
                    let typed = col("isdate", f);
                    out.raw.push((typed.clone(), d.is_date_column(&source)));
                    let from_declared = parts(&trimmed, &declared);
                    let mut pick = from_iso.clone();
                    for (i, p) in pick.iter_mut().enumerate() {
                        *p = format!("(CASE WHEN {typed} THEN {p} ELSE {} END)", from_declared[i]);
                    }
                    (pick, format!("not a date in the format `{format}`"))
                }
            };
            // The usual cell, exactly `2026-11-02` with nothing around it, by
            // the engine's date cast from the cell as read: one regex test and
            // a cast, where the parts and the day arithmetic cost eight times
            // as much. Not with a declared format (the cell must then match
            // it) or placeholders (one may look like a date).
            let fast = (field.format.is_none() && field.placeholders.is_empty())
                .then(|| {
                    let (a, z) = d.regex_anchors();
                    let strict =
                        d.regex_search(&raw, &format!("{a}[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}{z}"));
                    d.iso_day_number(&raw)
                        .map(|days| format!("(CASE WHEN {strict} THEN {days} END)"))
                })
                .flatten();
            let fast_col = col("di", f);
            for (name, sql) in ["dy", "dm", "dd"].iter().zip(ymd) {
                let sql = match fast {
                    Some(_) => format!("(CASE WHEN {fast_col} IS NULL THEN {sql} END)"),
                    None => sql,
                };
                out.parts.push((col(name, f), sql));
            }
            let by_parts = dates::day_number(d, &col("dy", f), &col("dm", f), &col("dd", f));
            out.value = match fast {
                Some(days) => {
                    out.cells.push((fast_col.clone(), days));
                    format!(
                        "(CASE WHEN {fast_col} IS NOT NULL THEN {fast_col} ELSE {by_parts} END)"
                    )
                }
                None => by_parts,
            };
            out.reject_arms.push(format!(
                "WHEN {trimmed} IS NOT NULL AND {value} IS NULL THEN {}",
                d.text(&reason)
            ));
        }
    }
    if !field.optional {
        // A placeholder is not blank: the reason says why it counts as nothing.
        if !field.placeholders.is_empty() {
            let cell = text::trim(d, &raw);
            out.reject_arms.push(format!(
                "WHEN {trimmed} IS NULL AND {cell} <> '' THEN {} || {cell} || {}",
                d.text("a value is required (\""),
                d.text("\" is a placeholder, read as missing)")
            ));
        }
        out.reject_arms
            .push(format!("WHEN {trimmed} IS NULL THEN 'a value is required'"));
    }
    Ok(out)
}
