//! The report as aligned text (for a terminal) or Markdown (for a pull request
//! or a wiki page): the same sections, in the same order.

use super::{auc, count, interval, percent, points, ratio, BacktestReport, Table};
use crate::backtest::suggest::Suggestion;
use crate::backtest::timing::TimeToConversion;
use crate::backtest::{Backtest, Verdict};
use crate::model::{format_exact, format_literal};
use crate::plural::pick;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Text,
    Markdown,
}

impl Style {
    fn heading(self, out: &mut String, title: &str) {
        match self {
            Style::Text => out.push_str(&format!("\n{title}\n{}\n", "-".repeat(title.len()))),
            Style::Markdown => out.push_str(&format!("\n## {title}\n\n")),
        }
    }

    fn table(self, out: &mut String, t: &Table) {
        match self {
            Style::Text => out.push_str(&t.to_text()),
            Style::Markdown => out.push_str(&t.to_markdown()),
        }
    }

    fn code(self, s: &str) -> String {
        format!("`{s}`")
    }

    fn bullet(self) -> &'static str {
        match self {
            Style::Text => "  - ",
            Style::Markdown => "- ",
        }
    }
}

pub fn render_text(report: &BacktestReport) -> String {
    render(report, Style::Text)
}

pub fn render_markdown(report: &BacktestReport) -> String {
    render(report, Style::Markdown)
}

fn render(report: &BacktestReport, style: Style) -> String {
    let mut out = String::new();
    summary(&mut out, report, style);
    let b = &report.backtest;
    stages(&mut out, b, style);
    if let Some(t) = &report.time_to_conversion {
        time_to_conversion(&mut out, t, style);
    }
    bands(&mut out, b, style);
    criteria(&mut out, b, style);
    doses(&mut out, b, style);
    entries(&mut out, b, style);
    disqualifiers(&mut out, b, style);
    missing(&mut out, b, style);
    if let Some(s) = &report.suggestion {
        suggestion(&mut out, s, style);
    }
    out
}

fn suggestion(out: &mut String, s: &Suggestion, style: Style) {
    style.heading(out, "Suggested points and thresholds");
    let undated = match s.undated_rows {
        0 => String::new(),
        n => format!("; {} without that date left out", count(n)),
    };
    out.push_str(&format!(
        "Learned on {} training {}; judged on {} held-out {} ({}{undated}).\n",
        count(s.training_rows),
        pick(s.training_rows, "row", "rows"),
        count(s.held_out_rows),
        pick(s.held_out_rows, "row", "rows"),
        s.split
    ));
    if style == Style::Markdown {
        out.push('\n');
    }
    let mut t = Table::new(&[
        "criterion",
        "points",
        "proposed",
        "95% interval (points)",
        "learned log-odds",
    ]);
    for p in &s.points {
        let cap = |c: Option<f64>| {
            c.map(|c| format!(", at most {}", format_exact(c)))
                .unwrap_or_default()
        };
        t.row(vec![
            p.criterion.clone(),
            format!("{}{}", points(p.points, p.per_unit), cap(p.cap)),
            format!(
                "{}{}",
                signed_points(p.proposed, p.per_unit),
                cap(p.proposed_cap)
            ),
            format!(
                "{:+.1} to {:+.1}",
                p.points_interval.low, p.points_interval.high
            ),
            format!("{:+.3}", p.weight),
        ]);
    }
    style.table(out, &t);
    if !s.warnings.is_empty() {
        out.push_str("\nLearned signs to read with care:\n");
        if style == Style::Markdown {
            out.push('\n');
        }
        for w in &s.warnings {
            out.push_str(&format!("{}{w}\n", style.bullet()));
        }
    }
    if !s.thresholds.is_empty() {
        if style == Style::Markdown {
            out.push('\n');
        }
        out.push('\n');
        let mut t = Table::new(&["stage", "score threshold", "proposed", "why"]).left(3);
        for th in &s.thresholds {
            t.row(vec![
                th.stage.clone(),
                format_exact(th.threshold),
                format_exact(th.proposed),
                th.reason.clone(),
            ]);
        }
        style.table(out, &t);
    }
    out.push_str("\nOn the held-out rows:\n");
    if style == Style::Markdown {
        out.push('\n');
    }
    let mut t = Table::new(&["", "as written", "proposed"]);
    t.row(vec![
        "ROC AUC".into(),
        auc_short(s.before.auc),
        auc_short(s.after.auc),
    ]);
    for (b, a) in s.before.stages.iter().zip(&s.after.stages) {
        t.row(vec![
            format!("{}: inquiries", b.name),
            count(b.inquiries),
            count(a.inquiries),
        ]);
        t.row(vec![
            format!("{}: conversion", b.name),
            percent(b.conversion_rate),
            percent(a.conversion_rate),
        ]);
        if let (Some(ba), Some(aa)) = (&b.at_or_above, &a.at_or_above) {
            t.row(vec![
                format!("{} or better: precision / recall", b.name),
                format!("{} / {}", percent(ba.precision), percent(ba.recall)),
                format!("{} / {}", percent(aa.precision), percent(aa.recall)),
            ]);
        }
    }
    style.table(out, &t);
    if !s.broken_examples.is_empty() {
        out.push_str("\nExamples to update with it (they expect the old points):\n");
        if style == Style::Markdown {
            out.push('\n');
        }
        for e in &s.broken_examples {
            out.push_str(&format!("{}{e}\n", style.bullet()));
        }
    }
    out.push_str("\nThe change, to accept line by line (`--write` applies it):\n\n");
    if style == Style::Markdown {
        out.push_str("```diff\n");
    }
    if s.diff.is_empty() {
        out.push_str("(no change)\n");
    } else {
        out.push_str(&s.diff);
    }
    if style == Style::Markdown {
        out.push_str("```\n");
    }
}

fn signed_points(p: f64, per_unit: bool) -> String {
    let unit = if per_unit { " per unit" } else { "" };
    // As the suggested edit writes it into the definition.
    format!("{}{unit}", crate::number::signed(p, format_literal))
}

fn auc_short(a: Option<f64>) -> String {
    a.map_or("–".into(), |a| format!("{a:.3}"))
}

fn summary(out: &mut String, report: &BacktestReport, style: Style) {
    let run = &report.run;
    let b = &report.backtest;
    let mut title = format!("Backtest of {}", style.code(&run.definition));
    if let Some(name) = &run.definition_name {
        title.push_str(&format!(" (\"{name}\""));
        if let Some(v) = &run.version {
            title.push_str(&format!(", version {v}"));
        }
        title.push(')');
    }
    match style {
        Style::Text => out.push_str(&format!("{title}\n\n")),
        Style::Markdown => out.push_str(&format!("# {title}\n\n")),
    }
    let b_ = style.bullet();
    let won: Vec<String> = run.won.iter().map(|w| style.code(w)).collect();
    let outcome_place = match &run.join {
        Some(j) => format!(
            " of {}, joined on {}",
            style.code(&j.outcomes_file),
            style.code(&j.on)
        ),
        None => String::new(),
    };
    out.push_str(&format!(
        "{b_}input: {}; outcome: column {}{outcome_place}; converted when {}\n",
        style.code(&run.input),
        style.code(&run.outcome_column),
        won.join(", ")
    ));
    out.push_str(&format!("{b_}as of: {}\n", run.as_of));
    let mut rows = format!(
        "{b_}rows: {} read, {} backtested",
        count(run.rows_read),
        count(b.inquiries)
    );
    if run.absent_as_lost > 0 {
        rows.push_str(&format!(
            " ({} with no outcome row, counted as not converted)",
            count(run.absent_as_lost)
        ));
    }
    if run.open > 0 {
        rows.push_str(&format!(", {} still open (left out)", count(run.open)));
    }
    rows.push_str(&format!(", {} rejected", count(run.rejected)));
    if let Some(path) = &run.rejects_file {
        rows.push_str(&format!(" (listed in {})", style.code(path)));
    }
    out.push_str(&rows);
    out.push('\n');
    for r in &run.first_rejects {
        let place = if r.column.is_empty() {
            String::new()
        } else {
            format!(
                " column {} = {}:",
                style.code(&r.column),
                style.code(&r.value)
            )
        };
        out.push_str(&format!("    line {}:{place} {}\n", r.line, r.reason));
    }
    if let Some(j) = &run.join {
        out.push_str(&format!(
            "{b_}outcomes: {} {} in {}, {} matched an inquiry, {} matched none{}; inquiries with no outcome: {}\n",
            count(j.outcome_rows),
            pick(j.outcome_rows, "row", "rows"),
            style.code(&j.outcomes_file),
            count(j.matched),
            count(j.unmatched),
            if j.unmatched_ids.is_empty() {
                String::new()
            } else {
                format!(
                    " (first: {})",
                    j.unmatched_ids
                        .iter()
                        .map(|i| style.code(i))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
            count(j.inquiries_without_outcome)
        ));
    }
    out.push_str(&format!(
        "{b_}converted: {} of {} ({}, 95% interval {})\n",
        count(b.converted),
        count(b.inquiries),
        percent(b.conversion_rate),
        interval(b.conversion_interval)
    ));
    let auc_interval = b.auc_interval.map_or(String::new(), |i| {
        format!("95% interval {:.3} to {:.3}; ", i.low, i.high)
    });
    out.push_str(&format!(
        "{b_}ROC AUC of the score: {} ({auc_interval}0.5 ranks no better than chance, 1 ranks every converted inquiry first)\n",
        auc(b.auc)
    ));
}

fn stages(out: &mut String, b: &Backtest, style: Style) {
    style.heading(out, "Stages");
    let mut t = Table::new(&[
        "stage",
        "inquiries",
        "converted",
        "conversion",
        "95% interval",
        "share of conversions",
        "precision at or above",
        "recall at or above",
    ]);
    for s in &b.stages {
        let (p, r) = match &s.at_or_above {
            Some(a) => (percent(a.precision), percent(a.recall)),
            None => (String::new(), String::new()),
        };
        t.row(vec![
            s.name.clone(),
            count(s.inquiries),
            count(s.converted),
            percent(s.conversion_rate),
            interval(s.interval),
            percent(s.share_of_conversions),
            p,
            r,
        ]);
    }
    style.table(out, &t);
    out.push('\n');
    out.push_str(
        "\"At or above\": an inquiry in this stage or an earlier one. Precision is how many of them converted; recall is their share of all conversions.\n",
    );
}

fn bands(out: &mut String, b: &Backtest, style: Style) {
    style.heading(out, "Conversion by score band");
    // A bar per band in a terminal; Markdown readers get the HTML page for charts.
    let columns = [
        "score",
        "inquiries",
        "converted",
        "conversion",
        "95% interval",
        "fit predicts",
    ];
    let mut t = match style {
        Style::Text => Table::new(&[&columns[..], &[""]].concat()).left(6),
        Style::Markdown => Table::new(&columns),
    };
    let top = b
        .bands
        .iter()
        .filter_map(|r| r.conversion_rate)
        .fold(0.0f64, f64::max);
    for r in &b.bands {
        let bar = match (style, r.conversion_rate) {
            (Style::Text, Some(rate)) if top > 0.0 => {
                "#".repeat((rate / top * 30.0).round() as usize)
            }
            _ => String::new(),
        };
        let mut cells = vec![
            r.label.clone(),
            count(r.inquiries),
            count(r.converted),
            percent(r.conversion_rate),
            interval(r.interval),
            percent(r.predicted),
        ];
        if style == Style::Text {
            cells.push(bar);
        }
        t.row(cells);
    }
    style.table(out, &t);
    if let Some(fit) = &b.calibration {
        out.push('\n');
        out.push_str(&format!(
            "Fit predicts: the conversion a logistic fit of conversion on the score (intercept {:.4}, {:.4} per point) gives the band's inquiries, averaged. Where it is far from the observed rate, a score does not mean the same chance of converting everywhere.\n",
            fit.intercept, fit.slope
        ));
    }
}

fn criteria(out: &mut String, b: &Backtest, style: Style) {
    style.heading(out, "Criteria");
    // The group column only when the definition has groups.
    let grouped = b.criteria.iter().any(|c| c.group.is_some());
    let mut headers = vec!["criterion", "group", "points", "matched"];
    headers.extend(["conversion matched", "not matched", "lift", "verdict"]);
    if !grouped {
        headers.remove(1);
    }
    let verdict_col = headers.len() - 1;
    let mut t = Table::new(&headers).left(verdict_col);
    if grouped {
        t = t.left(1);
    }
    for c in &b.criteria {
        let mut cells = vec![c.name.clone()];
        if grouped {
            cells.push(c.group.clone().unwrap_or_default());
        }
        cells.extend([
            points(c.points, c.per_unit),
            count(c.matched),
            percent(c.rate_matched),
            percent(c.rate_not_matched),
            ratio(c.lift),
            c.verdict.describe().into(),
        ]);
        t.row(cells);
    }
    style.table(out, &t);
    out.push('\n');
    out.push_str(
        "Lift: conversion when matched over the overall conversion. A difference counts as clear when a two-proportion test puts it beyond chance (|z| ≥ 1.96).\n",
    );
    let flagged: Vec<_> = b.criteria.iter().filter(|c| c.verdict.is_flag()).collect();
    if flagged.is_empty() {
        return;
    }
    out.push_str("\nTo review:\n");
    if style == Style::Markdown {
        out.push('\n');
    }
    for c in flagged {
        let pts = points_in_words(c.points, c.per_unit);
        let range = c.difference_interval.map_or(String::new(), |i| {
            format!(
                " (difference {:+.1} to {:+.1} percentage points, 95%)",
                i.low * 100.0,
                i.high * 100.0
            )
        });
        let why = match c.verdict {
            Verdict::WrongWay => format!(
                "has {pts} but converts {} when matched against {} when not{range}: its points point the wrong way",
                percent(c.rate_matched),
                percent(c.rate_not_matched)
            ),
            Verdict::NoClearEffect => format!(
                "has {pts} but the difference between matched ({}) and not matched ({}) is within chance{range}: it adds nothing clear",
                percent(c.rate_matched),
                percent(c.rate_not_matched)
            ),
            Verdict::NeverMatched => "never matched: it cannot earn its points on this data".into(),
            Verdict::AlwaysMatched => {
                "matched every inquiry: it shifts every score alike and tells them apart not at all".into()
            }
            Verdict::Earns | Verdict::Label => continue,
        };
        out.push_str(&format!("{}\"{}\" {why}\n", style.bullet(), c.name));
    }
}

/// Days from a date field to the won date, per stage.
fn time_to_conversion(out: &mut String, t: &TimeToConversion, style: Style) {
    style.heading(out, &format!("Time to conversion (days from `{}`)", t.from));
    let mut table = Table::new(&[
        "stage",
        "converted",
        "25th percentile",
        "median",
        "75th percentile",
    ]);
    let days = |d: Option<f64>| d.map_or("–".into(), crate::number::format_number);
    for s in &t.stages {
        table.row(vec![
            s.stage.clone(),
            count(s.converted),
            days(s.p25_days),
            days(s.median_days),
            days(s.p75_days),
        ]);
    }
    style.table(out, &table);
    if t.undated > 0 {
        out.push_str(&format!(
            "\n{} converted {} without both dates (the field's and the outcome's) left out.\n",
            count(t.undated),
            pick(t.undated, "inquiry", "inquiries")
        ));
    }
}

/// Each per-unit criterion's conversion by the units it counts, and the trend.
fn doses(out: &mut String, b: &Backtest, style: Style) {
    if b.doses.is_empty() {
        return;
    }
    style.heading(out, "Per-unit criteria by dose");
    for d in &b.doses {
        out.push_str(&format!("\"{}\": {}\n", d.criterion, d.trend_words()));
        if style == Style::Markdown {
            out.push('\n');
        }
        let mut t = Table::new(&[
            "units",
            "inquiries",
            "converted",
            "conversion",
            "95% interval",
        ]);
        for band in &d.bands {
            t.row(vec![
                band.units.clone(),
                count(band.inquiries),
                count(band.converted),
                percent(band.conversion_rate),
                interval(band.interval),
            ]);
        }
        style.table(out, &t);
        out.push('\n');
    }
    out.push_str("Units: what the criterion counts (after its cap), in five bands by rank among the inquiries with any; 0 is not matched.\n");
}

/// Each points-by-value criterion's conversion per entry.
fn entries(out: &mut String, b: &Backtest, style: Style) {
    if b.entries.is_empty() {
        return;
    }
    style.heading(out, "Points by value, per entry");
    for e in &b.entries {
        out.push_str(&format!("\"{}\"\n", e.criterion));
        if style == Style::Markdown {
            out.push('\n');
        }
        let mut t = Table::new(&[
            "entry",
            "points",
            "inquiries",
            "converted",
            "conversion",
            "95% interval",
        ])
        .left(0);
        for row in &e.rows {
            t.row(vec![
                row.entry.clone(),
                match row.points {
                    None => "none".into(),
                    Some(0.0) => "0".into(),
                    Some(p) => points(p, false),
                },
                count(row.inquiries),
                count(row.converted),
                percent(row.conversion_rate),
                interval(row.interval),
            ]);
        }
        style.table(out, &t);
        out.push('\n');
    }
    out.push_str("Entries in the order written; otherwise: a value no key names; missing: no value, nothing earned.\n");
}

/// `+5 points`, `-1 point`, `+1 point per unit`: a criterion's points in words.
fn points_in_words(p: f64, per_unit: bool) -> String {
    let noun = if p.abs() == 1.0 { "point" } else { "points" };
    let unit = if per_unit { " per unit" } else { "" };
    format!("{} {noun}{unit}", points(p, false))
}

fn disqualifiers(out: &mut String, b: &Backtest, style: Style) {
    if b.disqualifiers.is_empty() {
        return;
    }
    style.heading(out, "Disqualifiers");
    let mut t = Table::new(&[
        "reason",
        "inquiries",
        "converted",
        "conversion",
        "95% interval",
    ]);
    for d in &b.disqualifiers {
        t.row(vec![
            d.reason.clone(),
            count(d.inquiries),
            count(d.converted),
            percent(d.conversion_rate),
            interval(d.interval),
        ]);
    }
    style.table(out, &t);
}

fn missing(out: &mut String, b: &Backtest, style: Style) {
    style.heading(out, "Missing values");
    let mut t = Table::new(&[
        "field",
        "column",
        "missing",
        "conversion missing",
        "conversion present",
    ])
    .left(1);
    for m in b.missing.iter().filter(|m| m.missing > 0) {
        t.row(vec![
            m.field.clone(),
            m.column.clone(),
            count(m.missing),
            percent(m.rate_missing),
            percent(m.rate_present),
        ]);
    }
    if t.is_empty() {
        out.push_str("No field is ever missing.\n");
    } else {
        style.table(out, &t);
        let complete = b.missing.iter().filter(|m| m.missing == 0).count();
        if complete > 0 {
            out.push('\n');
            out.push_str(&match complete {
                1 => "The other field is never missing.\n".to_string(),
                n => format!("The other {n} fields are never missing.\n"),
            });
        }
    }
}
