//! A [`Review`] → the rows and lines that text and markdown both print: the
//! verdict, what the outcomes cover, conversion per migration cell, the AUC
//! before and after, and precision and recall per stage.

use super::review::Review;
use crate::backtest::intervals::Interval;
use crate::backtest::StageRow;

/// `0.381` → `38.1%`; `–` when there is nothing to divide.
pub fn percent(r: Option<f64>) -> String {
    r.map_or("–".into(), |r| format!("{:.1}%", r * 100.0))
}

/// `31.2–45.1%`.
pub fn interval(i: Option<Interval>) -> String {
    i.map_or("–".into(), |i| {
        format!("{:.1}–{:.1}%", i.low * 100.0, i.high * 100.0)
    })
}

/// What the figures cover, in one sentence.
pub fn coverage(r: &Review) -> String {
    let mut line = format!(
        "outcome column `{}`: {} judged, {} converted ({})",
        r.outcome_column,
        r.judged,
        r.converted,
        percent(crate::backtest::stats::rate(r.converted, r.judged))
    );
    if r.absent_as_lost > 0 {
        line.push_str(&format!(
            ", of which {} had no outcome row and count as not converted",
            r.absent_as_lost
        ));
    }
    if r.open > 0 {
        line.push_str(&format!("; {} still open, left out", r.open));
    }
    if let Some(f) = &r.outcomes_file {
        line.push_str(&format!(
            "; outcomes file `{}`: {} rows, {} ids matched no inquiry",
            f.path, f.rows, f.unmatched_ids
        ));
    }
    if r.unscored > 0 {
        line.push_str(&format!(
            "; {} without a score under a revision, left out of the AUC",
            r.unscored
        ));
    }
    line
}

/// Conversion per migration cell; `flag` marks a cell against its move.
pub fn cell_rows(r: &Review, flag: &str) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "old stage".into(),
        "new stage".into(),
        "inquiries".into(),
        "converted".into(),
        "conversion".into(),
        "95% interval".into(),
        "".into(),
    ]];
    for c in &r.cells {
        rows.push(vec![
            c.old_stage.clone(),
            c.new_stage.clone(),
            c.inquiries.to_string(),
            c.converted.to_string(),
            percent(c.conversion_rate),
            interval(c.interval),
            c.flag
                .as_ref()
                .map_or(String::new(), |f| format!("{flag} {f}")),
        ]);
    }
    rows
}

/// The AUC before and after and the paired difference, with intervals.
pub fn auc_rows(r: &Review) -> Vec<Vec<String>> {
    let Some(a) = &r.auc else {
        return Vec::new();
    };
    let range = |i: Interval| format!("{:.3} to {:.3}", i.low, i.high);
    vec![
        vec!["".into(), "AUC".into(), "95% interval".into()],
        vec![
            "old".into(),
            format!("{:.3}", a.before.auc),
            range(a.before.interval),
        ],
        vec![
            "new".into(),
            format!("{:.3}", a.after.auc),
            range(a.after.interval),
        ],
        vec![
            "difference (paired)".into(),
            format!("{:+.3}", a.difference),
            format!("{:+.3} to {:+.3}", a.interval.low, a.interval.high),
        ],
    ]
}

/// Conversion, precision and recall of "this stage or a better one", per
/// stage of one revision.
pub fn stage_rows(stages: &[StageRow]) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "stage".into(),
        "inquiries".into(),
        "conversion".into(),
        "95% interval".into(),
        "precision at or above".into(),
        "recall at or above".into(),
    ]];
    for s in stages {
        let (precision, recall) = match &s.at_or_above {
            Some(a) => (percent(a.precision), percent(a.recall)),
            None => ("–".into(), "–".into()),
        };
        rows.push(vec![
            s.name.clone(),
            s.inquiries.to_string(),
            percent(s.conversion_rate),
            interval(s.interval),
            precision,
            recall,
        ]);
    }
    rows
}
