//! A [`Page`] → one self-contained HTML file: inline CSS, no script, nothing
//! fetched. It prints well (no colours needed, tables kept whole on a page)
//! and reads on a phone (viewport meta; the criteria table scrolls sideways
//! inside its box rather than widening the page). Every criterion, stage,
//! group and example has an `id`, and the contents at the top link to them.
//! Every text from the definition is escaped.

use super::capitalised;
use super::{Page, StageLine};
use std::fmt::Write;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:60rem;color:#1f2328;padding:0 1rem;line-height:1.45}\
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}h3{font-size:1.05rem}\
.meta,.note{color:#59636e}.wrap{overflow-x:auto}\
table{border-collapse:collapse;font-size:.92rem;width:100%}td,th{padding:.3rem .6rem;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top}\
th{background:#f6f8fa}td.n{white-space:nowrap;font-variant-numeric:tabular-nums}\
code{background:#f6f8fa;padding:0 .2rem;border-radius:3px}\
nav ul{columns:2;padding-left:1.2rem}:target{background:#fff8c5}\
@media (max-width:40rem){nav ul{columns:1}body{margin:1rem auto}\
table,tbody,tr,td{display:block}thead{display:none}tr{border-bottom:1px solid #d0d7de;padding:.4rem 0}td{border:0;padding:.1rem 0}\
td:empty{display:none}td[data-label]::before{content:attr(data-label) \": \";color:#59636e}}\
@media print{svg,td span{print-color-adjust:exact;-webkit-print-color-adjust:exact}nav{display:none}a{color:inherit;text-decoration:none}tr,li,p{break-inside:avoid}h2,h3{break-after:avoid}}";

/// Colours of the stage bar, in stage order; "disqualified" is always grey.
const BAR: &[&str] = &[
    "#0969da", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#1b7c83",
];

/// Stage counts on an inquiry file: one stacked bar of the stage mix (inline
/// SVG, its legend the table below it) and the table.
fn landing(out: &mut String, l: &super::Landing) {
    let _ = writeln!(
        out,
        "<h2 id=\"landing\">How it lands on {}</h2>\n<p>As of {}: {} scored{}.</p>",
        esc(&l.input),
        esc(&l.as_of),
        super::words::number(l.scored as f64),
        if l.rejected > 0 {
            format!(", {} rejected", super::words::number(l.rejected as f64))
        } else {
            String::new()
        }
    );
    let colour = |i: usize, name: &str| {
        if name == crate::model::DISQUALIFIED_STAGE {
            "#8c959f"
        } else {
            BAR[i % BAR.len()]
        }
    };
    if l.scored > 0 {
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 40\" width=\"100%\" role=\"img\" aria-label=\"stage mix\">"
        );
        let mut x = 0.0;
        for (i, (name, n)) in l.stages.iter().enumerate() {
            let w = *n as f64 * 1000.0 / l.scored as f64;
            if w > 0.0 {
                let _ = write!(
                    out,
                    "<rect x=\"{x:.2}\" y=\"0\" width=\"{w:.2}\" height=\"40\" fill=\"{}\"><title>{}: {n}</title></rect>",
                    colour(i, name),
                    esc(name)
                );
            }
            x += w;
        }
        let _ = writeln!(out, "</svg>");
    }
    let _ = writeln!(
        out,
        "<div class=\"wrap\"><table>\n<thead><tr><th>Stage</th><th>Inquiries</th><th>Share</th></tr></thead>\n<tbody>"
    );
    for (i, (name, n)) in l.stages.iter().enumerate() {
        let _ = writeln!(
            out,
            "<tr><td><span style=\"color:{}\">■</span> {}</td><td class=\"n\" data-label=\"Inquiries\">{}</td><td class=\"n\" data-label=\"Share\">{}</td></tr>",
            colour(i, name),
            esc(name),
            super::words::number(*n as f64),
            super::share(*n, l.scored)
        );
    }
    let _ = writeln!(out, "</tbody>\n</table></div>");
}

/// Escape text for HTML content and attributes.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Escaped text with backticked spans (a regex shown as written) as `<code>`.
fn words(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

pub fn render(page: &Page) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        esc(&page.title),
        esc(&page.title)
    );
    let mut meta = Vec::new();
    if let Some(v) = &page.version {
        meta.push(format!("Version {}", esc(v)));
    }
    if let Some(a) = &page.agreed_by {
        meta.push(format!("agreed by {}", esc(a)));
    }
    if !meta.is_empty() {
        let _ = writeln!(out, "<p class=\"meta\">{}.</p>", meta.join(", "));
    }

    // Contents: every stage and group, so the anchors are one click away.
    let _ = writeln!(out, "<nav><ul>");
    let _ = writeln!(
        out,
        "<li><a href=\"#lead\">What makes an inquiry a lead</a></li>"
    );
    if !page.disqualifiers.is_empty() {
        let _ = writeln!(out, "<li><a href=\"#disqualifiers\">Disqualifiers</a></li>");
    }
    for g in &page.groups {
        let name = g.name.as_deref().unwrap_or("Criteria");
        let _ = writeln!(out, "<li><a href=\"#{}\">{}</a></li>", g.anchor, esc(name));
    }
    for s in &page.stages {
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">Stage: {}</a></li>",
            s.anchor,
            esc(&s.name)
        );
    }
    if !page.routes.is_empty() {
        let _ = writeln!(out, "<li><a href=\"#routes\">Routes</a></li>");
    }
    if page.landing.is_some() {
        let _ = writeln!(out, "<li><a href=\"#landing\">How it lands</a></li>");
    }
    if !page.examples.is_empty() {
        let _ = writeln!(out, "<li><a href=\"#examples\">Examples</a></li>");
    }
    let _ = writeln!(out, "</ul></nav>");

    if let Some((rev, changes)) = &page.changes {
        let _ = writeln!(
            out,
            "<h2 id=\"changes\">What changed since {}</h2>",
            esc(rev)
        );
        if changes.is_empty() {
            let _ = writeln!(out, "<p>Nothing that changes what scores.</p>");
        } else {
            let _ = writeln!(out, "<ul>");
            for c in changes {
                let _ = writeln!(out, "<li>{}</li>", words(c));
            }
            let _ = writeln!(out, "</ul>");
        }
    }
    let _ = writeln!(out, "<h2 id=\"lead\">What makes an inquiry a lead</h2>");
    let _ = writeln!(out, "<p>{}</p>", esc(&page.summary.join(" ")));

    if !page.disqualifiers.is_empty() {
        let _ = writeln!(out, "<h2 id=\"disqualifiers\">Disqualifiers</h2>\n<ul>");
        for d in &page.disqualifiers {
            let _ = writeln!(
                out,
                "<li>We don&#39;t pursue “{}”: {}.</li>",
                esc(&d.reason),
                words(&d.condition)
            );
        }
        let _ = writeln!(out, "</ul>");
    }

    let _ = writeln!(out, "<h2>Criteria</h2>");
    for g in &page.groups {
        match &g.name {
            Some(name) => {
                let _ = writeln!(out, "<h3 id=\"{}\">{}</h3>", g.anchor, esc(name));
            }
            // With no groups the criteria need no heading of their own.
            None if page.groups.len() == 1 => {
                let _ = writeln!(out, "<div id=\"{}\"></div>", g.anchor);
            }
            None => {
                let _ = writeln!(out, "<h3 id=\"{}\">Outside any group</h3>", g.anchor);
            }
        }
        if let Some(cap) = &g.cap {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(cap));
        }
        let _ = writeln!(
            out,
            "<div class=\"wrap\"><table>\n<thead><tr><th>Criterion</th><th>Points</th><th>When</th><th>Notes</th></tr></thead>\n<tbody>"
        );
        for c in &g.criteria {
            let _ = writeln!(
                out,
                "<tr id=\"{}\"><td><a href=\"#{}\">{}</a></td><td class=\"n\" data-label=\"Points\">{}</td><td data-label=\"When\">{}</td><td>{}</td></tr>",
                c.anchor,
                c.anchor,
                esc(&c.name),
                esc(&c.points),
                words(&c.condition),
                esc(&c.notes)
            );
        }
        let _ = writeln!(out, "</tbody>\n</table></div>");
    }

    first_that_holds(
        &mut out,
        "stages",
        "Stages",
        "The first that holds wins.",
        &page.stages,
    );
    if !page.routes.is_empty() {
        let intro = "Who works the inquiry: the first that holds wins.";
        first_that_holds(&mut out, "routes", "Routes", intro, &page.routes);
    }

    if let Some((when, lines)) = &page.handoff {
        let when = when
            .as_ref()
            .map(|w| format!(" when {}", words(w)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<h2 id=\"handoff\">Hand-off brief</h2>\n<p>What a rep reads before the first call{when}; a line whose value is missing is left out:</p>\n<ul>"
        );
        for l in lines {
            let _ = writeln!(out, "<li>{}</li>", esc(l));
        }
        let _ = writeln!(out, "</ul>");
    }

    if let Some(l) = &page.landing {
        landing(&mut out, l);
    }

    if !page.examples.is_empty() {
        let _ = writeln!(out, "<h2 id=\"examples\">Examples</h2>");
        for e in &page.examples {
            let _ = writeln!(
                out,
                "<p id=\"{}\"><strong>{}.</strong> {} {}</p>",
                e.anchor,
                esc(&capitalised(&e.name)),
                esc(&e.inquiry),
                esc(&e.expected)
            );
        }
    }
    let _ = writeln!(out, "</body>\n</html>");
    out
}

/// Stages or routes: a heading, a sentence, and each rule in order.
fn first_that_holds(out: &mut String, id: &str, title: &str, intro: &str, rules: &[StageLine]) {
    let _ = writeln!(out, "<h2 id=\"{id}\">{title}</h2>\n<p>{intro}</p>\n<ol>");
    for r in rules {
        let _ = writeln!(
            out,
            "<li id=\"{}\"><strong>{}</strong>: {}.</li>",
            r.anchor,
            esc(&r.name),
            words(&r.condition)
        );
    }
    let _ = writeln!(out, "</ol>");
}
