//! The report as one self-contained HTML page: inline CSS and inline SVG, no
//! script, nothing fetched from the network. Charts: conversion by score band,
//! the stage table, and the lift of each criterion.

use super::{auc, count, interval, percent, points, ratio, BacktestReport};
use crate::backtest::{Backtest, Verdict};
use std::fmt::Write;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:60rem;color:#1f2328;padding:0 1rem}\
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}\
table{border-collapse:collapse;font-size:.9rem}td,th{padding:.25rem .6rem;border-bottom:1px solid #eaeef2}\
th{text-align:left;background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}\
.wrong-way{color:#cf222e;font-weight:600}.no-clear-effect,.never-matched,.always-matched{color:#9a6700}\
svg text{font-size:11px;fill:#1f2328}.note{color:#59636e;font-size:.85rem}";

/// Escape text for HTML content and attributes.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn render_html(report: &BacktestReport) -> String {
    let run = &report.run;
    let b = &report.backtest;
    let title = format!(
        "Backtest of {}",
        run.definition_name.as_deref().unwrap_or(&run.definition)
    );
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        esc(&title),
        esc(&title)
    );
    let _ = writeln!(
        out,
        "<p>Definition <code>{}</code>{} on <code>{}</code>, as of {}. {} {} read, {} backtested, {}{} rejected. \
         {} of {} converted ({}, 95% interval {}). <strong>ROC AUC of the score: {}</strong>{}.</p>",
        esc(&run.definition),
        run.version.as_ref().map(|v| format!(", version {}", esc(v))).unwrap_or_default(),
        esc(&run.input),
        esc(&run.as_of),
        count(run.rows_read),
        crate::plural::pick(run.rows_read, "row", "rows"),
        count(b.inquiries),
        match run.open {
            0 => String::new(),
            n => format!("{} still open (left out), ", count(n)),
        },
        count(run.rejected),
        count(b.converted),
        count(b.inquiries),
        percent(b.conversion_rate),
        interval(b.conversion_interval),
        esc(&auc(b.auc)),
        b.auc_interval
            .map(|i| format!(" (95% interval {:.3} to {:.3})", i.low, i.high))
            .unwrap_or_default(),
    );
    out.push_str("<h2>Conversion by score band</h2>\n");
    out.push_str(&band_chart(b));
    out.push_str("<h2>Stages</h2>\n");
    out.push_str(&stage_table(b));
    out.push_str("<h2>Criteria: lift when matched</h2>\n");
    out.push_str(&lift_chart(b));
    out.push_str(&criteria_table(b));
    out.push_str("</body>\n</html>\n");
    out
}

/// A band label on two lines (`12.5` / `to 20`) so neighbours do not overlap.
fn two_lines(label: &str, x: f64) -> String {
    match label.split_once(" to ") {
        Some((lo, hi)) => format!(
            "{}<tspan x=\"{x:.1}\" dy=\"13\">to {}</tspan>",
            esc(lo),
            esc(hi)
        ),
        None => esc(label),
    }
}

/// Vertical bars: conversion per band, the overall rate as a dashed line.
fn band_chart(b: &Backtest) -> String {
    let (w, h, left, right, bottom, top) = (760.0, 270.0, 50.0, 90.0, 50.0, 20.0);
    let plot_h = h - bottom - top;
    let n = b.bands.len().max(1) as f64;
    let slot = (w - left - right) / n;
    let max = b
        .bands
        .iter()
        .filter_map(|r| r.conversion_rate)
        .chain(b.conversion_rate)
        .fold(0.0f64, f64::max);
    // Round the axis up to the next 10%.
    let axis = ((max * 10.0).ceil() / 10.0).max(0.1);
    let y = |r: f64| top + plot_h * (1.0 - r / axis);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"conversion by score band\">\n"
    );
    let mut tick = 0.0;
    while tick <= axis + 1e-9 {
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#eaeef2\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{:.0}%</text>",
            w - right,
            left - 6.0,
            y(tick) + 4.0,
            tick * 100.0,
            y = y(tick)
        );
        tick += 0.1;
    }
    for (i, r) in b.bands.iter().enumerate() {
        let x = left + slot * i as f64 + slot * 0.15;
        let bw = slot * 0.7;
        let rate = r.conversion_rate.unwrap_or(0.0);
        let _ = writeln!(
            s,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"#0969da\"><title>score {}: {} of {} converted ({})</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            y(rate),
            plot_h * rate / axis,
            esc(&r.label),
            count(r.converted),
            count(r.inquiries),
            percent(r.conversion_rate),
            x + bw / 2.0,
            y(rate) - 4.0,
            percent(r.conversion_rate),
            x + bw / 2.0,
            h - bottom + 14.0,
            two_lines(&r.label, x + bw / 2.0)
        );
    }
    if let Some(base) = b.conversion_rate {
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#cf222e\" stroke-dasharray=\"5 4\"/><text x=\"{}\" y=\"{:.1}\" style=\"fill:#cf222e\">overall {}</text>",
            w - right,
            w - right + 4.0,
            y(base) + 4.0,
            percent(Some(base)),
            y = y(base)
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">score (lowest band first)</text>\n</svg>",
        left + (w - left - right) / 2.0,
        h - 6.0
    );
    s
}

fn stage_table(b: &Backtest) -> String {
    let mut s = String::from(
        "<table>\n<tr><th>stage</th><th>inquiries</th><th>converted</th><th>conversion</th><th>95% interval</th><th>share of conversions</th><th>precision at or above</th><th>recall at or above</th></tr>\n",
    );
    for st in &b.stages {
        let (p, r) = st
            .at_or_above
            .as_ref()
            .map_or((String::new(), String::new()), |a| {
                (percent(a.precision), percent(a.recall))
            });
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{p}</td><td class=\"n\">{r}</td></tr>",
            esc(&st.name),
            count(st.inquiries),
            count(st.converted),
            percent(st.conversion_rate),
            interval(st.interval),
            percent(st.share_of_conversions)
        );
    }
    s.push_str("</table>\n");
    s
}

fn verdict_colour(v: Verdict) -> &'static str {
    match v {
        Verdict::Earns => "#1a7f37",
        Verdict::WrongWay => "#cf222e",
        Verdict::Label => "#8c959f",
        _ => "#bf8700",
    }
}

/// Horizontal bars on a log scale around lift 1 (right: converts better when
/// matched), coloured by verdict.
fn lift_chart(b: &Backtest) -> String {
    let rows: Vec<_> = b.criteria.iter().filter(|c| c.lift.is_some()).collect();
    let (w, row_h, label_w, top) = (760.0, 22.0, 230.0, 24.0);
    let h = top + row_h * rows.len() as f64 + 30.0;
    let plot_w = w - label_w - 20.0;
    // log2(lift) from -3 (1/8) to 3 (8), clamped.
    let x = |lift: f64| {
        let l = lift.max(1e-9).log2().clamp(-3.0, 3.0);
        label_w + plot_w * (l + 3.0) / 6.0
    };
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"lift of each criterion\">\n"
    );
    for tick in [0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0] {
        let _ = writeln!(
            s,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top}\" y2=\"{:.1}\" stroke=\"{}\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{tick}×</text>",
            h - 30.0,
            if tick == 1.0 { "#1f2328" } else { "#eaeef2" },
            top - 8.0,
            x = x(tick)
        );
    }
    for (i, c) in rows.iter().enumerate() {
        let lift = c.lift.unwrap_or(1.0);
        let y = top + row_h * i as f64 + 3.0;
        let (x0, x1) = (x(1.0).min(x(lift)), x(1.0).max(x(lift)));
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{} ({})</text>\
             <rect x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: lift {}, {}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_w - 8.0,
            y + 12.0,
            esc(&c.name),
            esc(&points(c.points, c.per_unit)),
            (x1 - x0).max(1.0),
            row_h - 6.0,
            verdict_colour(c.verdict),
            esc(&c.name),
            ratio(c.lift),
            c.verdict.describe(),
            x1 + 4.0,
            y + 12.0,
            ratio(c.lift)
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">conversion when matched ÷ overall conversion (log scale)</text>\n</svg>",
        label_w + plot_w / 2.0,
        h - 8.0
    );
    s.push_str("<p class=\"note\">Green: earns its points. Red: its points point the wrong way. Amber: no clear effect, never or always matched. Grey: a label without points.</p>\n");
    s
}

fn criteria_table(b: &Backtest) -> String {
    let mut s = String::from(
        "<table>\n<tr><th>criterion</th><th>group</th><th>points</th><th>matched</th><th>conversion matched</th><th>not matched</th><th>lift</th><th>verdict</th></tr>\n",
    );
    for c in &b.criteria {
        let class = serde_json::to_value(c.verdict)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{class}\">{}</td></tr>",
            esc(&c.name),
            esc(c.group.as_deref().unwrap_or("")),
            esc(&points(c.points, c.per_unit)),
            count(c.matched),
            percent(c.rate_matched),
            percent(c.rate_not_matched),
            ratio(c.lift),
            c.verdict.describe()
        );
    }
    s.push_str("</table>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn names_are_escaped() {
        assert_eq!(
            esc("<b>\"R&D\"</b>"),
            "&lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt;"
        );
    }
}
