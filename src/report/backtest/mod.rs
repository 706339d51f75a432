//! Backtest figures in, a report out: aligned text, Markdown, JSON, or a
//! self-contained HTML page with inline SVG charts ([`html`]).

pub mod html;
mod table;
mod text;

use crate::backtest::suggest::Suggestion;
use crate::backtest::timing::TimeToConversion;
use crate::backtest::Backtest;
use crate::model::format_exact;
use crate::number::signed;
use serde::Serialize;

pub use table::Table;
pub use text::{render_markdown, render_text};

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Markdown,
    Json,
}

/// What was backtested, on what, and what became of every input row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    pub definition: String,
    pub definition_name: Option<String>,
    pub version: Option<String>,
    pub input: String,
    pub as_of: String,
    /// The column holding the outcome (in the input, or in the outcomes file).
    pub outcome_column: String,
    /// Outcome values counted as converted (folded), or the built-in words.
    pub won: Vec<String>,
    /// Data rows read from the input: backtested, open or rejected.
    pub rows_read: u64,
    /// Rows whose outcome is still open (`--open`): left out, not rejected.
    pub open: u64,
    /// Inquiries with no row in the outcomes file, counted as not converted
    /// (`--absent lost`); they are among the backtested.
    pub absent_as_lost: u64,
    /// Rows not in the figures (bad cells, no outcome), listed in `rejects_file`.
    pub rejected: u64,
    pub rejects_file: Option<String>,
    /// The first few rejected rows, so a reader sees why without opening a file.
    pub first_rejects: Vec<RejectNote>,
    pub join: Option<JoinInfo>,
}

/// One rejected row, briefly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectNote {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// Outcomes read from a second file and joined on an id column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JoinInfo {
    pub outcomes_file: String,
    pub on: String,
    /// Data rows in the outcomes file.
    pub outcome_rows: u64,
    /// Outcome rows whose id matched an inquiry.
    pub matched: u64,
    /// Outcome rows whose id matched no inquiry.
    pub unmatched: u64,
    /// The first few unmatched ids, as read.
    pub unmatched_ids: Vec<String>,
    /// Inquiries with no outcome row (rejected).
    pub inquiries_without_outcome: u64,
}

/// The whole report: run information and the figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestReport {
    pub run: RunInfo,
    pub backtest: Backtest,
    /// With `--from FIELD` and a date outcome: days to conversion per stage.
    pub time_to_conversion: Option<TimeToConversion>,
    pub suggestion: Option<Suggestion>,
}

pub fn render_json(report: &BacktestReport) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
        + "\n"
}

pub fn render(report: &BacktestReport, format: ReportFormat) -> String {
    match format {
        ReportFormat::Text => render_text(report),
        ReportFormat::Markdown => render_markdown(report),
        ReportFormat::Json => render_json(report),
    }
}

/// `9240` → `9,240`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A 95% interval of a rate, `37.5–39.5%`; `–` when there is none.
pub fn interval(i: Option<crate::backtest::intervals::Interval>) -> String {
    i.map_or("–".into(), |i| {
        format!("{:.1}–{:.1}%", i.low * 100.0, i.high * 100.0)
    })
}

/// A fraction as a percentage with one decimal; `–` when there is none.
pub fn percent(r: Option<f64>) -> String {
    r.map_or("–".into(), |r| format!("{:.1}%", r * 100.0))
}

/// A ratio with two decimals; `–` when there is none.
pub fn ratio(r: Option<f64>) -> String {
    r.map_or("–".into(), |r| format!("{r:.2}"))
}

/// Points as written: `+20`, `-15`, `+2 per unit`; `–` for a label.
pub fn points(p: f64, per_unit: bool) -> String {
    if p == 0.0 {
        return "–".into();
    }
    let unit = if per_unit { " per unit" } else { "" };
    format!("{}{unit}", signed(p, format_exact))
}

/// The AUC with three decimals, or why there is none.
pub fn auc(a: Option<f64>) -> String {
    a.map_or(
        "– (needs converted and unconverted inquiries)".into(),
        |a| format!("{a:.3}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_a_report() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(45211), "45,211");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(percent(Some(0.38539)), "38.5%");
        assert_eq!(percent(None), "–");
        assert_eq!(points(-15.0, false), "-15");
        assert_eq!(points(2.0, true), "+2 per unit");
        assert_eq!(points(0.0, false), "–");
    }
}
