//! The items that are not rules: header lines, the `fields` table, holidays,
//! `let`s and examples → lines.
//!
//! In: one syntax-tree item (and, for blocks, where its comments go). Out: its
//! lines, unindented for the top level.

use super::expr::{self, lit, number};
use super::rules::pad_to;
use super::sequence::{attach, Attached, Piece};
use crate::ast::{
    Assignment, Example, Expectation, FieldDecl, FieldType, FieldsBlock, Header, Holidays,
    MissingValues, Span, Spanned,
};
use crate::syntax::comments::Layout;

pub const INDENT: usize = 2;

pub fn header(layout: &Layout<'_>, h: &Header) -> Vec<String> {
    vec![format!(
        "{} {}",
        h.kind.keyword(),
        lit(layout, h.value.span)
    )]
}

pub fn holidays(layout: &Layout<'_>, h: &Holidays) -> Vec<String> {
    bracketed(layout, "holidays [", &h.dates)
}

/// `missing values ["Select", "N/A"]`, filled like `holidays`.
pub fn missing_values(layout: &Layout<'_>, m: &MissingValues) -> Vec<String> {
    bracketed(layout, "missing values [", &m.values)
}

/// `head` then the literals as written, filled to the line width, then `]`.
fn bracketed<T>(layout: &Layout<'_>, head: &str, values: &[Spanned<T>]) -> Vec<String> {
    let items: Vec<(String, Span)> = values
        .iter()
        .map(|v| (lit(layout, v.span), v.span))
        .collect();
    let mut out = expr::fill(layout, &items, head.len(), ", ", "]");
    out[0] = format!("{head}{}", &out[0][head.len()..]);
    out
}

/// Position just after the `{` opening a block, looked for after `from`
/// (outside comments), and the position of the closing `}`.
pub fn braces(layout: &Layout<'_>, from: usize, span: Span) -> Option<(usize, usize)> {
    let mut i = from;
    while i < span.end {
        if let Some(c) = layout.comments.iter().find(|c| c.start == i) {
            i = c.end;
            continue;
        }
        if layout.text.as_bytes()[i] == b'{' {
            let close = layout.tight(span.end).checked_sub(1)?;
            return (layout.text.as_bytes().get(close) == Some(&b'}')).then_some((i + 1, close));
        }
        i += 1;
    }
    None
}

/// A block `head {` ... `}` whose entries are already rendered (unindented).
pub fn braced(
    head: &str,
    opening: Option<String>,
    entries: Vec<(Attached, Vec<String>)>,
    trailing: Vec<Piece>,
) -> Vec<String> {
    if entries.is_empty() && trailing.is_empty() && opening.is_none() {
        return vec![format!("{head} {{}}")];
    }
    let mut out = vec![with_eol(format!("{head} {{"), opening.as_deref())];
    let pad = " ".repeat(INDENT);
    for (att, lines) in entries {
        push_pieces(&mut out, &att.before, &pad);
        let n = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            let line = if i + 1 == n {
                with_eol(line, att.eol.as_deref())
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
    push_pieces(&mut out, &trailing, &pad);
    out.push("}".into());
    out
}

pub fn push_pieces(out: &mut Vec<String>, pieces: &[Piece], pad: &str) {
    for p in pieces {
        match p {
            Piece::Blank => out.push(String::new()),
            Piece::Comment(c) => out.push(format!("{pad}{c}")),
        }
    }
}

pub fn with_eol(mut line: String, eol: Option<&str>) -> String {
    if let Some(c) = eol {
        line.push_str("  ");
        line.push_str(c);
    }
    line
}

/// `lines` if they keep every comment written inside `span`, else the entry
/// as written (its later lines less the block's indentation).
fn or_as_written(layout: &Layout<'_>, span: Span, lines: Vec<String>) -> Vec<String> {
    if layout.keeps_comments(span.start, span.end, &lines) {
        return lines;
    }
    let mut lines = layout.verbatim(span.start, span.end);
    for l in lines.iter_mut().skip(1) {
        let spaces = l.len() - l.trim_start_matches(' ').len();
        *l = l[spaces.min(INDENT)..].to_string();
    }
    lines
}

// ------------------------------------------------------------------ fields

/// The `fields` table: names, types, `optional`, `from`, `format` in columns
/// two spaces after their widest cell, as in `rules/northwind.lead`.
/// A cell counts towards its column's width only when something follows it on
/// its line; a `one of` type never does (it is as long as its values, and
/// what follows it goes on the next line).
pub fn fields(layout: &Layout<'_>, block: &FieldsBlock) -> Option<Vec<String>> {
    let decls: Vec<(&FieldDecl, bool)> = block.fields.iter().map(|f| (f, true)).collect();
    field_table(layout, "fields", block.span, &decls)
}

/// `events NAME { ... }`: the same table as `fields`, `lead`'s type cell
/// empty when it is left out.
pub fn events(layout: &Layout<'_>, block: &crate::ast::EventsBlock) -> Option<Vec<String>> {
    let decls: Vec<(&FieldDecl, bool)> = block.fields.iter().map(|f| (&f.decl, f.typed)).collect();
    field_table(
        layout,
        &format!("events {}", block.name.value),
        block.span,
        &decls,
    )
}

fn field_table(
    layout: &Layout<'_>,
    head: &str,
    span: Span,
    decls: &[(&FieldDecl, bool)],
) -> Option<Vec<String>> {
    let (open, close) = braces(layout, span.start, span)?;
    if layout.has_comment_inside(span.start, open) {
        return None;
    }
    let spans: Vec<Span> = decls.iter().map(|(f, _)| f.span).collect();
    let att = attach(layout, &spans, open, close);
    let rows: Vec<Vec<String>> = decls
        .iter()
        .map(|(f, typed)| {
            let mut row = cells(layout, f);
            if !typed {
                row[1] = String::new();
            }
            row
        })
        .collect();
    let columns = 6;
    let mut starts = vec![INDENT; columns];
    let mut widths = vec![0usize; columns];
    for ((f, _), row) in decls.iter().zip(&rows) {
        for k in 0..row.len().saturating_sub(1) {
            let one_of = k == 1 && matches!(f.ty.value, FieldType::OneOf(_));
            if !one_of {
                widths[k] = widths[k].max(row[k].chars().count());
            }
        }
    }
    for k in 1..columns {
        starts[k] = if widths[k - 1] == 0 && k > 1 {
            starts[k - 1]
        } else {
            starts[k - 1] + widths[k - 1] + 2
        };
    }
    let mut entries = Vec::new();
    for (((f, _), row), a) in decls.iter().zip(rows).zip(att.entries) {
        let mut lines = field_lines(layout, f, &row, &starts);
        for l in lines.iter_mut() {
            l.truncate(l.trim_end().len());
        }
        let lines = or_as_written(layout, f.span, lines);
        entries.push((a, lines));
    }
    Some(braced(head, att.opening, entries, att.trailing))
}

/// A field's cells: name, type, `optional`, `from "..."`, `format "..."`,
/// `missing when "..."`, with
/// empty cells between and none at the end.
fn cells(layout: &Layout<'_>, f: &FieldDecl) -> Vec<String> {
    let ty = match &f.ty.value {
        FieldType::OneOf(values) => format!(
            "one of {}",
            values
                .iter()
                .map(|v| lit(layout, v.span))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.describe().to_string(),
    };
    let mut row = vec![
        f.name.value.clone(),
        ty,
        if f.optional {
            "optional".into()
        } else {
            String::new()
        },
        f.from
            .as_ref()
            .map_or(String::new(), |s| format!("from {}", lit(layout, s.span))),
        f.format
            .as_ref()
            .map_or(String::new(), |s| format!("format {}", lit(layout, s.span))),
        match f.missing.is_empty() {
            true => String::new(),
            false => format!(
                "missing when {}",
                f.missing
                    .iter()
                    .map(|v| lit(layout, v.span))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    ];
    while row.last().is_some_and(String::is_empty) {
        row.pop();
    }
    row
}

/// One field's lines (unindented): the columns padded to `starts`; a long
/// `one of` list wrapped under its first value.
fn field_lines(
    layout: &Layout<'_>,
    f: &FieldDecl,
    row: &[String],
    starts: &[usize],
) -> Vec<String> {
    let mut lines = vec![row[0].clone()];
    let one_of_row = matches!(f.ty.value, FieldType::OneOf(_));
    for (k, cell) in row.iter().enumerate().skip(1) {
        if k == 1 {
            let last = lines.len() - 1;
            pad_to(&mut lines[last], starts[1] - INDENT);
            if let FieldType::OneOf(values) = &f.ty.value {
                let col = starts[1] + "one of ".len();
                let mut wrapped = one_of_lines(layout, values, col);
                wrapped[0] = format!("{}one of {}", lines[last], wrapped[0]);
                lines = wrapped;
            } else {
                lines[last].push_str(cell);
            }
            continue;
        }
        if cell.is_empty() {
            continue;
        }
        if one_of_row && k == first_option(row) {
            // A `one of` list is as long as its values: its options go on
            // the next line, under their columns.
            lines.push(String::new());
        }
        let last = lines.len() - 1;
        pad_to(&mut lines[last], starts[k] - INDENT);
        lines[last].push_str(cell);
    }
    lines
}

/// Index of the first non-empty cell after the type.
fn first_option(row: &[String]) -> usize {
    (2..row.len())
        .find(|&k| !row[k].is_empty())
        .unwrap_or(row.len())
}

/// `one of` values filled from column `col` (absolute); lines after the first
/// are returned relative to the block's indentation.
fn one_of_lines(layout: &Layout<'_>, values: &[Spanned<String>], col: usize) -> Vec<String> {
    let items: Vec<(String, Span)> = values
        .iter()
        .map(|v| (lit(layout, v.span), v.span))
        .collect();
    let mut out = expr::fill(layout, &items, col, ", ", "");
    out[0] = out[0][col..].to_string();
    for line in out.iter_mut().skip(1) {
        *line = line[INDENT..].to_string();
    }
    out
}

// ---------------------------------------------------------------- examples

enum Part<'a> {
    AsOf(&'a Spanned<String>),
    /// `events { ... }`, and the events written in it.
    Events(Span, Vec<&'a crate::ast::ExampleEvent>),
    Assignments(Vec<&'a Assignment>),
    Expect(&'a Spanned<Expectation>),
}

impl Part<'_> {
    fn span(&self) -> Span {
        match self {
            Part::AsOf(s) => s.span,
            Part::Events(span, _) => *span,
            Part::Assignments(a) => a[0].span.to(a[a.len() - 1].span),
            Part::Expect(e) => e.span,
        }
    }
}

/// An example block: its lines in the order written; runs of assignments are
/// filled several to a line, a comma ending each line that another follows.
pub fn example(layout: &Layout<'_>, ex: &Example) -> Option<Vec<String>> {
    let (open, close) = braces(layout, ex.name.span.end, ex.span)?;
    if layout.has_comment_inside(ex.span.start, open) {
        return None;
    }
    let mut parts = parts_in_order(layout, ex);
    // `as of` has no span of its own beyond its date: widen it to the keyword.
    let spans: Vec<Span> = parts.iter().map(Part::span).collect();
    let att = attach(layout, &spans, open, close);
    let n = parts.len();
    let mut entries = Vec::new();
    for (i, (part, a)) in parts.drain(..).zip(att.entries).enumerate() {
        let more_assignments = i + 1 < n && spans_are_assignments(ex, spans.get(i + 1));
        let lines = match part {
            Part::AsOf(d) => vec![format!("as of {}", lit(layout, d.span))],
            Part::Events(_, events) => {
                let items: Vec<(String, Span)> = events
                    .iter()
                    .map(|e| {
                        let mut words: Vec<String> =
                            e.word.iter().map(|w| lit(layout, w.span)).collect();
                        words.push(lit(layout, e.at.span));
                        for (name, v) in &e.values {
                            words.push(format!("{} {}", name.value, lit(layout, v.span)));
                        }
                        (words.join(" "), e.span)
                    })
                    .collect();
                let col = INDENT + "events { ".len();
                let mut lines = expr::fill(layout, &items, col, ", ", "");
                lines[0] = format!("events {{ {}", &lines[0][col..]);
                for l in lines.iter_mut().skip(1) {
                    *l = l[INDENT..].to_string();
                }
                if let Some(last) = lines.last_mut() {
                    last.push_str(" }");
                }
                if events.is_empty() {
                    lines = vec!["events {}".into()];
                }
                lines
            }
            Part::Expect(e) => expectation(layout, &e.value),
            Part::Assignments(run) => {
                let items: Vec<(String, Span)> = run
                    .iter()
                    .map(|a| {
                        (
                            format!("{}: {}", a.field.value, lit(layout, a.value.span)),
                            a.span,
                        )
                    })
                    .collect();
                let mut lines = expr::fill(layout, &items, INDENT, ", ", "");
                for l in lines.iter_mut() {
                    *l = l[INDENT..].to_string();
                }
                if more_assignments {
                    if let Some(last) = lines.last_mut() {
                        last.push(',');
                    }
                }
                lines
            }
        };
        entries.push((a, or_as_written(layout, spans[i], lines)));
    }
    Some(braced(
        &format!("example {}", lit(layout, ex.name.span)),
        att.opening,
        entries,
        att.trailing,
    ))
}

fn spans_are_assignments(ex: &Example, span: Option<&Span>) -> bool {
    span.is_some_and(|s| ex.assignments.iter().any(|a| a.span.start == s.start))
}

/// The parts of an example in source order; consecutive assignments with no
/// comment between them form one run.
fn parts_in_order<'a>(layout: &Layout<'_>, ex: &'a Example) -> Vec<Part<'a>> {
    let mut all: Vec<(usize, Part<'a>)> = Vec::new();
    if let Some(d) = &ex.as_of {
        all.push((d.span.start, Part::AsOf(d)));
    }
    for a in &ex.assignments {
        all.push((a.span.start, Part::Assignments(vec![a])));
    }
    for span in &ex.events_at {
        let inside = ex
            .events
            .iter()
            .filter(|e| e.span.start >= span.start && e.span.end <= span.end)
            .collect();
        all.push((span.start, Part::Events(*span, inside)));
    }
    for e in &ex.expectations {
        all.push((e.span.start, Part::Expect(e)));
    }
    all.sort_by_key(|(start, _)| *start);
    let mut out: Vec<Part<'a>> = Vec::new();
    for (_, part) in all {
        if let (Some(Part::Assignments(run)), Part::Assignments(next)) = (out.last_mut(), &part) {
            let prev_end = run[run.len() - 1].span.end;
            if layout
                .comments_in(prev_end, next[0].span.start)
                .next()
                .is_none()
            {
                run.push(next[0]);
                continue;
            }
        }
        out.push(part);
    }
    out
}

fn expectation(layout: &Layout<'_>, e: &Expectation) -> Vec<String> {
    let names = |head: &str, names: &[Spanned<String>]| -> Vec<String> {
        let items: Vec<(String, Span)> = names
            .iter()
            .map(|n| (lit(layout, n.span), n.span))
            .collect();
        let col = INDENT + head.len();
        let mut out = expr::fill(layout, &items, col, ", ", "");
        out[0] = format!("{head}{}", &out[0][col..]);
        for l in out.iter_mut().skip(1) {
            *l = l[INDENT..].to_string();
        }
        out
    };
    match e {
        Expectation::Stage(s) => vec![format!("expect stage {}", lit(layout, s.span))],
        Expectation::Route(r) => vec![format!("expect route {}", lit(layout, r.span))],
        Expectation::Disqualified(s) => {
            vec![format!("expect disqualified {}", lit(layout, s.span))]
        }
        Expectation::NotDisqualified => vec!["expect not disqualified".into()],
        Expectation::Score(n) => vec![format!("expect score {}", number(*n))],
        Expectation::ScoreBetween(a, b) => vec![format!(
            "expect score between {} and {}",
            number(*a),
            number(*b)
        )],
        Expectation::Matched(list) => names("expect matched ", list),
        Expectation::NotMatched(list) => names("expect not matched ", list),
    }
}
