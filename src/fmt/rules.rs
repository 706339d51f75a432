//! Disqualifiers, criteria, stages, routes and `let`s → aligned rows.
//!
//! In: consecutive rules of one kind (a "block": no blank line or comment
//! between them). Out: their lines, with the name, points and `when` columns
//! aligned. Columns start at multiples of four ([`tab_stop`]), so adding a
//! slightly longer name seldom re-aligns the whole block and review diffs stay
//! small. A rule alone in its block is written with single spaces.

use super::expr::{self, flat, lit};
use crate::ast::{Criterion, CriterionBody, Disqualify, LetDecl, LetValue, Stage, StageRule};
use crate::syntax::comments::Layout;

/// The first multiple of four at or after `col`.
pub fn tab_stop(col: usize) -> usize {
    col.div_ceil(4) * 4
}

/// One rule split into its columns.
pub struct Row<'a> {
    /// `criterion "name"`, `stage "name"`, ...
    pub head: String,
    /// `+20`, `-15` (criteria only).
    pub points: Option<String>,
    rest: Rest<'a>,
}

enum Rest<'a> {
    Let(&'a LetDecl),
    Disqualify(&'a Disqualify),
    Criterion(&'a Criterion),
    Stage(&'a Stage),
}

impl<'a> Row<'a> {
    /// `let name = ...`: consecutive `let`s align their `=`.
    pub fn let_decl(l: &'a LetDecl) -> Self {
        Row {
            head: format!("let {}", l.name.value),
            points: None,
            rest: Rest::Let(l),
        }
    }

    pub fn disqualify(layout: &Layout<'_>, d: &'a Disqualify) -> Self {
        Row {
            head: format!("disqualify {}", lit(layout, d.reason.span)),
            points: None,
            rest: Rest::Disqualify(d),
        }
    }

    pub fn criterion(layout: &Layout<'_>, c: &'a Criterion) -> Self {
        Row {
            head: format!("criterion {}", lit(layout, c.name.span)),
            points: c.points.as_ref().map(|p| lit(layout, p.span)),
            rest: Rest::Criterion(c),
        }
    }

    pub fn stage(layout: &Layout<'_>, s: &'a Stage) -> Self {
        Row {
            head: format!("stage {}", lit(layout, s.name.span)),
            points: None,
            rest: Rest::Stage(s),
        }
    }

    /// `route "East" when ...`: a stage's shape, its own block.
    pub fn route(layout: &Layout<'_>, s: &'a Stage) -> Self {
        Row {
            head: format!("route {}", lit(layout, s.name.span)),
            points: None,
            rest: Rest::Stage(s),
        }
    }

    /// What follows the name and points, starting at column `col`.
    fn rest(&self, layout: &Layout<'_>, col: usize) -> Vec<String> {
        match &self.rest {
            Rest::Let(l) => {
                let mut out = match &l.value {
                    LetValue::List(list) => expr::list(layout, list, col + 2),
                    LetValue::Condition(e) => expr::lines(layout, e, col + 2),
                };
                out[0] = format!("= {}", out[0]);
                out
            }
            Rest::Disqualify(d) => when(layout, &d.condition, col),
            Rest::Stage(s) => match &s.rule {
                StageRule::When(e) => when(layout, e, col),
                StageRule::Otherwise(_) => vec!["otherwise".into()],
            },
            Rest::Criterion(c) => match &c.body {
                CriterionBody::When { condition, decay } => {
                    let mut out = when(layout, condition, col);
                    halving(layout, decay, &mut out);
                    out
                }
                // Decay goes last, as on a fixed criterion, whichever place
                // it was written in.
                CriterionBody::PerUnit {
                    amount,
                    cap,
                    condition,
                    decay,
                } => {
                    let mut head = format!("per {}", flat(layout, amount));
                    if let Some(cap) = cap {
                        head.push_str(&format!(", at most {}", lit(layout, cap.span)));
                    }
                    let mut out = match condition {
                        None => vec![head],
                        Some(e) => {
                            let mut out = when(layout, e, col + head.len() + 1);
                            out[0] = format!("{head} {}", out[0]);
                            out
                        }
                    };
                    halving(layout, decay, &mut out);
                    out
                }
                CriterionBody::ByValue { field, entries } => by_value(layout, field, entries, col),
            },
        }
    }
}

/// `points by FIELD { KEY: POINTS, ..., otherwise POINTS }`, the entries
/// wrapped like a list (where the author broke the line or past the width),
/// each line's entries starting after the `{ `.
fn by_value(
    layout: &Layout<'_>,
    field: &crate::ast::Name,
    entries: &[crate::ast::ValueEntry],
    col: usize,
) -> Vec<String> {
    let head = format!("points by {} {{ ", field.value);
    let items: Vec<(String, crate::ast::Span)> = entries
        .iter()
        .map(|e| {
            let points = lit(layout, e.points.span);
            let text = match &e.key {
                Some(k) => format!("{}: {points}", lit(layout, k.span)),
                None => format!("otherwise {points}"),
            };
            (text, e.span)
        })
        .collect();
    let start = col + head.chars().count();
    let mut out = expr::fill(layout, &items, start, ", ", " }");
    if let Some(first) = out.first_mut() {
        *first = format!("{head}{}", &first[start..]);
    }
    out
}

/// `, halving every N days since FIELD` (or `, each halving every N days`) at the end of the last line.
fn halving(layout: &Layout<'_>, decay: &Option<crate::ast::Decay>, out: &mut [String]) {
    if let (Some(d), Some(last)) = (decay, out.last_mut()) {
        last.push_str(&format!(", {}", d.written(&lit(layout, d.every_days.span))));
    }
}

fn when(layout: &Layout<'_>, e: &crate::ast::Expr, col: usize) -> Vec<String> {
    let mut out = expr::lines(layout, e, col + "when ".len());
    out[0] = format!("when {}", out[0]);
    out
}

/// Lines of each row of a block, indented by `indent`.
pub fn block(layout: &Layout<'_>, rows: &[Row<'_>], indent: usize) -> Vec<Vec<String>> {
    let name_end = rows
        .iter()
        .map(|r| indent + r.head.chars().count())
        .max()
        .unwrap_or(indent);
    let points_width = rows
        .iter()
        .filter_map(|r| r.points.as_ref().map(|p| p.chars().count()))
        .max()
        .unwrap_or(0);
    rows.iter()
        .map(|row| {
            // A lone rule gets single spaces; a block gets aligned columns.
            let points_col = if rows.len() == 1 {
                indent + row.head.chars().count() + 1
            } else {
                tab_stop(name_end + 1)
            };
            let own_points_width = if rows.len() == 1 {
                row.points.as_ref().map_or(0, |p| p.chars().count())
            } else {
                points_width
            };
            let rest_col = if own_points_width > 0 {
                points_col + own_points_width + 1
            } else {
                points_col
            };
            let mut line = format!("{}{}", " ".repeat(indent), row.head);
            pad_to(&mut line, points_col);
            if let Some(p) = &row.points {
                pad_to(&mut line, points_col + own_points_width - p.chars().count());
                line.push_str(p);
            }
            pad_to(&mut line, rest_col);
            let mut rest = row.rest(layout, rest_col);
            rest[0] = format!("{line}{}", rest[0]);
            rest
        })
        .collect()
}

/// Add spaces until `line` is `col` characters wide.
pub fn pad_to(line: &mut String, col: usize) {
    let len = line.chars().count();
    if len < col {
        line.push_str(&" ".repeat(col - len));
    }
}
