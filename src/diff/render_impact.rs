//! An [`Impact`] → text for a terminal or markdown for a pull request.

use super::impact::{Impact, ScoreStats};
use super::print::quoted;
use super::render::{code, Paint};
use super::render_review as review;
use crate::model::format_score;
use crate::number::format_number;
use crate::number::signed;
use crate::plural;

fn count(n: Option<u64>) -> String {
    n.map_or_else(|| "-".into(), |n| n.to_string())
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        "0%".into()
    } else {
        format!("{}%", format_number(part as f64 * 100.0 / whole as f64))
    }
}

fn headline(i: &Impact) -> String {
    let mut line = format!(
        "{} of {} ({}) {} stage",
        i.moved,
        plural::count(i.rows.compared, "inquiry", "inquiries"),
        percent(i.moved, i.rows.compared),
        plural::pick(i.moved, "changes", "change")
    );
    if i.rows.rejected > 0 {
        line.push_str(&format!(
            "; {} of {} rejected and not compared",
            i.rows.rejected,
            plural::count(i.rows.read, "row", "rows")
        ));
    }
    line
}

fn score_rows(i: &Impact) -> Vec<(&'static str, f64, f64)> {
    let pick = |s: &ScoreStats| [s.mean, s.median, s.p10, s.p90];
    let (o, n) = (pick(&i.old_score), pick(&i.new_score));
    let mut rows: Vec<(&'static str, f64, f64)> =
        ["mean", "median", "10th percentile", "90th percentile"]
            .into_iter()
            .zip(o.into_iter().zip(n))
            .map(|(label, (o, n))| (label, o, n))
            .collect();
    if i.old_score.missing + i.new_score.missing > 0 {
        // Left out of the figures above: say how many.
        rows.push((
            "missing (too large)",
            i.old_score.missing as f64,
            i.new_score.missing as f64,
        ));
    }
    rows
}

fn shift(o: f64, n: f64) -> String {
    let d = n - o;
    if !d.is_finite() {
        "too large to represent".into()
    } else if d == 0.0 {
        // A shift, not points: no change either way.
        "±0".into()
    } else {
        signed(d, format_number)
    }
}

fn reason(r: &Option<String>) -> String {
    r.as_deref().map_or_else(
        || "not disqualified".into(),
        |r| format!("disqualified {}", quoted(r)),
    )
}

/// Whether every cell below the header of column `c` is a number (or `-`).
fn numeric_column(rows: &[Vec<String>], c: usize) -> bool {
    rows.iter().skip(1).all(|r| {
        r.get(c).is_some_and(|cell| {
            let cell = cell.trim_start_matches(['+', '±']);
            cell == "-" || cell.trim_end_matches('%').parse::<f64>().is_ok()
        })
    })
}

/// A plain-text table: columns of numbers right-aligned, the others left.
fn table(rows: &[Vec<String>], indent: &str) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, s)| {
                if c > 0 && numeric_column(rows, c) {
                    format!("{s:>w$}", w = widths[c])
                } else {
                    format!("{s:<w$}", w = widths[c])
                }
            })
            .collect();
        out.push_str(indent);
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// The route migration's table, as the stage migration's.
fn route_rows(m: &super::impact::RouteMigration, corner: &str) -> Vec<Vec<String>> {
    let mut rows = vec![std::iter::once(corner.to_string())
        .chain(m.new_routes.iter().cloned())
        .collect::<Vec<_>>()];
    for (o, name) in m.old_routes.iter().enumerate() {
        rows.push(
            std::iter::once(name.clone())
                .chain(m.matrix[o].iter().map(u64::to_string))
                .collect(),
        );
    }
    rows
}

/// `12 of 400 inquiries (3%) change route`.
fn route_headline(i: &Impact, m: &super::impact::RouteMigration) -> String {
    format!(
        "{} of {} ({}) {} route",
        m.moved,
        plural::count(i.rows.compared, "inquiry", "inquiries"),
        percent(m.moved, i.rows.compared),
        plural::pick(m.moved, "changes", "change")
    )
}

fn matrix_rows(i: &Impact, corner: &str) -> Vec<Vec<String>> {
    let mut rows = vec![std::iter::once(corner.to_string())
        .chain(i.new_stages.iter().cloned())
        .collect::<Vec<_>>()];
    for (o, name) in i.old_stages.iter().enumerate() {
        rows.push(
            std::iter::once(name.clone())
                .chain(i.matrix[o].iter().map(u64::to_string))
                .collect(),
        );
    }
    rows
}

pub fn text(i: &Impact, paint: Paint) -> String {
    let mut out = format!(
        "\n{}\n  {}\n",
        paint.heading(&format!("impact on {} (as of {})", i.input, i.as_of)),
        headline(i)
    );
    out.push_str(&format!(
        "\n{}\n",
        paint.heading("stage migration (rows: old stage, columns: new stage)")
    ));
    out.push_str(&table(&matrix_rows(i, ""), "  "));
    if let Some(m) = &i.routes {
        out.push_str(&format!(
            "\n{}\n  {}\n",
            paint.heading("route migration (rows: old route, columns: new route)"),
            route_headline(i, m)
        ));
        out.push_str(&table(&route_rows(m, ""), "  "));
    }
    out.push_str(&format!("\n{}\n", paint.heading("score")));
    let mut rows = vec![vec!["".into(), "old".into(), "new".into(), "shift".into()]];
    for (label, o, n) in score_rows(i) {
        rows.push(vec![
            label.into(),
            format_number(o),
            format_number(n),
            shift(o, n),
        ]);
    }
    out.push_str(&table(&rows, "  "));
    if !i.disqualification_changes.is_empty() {
        out.push_str(&format!("\n{}\n", paint.heading("disqualification")));
        for d in &i.disqualification_changes {
            out.push_str(&format!(
                "  {:>6}  {} → {}\n",
                d.count,
                reason(&d.old),
                reason(&d.new)
            ));
        }
    }
    if !i.criteria.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            paint.heading("criteria that changed (inquiries matched)")
        ));
        let mut rows = vec![vec!["".into(), "before".into(), "after".into(), "".into()]];
        for c in &i.criteria {
            rows.push(vec![
                quoted(&c.name),
                count(c.old_matches),
                count(c.new_matches),
                change_word(&c.change).into(),
            ]);
        }
        out.push_str(&table(&rows, "  "));
    }
    if !i.sample.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            paint.heading(&format!(
                "moved inquiries (first {} of {})",
                i.sample.len(),
                i.moved
            ))
        ));
        for m in &i.sample {
            out.push_str(&format!(
                "  {}  {} → {}  (score {} → {})\n",
                m.id,
                paint.removed(&m.old_stage),
                paint.added(&m.new_stage),
                format_score(m.old_score),
                format_score(m.new_score)
            ));
            out.push_str(&format!("      {}\n", paint.dim(&m.reasons.join("; "))));
        }
    }
    if let Some(r) = &i.review {
        out.push_str(&format!(
            "\n{}\n  {}\n  {}\n",
            paint.heading("review with outcomes"),
            paint.heading(&r.verdict.line()),
            review::coverage(r)
        ));
        out.push_str(&format!(
            "\n{}\n",
            paint.heading("conversion per migration cell")
        ));
        out.push_str(&table(&review::cell_rows(r, "!"), "  "));
        if r.auc.is_some() {
            out.push_str(&format!(
                "\n{}\n",
                paint.heading("ranking (ROC AUC, DeLong)")
            ));
            out.push_str(&table(&review::auc_rows(r), "  "));
        }
        for (which, stages) in [("old", &r.old_stages), ("new", &r.new_stages)] {
            out.push_str(&format!(
                "\n{}\n",
                paint.heading(&format!("stages, {which} revision"))
            ));
            out.push_str(&table(&review::stage_rows(stages), "  "));
        }
    }
    out
}

fn change_word(change: &str) -> &str {
    match change {
        "affected" => "affected by another change",
        other => other,
    }
}

/// A markdown table; columns of numbers are right-aligned, `|` in cells escaped.
fn md_table(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for (k, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if k == 0 {
            let rule: Vec<&str> = (0..row.len())
                .map(|c| {
                    if c > 0 && numeric_column(rows, c) {
                        "--:"
                    } else {
                        ":--"
                    }
                })
                .collect();
            out.push_str(&format!("| {} |\n", rule.join(" | ")));
        }
    }
    out
}

pub fn markdown(i: &Impact) -> String {
    let mut out = format!(
        "\n## Impact on {} (as of {})\n\n**{}**\n",
        code(&i.input),
        i.as_of,
        headline(i)
    );
    out.push_str("\n### Stage migration\n\nRows: old stage; columns: new stage.\n\n");
    let mut rows = matrix_rows(i, "old ↓ / new →");
    for row in rows.iter_mut().skip(1) {
        row[0] = format!("**{}**", row[0]);
    }
    out.push_str(&md_table(&rows));
    if let Some(m) = &i.routes {
        out.push_str(&format!(
            "\n### Route migration\n\n{}. Rows: old route; columns: new route.\n\n",
            route_headline(i, m)
        ));
        let mut rows = route_rows(m, "old ↓ / new →");
        for row in rows.iter_mut().skip(1) {
            row[0] = format!("**{}**", row[0]);
        }
        out.push_str(&md_table(&rows));
    }
    out.push_str("\n### Score\n\n");
    let mut rows = vec![vec!["".into(), "old".into(), "new".into(), "shift".into()]];
    for (label, o, n) in score_rows(i) {
        rows.push(vec![
            label.into(),
            format_number(o),
            format_number(n),
            shift(o, n),
        ]);
    }
    out.push_str(&md_table(&rows));
    if !i.disqualification_changes.is_empty() {
        out.push_str("\n### Disqualification\n\n");
        let mut rows = vec![vec!["before".into(), "after".into(), "inquiries".into()]];
        for d in &i.disqualification_changes {
            rows.push(vec![reason(&d.old), reason(&d.new), d.count.to_string()]);
        }
        out.push_str(&md_table(&rows));
    }
    if !i.criteria.is_empty() {
        out.push_str("\n### Criteria that changed\n\nInquiries matched before and after.\n\n");
        let mut rows = vec![vec![
            "criterion".into(),
            "before".into(),
            "after".into(),
            "change".into(),
        ]];
        for c in &i.criteria {
            rows.push(vec![
                code(&quoted(&c.name)),
                count(c.old_matches),
                count(c.new_matches),
                change_word(&c.change).into(),
            ]);
        }
        out.push_str(&md_table(&rows));
    }
    if !i.sample.is_empty() {
        out.push_str(&format!(
            "\n### Moved inquiries (first {} of {})\n\n",
            i.sample.len(),
            i.moved
        ));
        let mut rows = vec![vec![
            "inquiry".into(),
            "stage".into(),
            "score".into(),
            "what made the difference".into(),
        ]];
        for m in &i.sample {
            rows.push(vec![
                code(&m.id),
                format!("{} → {}", m.old_stage, m.new_stage),
                format!(
                    "{} → {}",
                    format_score(m.old_score),
                    format_score(m.new_score)
                ),
                m.reasons
                    .iter()
                    .map(|r| code(r))
                    .collect::<Vec<_>>()
                    .join("; "),
            ]);
        }
        out.push_str(&md_table(&rows));
    }
    if let Some(r) = &i.review {
        out.push_str(&format!(
            "\n## Review with outcomes\n\n**Verdict — {}**\n\n{}.\n",
            r.verdict.line(),
            review::coverage(r)
        ));
        out.push_str("\n### Conversion per migration cell\n\n");
        out.push_str(&md_table(&review::cell_rows(r, "⚠")));
        if r.auc.is_some() {
            out.push_str("\n### Ranking (ROC AUC, DeLong)\n\n");
            out.push_str(&md_table(&review::auc_rows(r)));
        }
        for (which, stages) in [("old", &r.old_stages), ("new", &r.new_stages)] {
            out.push_str(&format!("\n### Stages, {which} revision\n\n"));
            out.push_str(&md_table(&review::stage_rows(stages)));
        }
    }
    out
}
