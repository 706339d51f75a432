//! A [`DefinitionDiff`] → text for a terminal or markdown for a pull request.
//!
//! JSON is the serde form of the same structure (see the CLI).

use super::{Change, ChangeKind, DefinitionDiff, Detail, Kind, OrderChange, Summary};
use owo_colors::OwoColorize;

/// Old and new on one line when both are at most this long, else on two.
const ONE_LINE: usize = 32;

/// Colours for a terminal, or none.
#[derive(Clone, Copy)]
pub struct Paint(pub bool);

impl Paint {
    pub fn added(self, s: &str) -> String {
        if self.0 {
            s.green().to_string()
        } else {
            s.to_string()
        }
    }
    pub fn removed(self, s: &str) -> String {
        if self.0 {
            s.red().to_string()
        } else {
            s.to_string()
        }
    }
    pub fn changed(self, s: &str) -> String {
        if self.0 {
            s.yellow().to_string()
        } else {
            s.to_string()
        }
    }
    pub fn heading(self, s: &str) -> String {
        if self.0 {
            s.bold().to_string()
        } else {
            s.to_string()
        }
    }
    pub fn dim(self, s: &str) -> String {
        if self.0 {
            s.dimmed().to_string()
        } else {
            s.to_string()
        }
    }
}

/// A declaration's name the way the language writes it.
pub fn shown_name(kind: Kind, name: &str) -> String {
    if kind.quoted_names() {
        super::print::quoted(name)
    } else {
        name.to_string()
    }
}

/// "5 changes in meaning: 2 added, 1 removed, ..." or "no change in meaning".
pub fn summary_line(s: &Summary) -> String {
    if s.total() == 0 {
        return "no change in meaning".into();
    }
    let parts: Vec<String> = [
        (s.added, "added"),
        (s.removed, "removed"),
        (s.renamed, "renamed"),
        (s.changed, "changed"),
        (s.reordered, "reordered"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, w)| format!("{n} {w}"))
    .collect();
    let total = s.total();
    format!(
        "{} in meaning: {}",
        crate::plural::count(total, "change", "changes"),
        parts.join(", ")
    )
}

pub fn text(d: &DefinitionDiff, paint: Paint) -> String {
    let mut out = format!("{}\n", paint.heading(&format!("{} → {}", d.old, d.new)));
    if !d.header.is_empty() {
        out.push_str(&format!("\n{}\n", paint.heading("header")));
        for h in &d.header {
            text_detail(h, "  ", paint, &mut out);
        }
    }
    for section in &d.sections {
        out.push_str(&format!("\n{}\n", paint.heading(section.kind.heading())));
        if let Some(order) = &section.order {
            text_order(section.kind, order, paint, &mut out);
        }
        for c in &section.changes {
            text_change(c, paint, &mut out);
        }
    }
    out.push_str(&format!("\n{}\n", summary_line(&d.summary)));
    out
}

fn names(kind: Kind, names: &[String]) -> String {
    names
        .iter()
        .map(|n| shown_name(kind, n))
        .collect::<Vec<_>>()
        .join(", ")
}

fn text_order(kind: Kind, order: &OrderChange, paint: Paint, out: &mut String) {
    out.push_str(&format!(
        "  {} order (the first that holds wins)\n    {}\n    {}\n",
        paint.changed("~"),
        paint.removed(&format!("- {}", names(kind, &order.old))),
        paint.added(&format!("+ {}", names(kind, &order.new)))
    ));
}

fn text_change(c: &Change, paint: Paint, out: &mut String) {
    let name = shown_name(c.kind, &c.name);
    let word = c.kind.word();
    match c.change {
        ChangeKind::Added => out.push_str(&format!(
            "  {}\n",
            paint.added(format!("+ {word} {name} {}", c.text.as_deref().unwrap_or("")).trim_end())
        )),
        ChangeKind::Removed => out.push_str(&format!(
            "  {}\n",
            paint
                .removed(format!("- {word} {name} {}", c.text.as_deref().unwrap_or("")).trim_end())
        )),
        ChangeKind::Renamed => out.push_str(&format!(
            "  {} {word} {name} renamed to {}\n",
            paint.changed("~"),
            shown_name(c.kind, c.new_name.as_deref().unwrap_or(""))
        )),
        ChangeKind::Changed => out.push_str(&format!("  {} {word} {name}\n", paint.changed("~"))),
    }
    for d in &c.details {
        text_detail(d, "      ", paint, out);
    }
    if !c.used_by.is_empty() {
        out.push_str(&format!("      used by: {}\n", c.used_by.join(", ")));
    }
}

fn text_detail(d: &Detail, indent: &str, paint: Paint, out: &mut String) {
    if d.old.is_empty() || d.new.is_empty() {
        let (sign, text) = if d.old.is_empty() {
            ("+", paint.added(&d.new))
        } else {
            ("-", paint.removed(&d.old))
        };
        out.push_str(&format!("{indent}{}: {sign} {text}\n", d.aspect));
        return;
    }
    if d.old.chars().count() <= ONE_LINE && d.new.chars().count() <= ONE_LINE {
        out.push_str(&format!(
            "{indent}{}: {} → {}\n",
            d.aspect,
            paint.removed(&d.old),
            paint.added(&d.new)
        ));
    } else {
        out.push_str(&format!(
            "{indent}{}:\n{indent}  {}\n{indent}  {}\n",
            d.aspect,
            paint.removed(&format!("- {}", d.old)),
            paint.added(&format!("+ {}", d.new))
        ));
    }
}

/// Inline code that survives backticks inside.
pub fn code(s: &str) -> String {
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

pub fn markdown(d: &DefinitionDiff) -> String {
    let mut out = format!(
        "## Definition changes: {} → {}\n\n**{}**\n",
        code(&d.old),
        code(&d.new),
        summary_line(&d.summary)
    );
    if !d.header.is_empty() {
        out.push_str("\n### Header\n\n");
        for h in &d.header {
            markdown_detail(h, "", &mut out);
        }
    }
    for section in &d.sections {
        let heading = section.kind.heading();
        let mut title = heading.to_string();
        if let Some(first) = title.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        out.push_str(&format!("\n### {title}\n\n"));
        if let Some(order) = &section.order {
            out.push_str(&format!(
                "- **order changed** (the first that holds wins): {} → {}\n",
                code(&names(section.kind, &order.old)),
                code(&names(section.kind, &order.new))
            ));
        }
        for c in &section.changes {
            markdown_change(c, &mut out);
        }
    }
    out
}

fn markdown_change(c: &Change, out: &mut String) {
    let name = code(&shown_name(c.kind, &c.name));
    match c.change {
        ChangeKind::Added | ChangeKind::Removed => {
            let word = if c.change == ChangeKind::Added {
                "added"
            } else {
                "removed"
            };
            match c.text.as_deref().filter(|t| !t.is_empty()) {
                Some(text) => out.push_str(&format!("- **{word}** {name}: {}\n", code(text))),
                None => out.push_str(&format!("- **{word}** {name}\n")),
            }
        }
        ChangeKind::Renamed => out.push_str(&format!(
            "- **renamed** {name} → {}\n",
            code(&shown_name(c.kind, c.new_name.as_deref().unwrap_or("")))
        )),
        ChangeKind::Changed => out.push_str(&format!("- **changed** {name}\n")),
    }
    for d in &c.details {
        markdown_detail(d, "  ", out);
    }
    if !c.used_by.is_empty() {
        let users: Vec<String> = c.used_by.iter().map(|u| code(u)).collect();
        out.push_str(&format!("  - used by: {}\n", users.join(", ")));
    }
}

fn markdown_detail(d: &Detail, indent: &str, out: &mut String) {
    if d.old.is_empty() || d.new.is_empty() {
        let text = if d.old.is_empty() { &d.new } else { &d.old };
        out.push_str(&format!("{indent}- {}: {}\n", d.aspect, code(text)));
        return;
    }
    if d.old.chars().count() <= ONE_LINE && d.new.chars().count() <= ONE_LINE {
        out.push_str(&format!(
            "{indent}- {}: {} → {}\n",
            d.aspect,
            code(&d.old),
            code(&d.new)
        ));
    } else {
        out.push_str(&format!(
            "{indent}- {}:\n{indent}  ```diff\n{indent}  - {}\n{indent}  + {}\n{indent}  ```\n",
            d.aspect, d.old, d.new
        ));
    }
}
