//! Conditions and values → text.
//!
//! In: a syntax-tree expression and the column it starts at. Out: its lines.
//! Literals are printed as written (so `10_000` and escapes survive); keywords
//! and spacing are canonical. A chain of `and`/`or` is broken before the
//! operator where the author broke it, and wherever a line would pass
//! [`WIDTH`]; the operator is right-aligned so the operands line up:
//!
//! ```text
//! stage "return to marketing" when handed_off is present
//!                              and call_attempts >= 4
//! ```

use super::WIDTH;
use crate::ast::{Expr, ExprKind, ListLit, ListRef, Span};
use crate::syntax::comments::Layout;

/// Text of a literal as written in the source.
pub fn lit(layout: &Layout<'_>, span: Span) -> String {
    layout.text[span.start..span.end].to_string()
}

/// A number without a span (expectations): shortest text that reads back the same.
pub fn number(n: f64) -> String {
    crate::model::format_literal(n)
}

/// The expression on one line.
pub fn flat(layout: &Layout<'_>, e: &Expr) -> String {
    let f = |x: &Expr| flat(layout, x);
    match &e.kind {
        ExprKind::Number(_) | ExprKind::Text(_) | ExprKind::Date(_) => lit(layout, e.span),
        ExprKind::Bool(true) => "yes".into(),
        ExprKind::Bool(false) => "no".into(),
        ExprKind::Name(n) => n.clone(),
        ExprKind::Score => "score".into(),
        ExprKind::Stage => "stage".into(),
        ExprKind::Matched(name) => format!("matched {}", lit(layout, name.span)),
        ExprKind::AtLeast(n, items) => format!(
            "at least {} of ({})",
            lit(layout, n.span),
            items.iter().map(f).collect::<Vec<_>>().join(", ")
        ),
        ExprKind::DaysSince(x) => format!("days since {}", f(x)),
        ExprKind::BusinessDaysSince(x) => format!("business days since {}", f(x)),
        ExprKind::Paren(x) => format!("({})", f(x)),
        ExprKind::Neg(x) => format!("-{}", f(x)),
        ExprKind::Not(x) => format!("not {}", f(x)),
        ExprKind::And(parts) => parts.iter().map(f).collect::<Vec<_>>().join(" and "),
        ExprKind::Or(parts) => parts.iter().map(f).collect::<Vec<_>>().join(" or "),
        ExprKind::Arith(op, l, r) => format!("{} {} {}", f(l), op.symbol(), f(r)),
        ExprKind::Compare(op, l, r) => format!("{} {} {}", f(l), op.symbol(), f(r)),
        ExprKind::Between(v, lo, hi) => format!("{} between {} and {}", f(v), f(lo), f(hi)),
        ExprKind::In {
            value,
            list,
            negated,
        } => format!(
            "{} {}in {}",
            f(value),
            if *negated { "not " } else { "" },
            match list {
                ListRef::Literal(l) => flat_list(layout, l),
                ListRef::Named(n) => n.value.clone(),
            }
        ),
        ExprKind::TextTest(op, l, r) => format!("{} {} {}", f(l), op.words(), f(r)),
        ExprKind::Matches(v, re) => format!("{} matches {}", f(v), lit(layout, re.span)),
        ExprKind::IsMissing(v) => format!("{} is missing", f(v)),
        ExprKind::IsPresent(v) => format!("{} is present", f(v)),
        ExprKind::Call(name, args) => format!(
            "{}({})",
            name.value,
            args.iter().map(f).collect::<Vec<_>>().join(", ")
        ),
        ExprKind::Aggregate(agg) => {
            // `per activity where ...` has no words of its own.
            let mut out = match agg.kind.words() {
                "" => agg.events.value.clone(),
                words => format!("{words} {}", agg.events.value),
            };
            if let Some(filter) = &agg.filter {
                out.push_str(" where ");
                out.push_str(&f(filter));
            }
            match &agg.window {
                None => {}
                Some(crate::ast::Window::Since(d)) => {
                    out.push_str(" since ");
                    out.push_str(&f(d));
                }
                Some(crate::ast::Window::Last { days, business }) => {
                    let business = if *business { "business " } else { "" };
                    out.push_str(&format!(
                        " in the last {} {business}days",
                        lit(layout, days.span)
                    ));
                }
            }
            out
        }
    }
}

fn flat_list(layout: &Layout<'_>, l: &ListLit) -> String {
    let items: Vec<String> = l.items.iter().map(|i| lit(layout, i.span)).collect();
    format!("[{}]", items.join(", "))
}

/// Lines of a condition whose first character is at column `col`. The first
/// line is returned without indentation, the others with their full indentation.
pub fn lines(layout: &Layout<'_>, e: &Expr, col: usize) -> Vec<String> {
    let mut out = block(layout, e, col);
    if let Some(first) = out.first_mut() {
        *first = first[col.min(first.len())..].to_string();
    }
    out
}

/// Like [`lines`], but every line carries its indentation (the first `col` spaces).
fn block(layout: &Layout<'_>, e: &Expr, col: usize) -> Vec<String> {
    match &e.kind {
        ExprKind::And(parts) => chain(layout, parts, "and", col),
        ExprKind::Or(parts) => chain(layout, parts, "or", col),
        ExprKind::Paren(inner) if !fits_flat(layout, e, col) || has_breaks(layout, inner) => {
            let mut inner_lines = block(layout, inner, col + 1);
            if let Some(first) = inner_lines.first_mut() {
                first.replace_range(col..col + 1, "(");
            }
            if let Some(last) = inner_lines.last_mut() {
                last.push(')');
            }
            inner_lines
        }
        ExprKind::AtLeast(n, items) => {
            let head = format!("at least {} of (", lit(layout, n.span));
            let texts: Vec<(String, Span)> =
                items.iter().map(|i| (flat(layout, i), i.span)).collect();
            let mut out = fill(layout, &texts, col + head.len(), ", ", ")");
            if let Some(first) = out.first_mut() {
                first.replace_range(col..col + head.len(), &head);
            }
            out
        }
        _ => vec![format!("{}{}", " ".repeat(col), flat(layout, e))],
    }
}

fn fits_flat(layout: &Layout<'_>, e: &Expr, col: usize) -> bool {
    col + flat(layout, e).chars().count() <= WIDTH
}

/// Whether the author broke the line between operands of an `and`/`or` chain
/// anywhere in `e`.
fn has_breaks(layout: &Layout<'_>, e: &Expr) -> bool {
    match &e.kind {
        ExprKind::And(parts) | ExprKind::Or(parts) => {
            parts
                .windows(2)
                .any(|w| layout.break_between(w[0].span.end, w[1].span.start))
                || parts.iter().any(|p| has_breaks(layout, p))
        }
        ExprKind::Paren(x) | ExprKind::Not(x) => has_breaks(layout, x),
        _ => false,
    }
}

/// An `and`/`or` chain: operands at `col`, the operator right-aligned before
/// them on continuation lines. Comments between operands are kept there, and
/// the next operand starts a new line.
fn chain(layout: &Layout<'_>, parts: &[Expr], kw: &str, col: usize) -> Vec<String> {
    let kw_indent = col.saturating_sub(kw.len() + 1);
    let operand_col = kw_indent + kw.len() + 1;
    let mut out: Vec<String> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            out = block(layout, part, col);
            continue;
        }
        let commented = comments_between(layout, parts[i - 1].span, part.span, kw_indent, &mut out);
        let authored_break =
            commented || layout.break_between(parts[i - 1].span.end, part.span.start);
        let rendered = block(layout, part, operand_col);
        let last_len = out.last().map_or(0, |l| l.chars().count());
        let text = rendered[0][operand_col.min(rendered[0].len())..].to_string();
        if !authored_break
            && rendered.len() == 1
            && last_len + kw.len() + 2 + text.chars().count() <= WIDTH
        {
            if let Some(last) = out.last_mut() {
                last.push_str(&format!(" {kw} {text}"));
            }
            continue;
        }
        let mut rendered = rendered;
        rendered[0] = format!("{}{kw} {text}", " ".repeat(kw_indent));
        out.extend(rendered);
    }
    out
}

/// Put the comments written between two neighbours into `out`: an
/// end-of-line comment after the last line, one on its own line as a line
/// indented by `indent`. Whether there were any.
fn comments_between(
    layout: &Layout<'_>,
    prev: Span,
    next: Span,
    indent: usize,
    out: &mut Vec<String>,
) -> bool {
    let mut any = false;
    for c in layout.comments_in(layout.tight(prev.end), next.start) {
        any = true;
        let last_is_comment = out.last().is_some_and(|l| l.trim_start().starts_with('#'));
        match out.last_mut() {
            Some(last) if !c.own_line && !last_is_comment => {
                last.push_str("  ");
                last.push_str(&c.text);
            }
            _ => out.push(format!("{}{}", " ".repeat(indent), c.text)),
        }
    }
    any
}

/// Items separated by `sep`, several to a line: a new line where the author
/// started one or where the line would pass [`WIDTH`]. Every line starts at
/// `col` (the first line is padded too); `close` ends the last line.
pub fn fill(
    layout: &Layout<'_>,
    items: &[(String, Span)],
    col: usize,
    sep: &str,
    close: &str,
) -> Vec<String> {
    let sep_trim = sep.trim_end();
    let mut out: Vec<String> = vec![" ".repeat(col)];
    for (i, (text, span)) in items.iter().enumerate() {
        let is_last = i + 1 == items.len();
        let tail = if is_last { close } else { sep_trim };
        if i > 0 {
            let commented = comments_between(layout, items[i - 1].1, *span, col, &mut out);
            let authored_break = commented || layout.break_between(items[i - 1].1.end, span.start);
            let cur = out.last().map_or(0, |l| l.chars().count());
            let fits =
                cur + sep.len() - sep_trim.len() + text.chars().count() + tail.len() <= WIDTH;
            if authored_break || !fits {
                out.push(" ".repeat(col));
            } else if let Some(last) = out.last_mut() {
                last.push_str(&sep[sep_trim.len()..]);
            }
        }
        if let Some(last) = out.last_mut() {
            last.push_str(text);
            last.push_str(tail);
        }
    }
    if items.is_empty() {
        if let Some(last) = out.last_mut() {
            last.push_str(close);
        }
    }
    out
}

/// A list literal `[a, b, c]` starting at `col`, wrapped like [`fill`].
pub fn list(layout: &Layout<'_>, l: &ListLit, col: usize) -> Vec<String> {
    let items: Vec<(String, Span)> = l
        .items
        .iter()
        .map(|i| (lit(layout, i.span), i.span))
        .collect();
    let mut out = fill(layout, &items, col + 1, ", ", "]");
    if let Some(first) = out.first_mut() {
        first.replace_range(col..col + 1, "[");
        *first = first[col..].to_string();
    }
    out
}
