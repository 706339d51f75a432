//! The events block and the aggregates that read it.
//!
//! In: the syntax tree's `events NAME { ... }` block and the lead's fields;
//! an aggregate as written (`count of activity where type = "call" since
//! handed_off`). Out: a [`model::Events`] (the `lead` field typed like the
//! definition's `id`, `at` a required date) and each aggregate resolved into
//! [`model::Aggregate`], its `where` over the events' fields; or diagnostics
//! (`qualify::invalid-events`, `qualify::unknown-events`, with the nearest
//! name suggested).

use super::declarations::declare_fields;
use super::expr::{Place, Resolver};
use super::Scope;
use crate::ast::{self, Item, Span};
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::model::{self, AggregateKind, EventWindow, Expr, ExprKind, Type};

/// The events block, checked; `None` when there is none or it is wrong
/// (its errors are in `diags`).
pub(super) fn events_block(
    def: &ast::Definition,
    lead_fields: &[model::Field],
    everywhere: &[ast::Spanned<String>],
    diags: &mut Vec<Diagnostic>,
) -> Option<model::Events> {
    let mut blocks = def.items.iter().filter_map(|i| match i {
        Item::Events(e) => Some(e),
        _ => None,
    });
    let block = blocks.next()?;
    for again in blocks {
        diags.push(super::declared_twice(
            again.span,
            "a second events block",
            block.span,
            "a definition reads one activity export: declare its fields in one `events` block",
        ));
    }
    let err = |span: Span, message: String, help: &str| {
        Diagnostic::error(Code::InvalidEvents, span, message).help(help.to_string())
    };
    let name = &block.name.value;
    let mut fields = declare_fields(block.fields.iter().map(|f| &f.decl), everywhere, diags);
    let mut ok = true;
    let Some(id) = lead_fields.iter().find(|f| f.name == "id") else {
        diags.push(
            err(
                block.name.span,
                format!("events `{name}` cannot be joined: the definition has no `id` field"),
                "declare the lead's key in `fields`, e.g. `id text from \"Lead ID\"`: an event's `lead` names it",
            )
            .label("needs the lead's `id`"),
        );
        return None;
    };
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    let find = |wanted: &str| fields.iter().position(|f| f.name == wanted);
    let (lead, at) = (find("lead"), find("at"));
    for (wanted, what) in [
        (
            "lead",
            "which lead the event belongs to (`lead from \"Lead ID\"`)",
        ),
        ("at", "the event's date (`at date from \"Timestamp\"`)"),
    ] {
        if find(wanted).is_none() {
            let close = did_you_mean(wanted, names.iter().copied());
            diags.push(
                err(
                    block.name.span,
                    format!("events `{name}` has no `{wanted}` field"),
                    &match close {
                        Some(c) => format!("{c} `{wanted}` is {what}"),
                        None => format!("`{wanted}` is {what}"),
                    },
                )
                .label(format!("`{wanted}` missing")),
            );
            ok = false;
        }
    }
    for written in &block.fields {
        let decl = &written.decl;
        let Some(field) = fields.iter_mut().find(|x| x.name == decl.name.value) else {
            continue;
        };
        if field.name == "lead" {
            let same = !written.typed || (field.ty == id.ty && field.one_of == id.one_of);
            if !same || decl.optional {
                diags.push(
                    err(
                        decl.span,
                        "`lead` takes the `id` field's type and is required".into(),
                        "write it without a type or `optional`: `lead from \"Lead ID\"`",
                    )
                    .label("leave the type out"),
                );
                ok = false;
            }
            field.ty = id.ty;
            field.one_of = id.one_of.clone();
            field.format = id.format.clone();
        } else if !written.typed {
            diags.push(
                err(
                    decl.name.span,
                    format!("event field `{}` has no type", decl.name.value),
                    "only `lead` takes its type from the `id` field; write e.g. `page text optional`",
                )
                .label("type expected"),
            );
            ok = false;
        } else if field.name == "at" && (field.ty != Type::Date || decl.optional) {
            diags.push(
                err(
                    decl.span,
                    "`at` is the event's date: a required `date`".into(),
                    "write `at date from \"Timestamp\"` (a date-time cell reads as its date)",
                )
                .label("not a required date"),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    Some(model::Events {
        name: name.clone(),
        fields,
        lead: lead?,
        at: at?,
        span: block.span,
    })
}

/// `count of NAME ...`, `first NAME ...`, `last NAME ...` in a lead's
/// condition: the aggregate's id (one per place written, so a `let` used
/// twice reads one value).
pub(super) fn aggregate(r: &mut Resolver, agg: &ast::Aggregate, span: Span) -> Option<Expr> {
    let kind = match agg.kind {
        ast::AggregateKind::Count | ast::AggregateKind::Each => AggregateKind::Count,
        ast::AggregateKind::First => AggregateKind::First,
        ast::AggregateKind::Last => AggregateKind::Last,
    };
    aggregate_of(r, agg, span, kind, "")
}

/// The events a per-event criterion counts, each weighing less with age:
/// `activity where ..., each halving every N days`.
pub(super) fn decayed(
    r: &mut Resolver,
    agg: &ast::Aggregate,
    span: Span,
    half_life_days: f64,
) -> Option<Expr> {
    let suffix = format!(
        ", each halving every {} days",
        model::format_exact(half_life_days)
    );
    aggregate_of(
        r,
        agg,
        span,
        AggregateKind::Decayed { half_life_days },
        &suffix,
    )
}

/// An aggregate of kind `kind`; `suffix` follows its written text.
fn aggregate_of(
    r: &mut Resolver,
    agg: &ast::Aggregate,
    span: Span,
    kind: AggregateKind,
    suffix: &str,
) -> Option<Expr> {
    let scope = r.scope;
    let words = match agg.kind {
        ast::AggregateKind::Each => "per",
        k => k.words(),
    };
    if !scope.lead_fields.is_empty() {
        r.diags.push(
            Diagnostic::error(
                Code::InvalidEvents,
                span,
                format!("`{words} {}` inside a `where`: an event's condition reads the event", agg.events.value),
            )
            .label("an aggregate of events")
            .help("compare the two aggregates outside: `(count of a where ...) > (count of a where ...)`"),
        );
        return None;
    }
    let Some(events) = &scope.events else {
        let declared = scope.events_written;
        let message = format!("unknown events `{}`", agg.events.value);
        r.diags.push(
            Diagnostic::error(Code::UnknownEvents, agg.events.span, message)
                .label("not declared")
                .help(if declared {
                    "the events block has errors; fix them first".to_string()
                } else {
                    format!(
                        "declare the activity export: `events {} {{ lead from \"Lead ID\"  at date ... }}`",
                        agg.events.value
                    )
                }),
        );
        return None;
    };
    if agg.events.value != events.name {
        let help = did_you_mean(&agg.events.value, [events.name.as_str()])
            .unwrap_or_else(|| format!("the events block is `{}`", events.name));
        r.diags.push(
            Diagnostic::error(
                Code::UnknownEvents,
                agg.events.span,
                format!("unknown events `{}`", agg.events.value),
            )
            .label("not declared")
            .help(help),
        );
        return None;
    }
    let filter = match &agg.filter {
        None => None,
        Some(cond) => {
            let inner = Scope {
                source: scope.source,
                fields: events.fields.clone(),
                lets: scope.lets.clone(),
                groups: Vec::new(),
                criteria: Vec::new(),
                stages: Vec::new(),
                inlining: Default::default(),
                events: None,
                events_written: false,
                aggregates: Default::default(),
                lead_fields: scope.fields.iter().map(|f| f.name.clone()).collect(),
            };
            let mut resolver = Resolver::new(&inner, r.diags, Place::Criterion);
            Some(resolver.condition(cond)?)
        }
    };
    let window = match &agg.window {
        None => EventWindow::All,
        Some(ast::Window::Since(d)) => {
            let d = r.resolve(d)?;
            if d.ty != Type::Date || has_aggregate(&d) {
                r.diags.push(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        d.span,
                        format!(
                            "`since` needs a date of the lead, but this is {}",
                            d.ty.article()
                        ),
                    )
                    .label("not a date of the lead")
                    .help("name a date field, e.g. `since handed_off`"),
                );
                return None;
            }
            EventWindow::Since(d)
        }
        Some(ast::Window::Last { days, business }) => {
            let n = days.value;
            if n.fract() != 0.0 || !(1.0..=100_000.0).contains(&n) {
                r.diags.push(
                    Diagnostic::error(
                        Code::InvalidNumber,
                        days.span,
                        format!(
                            "`in the last {n} days` needs a whole number of days from 1 to 100000"
                        ),
                    )
                    .label("not a whole number of days")
                    .help("write e.g. `in the last 14 days`"),
                );
                return None;
            }
            if *business {
                EventWindow::LastBusinessDays(n as u32)
            } else {
                EventWindow::LastDays(n as u32)
            }
        }
    };
    let text = scope
        .source
        .get(span.start..span.end)
        .unwrap_or(words)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        + suffix;
    let aggregate = model::Aggregate {
        kind,
        filter,
        window,
        text,
        span,
    };
    let ty = aggregate.ty();
    let mut list = scope.aggregates.borrow_mut();
    // A `let` is resolved where it is declared and where it is used: one slot.
    let id = match list.iter().position(|a| a.span.same_place(&span)) {
        Some(id) => id,
        None => {
            list.push(aggregate);
            list.len() - 1
        }
    };
    Some(Expr {
        kind: ExprKind::Aggregate(id),
        ty,
        span,
    })
}

fn has_aggregate(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Aggregate(_)) || e.children().any(has_aggregate)
}

/// A name in a `where` that is the lead's, not the event's: said plainly.
pub(super) fn lead_field_in_where(scope: &Scope, name: &str, span: Span) -> Option<Diagnostic> {
    if !scope.lead_fields.iter().any(|f| f == name) {
        return None;
    }
    let fields: Vec<String> = scope
        .fields
        .iter()
        .map(|f| format!("`{}`", f.name))
        .collect();
    Some(
        Diagnostic::error(
            Code::InvalidEvents,
            span,
            format!("`{name}` is a field of the lead, but a `where` reads the event's fields"),
        )
        .label("the lead's field")
        .help(format!(
            "the event's fields are {}; to test the lead too, put the aggregate in parentheses: `(count of ... where ...) >= 2 and {name} ...`",
            fields.join(", ")
        )),
    )
}
