//! Syntax tree → one line of definition text, for showing what changed.
//!
//! In: a condition, list, criterion body or field declaration from the syntax
//! tree. Out: its text on one line, in the language's own words, with the
//! parentheses the writer put there and the ones precedence needs, and no others.
//!
//! This is deliberately a small printer of its own rather than the formatter:
//! the diff shows single declarations on one line, where the formatter lays out
//! whole files.

use crate::ast::{
    Amount, ArithOp, Criterion, CriterionBody, Decay, Expr, ExprKind, FieldDecl, FieldType,
    LetValue, ListItem, ListLit, ListRef, StageRule, ValueEntry, ValueKey,
};
use crate::model::format_literal;
use crate::number::signed;

/// Binding strength, loosest first, following the grammar's precedence.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Or,
    And,
    Not,
    Comparison,
    Sum,
    Product,
    Negation,
    Primary,
}

fn level(e: &Expr) -> Level {
    match &e.kind {
        ExprKind::Or(_) => Level::Or,
        ExprKind::And(_) => Level::And,
        ExprKind::Not(_) => Level::Not,
        ExprKind::Compare(..)
        | ExprKind::Between(..)
        | ExprKind::In { .. }
        | ExprKind::TextTest(..)
        | ExprKind::Matches(..)
        | ExprKind::IsMissing(_)
        | ExprKind::IsPresent(_) => Level::Comparison,
        ExprKind::Arith(ArithOp::Add | ArithOp::Sub, ..) => Level::Sum,
        ExprKind::Arith(ArithOp::Mul | ArithOp::Div, ..) => Level::Product,
        ExprKind::Neg(_) => Level::Negation,
        _ => Level::Primary,
    }
}

/// A condition or value as text.
pub fn expr(e: &Expr) -> String {
    let mut out = String::new();
    write_expr(e, &mut out);
    out
}

/// Write `e`, in parentheses when it binds more loosely than `at_least`.
fn operand(e: &Expr, at_least: Level, out: &mut String) {
    if level(e) < at_least {
        out.push('(');
        write_expr(e, out);
        out.push(')');
    } else {
        write_expr(e, out);
    }
}

fn joined(items: &[Expr], separator: &str, at_least: Level, out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        operand(item, at_least, out);
    }
}

fn write_expr(e: &Expr, out: &mut String) {
    match &e.kind {
        ExprKind::Number(n) => out.push_str(&number(*n)),
        ExprKind::Text(t) => out.push_str(&quoted(t)),
        ExprKind::Date(d) => out.push_str(d),
        ExprKind::Bool(b) => out.push_str(if *b { "yes" } else { "no" }),
        ExprKind::Name(n) => out.push_str(n),
        ExprKind::Score => out.push_str("score"),
        ExprKind::Stage => out.push_str("stage"),
        ExprKind::Matched(name) => {
            out.push_str("matched ");
            out.push_str(&quoted(&name.value));
        }
        ExprKind::Aggregate(agg) => {
            // `per activity where ...` has no words of its own.
            if !agg.kind.words().is_empty() {
                out.push_str(agg.kind.words());
                out.push(' ');
            }
            out.push_str(&agg.events.value);
            if let Some(filter) = &agg.filter {
                out.push_str(" where ");
                write_expr(filter, out);
            }
            match &agg.window {
                None => {}
                Some(crate::ast::Window::Since(d)) => {
                    out.push_str(" since ");
                    match d.kind {
                        ExprKind::Name(_)
                        | ExprKind::Date(_)
                        | ExprKind::Paren(_)
                        | ExprKind::Call(..) => write_expr(d, out),
                        _ => {
                            out.push('(');
                            write_expr(d, out);
                            out.push(')');
                        }
                    }
                }
                Some(crate::ast::Window::Last { days, business }) => {
                    out.push_str(&format!(
                        " in the last {} {}days",
                        number(days.value),
                        if *business { "business " } else { "" }
                    ));
                }
            }
        }
        ExprKind::Call(name, args) => {
            out.push_str(&name.value);
            out.push('(');
            joined(args, ", ", Level::Or, out);
            out.push(')');
        }
        ExprKind::AtLeast(n, items) => {
            out.push_str(&format!("at least {} of (", number(n.value)));
            joined(items, ", ", Level::Or, out);
            out.push(')');
        }
        ExprKind::DaysSince(d) | ExprKind::BusinessDaysSince(d) => {
            if matches!(e.kind, ExprKind::BusinessDaysSince(_)) {
                out.push_str("business ");
            }
            out.push_str("days since ");
            // The grammar takes a name, a date, a call or a parenthesised expression here.
            match d.kind {
                ExprKind::Name(_) | ExprKind::Date(_) | ExprKind::Paren(_) | ExprKind::Call(..) => {
                    write_expr(d, out)
                }
                _ => {
                    out.push('(');
                    write_expr(d, out);
                    out.push(')');
                }
            }
        }
        ExprKind::Paren(inner) => {
            out.push('(');
            write_expr(inner, out);
            out.push(')');
        }
        ExprKind::Neg(inner) => {
            out.push('-');
            operand(inner, Level::Negation, out);
        }
        ExprKind::Not(inner) => {
            out.push_str("not ");
            operand(inner, Level::Not, out);
        }
        ExprKind::And(items) => joined(items, " and ", Level::Not, out),
        ExprKind::Or(items) => joined(items, " or ", Level::And, out),
        ExprKind::Arith(op, l, r) => {
            let (left, right) = match op {
                ArithOp::Add | ArithOp::Sub => (Level::Sum, Level::Product),
                ArithOp::Mul | ArithOp::Div => (Level::Product, Level::Negation),
            };
            operand(l, left, out);
            out.push_str(&format!(" {} ", op.symbol()));
            operand(r, right, out);
        }
        ExprKind::Compare(op, l, r) => {
            operand(l, Level::Sum, out);
            out.push_str(&format!(" {} ", op.symbol()));
            operand(r, Level::Sum, out);
        }
        ExprKind::Between(v, lo, hi) => {
            operand(v, Level::Sum, out);
            out.push_str(" between ");
            operand(lo, Level::Sum, out);
            out.push_str(" and ");
            operand(hi, Level::Sum, out);
        }
        ExprKind::In {
            value,
            list,
            negated,
        } => {
            operand(value, Level::Sum, out);
            out.push_str(if *negated { " not in " } else { " in " });
            match list {
                ListRef::Literal(l) => out.push_str(&list_literal(l)),
                ListRef::Named(n) => out.push_str(&n.value),
            }
        }
        ExprKind::TextTest(op, l, r) => {
            operand(l, Level::Sum, out);
            out.push_str(&format!(" {} ", op.words()));
            operand(r, Level::Sum, out);
        }
        ExprKind::Matches(v, re) => {
            operand(v, Level::Sum, out);
            out.push_str(&format!(" matches /{}/", re.value));
        }
        ExprKind::IsMissing(v) => {
            operand(v, Level::Sum, out);
            out.push_str(" is missing");
        }
        ExprKind::IsPresent(v) => {
            operand(v, Level::Sum, out);
            out.push_str(" is present");
        }
    }
}

/// A number as written in a definition: `1000`, `2.5`, `-3`.
pub fn number(n: f64) -> String {
    format_literal(n)
}

/// Points with their sign, as written in a definition: `+20`, `-15`, `+0`.
pub fn points(n: f64) -> String {
    signed(n, format_literal)
}

/// A cap or half-life as written: `10`, or the name of a `let` value.
pub fn amount(a: &Amount) -> String {
    match a {
        Amount::Literal(n) => number(*n),
        Amount::Named { name, negative } => format!("{}{name}", if *negative { "-" } else { "" }),
    }
}

/// Points as written: `+20`, `-15`, `+strong`, `-strong`.
pub fn points_of(a: &Amount) -> String {
    match a {
        Amount::Literal(n) => points(*n),
        Amount::Named { name, negative } => format!("{}{name}", if *negative { '-' } else { '+' }),
    }
}

/// A text literal in double quotes, escaped the way the grammar reads it back.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn list_literal(l: &ListLit) -> String {
    let items: Vec<String> = l.items.iter().map(|i| list_item(&i.value)).collect();
    format!("[{}]", items.join(", "))
}

pub fn list_item(i: &ListItem) -> String {
    match i {
        ListItem::Text(t) => quoted(t),
        ListItem::Number(n) => number(*n),
        ListItem::Date(d) => d.clone(),
    }
}

/// The right-hand side of a `let`.
pub fn let_value(v: &LetValue) -> String {
    match v {
        LetValue::List(l) => list_literal(l),
        LetValue::Condition(e) => expr(e),
    }
}

/// A field's declaration after its name: `number optional from "Budget"`.
pub fn field(f: &FieldDecl) -> String {
    let mut out = field_type(&f.ty.value);
    if f.optional {
        out.push_str(" optional");
    }
    if let Some(from) = &f.from {
        out.push_str(&format!(" from {}", quoted(&from.value)));
    }
    if let Some(format) = &f.format {
        out.push_str(&format!(" format {}", quoted(&format.value)));
    }
    out
}

pub fn field_type(t: &FieldType) -> String {
    match t {
        FieldType::OneOf(values) => {
            let values: Vec<String> = values.iter().map(|v| quoted(&v.value)).collect();
            format!("one of {}", values.join(", "))
        }
        other => other.describe().to_string(),
    }
}

pub fn decay(d: &Decay) -> String {
    d.written(&amount(&d.every_days.value))
}

/// A criterion after its name: `+20 when job_title matches /owner/`.
pub fn criterion(c: &Criterion) -> String {
    let mut out = String::new();
    if let Some(p) = &c.points {
        out.push_str(&points_of(&p.value));
        out.push(' ');
    }
    match &c.body {
        CriterionBody::When { condition, decay } => {
            out.push_str("when ");
            out.push_str(&expr(condition));
            if let Some(d) = decay {
                out.push_str(", ");
                out.push_str(&self::decay(d));
            }
        }
        CriterionBody::PerUnit {
            amount,
            cap,
            condition,
            decay,
        } => {
            out.push_str("per ");
            out.push_str(&expr(amount));
            if let Some(cap) = cap {
                out.push_str(&format!(", at most {}", self::amount(&cap.value)));
            }
            if let Some(d) = decay {
                out.push_str(", ");
                out.push_str(&self::decay(d));
            }
            if let Some(c) = condition {
                out.push_str(" when ");
                out.push_str(&expr(c));
            }
        }
        CriterionBody::ByValue { field, entries } => {
            let entries: Vec<String> = entries.iter().map(value_entry).collect();
            out.push_str(&format!(
                "points by {} {{ {} }}",
                field.value,
                entries.join(", ")
            ));
        }
    }
    out
}

/// A points-by-value key: `"API"`, `3`, `yes`; `otherwise` for none.
pub fn value_key(k: Option<&ValueKey>) -> String {
    match k {
        None => "otherwise".into(),
        Some(ValueKey::Text(t)) => quoted(t),
        Some(ValueKey::Number(n)) => number(*n),
        Some(ValueKey::Yes) => "yes".into(),
        Some(ValueKey::No) => "no".into(),
    }
}

/// `"API": +5`, `otherwise 0`.
pub fn value_entry(e: &ValueEntry) -> String {
    let key = value_key(e.key.as_ref().map(|k| &k.value));
    match &e.key {
        Some(_) => format!("{key}: {}", points_of(&e.points.value)),
        None => format!("{key} {}", points_of(&e.points.value)),
    }
}

pub fn stage_rule(rule: &StageRule) -> String {
    match rule {
        StageRule::When(e) => format!("when {}", expr(e)),
        StageRule::Otherwise(_) => "otherwise".into(),
    }
}
