//! Syntax tree condition → canonical form, so that two conditions meaning the
//! same thing compare equal.
//!
//! In: a condition from the syntax tree and the renames found so far. Out: a
//! [`Norm`] tree. Every rewrite keeps the meaning under three-valued logic:
//!
//! - parentheses go; `and`/`or` are flattened, sorted and deduplicated;
//! - `not` is pushed inward (De Morgan, `not (a < b)` → `a >= b`,
//!   `not x in L` → `x not in L`, `not x is missing` → `x is present`);
//! - `x between a and b` is `x >= a and x <= b`, which is how it is evaluated;
//! - `at least 1 of (...)` is `or`, `at least N of` N items is `and`;
//! - `x = yes` is `x`, `x = no` is `not x`;
//! - comparisons are put one way round (`a > b` and `b < a` agree), `+` and `*`
//!   operands are sorted;
//! - text is folded (trim + lowercase) because every text comparison folds,
//!   and lists are sets;
//! - names are replaced by their new names when they were renamed;
//! - `round(x)` is `round(x, 0)`.

use super::Renames;
use crate::ast::{ArithOp, CompareOp, Expr, ExprKind, ListItem, ListLit, ListRef};
use crate::semantics::text::fold as fold_text;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Norm {
    /// A number in a canonical spelling (`-0` is `0`).
    Number(String),
    /// Folded text.
    Text(String),
    Date(String),
    Bool(bool),
    Name(String),
    Score,
    /// `stage` (routes only): compared with names as written, not folded.
    Stage,
    /// `stage = "S"`, or a member of `stage in [...]`.
    StageIs(String),
    Matched(String),
    /// An aggregate of events, as `diff` prints it (its `where` over the
    /// events' fields, which renames of the lead's do not touch).
    Aggregate(String),
    AtLeast(usize, Vec<Norm>),
    DaysSince(Box<Norm>),
    BusinessDaysSince(Box<Norm>),
    Neg(Box<Norm>),
    Not(Box<Norm>),
    And(Vec<Norm>),
    Or(Vec<Norm>),
    Arith(&'static str, Box<Norm>, Box<Norm>),
    Compare(&'static str, Box<Norm>, Box<Norm>),
    In {
        value: Box<Norm>,
        list: NormList,
        negated: bool,
    },
    TextTest(&'static str, Box<Norm>, Box<Norm>),
    Matches(Box<Norm>, String),
    IsMissing(Box<Norm>),
    IsPresent(Box<Norm>),
    /// A function call; `round(x)` is `round(x, 0)`.
    Call(String, Vec<Norm>),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NormList {
    /// Sorted, without repeats.
    Items(Vec<Norm>),
    Named(String),
}

/// The canonical form of a condition or value.
pub fn normalize(e: &Expr, renames: &Renames) -> Norm {
    match &e.kind {
        ExprKind::Number(n) => number(*n),
        ExprKind::Text(t) => Norm::Text(fold_text(t)),
        ExprKind::Date(d) => Norm::Date(d.clone()),
        ExprKind::Bool(b) => Norm::Bool(*b),
        ExprKind::Name(n) => Norm::Name(renames.value(n)),
        ExprKind::Score => Norm::Score,
        ExprKind::Stage => Norm::Stage,
        ExprKind::Compare(op, l, r) if is_stage(l) || is_stage(r) => {
            let other = if is_stage(l) { r } else { l };
            stage_compare(*op, other, renames)
        }
        ExprKind::In {
            value,
            list: ListRef::Literal(l),
            negated,
        } if is_stage(value) => {
            let any = or(l
                .items
                .iter()
                .map(|i| match &i.value {
                    ListItem::Text(t) => Norm::StageIs(t.clone()),
                    _ => Norm::Text(format!("{:?}", i.value)),
                })
                .collect());
            if *negated {
                negate(any)
            } else {
                any
            }
        }
        ExprKind::Matched(name) => Norm::Matched(renames.criterion(&name.value)),
        ExprKind::Aggregate(_) => Norm::Aggregate(super::print::expr(e)),
        ExprKind::AtLeast(n, items) => at_least(n.value, items, renames),
        ExprKind::DaysSince(d) => Norm::DaysSince(Box::new(normalize(d, renames))),
        ExprKind::BusinessDaysSince(d) => Norm::BusinessDaysSince(Box::new(normalize(d, renames))),
        ExprKind::Paren(inner) => normalize(inner, renames),
        ExprKind::Neg(inner) => match normalize(inner, renames) {
            Norm::Number(n) => match n.strip_prefix('-') {
                Some(positive) => Norm::Number(positive.to_string()),
                None if n == "0" => Norm::Number(n),
                None => Norm::Number(format!("-{n}")),
            },
            Norm::Neg(x) => *x,
            other => Norm::Neg(Box::new(other)),
        },
        ExprKind::Not(inner) => negate(normalize(inner, renames)),
        ExprKind::And(items) => and(items.iter().map(|i| normalize(i, renames)).collect()),
        ExprKind::Or(items) => or(items.iter().map(|i| normalize(i, renames)).collect()),
        ExprKind::Arith(op, l, r) => {
            let (mut l, mut r) = (normalize(l, renames), normalize(r, renames));
            if matches!(op, ArithOp::Add | ArithOp::Mul) && r < l {
                std::mem::swap(&mut l, &mut r);
            }
            Norm::Arith(op.symbol(), Box::new(l), Box::new(r))
        }
        ExprKind::Compare(op, l, r) => compare(*op, normalize(l, renames), normalize(r, renames)),
        ExprKind::Between(v, lo, hi) => {
            let v = normalize(v, renames);
            and(vec![
                compare(CompareOp::Ge, v.clone(), normalize(lo, renames)),
                compare(CompareOp::Le, v, normalize(hi, renames)),
            ])
        }
        ExprKind::In {
            value,
            list,
            negated,
        } => Norm::In {
            value: Box::new(normalize(value, renames)),
            list: match list {
                ListRef::Literal(l) => NormList::Items(list_items(l)),
                ListRef::Named(n) => NormList::Named(renames.value(&n.value)),
            },
            negated: *negated,
        },
        ExprKind::TextTest(op, l, r) => Norm::TextTest(
            op.words(),
            Box::new(normalize(l, renames)),
            Box::new(normalize(r, renames)),
        ),
        ExprKind::Matches(v, re) => {
            Norm::Matches(Box::new(normalize(v, renames)), re.value.clone())
        }
        ExprKind::IsMissing(v) => Norm::IsMissing(Box::new(normalize(v, renames))),
        ExprKind::IsPresent(v) => Norm::IsPresent(Box::new(normalize(v, renames))),
        ExprKind::Call(name, args) => {
            let mut args: Vec<Norm> = args.iter().map(|a| normalize(a, renames)).collect();
            if name.value == "round" && args.len() == 1 {
                args.push(number(0.0));
            }
            Norm::Call(name.value.clone(), args)
        }
    }
}

/// `stage`, perhaps in parentheses.
fn is_stage(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Stage => true,
        ExprKind::Paren(inner) => is_stage(inner),
        _ => false,
    }
}

/// `stage = "S"` is `StageIs("S")` (the name exact, as `check` reads it),
/// `stage != "S"` its negation; `stage` compared otherwise does not check.
fn stage_compare(op: CompareOp, mut other: &Expr, renames: &Renames) -> Norm {
    while let ExprKind::Paren(inner) = &other.kind {
        other = inner;
    }
    let is = match &other.kind {
        ExprKind::Text(t) => Norm::StageIs(t.clone()),
        _ => return compare(op, Norm::Stage, normalize(other, renames)),
    };
    match op {
        CompareOp::Ne => negate(is),
        _ => is,
    }
}

/// The items of a list literal as a set.
pub fn list_items(l: &ListLit) -> Vec<Norm> {
    let mut items: Vec<Norm> = l
        .items
        .iter()
        .map(|i| match &i.value {
            ListItem::Text(t) => Norm::Text(fold_text(t)),
            ListItem::Number(n) => number(*n),
            ListItem::Date(d) => Norm::Date(d.clone()),
        })
        .collect();
    items.sort();
    items.dedup();
    items
}

fn number(n: f64) -> Norm {
    let n = if n == 0.0 { 0.0 } else { n };
    Norm::Number(super::print::number(n))
}

fn at_least(n: f64, items: &[Expr], renames: &Renames) -> Norm {
    // A quoted name among the items means the criterion of that name.
    let mut parts: Vec<Norm> = items
        .iter()
        .map(|i| match &i.kind {
            ExprKind::Text(name) => Norm::Matched(renames.criterion(name)),
            _ => normalize(i, renames),
        })
        .collect();
    let n = n as usize;
    if n == 0 {
        return Norm::Bool(true);
    }
    if n == 1 {
        return or(parts);
    }
    if n == parts.len() {
        return and(parts);
    }
    if n > parts.len() {
        return Norm::Bool(false);
    }
    parts.sort();
    Norm::AtLeast(n, parts)
}

fn and(items: Vec<Norm>) -> Norm {
    junction(items, true)
}

fn or(items: Vec<Norm>) -> Norm {
    junction(items, false)
}

/// Flatten nested `and`s (or `or`s), sort, drop repeats; one item stands alone.
fn junction(items: Vec<Norm>, is_and: bool) -> Norm {
    let mut flat = Vec::new();
    for item in items {
        match item {
            Norm::And(inner) if is_and => flat.extend(inner),
            Norm::Or(inner) if !is_and => flat.extend(inner),
            other => flat.push(other),
        }
    }
    flat.sort();
    flat.dedup();
    if flat.len() == 1 {
        return flat.pop().unwrap_or(Norm::Bool(is_and));
    }
    if is_and {
        Norm::And(flat)
    } else {
        Norm::Or(flat)
    }
}

/// `not x`, pushed as far in as three-valued logic allows.
fn negate(n: Norm) -> Norm {
    match n {
        Norm::Not(x) => *x,
        Norm::Bool(b) => Norm::Bool(!b),
        Norm::And(items) => or(items.into_iter().map(negate).collect()),
        Norm::Or(items) => and(items.into_iter().map(negate).collect()),
        Norm::Compare(op, l, r) => {
            let negated = match op {
                "=" => CompareOp::Ne,
                "!=" => CompareOp::Eq,
                "<" => CompareOp::Ge,
                "<=" => CompareOp::Gt,
                ">" => CompareOp::Le,
                _ => CompareOp::Lt,
            };
            compare(negated, *l, *r)
        }
        Norm::In {
            value,
            list,
            negated,
        } => Norm::In {
            value,
            list,
            negated: !negated,
        },
        Norm::IsMissing(x) => Norm::IsPresent(x),
        Norm::IsPresent(x) => Norm::IsMissing(x),
        other => Norm::Not(Box::new(other)),
    }
}

/// A comparison one way round; a yes/no compared with `yes` or `no` is itself.
fn compare(op: CompareOp, l: Norm, r: Norm) -> Norm {
    if matches!(op, CompareOp::Eq | CompareOp::Ne) {
        let value_and_constant = match (&l, &r) {
            (Norm::Bool(_), Norm::Bool(_)) => None,
            (_, Norm::Bool(b)) => Some((l.clone(), *b)),
            (Norm::Bool(b), _) => Some((r.clone(), *b)),
            _ => None,
        };
        if let Some((value, constant)) = value_and_constant {
            let holds_when_yes = constant == (op == CompareOp::Eq);
            return if holds_when_yes { value } else { negate(value) };
        }
    }
    let flipped = match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Ge => CompareOp::Le,
        same => same,
    };
    let one = Norm::Compare(op.symbol(), Box::new(l.clone()), Box::new(r.clone()));
    let other = Norm::Compare(flipped.symbol(), Box::new(r), Box::new(l));
    one.min(other)
}
