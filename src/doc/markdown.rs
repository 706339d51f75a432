//! A [`Page`] → Markdown that renders on GitHub and in a wiki.
//!
//! In: the page in words. Out: headings, sentences and one pipe table per
//! criteria group, with an `<a id>` before each criterion and stage so links
//! from a CRM help text land on it. Text from the definition is escaped where
//! Markdown would read it as markup (`|` in a table, `*`, `_`, `<`...).

use super::capitalised;
use super::Page;
use std::fmt::Write;

/// Escape Markdown markup in text from the definition; backticked spans
/// (a regex shown as written) are kept as code.
fn esc(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            // Code span: only the table's pipe needs escaping inside it.
            let _ = write!(out, "`{}`", part.replace('|', "\\|"));
            continue;
        }
        for c in part.chars() {
            match c {
                '\\' | '*' | '_' | '[' | ']' | '|' | '#' | '<' | '>' | '`' => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
    }
    out
}

pub fn render(page: &Page) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", esc(&page.title));
    let mut meta = Vec::new();
    if let Some(v) = &page.version {
        meta.push(format!("Version {}", esc(v)));
    }
    if let Some(a) = &page.agreed_by {
        meta.push(format!("agreed by {}", esc(a)));
    }
    if !meta.is_empty() {
        let _ = writeln!(out, "{}.\n", meta.join(", "));
    }

    if let Some((rev, changes)) = &page.changes {
        let _ = writeln!(out, "## What changed since {}\n", esc(rev));
        if changes.is_empty() {
            let _ = writeln!(out, "Nothing that changes what scores.\n");
        }
        for c in changes {
            let _ = writeln!(out, "- {}", esc(c));
        }
        if !changes.is_empty() {
            out.push('\n');
        }
    }

    let _ = writeln!(out, "## What makes an inquiry a lead\n");
    let _ = writeln!(out, "{}\n", esc(&page.summary.join(" ")));

    if !page.disqualifiers.is_empty() {
        let _ = writeln!(out, "## Disqualifiers\n");
        for d in &page.disqualifiers {
            let _ = writeln!(
                out,
                "- We don't pursue “{}”: {}.",
                esc(&d.reason),
                esc(&d.condition)
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Criteria\n");
    for g in &page.groups {
        if page.groups.len() > 1 {
            let name = g.name.as_deref().map_or("Outside any group".into(), esc);
            let _ = writeln!(out, "<a id=\"{}\"></a>\n", g.anchor);
            let _ = writeln!(out, "### {name}\n");
        }
        if let Some(cap) = &g.cap {
            let _ = writeln!(out, "{}\n", esc(cap));
        }
        let _ = writeln!(
            out,
            "| Criterion | Points | When | Notes |\n|---|---|---|---|"
        );
        for c in &g.criteria {
            let _ = writeln!(
                out,
                "| <a id=\"{}\"></a>{} | {} | {} | {} |",
                c.anchor,
                esc(&c.name),
                esc(&c.points),
                esc(&c.condition),
                esc(&c.notes)
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Stages\n");
    let _ = writeln!(out, "The first that holds wins.\n");
    for (i, s) in page.stages.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. <a id=\"{}\"></a>**{}**: {}.",
            i + 1,
            s.anchor,
            esc(&s.name),
            esc(&s.condition)
        );
    }
    out.push('\n');

    if !page.routes.is_empty() {
        let _ = writeln!(out, "## Routes\n");
        let _ = writeln!(out, "Who works the inquiry: the first that holds wins.\n");
        for (i, r) in page.routes.iter().enumerate() {
            let _ = writeln!(
                out,
                "{}. <a id=\"{}\"></a>**{}**: {}.",
                i + 1,
                r.anchor,
                esc(&r.name),
                esc(&r.condition)
            );
        }
        out.push('\n');
    }

    if let Some((when, lines)) = &page.handoff {
        let _ = writeln!(out, "## Hand-off brief\n");
        let when = when
            .as_ref()
            .map(|w| format!(" when {}", esc(w)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "What a rep reads before the first call{when}; a line whose value is missing is left out:\n"
        );
        for l in lines {
            let _ = writeln!(out, "- {}", esc(l));
        }
        out.push('\n');
    }

    if let Some(l) = &page.landing {
        let _ = writeln!(
            out,
            "## How it lands on {}\n\nAs of {}: {} scored{}.\n",
            esc(&l.input),
            l.as_of,
            super::words::number(l.scored as f64),
            if l.rejected > 0 {
                format!(", {} rejected", super::words::number(l.rejected as f64))
            } else {
                String::new()
            }
        );
        let _ = writeln!(out, "| Stage | Inquiries | Share |\n|---|---:|---:|");
        for (name, n) in &l.stages {
            let _ = writeln!(
                out,
                "| {} | {n} | {} |",
                esc(name),
                super::share(*n, l.scored)
            );
        }
        out.push('\n');
    }

    if !page.examples.is_empty() {
        let _ = writeln!(out, "## Examples\n");
        for e in &page.examples {
            let _ = writeln!(out, "<a id=\"{}\"></a>\n", e.anchor);
            let _ = writeln!(
                out,
                "**{}.** {} {}\n",
                esc(&capitalised(&e.name)),
                esc(&e.inquiry),
                esc(&e.expected)
            );
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
