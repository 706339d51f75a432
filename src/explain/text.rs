//! An [`Explanation`] as text for people: one line per rule, names and values,
//! columns aligned, nothing a salesperson would have to look up.

use super::why::applied_bound;
use super::{CriterionLine, Explanation, RuleLine};
use crate::model::{date_from_days, format_exact, format_score};
use crate::number::format_number;
use crate::number::signed;
use crate::semantics::Truth;
use std::fmt::Write;

/// Render `e`. The output ends with a newline.
pub fn render(e: &Explanation) -> String {
    let mut out = String::new();
    header(&mut out, e);
    let width = e
        .disqualifiers
        .iter()
        .map(|d| d.name.chars().count())
        .chain(e.criteria.iter().map(|c| c.name.chars().count()))
        .chain(e.stages.iter().map(|s| s.name.chars().count()))
        .chain(e.routes.iter().map(|r| r.name.chars().count()))
        .max()
        .unwrap_or(0);
    if !e.disqualifiers.is_empty() {
        out.push_str("\ndisqualifiers\n");
        for d in &e.disqualifiers {
            rule_line(&mut out, d, width);
        }
    }
    if !e.criteria.is_empty() {
        let points: Vec<String> = e.criteria.iter().map(points_text).collect();
        let pw = points.iter().map(|p| p.chars().count()).max().unwrap_or(0);
        out.push_str("\ncriteria\n");
        for (c, p) in e.criteria.iter().zip(&points) {
            criterion_line(&mut out, c, p, width, pw);
        }
    }
    totals(&mut out, e);
    stage(&mut out, e, width);
    if e.has_routes {
        route(&mut out, e, width);
    }
    if e.has_handoff {
        handoff(&mut out, e);
    }
    out
}

/// The hand-off brief, a line each, or why there is none.
fn handoff(out: &mut String, e: &Explanation) {
    match &e.handoff {
        None => out.push_str("\nhand-off: none (its condition does not hold)\n"),
        Some(lines) if lines.is_empty() => {
            out.push_str("\nhand-off: every line dropped (a value it names is missing)\n")
        }
        Some(lines) => {
            out.push_str("\nhand-off\n");
            for l in lines {
                let _ = writeln!(out, "  {l}");
            }
        }
    }
}

fn header(out: &mut String, e: &Explanation) {
    let who = match &e.id {
        Some(id) if !id.is_missing() => format!("inquiry {}", id.display()),
        _ => "inquiry".to_string(),
    };
    let _ = write!(out, "{who}, as of {}", date_from_days(e.as_of));
    match (&e.definition, &e.version) {
        (Some(d), Some(v)) => {
            let _ = write!(out, " ({d}, version {v})");
        }
        (Some(d), None) => {
            let _ = write!(out, " ({d})");
        }
        (None, Some(v)) => {
            let _ = write!(out, " (version {v})");
        }
        (None, None) => {}
    }
    out.push('\n');
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

fn because(facts: &[super::trace::Fact], note: Option<&str>) -> String {
    let mut parts: Vec<String> = facts.iter().map(|f| f.text()).collect();
    if let Some(n) = note {
        parts.push(n.to_string());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("   ({})", parts.join("; "))
    }
}

fn rule_line(out: &mut String, r: &RuleLine, width: usize) {
    let _ = writeln!(
        out,
        "  {}  {}  {}{}",
        pad(&r.name, width),
        pad(r.held.word(), 7),
        r.rule,
        because(&r.facts, None)
    );
}

fn points_text(c: &CriterionLine) -> String {
    if c.nominal == 0.0 {
        // A label earns nothing; a blank says so better than a 0.
        String::new()
    } else if c.points == 0.0 {
        // Earned nothing (did not hold), not points of zero.
        "0".into()
    } else {
        signed(c.points, format_number)
    }
}

fn criterion_line(out: &mut String, c: &CriterionLine, points: &str, width: usize, pw: usize) {
    let _ = writeln!(
        out,
        "  {}  {}  {}{}  {}{}",
        pad(&c.name, width),
        pad(c.held.word(), 7),
        " ".repeat(pw.saturating_sub(points.chars().count())),
        points,
        c.rule,
        because(&c.facts, c.note.as_deref())
    );
}

fn totals(out: &mut String, e: &Explanation) {
    let _ = writeln!(out, "\nscore {}", format_score(e.score));
    if e.groups.is_empty() {
        return;
    }
    let mut rows: Vec<(String, String, String)> = e
        .groups
        .iter()
        .map(|g| {
            let bound = g
                .sum
                .and_then(|sum| Some((sum, applied_bound(sum, g.floor, g.cap)?)));
            let note = match bound {
                Some((sum, (how, bound))) => format!(
                    "   ({} before its {} of {})",
                    format_number(sum),
                    if how == "capped at" { "cap" } else { "floor" },
                    format_exact(bound)
                ),
                None => String::new(),
            };
            (g.name.clone(), format_score(g.score), note)
        })
        .collect();
    let has_ungrouped = e.criteria.iter().any(|c| c.group.is_none());
    if has_ungrouped {
        rows.push((
            "outside groups".into(),
            format_score(e.ungrouped),
            String::new(),
        ));
    }
    let nw = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let vw = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    for (name, value, note) in rows {
        let _ = writeln!(
            out,
            "  {}  {}{value}{note}",
            pad(&name, nw),
            " ".repeat(vw - value.chars().count())
        );
    }
}

fn stage(out: &mut String, e: &Explanation, width: usize) {
    if let Some(reason) = e.reason() {
        let _ = writeln!(
            out,
            "\nstage \"{}\": disqualified as \"{reason}\", whatever the score",
            e.stage
        );
        return;
    }
    let _ = writeln!(out, "\nstage \"{}\"", e.stage);
    for s in &e.stages {
        if s.held == Truth::Yes && s.rule == "otherwise" {
            let _ = writeln!(
                out,
                "  {}  {}  otherwise   (no earlier stage held)",
                pad(&s.name, width),
                pad(s.held.word(), 7)
            );
        } else {
            rule_line(out, s, width);
        }
    }
}

/// `route "East"` and the routes tried up to it (for a disqualified inquiry
/// too: its stage is `disqualified`), or `no route` when none held.
fn route(out: &mut String, e: &Explanation, width: usize) {
    match &e.route {
        Some(r) => {
            let _ = writeln!(out, "\nroute \"{r}\"");
        }
        None => out.push_str("\nno route: none held, and no `otherwise` takes the rest\n"),
    }
    for r in &e.routes {
        if r.held == Truth::Yes && r.rule == "otherwise" {
            let _ = writeln!(
                out,
                "  {}  {}  otherwise   (no earlier route held)",
                pad(&r.name, width),
                pad(r.held.word(), 7)
            );
        } else {
            rule_line(out, r, width);
        }
    }
}
