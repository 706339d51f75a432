//! The formatter: a definition's text in, the same definition in the one
//! canonical layout out (`qualify fmt`).
//!
//! In: source text that parses. Out: formatted text, or why it was refused.
//! The layout is the one of `rules/northwind.lead`: aligned columns within a
//! block of rules, the `fields` table aligned, long conditions broken before
//! `and`/`or`, lists wrapped at [`WIDTH`], every comment kept at its place,
//! at most one blank line in a row. Where the author broke a line between the
//! operands of `and`/`or` or between list items, the break is kept.
//!
//! Safe by construction: the result is parsed again and must be the same
//! syntax tree (spans ignored) with the same comments in the same order, else
//! the text is refused with an internal error and nothing is written.

mod blocks;
mod expr;
mod rules;
mod sequence;

use crate::ast::{Definition, GroupBlock, Item, Span};
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;
use crate::syntax::comments::Layout;
use blocks::{braced, braces, push_pieces, with_eol};
use rules::Row;
use sequence::{attach, Attached};

/// Lines longer than this are broken where the language allows it.
pub const WIDTH: usize = 100;

#[derive(Debug)]
pub enum FmtError {
    /// The text does not parse; nothing to format.
    Syntax(Vec<Diagnostic>),
    /// The formatter would have changed the meaning or lost a comment. A bug.
    Internal(String),
}

/// Format a definition's text.
pub fn format_text(name: &str, text: &str) -> Result<String, FmtError> {
    let source = SourceFile::new(name, text);
    let ast = crate::syntax::parse(&source).map_err(FmtError::Syntax)?;
    // The source's text, whose lone CRs are line ends like the parser saw them.
    let layout = Layout::new(&source.text);
    let out = render(&layout, &ast);
    verify(&layout, &ast, &out)?;
    Ok(out)
}

/// The formatted text must parse to the same tree and keep every comment.
fn verify(layout: &Layout<'_>, ast: &Definition, out: &str) -> Result<(), FmtError> {
    let again = crate::syntax::parse(&SourceFile::new("<formatted>", out)).map_err(|d| {
        FmtError::Internal(format!(
            "the formatted text does not parse: {}",
            d.first().map_or("", |d| d.message.as_str())
        ))
    })?;
    if &again != ast {
        return Err(FmtError::Internal(
            "the formatted text would mean something else".into(),
        ));
    }
    let before: Vec<&str> = layout.comments.iter().map(|c| c.text.as_str()).collect();
    let after_layout = Layout::new(out);
    let after: Vec<&str> = after_layout
        .comments
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    if before != after {
        return Err(FmtError::Internal(
            "the formatted text would lose or move a comment".into(),
        ));
    }
    Ok(())
}

fn render(layout: &Layout<'_>, def: &Definition) -> String {
    let spans: Vec<_> = def.items.iter().map(Item::span).collect();
    let att = attach(layout, &spans, 0, layout.text.len());
    let mut lines: Vec<String> = Vec::new();
    if let Some(c) = &att.opening {
        lines.push(c.clone());
    }
    let entries: Vec<(&Item, Attached)> = def.items.iter().zip(att.entries).collect();
    for (lines_of_item, a) in items_lines(layout, &entries, 0) {
        push_pieces(&mut lines, &a.before, "");
        push_with_eol(&mut lines, lines_of_item, a.eol.as_deref(), "");
    }
    push_pieces(&mut lines, &att.trailing, "");
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn push_with_eol(out: &mut Vec<String>, lines: Vec<String>, eol: Option<&str>, pad: &str) {
    let n = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let line = if i + 1 == n {
            with_eol(line, eol)
        } else {
            line
        };
        out.push(if line.is_empty() {
            line
        } else {
            format!("{pad}{line}")
        });
    }
}

/// The kind of rule an item is, for grouping rows into aligned blocks.
fn rule_kind(item: &Item) -> Option<u8> {
    match item {
        Item::Disqualify(_) => Some(0),
        Item::Criterion(_) => Some(1),
        Item::Stage(_) => Some(2),
        Item::Let(_) => Some(3),
        Item::Route(_) => Some(4),
        _ => None,
    }
}

fn keeps_comments(layout: &Layout<'_>, span: Span, lines: &[String]) -> bool {
    layout.keeps_comments(span.start, span.end, lines)
}

fn row<'a>(layout: &Layout<'_>, item: &'a Item) -> Option<Row<'a>> {
    match item {
        Item::Disqualify(d) => Some(Row::disqualify(layout, d)),
        Item::Criterion(c) => Some(Row::criterion(layout, c)),
        Item::Stage(s) => Some(Row::stage(layout, s)),
        Item::Let(l) => Some(Row::let_decl(l)),
        Item::Route(r) => Some(Row::route(layout, r)),
        _ => None,
    }
}

/// A rule that formats on its own without losing a comment can join a block.
fn formats_as_row(layout: &Layout<'_>, item: &Item, indent: usize) -> bool {
    let Some(r) = row(layout, item) else {
        return false;
    };
    let lines = rules::block(layout, &[r], indent).concat();
    keeps_comments(layout, item.span(), &lines)
}

/// Lines of each item (indented by `indent` only for rows, which align with
/// each other; the caller indents the rest). An item whose layout would lose
/// a comment written inside it is kept as written.
fn items_lines<'a>(
    layout: &Layout<'_>,
    entries: &'a [(&'a Item, Attached)],
    indent: usize,
) -> Vec<(Vec<String>, &'a Attached)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        let (item, a) = &entries[i];
        let span = item.span();
        let verbatim = || {
            let mut lines = layout.verbatim(span.start, span.end);
            // Later lines keep their own indentation, less the block's.
            for l in lines.iter_mut().skip(1) {
                let spaces = l.len() - l.trim_start_matches(' ').len();
                *l = l[spaces.min(indent)..].to_string();
            }
            lines
        };
        let kind = rule_kind(item);
        if kind.is_some() && formats_as_row(layout, item, indent) {
            // A block: this rule and the following ones of the same kind with
            // nothing between them.
            let mut j = i + 1;
            while j < entries.len()
                && rule_kind(entries[j].0) == kind
                && !entries[j].1.separated()
                && formats_as_row(layout, entries[j].0, indent)
            {
                j += 1;
            }
            let rows: Vec<Row<'_>> = entries[i..j]
                .iter()
                .filter_map(|(it, _)| row(layout, it))
                .collect();
            for (lines, (_, a)) in rules::block(layout, &rows, indent)
                .into_iter()
                .zip(&entries[i..j])
            {
                let lines = lines
                    .into_iter()
                    .map(|l| l.get(indent..).unwrap_or("").to_string())
                    .collect();
                out.push((lines, a));
            }
            i = j;
            continue;
        }
        let lines = match item {
            Item::Header(h) => Some(blocks::header(layout, h)),
            Item::Fields(f) => blocks::fields(layout, f),
            Item::Events(e) => blocks::events(layout, e),
            Item::Holidays(h) => Some(blocks::holidays(layout, h)),
            Item::MissingValues(m) => Some(blocks::missing_values(layout, m)),
            Item::Let(_) => None,
            Item::Group(g) => group(layout, g),
            Item::Example(e) => blocks::example(layout, e),
            Item::Handoff(h) => Some(handoff(layout, h)),
            // A rule that would lose a comment is written as it is.
            Item::Disqualify(_) | Item::Criterion(_) | Item::Stage(_) | Item::Route(_) => None,
        };
        let lines = lines
            .filter(|l| keeps_comments(layout, span, l))
            .unwrap_or_else(verbatim);
        out.push((lines, a));
        i += 1;
    }
    out
}

/// `handoff when COND {`, a line per sentence (`"..." when COND`) or
/// `matched`, indented, `}`; kept as written when that would lose a comment.
fn handoff(layout: &Layout<'_>, h: &crate::ast::Handoff) -> Vec<String> {
    let when = |c: &Option<crate::ast::Expr>| {
        c.as_ref()
            .map(|e| format!(" when {}", expr::flat(layout, e)))
            .unwrap_or_default()
    };
    let mut lines = vec![format!("handoff{} {{", when(&h.condition))];
    for line in &h.lines {
        lines.push(match line {
            crate::ast::HandoffLine::Matched(_) => format!("{}matched", "  "),
            crate::ast::HandoffLine::Template {
                text, condition, ..
            } => format!(
                "{}{}{}",
                "  ",
                expr::lit(layout, text.span),
                when(condition)
            ),
        });
    }
    lines.push("}".into());
    lines
}

/// `group fit, at least -10, at most 50 {` with its criteria aligned inside.
fn group(layout: &Layout<'_>, g: &GroupBlock) -> Option<Vec<String>> {
    let bounds = [&g.floor, &g.cap];
    let from = bounds.iter().flat_map(|b| b.as_ref()).map(|b| b.span.end);
    let from = from.max().unwrap_or(g.name.span.end);
    let (open, close) = braces(layout, from, g.span)?;
    if layout.has_comment_inside(g.span.start, open) {
        return None;
    }
    let spans: Vec<_> = g.criteria.iter().map(|c| c.span).collect();
    let att = attach(layout, &spans, open, close);
    let items: Vec<Item> = g.criteria.iter().cloned().map(Item::Criterion).collect();
    let entries: Vec<(&Item, Attached)> = items.iter().zip(att.entries).collect();
    let rendered: Vec<(Attached, Vec<String>)> = items_lines(layout, &entries, blocks::INDENT)
        .into_iter()
        .map(|(lines, a)| {
            (
                Attached {
                    before: a.before.clone(),
                    eol: a.eol.clone(),
                },
                lines,
            )
        })
        .collect();
    // `group NAME, at least N, at most M`: the floor first, as the docs write it.
    let mut head = format!("group {}", g.name.value);
    if let Some(floor) = &g.floor {
        head.push_str(&format!(", at least {}", expr::lit(layout, floor.span)));
    }
    if let Some(cap) = &g.cap {
        head.push_str(&format!(", at most {}", expr::lit(layout, cap.span)));
    }
    Some(braced(&head, att.opening, rendered, att.trailing))
}
