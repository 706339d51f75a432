//! Time to conversion per stage, when the outcome is a date (a won date):
//! each converted inquiry's stage, the date of a field of the definition it
//! is counted from (`--from FIELD`) and the day it converted in; per stage,
//! how many have both dates and the quartiles of the days between, out.

use crate::model::Value;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeToConversion {
    /// The field counted from.
    pub from: String,
    /// The stages in order, `disqualified` last.
    pub stages: Vec<StageTime>,
    /// Converted inquiries left out: no `from` date, or no date in the outcome.
    pub undated: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageTime {
    pub stage: String,
    /// Converted inquiries of this stage with both dates.
    pub converted: u64,
    /// Days from the field's date to the conversion: quartiles (linear
    /// interpolation between the closest ranks); `None` without any.
    pub p25_days: Option<f64>,
    pub median_days: Option<f64>,
    pub p75_days: Option<f64>,
}

/// One converted inquiry: its stage index, the `from` field's value and the
/// day it converted on.
pub struct Converted<'a> {
    pub stage: usize,
    pub from: &'a Value,
    pub on: Option<i32>,
}

/// Time to conversion of `rows` per stage of `stage_names`.
pub fn time_to_conversion<'a>(
    from: &str,
    stage_names: &[&str],
    rows: impl IntoIterator<Item = Converted<'a>>,
) -> TimeToConversion {
    let mut days: Vec<Vec<f64>> = vec![Vec::new(); stage_names.len()];
    let mut undated = 0;
    for r in rows {
        match (r.from, r.on) {
            (Value::Date(start), Some(on)) if r.stage < days.len() => {
                days[r.stage].push(f64::from(on - start));
            }
            _ => undated += 1,
        }
    }
    let stages = stage_names
        .iter()
        .zip(days)
        .map(|(name, mut d)| {
            d.sort_by(f64::total_cmp);
            let q = |p: f64| quantile(&d, p);
            StageTime {
                stage: name.to_string(),
                converted: d.len() as u64,
                p25_days: q(0.25),
                median_days: q(0.5),
                p75_days: q(0.75),
            }
        })
        .collect();
    TimeToConversion {
        from: from.to_string(),
        stages,
        undated,
    }
}

fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let at = p * last as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_between_the_field_and_the_won_date_per_stage() {
        let start = Value::Date(100);
        let missing = Value::Missing;
        let rows = vec![
            Converted {
                stage: 0,
                from: &start,
                on: Some(110),
            },
            Converted {
                stage: 0,
                from: &start,
                on: Some(120),
            },
            Converted {
                stage: 0,
                from: &start,
                on: Some(130),
            },
            Converted {
                stage: 1,
                from: &start,
                on: Some(160),
            },
            Converted {
                stage: 1,
                from: &missing,
                on: Some(160),
            },
            Converted {
                stage: 1,
                from: &start,
                on: None,
            },
        ];
        let t = time_to_conversion("created", &["hot", "cold"], rows);
        assert_eq!(t.undated, 2);
        let hot = &t.stages[0];
        assert_eq!(
            (hot.converted, hot.median_days, hot.p25_days),
            (3, Some(20.0), Some(15.0))
        );
        assert_eq!(t.stages[1].median_days, Some(60.0));
    }
}
