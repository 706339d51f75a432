//! Declared and never used: a field (other than `id`), a `let` (list or
//! condition) or an events block. Every criterion is used: even one without points tags the
//! inquiries it matches in the output.
//!
//! In: the checked model and its syntax tree (a `let` is inlined in the
//! model, so its uses are counted in the tree). Out: findings.

use super::Finding;
use crate::ast::{self, Definition, Item, LetValue, ListRef, Span};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Earning, Expr, ExprKind, Model};
use std::collections::HashSet;

pub(super) fn run(
    model: &Model,
    ast: &Definition,
    tight: &dyn Fn(Span) -> Span,
    out: &mut Vec<Finding>,
) {
    fields(model, ast, tight, out);
    lets(ast, tight, out);
    events(model, ast, tight, out);
}

/// An events block no aggregate reads: `score` would still demand the file.
fn events(model: &Model, ast: &Definition, tight: &dyn Fn(Span) -> Span, out: &mut Vec<Finding>) {
    if !model.aggregates.is_empty() {
        return;
    }
    let Some(block) = ast.items.iter().find_map(|i| match i {
        Item::Events(e) => Some(e),
        _ => None,
    }) else {
        return;
    };
    let name = &block.name.value;
    out.push(Finding {
        diagnostic: Diagnostic::warning(
            Code::Unused,
            block.name.span,
            format!("events `{name}` are never read"),
        )
        .label("no `count of`, `first` or `last` reads them")
        .help(format!(
            "use them, e.g. `count of {name} in the last 14 days >= 2`, or remove the block (`score` asks for `--events` while it is there)"
        )),
        owner: tight(block.span),
    });
}

fn fields(model: &Model, ast: &Definition, tight: &dyn Fn(Span) -> Span, out: &mut Vec<Finding>) {
    let mut used = vec![false; model.fields.len()];
    for c in &model.criteria {
        match &c.earning {
            Earning::Fixed { condition, decay } => {
                field_uses(condition, &mut used);
                if let Some(d) = decay {
                    used[d.since] = true;
                }
            }
            Earning::PerUnit {
                amount,
                condition,
                decay,
                ..
            } => {
                field_uses(amount, &mut used);
                if let Some(c) = condition {
                    field_uses(c, &mut used);
                }
                if let Some(d) = decay {
                    used[d.since] = true;
                }
            }
            Earning::ByValue { field, .. } => used[*field] = true,
        }
    }
    for d in &model.disqualifiers {
        field_uses(&d.condition, &mut used);
    }
    for s in model.stages.iter().chain(&model.routes) {
        if let Some(c) = &s.condition {
            field_uses(c, &mut used);
        }
    }
    // An aggregate's `since D` reads the lead's fields (its `where`, the events').
    for agg in &model.aggregates {
        if let crate::model::EventWindow::Since(d) = &agg.window {
            field_uses(d, &mut used);
        }
    }
    // The hand-off brief reads fields in its conditions and its sentences.
    if let Some(h) = &model.handoff {
        h.condition.iter().for_each(|c| field_uses(c, &mut used));
        for line in &h.lines {
            let crate::model::HandoffLine::Template {
                pieces, condition, ..
            } = line
            else {
                continue;
            };
            condition.iter().for_each(|c| field_uses(c, &mut used));
            for p in pieces {
                if let crate::model::Piece::Field(f) | crate::model::Piece::DaysSince(f) = p {
                    used[*f] = true;
                }
            }
        }
    }
    let decls = ast.items.iter().find_map(|i| match i {
        Item::Fields(f) => Some(f),
        _ => None,
    });
    let Some(decls) = decls else { return };
    for decl in &decls.fields {
        let name = &decl.name.value;
        let Some(id) = model.field_named(name) else {
            continue;
        };
        if used[id] || name == "id" {
            continue;
        }
        out.push(Finding {
            diagnostic: Diagnostic::warning(
                Code::Unused,
                decl.name.span,
                format!("field `{name}` is never used"),
            )
            .label("no criterion, disqualifier or stage looks at it")
            .help("remove it, or use it in a rule; columns the definition does not name are ignored anyway"),
            owner: tight(decl.span),
        });
    }
}

pub(super) fn field_uses(e: &Expr, used: &mut [bool]) {
    if let ExprKind::Field(f) = &e.kind {
        used[*f] = true;
    }
    e.children().for_each(|x| field_uses(x, used));
}

fn lets(ast: &Definition, tight: &dyn Fn(Span) -> Span, out: &mut Vec<Finding>) {
    let mut names: HashSet<String> = HashSet::new();
    let mut visit = |e: &ast::Expr| names_in(e, &mut names);
    for item in &ast.items {
        match item {
            Item::Let(l) => {
                if let LetValue::Condition(e) = &l.value {
                    visit(e);
                }
            }
            Item::Disqualify(d) => visit(&d.condition),
            Item::Stage(s) | Item::Route(s) => {
                if let ast::StageRule::When(e) = &s.rule {
                    visit(e);
                }
            }
            Item::Handoff(h) => {
                h.condition.iter().for_each(&mut visit);
                for line in &h.lines {
                    if let ast::HandoffLine::Template {
                        condition: Some(e), ..
                    } = line
                    {
                        visit(e);
                    }
                }
            }
            _ => {}
        }
    }
    for (c, _) in ast.criteria() {
        match &c.body {
            ast::CriterionBody::When { condition, .. } => names_in(condition, &mut names),
            ast::CriterionBody::PerUnit {
                amount, condition, ..
            } => {
                names_in(amount, &mut names);
                if let Some(e) = condition {
                    names_in(e, &mut names);
                }
            }
            // Its points are named amounts, counted below.
            ast::CriterionBody::ByValue { .. } => {}
        }
    }
    // `+strong`, `at most cap`: a named amount uses its `let`.
    for a in ast.named_amounts() {
        names.extend(a.value.name().map(String::from));
    }
    for item in &ast.items {
        let Item::Let(l) = item else { continue };
        if names.contains(&l.name.value) {
            continue;
        }
        let what = match &l.value {
            LetValue::List(_) => "list",
            LetValue::Condition(e) if is_literal(e) => "value",
            LetValue::Condition(_) => "condition",
        };
        out.push(Finding {
            diagnostic: Diagnostic::warning(
                Code::Unused,
                l.name.span,
                format!("{what} `{}` is never used", l.name.value),
            )
            .label("declared here, used nowhere")
            .help("remove it, or use it in a rule"),
            owner: tight(l.span),
        });
    }
}

/// A number, text, date or yes/no written out (`let big_budget = 10000`).
fn is_literal(e: &ast::Expr) -> bool {
    use ast::ExprKind as A;
    match &e.kind {
        A::Number(_) | A::Text(_) | A::Date(_) | A::Bool(_) => true,
        A::Neg(x) | A::Paren(x) => is_literal(x),
        _ => false,
    }
}

fn names_in(e: &ast::Expr, names: &mut HashSet<String>) {
    use ast::ExprKind as A;
    match &e.kind {
        A::Name(n) => {
            names.insert(n.clone());
        }
        A::In {
            list: ListRef::Named(n),
            ..
        } => {
            names.insert(n.value.clone());
        }
        _ => {}
    }
    e.children().for_each(|x| names_in(x, names));
}
