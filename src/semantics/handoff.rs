//! The hand-off brief of one inquiry: a model, its values, the as-of date
//! and the outcome in; the brief's lines out, or nothing.
//!
//! Nothing when the definition has no `handoff` block or its condition does
//! not hold (unknown does not hold). Each line is kept when its own condition
//! holds and every value it names is there: a missing value drops the line,
//! never printing "missing". `matched` lists the criteria met (dropped when
//! none is). Numbers print as `score` writes them ([`format_number`]), dates
//! `YYYY-MM-DD`, yes/no `yes`/`no`, text as read; `{days since D}` is whole
//! days to the as-of date. Both engines write the brief from their outcome
//! through this one function, so they cannot disagree.

use super::expr::truth;
use super::outcome::Outcome;
use super::score::weekday_holidays;
use crate::model::{date_from_days, HandoffLine, Model, Piece, Value};
use crate::number::format_number;

/// How the lines of a brief are joined in one cell.
pub const SEPARATOR: &str = " | ";

/// The brief's lines, in order; `None` when there is no brief for it.
pub fn lines(
    model: &Model,
    values: &[Value],
    as_of: i32,
    outcome: &Outcome,
) -> Option<Vec<String>> {
    let handoff = model.handoff.as_ref()?;
    let holidays = weekday_holidays(model);
    let env = outcome.env(model, values, as_of, &holidays);
    let holds = |c: &Option<crate::model::Expr>| c.as_ref().is_none_or(|c| truth(c, &env).holds());
    if !holds(&handoff.condition) {
        return None;
    }
    let mut out = Vec::new();
    for line in &handoff.lines {
        match line {
            HandoffLine::Matched => {
                let names = outcome.matched_names(model);
                if !names.is_empty() {
                    out.push(names.join(", "));
                }
            }
            HandoffLine::Template {
                pieces, condition, ..
            } => {
                if !holds(condition) {
                    continue;
                }
                let written: Option<Vec<String>> = pieces
                    .iter()
                    .map(|p| piece(model, values, as_of, outcome, p))
                    .collect();
                if let Some(parts) = written {
                    out.push(parts.concat());
                }
            }
        }
    }
    Some(out)
}

/// The cell `score --handoff` writes: the lines joined by [`SEPARATOR`].
pub fn text(model: &Model, values: &[Value], as_of: i32, outcome: &Outcome) -> String {
    lines(model, values, as_of, outcome)
        .map(|l| l.join(SEPARATOR))
        .unwrap_or_default()
}

/// One piece as text; `None` when its value is missing.
fn piece(model: &Model, values: &[Value], as_of: i32, o: &Outcome, p: &Piece) -> Option<String> {
    Some(match p {
        Piece::Text(t) => t.clone(),
        Piece::Field(f) => plain(values.get(*f)?)?,
        Piece::DaysSince(f) => match values.get(*f)? {
            Value::Date(d) => format_number(f64::from(as_of) - f64::from(*d)),
            _ => return None,
        },
        Piece::Score => format_number(o.score?),
        Piece::Stage => o.stage_name(model).to_string(),
        Piece::Route => o.route.map(|_| o.route_name(model).to_string())?,
    })
}

/// A value as a sentence reads it; `None` when missing.
fn plain(v: &Value) -> Option<String> {
    Some(match v {
        Value::Missing => return None,
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Number(n) => format_number(*n),
        Value::Text(t) => t.trim().to_string(),
        Value::Date(d) => date_from_days(*d).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_a_sentence_would_and_missing_is_no_text() {
        assert_eq!(plain(&Value::Missing), None);
        assert_eq!(plain(&Value::Number(2500.0)).as_deref(), Some("2500"));
        assert_eq!(plain(&Value::Number(2.345)).as_deref(), Some("2.35"));
        assert_eq!(
            plain(&Value::Text(" Ohio ".into())).as_deref(),
            Some("Ohio")
        );
        assert_eq!(plain(&Value::Bool(true)).as_deref(), Some("yes"));
        assert_eq!(plain(&Value::Date(0)).as_deref(), Some("1970-01-01"));
    }
}
