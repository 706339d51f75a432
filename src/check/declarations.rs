//! Declarations: header, fields, holidays, lets, groups, disqualifiers, criteria
//! and stages, with duplicate names and misplaced `otherwise` reported.

use super::amounts;
use super::expr::{Place, Resolver};
use super::Scope;
use crate::ast::{self, CriterionBody, FieldType, HeaderKind, Item, LetValue, Span, StageRule};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{self, Earning, Field, Model, Type, DISQUALIFIED_STAGE};
use std::collections::HashMap;

/// Build the model's declarations; `None` only when a later stage cannot run
/// (no fields block). Errors in individual items are recorded and skipped.
pub(super) fn build(
    def: &ast::Definition,
    source: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Model> {
    let mut model = Model::default();
    header(def, &mut model, diags);
    let fields = fields(def, diags)?;
    model.holidays = holidays(def, diags);

    let mut scope = Scope {
        source,
        fields,
        lets: HashMap::new(),
        groups: Vec::new(),
        criteria: Vec::new(),
        stages: super::routes::stage_names(def),
        inlining: Default::default(),
        events: None,
        events_written: def.items.iter().any(|i| matches!(i, Item::Events(_))),
        aggregates: Default::default(),
        lead_fields: Vec::new(),
    };
    scope.events = super::events::events_block(
        def,
        &scope.fields,
        missing_values(def, &mut Vec::new()),
        diags,
    );
    collect_names(def, &mut scope, diags);

    // Every `let` is checked once where it is declared, so its errors are
    // reported even when it is unused. A `let` may name a condition or a value
    // (`let big_budget = 10000`); whether it fits where it is used is checked
    // there, like any other expression.
    for item in &def.items {
        if let Item::Let(LetDecl {
            name,
            value: LetValue::Condition(e),
            ..
        }) = item
        {
            Resolver::new(&scope, diags, Place::Route).declared_let(name, e);
        }
        if let Item::Let(LetDecl {
            value: LetValue::List(list),
            ..
        }) = item
        {
            check_list(list, diags);
        }
    }

    let mut reasons: HashMap<&str, Span> = HashMap::new();
    for item in &def.items {
        if let Item::Disqualify(d) = item {
            // `diff`, `expect disqualified` and the results tell disqualifiers
            // apart by their reason, so two with one reason are one too many.
            if let Some(prev) = reasons.get(d.reason.value.as_str()) {
                diags.push(super::declared_twice(
                    d.reason.span,
                    format!("disqualifier \"{}\" is declared twice", d.reason.value),
                    *prev,
                    "give each disqualifier its own reason, or join the conditions with `or`",
                ));
                continue;
            }
            reasons.insert(&d.reason.value, d.reason.span);
            let condition =
                Resolver::new(&scope, diags, Place::Disqualifier).condition(&d.condition);
            if let Some(condition) = condition {
                model.disqualifiers.push(model::Disqualifier {
                    reason: d.reason.value.clone(),
                    condition,
                    span: d.span,
                });
            }
        }
    }

    let mut all_criteria_ok = true;
    for (c, group) in def.criteria() {
        let gid = group.and_then(|g| scope.group_id(&g.name.value));
        match criterion(c, gid, &scope, diags) {
            Some(crit) => model.criteria.push(crit),
            None => all_criteria_ok = false,
        }
    }
    for (i, g) in scope.groups.iter().enumerate() {
        let block = def.items.iter().find_map(|it| match it {
            Item::Group(b) if &b.name.value == g => Some(b),
            _ => None,
        });
        let cap = block
            .and_then(|b| b.cap.as_ref())
            .and_then(|c| amounts::resolve(c, "a cap", &scope, diags));
        let floor_at = block.and_then(|b| b.floor.as_ref());
        let floor = floor_at.and_then(|f| amounts::resolve(f, "a floor", &scope, diags));
        if let (Some(lo), Some(hi), Some(at)) = (floor, cap, floor_at) {
            if lo > hi {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidNumber,
                        at.span,
                        format!("group `{g}` can be at least {lo} or at most {hi}, not both"),
                    )
                    .label("above the cap")
                    .help("the floor is the lowest the sub-score goes: make it at most the cap"),
                );
            }
        }
        model.groups.push(model::Group {
            name: g.clone(),
            floor,
            cap,
            criteria: model
                .criteria
                .iter()
                .enumerate()
                .filter(|(_, c)| c.group == Some(i))
                .map(|(id, _)| id)
                .collect(),
            span: block.map(|b| b.name.span).unwrap_or_default(),
        });
    }

    stages(def, &scope, &mut model, diags);
    super::routes::routes(def, &scope, &mut model, diags);
    super::handoff::handoff(def, &scope, &mut model, diags);
    model.fields = scope.fields;
    model.events = scope.events;
    model.aggregates = scope.aggregates.into_inner();
    if !all_criteria_ok {
        // Criterion ids would no longer match names; later passes need them exact.
        return None;
    }
    Some(model)
}

use ast::LetDecl;

fn header(def: &ast::Definition, model: &mut Model, diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&'static str, Span> = HashMap::new();
    for item in &def.items {
        let Item::Header(h) = item else { continue };
        let kw = h.kind.keyword();
        if let Some(first) = seen.get(kw) {
            diags.push(
                Diagnostic::error(Code::Duplicate, h.span, format!("`{kw}` is given twice"))
                    .label("second time")
                    .related(*first, "first given here")
                    .help("keep one"),
            );
            continue;
        }
        seen.insert(kw, h.span);
        let v = Some(h.value.value.clone());
        match h.kind {
            HeaderKind::Definition => model.name = v,
            HeaderKind::Version => model.version = v,
            HeaderKind::AgreedBy => model.agreed_by = v,
        }
    }
}

fn fields(def: &ast::Definition, diags: &mut Vec<Diagnostic>) -> Option<Vec<Field>> {
    let everywhere = missing_values(def, diags);
    let blocks: Vec<&ast::FieldsBlock> = def
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Fields(f) => Some(f),
            _ => None,
        })
        .collect();
    let Some(first) = blocks.first() else {
        let at = def
            .items
            .first()
            .map(|i| Span::new(i.span().start, i.span().start))
            .unwrap_or_default();
        diags.push(
            Diagnostic::error(Code::MissingFields, at, "the definition has no `fields` block")
                .label("fields expected before the rules")
                .help("declare what every inquiry carries: `fields { email text  budget number optional }`"),
        );
        return None;
    };
    for extra in &blocks[1..] {
        diags.push(
            Diagnostic::error(Code::Duplicate, extra.span, "a second `fields` block")
                .label("second block")
                .related(first.span, "first block here")
                .help("declare all fields in one `fields { ... }` block"),
        );
    }
    Some(declare_fields(first.fields.iter(), everywhere, diags))
}

/// Fields as declared (in `fields`, or an events block): names and columns
/// once each, types, formats and placeholders checked.
pub(super) fn declare_fields<'a>(
    decls: impl Iterator<Item = &'a ast::FieldDecl>,
    everywhere: &[ast::Spanned<String>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    let mut seen: HashMap<String, Span> = HashMap::new();
    let mut columns: HashMap<String, Span> = HashMap::new();
    for f in decls {
        if let Some(prev) = seen.get(&f.name.value) {
            diags.push(super::declared_twice(
                f.name.span,
                format!("field `{}` is declared twice", f.name.value),
                *prev,
                "remove one, or give it another name",
            ));
            continue;
        }
        seen.insert(f.name.value.clone(), f.name.span);
        let column = f
            .from
            .as_ref()
            .map(|c| c.value.clone())
            .unwrap_or_else(|| f.name.value.clone());
        let col_key = crate::semantics::text::fold(&column);
        if let Some(prev) = columns.get(&col_key) {
            diags.push(
                Diagnostic::error(
                    Code::Duplicate,
                    f.from.as_ref().map(|c| c.span).unwrap_or(f.name.span),
                    format!("column \"{column}\" is read by two fields"),
                )
                .label("same column again")
                .related(*prev, "already read here")
                .help("each export column feeds one field"),
            );
        }
        columns.insert(
            col_key,
            f.from.as_ref().map(|c| c.span).unwrap_or(f.name.span),
        );
        let (ty, one_of) = match &f.ty.value {
            FieldType::Text => (Type::Text, None),
            FieldType::Number => (Type::Number, None),
            FieldType::YesNo => (Type::YesNo, None),
            FieldType::Date => (Type::Date, None),
            FieldType::OneOf(values) => {
                diags.extend(duplicates(values, "values"));
                (
                    Type::Text,
                    Some(values.iter().map(|v| v.value.clone()).collect()),
                )
            }
        };
        if let Some(fmt) = &f.format {
            if ty != Type::Date {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidDateFormat,
                        fmt.span,
                        "`format` only applies to date fields",
                    )
                    .label(format!("`{}` is {}", f.name.value, f.ty.value.describe()))
                    .help("remove the format, or declare the field as `date`"),
                );
            } else if let Err(why) = validate_date_format(&fmt.value) {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidDateFormat,
                        fmt.span,
                        format!("invalid date format: {why}"),
                    )
                    .label("cannot read dates with this")
                    .help(
                        "use %d for the day, %m for the month, %Y for the year, e.g. \"%d/%m/%Y\"",
                    ),
                );
            }
        }
        out.push(Field {
            name: f.name.value.clone(),
            ty,
            one_of,
            optional: f.optional,
            column,
            format: f.format.as_ref().map(|f| f.value.clone()),
            placeholders: placeholders(&f.missing, everywhere, diags),
            span: f.span,
        });
    }
    out
}

/// A date format is valid when a date written with it reads back the same.
fn validate_date_format(fmt: &str) -> Result<(), String> {
    use chrono::format::{Item as FmtItem, StrftimeItems};
    use std::fmt::Write;
    if StrftimeItems::new(fmt).any(|i| matches!(i, FmtItem::Error)) {
        return Err(format!("`{fmt}` has an unknown `%` code"));
    }
    let sample = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let mut written = String::new();
    if write!(written, "{}", sample.format(fmt)).is_err() {
        return Err(format!("`{fmt}` cannot write a date"));
    }
    match chrono::NaiveDate::parse_from_str(&written, fmt) {
        Ok(d) if d == sample => Ok(()),
        _ => Err(format!("`{fmt}` does not give the day, month and year")),
    }
}

/// The definition's `missing values` list; a second list is an error (one
/// list says it once). Duplicates within it are reported by [`placeholders`].
pub(super) fn missing_values<'a>(
    def: &'a ast::Definition,
    diags: &mut Vec<Diagnostic>,
) -> &'a [ast::Spanned<String>] {
    let mut lists = def.items.iter().filter_map(|item| match item {
        Item::MissingValues(m) => Some(m),
        _ => None,
    });
    let Some(first) = lists.next() else {
        return &[];
    };
    for again in lists {
        diags.push(super::declared_twice(
            again.span,
            "`missing values` is declared twice",
            first.span,
            "list every placeholder in the first `missing values`",
        ));
    }
    diags.extend(duplicates(&first.values, "placeholders"));
    &first.values
}

/// A field's placeholders: the definition-wide ones, then its own, once each
/// by folded text (cells are compared folded). A placeholder listed twice in
/// the field's own `missing when` is an error.
fn placeholders(
    own: &[ast::Spanned<String>],
    everywhere: &[ast::Spanned<String>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    diags.extend(duplicates(own, "placeholders"));
    let mut seen = std::collections::HashSet::new();
    everywhere
        .iter()
        .chain(own)
        // A blank placeholder changes nothing (lint: no-effect).
        .filter(|v| !v.value.trim().is_empty())
        .filter(|v| seen.insert(crate::semantics::text::fold(&v.value)))
        .map(|v| v.value.clone())
        .collect()
}

/// An error for each text listed again in one list (`one of` values,
/// placeholders), pointing at its first listing; `what` names them in the help.
fn duplicates(values: &[ast::Spanned<String>], what: &str) -> Vec<Diagnostic> {
    listed_twice(
        values.iter().map(|v| {
            let key = crate::semantics::text::fold(&v.value);
            (key, format!("\"{}\"", v.value), v.span)
        }),
        what,
    )
}

/// The one duplicate-in-a-list rule: `(key, shown, span)` in order, an
/// error for each key seen before, naming its first listing.
pub(super) fn listed_twice(
    items: impl Iterator<Item = (String, String, Span)>,
    what: &str,
) -> Vec<Diagnostic> {
    let mut first: HashMap<String, Span> = HashMap::new();
    let mut out = Vec::new();
    for (key, shown, span) in items {
        match first.get(&key) {
            Some(prev) => out.push(
                Diagnostic::error(Code::Duplicate, span, format!("{shown} is listed twice"))
                    .label("listed again")
                    .related(*prev, "first listed here")
                    .help(format!(
                        "{what} are compared ignoring case and surrounding spaces"
                    )),
            ),
            None => {
                first.insert(key, span);
            }
        }
    }
    out
}

fn holidays(def: &ast::Definition, diags: &mut Vec<Diagnostic>) -> Vec<i32> {
    let mut out = Vec::new();
    for item in &def.items {
        let Item::Holidays(h) = item else { continue };
        for d in &h.dates {
            match chrono::NaiveDate::parse_from_str(&d.value, "%Y-%m-%d") {
                Ok(date) => out.push(model::days_from_date(date)),
                Err(_) => diags.push(
                    Diagnostic::error(
                        Code::InvalidDate,
                        d.span,
                        format!("`{}` is not a date", d.value),
                    )
                    .label("no such day")
                    .help("dates are written year-month-day, e.g. `2026-12-25`"),
                ),
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn check_list(list: &ast::ListLit, diags: &mut Vec<Diagnostic>) {
    let kinds: Vec<&str> = list
        .items
        .iter()
        .map(|i| match i.value {
            ast::ListItem::Text(_) => "text",
            ast::ListItem::Number(_) => "a number",
            ast::ListItem::Date(_) => "a date",
        })
        .collect();
    if let Some(first) = kinds.first() {
        if let Some(pos) = kinds.iter().position(|k| k != first) {
            diags.push(
                Diagnostic::error(
                    Code::TypeMismatch,
                    list.items[pos].span,
                    format!(
                        "a list holds one kind of value, but this is {} and the first is {first}",
                        kinds[pos]
                    ),
                )
                .label(format!("this is {}", kinds[pos]))
                .related(list.items[0].span, format!("this is {first}"))
                .help("split it into two lists"),
            );
        }
    }
}

/// Names of lets, groups and criteria; duplicates and clashes reported.
fn collect_names<'a>(def: &'a ast::Definition, scope: &mut Scope<'a>, diags: &mut Vec<Diagnostic>) {
    let mut taken: HashMap<String, (Span, &'static str)> = scope
        .fields
        .iter()
        .map(|f| (f.name.clone(), (f.span, "a field")))
        .collect();
    let mut claim = |name: &ast::Name, what: &'static str, diags: &mut Vec<Diagnostic>| -> bool {
        if let Some((prev, prev_what)) = taken.get(&name.value) {
            diags.push(
                Diagnostic::error(
                    Code::Duplicate,
                    name.span,
                    format!("`{}` is already {prev_what}", name.value),
                )
                .label(format!("declared again as {what}"))
                .related(*prev, "first declared here")
                .help("give it another name"),
            );
            return false;
        }
        taken.insert(name.value.clone(), (name.span, what));
        true
    };
    for item in &def.items {
        match item {
            Item::Let(l) if claim(&l.name, "a `let`", diags) => {
                scope.lets.insert(l.name.value.clone(), l);
            }
            Item::Group(g) if claim(&g.name, "a group", diags) => {
                scope.groups.push(g.name.value.clone());
            }
            _ => {}
        }
    }
    let mut crit_seen: HashMap<&str, Span> = HashMap::new();
    for (c, _) in def.criteria() {
        if let Some(prev) = crit_seen.get(c.name.value.as_str()) {
            diags.push(super::declared_twice(
                c.name.span,
                format!("criterion \"{}\" is declared twice", c.name.value),
                *prev,
                "give each criterion its own name",
            ));
            continue;
        }
        crit_seen.insert(&c.name.value, c.name.span);
        scope.criteria.push((c.name.value.clone(), c));
    }
}

fn criterion(
    c: &ast::Criterion,
    group: Option<usize>,
    scope: &Scope<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<model::Criterion> {
    let mut r = Resolver::new(scope, diags, Place::Criterion);
    let earning = match &c.body {
        CriterionBody::When { condition, decay } => {
            let cond = r.condition(condition);
            let decay = match decay {
                None => Some(None),
                Some(d) => decay_of(d, &mut r),
            };
            Earning::Fixed {
                condition: cond?,
                decay: decay?,
            }
        }
        CriterionBody::PerUnit {
            amount,
            cap,
            condition,
            decay,
        } => {
            let per_event = per_event_of(amount, scope);
            let (amount, decay) = match (decay, per_event) {
                // Each event's points decay from its own date.
                (Some(d @ ast::Decay { since: None, .. }), Some(agg)) => {
                    let decayed = half_life(d, &mut r)
                        .and_then(|h| super::events::decayed(&mut r, &agg, amount.span, h));
                    (decayed, Some(None))
                }
                (Some(d @ ast::Decay { since: None, .. }), None) => {
                    r.diags.push(each_without_events(d, amount, scope));
                    return None;
                }
                (decay, per_event) => {
                    let decay = match decay {
                        None => Some(None),
                        Some(d) => decay_of(d, &mut r),
                    };
                    let amount = match per_event {
                        Some(agg) => super::events::aggregate(&mut r, &agg, amount.span),
                        None => r.number(
                            amount,
                            Code::PerUnitNotNumber,
                            "points per unit need a number",
                        ),
                    };
                    (amount, decay)
                }
            };
            let condition = match condition {
                Some(e) => r.condition(e).map(Some),
                None => Some(None),
            };
            if c.points.is_none() {
                r.diags.push(
                    Diagnostic::error(
                        Code::PerUnitNotNumber,
                        c.name.span,
                        "points per unit need the points for one unit",
                    )
                    .label("no points given")
                    .help(format!(
                        "write them before `per`, e.g. `criterion \"{}\" +2 per ...`",
                        c.name.value
                    )),
                );
                return None;
            }
            Earning::PerUnit {
                amount: amount?,
                cap: match cap {
                    Some(c) => Some(amounts::resolve(c, "a cap", r.scope, r.diags)?),
                    None => None,
                },
                condition: condition?,
                decay: decay?,
            }
        }
        CriterionBody::ByValue { field, entries } => {
            super::by_value::earning(field, entries, &mut r)?
        }
    };
    let mut deps = std::mem::take(&mut r.deps);
    deps.sort_unstable();
    deps.dedup();
    Some(model::Criterion {
        name: c.name.value.clone(),
        points: match &c.points {
            Some(p) => amounts::resolve(p, "points", scope, diags)?,
            None => 0.0,
        },
        earning,
        group,
        depends_on: deps,
        span: c.span,
    })
}

/// The events a per-unit criterion's amount counts one by one: `per
/// activity where ...`, `per count of activity ...`, or a bare `per
/// activity` naming the events block (when nothing else has that name).
fn per_event_of(amount: &ast::Expr, scope: &Scope<'_>) -> Option<ast::Aggregate> {
    match &amount.kind {
        ast::ExprKind::Aggregate(agg)
            if matches!(
                agg.kind,
                ast::AggregateKind::Each | ast::AggregateKind::Count
            ) =>
        {
            Some((**agg).clone())
        }
        ast::ExprKind::Name(name)
            if scope.events.as_ref().is_some_and(|e| &e.name == name)
                && scope.field_id(name).is_none()
                && !scope.lets.contains_key(name)
                && scope.group_id(name).is_none() =>
        {
            Some(ast::Aggregate {
                kind: ast::AggregateKind::Each,
                events: ast::Spanned {
                    value: name.clone(),
                    span: amount.span,
                },
                filter: None,
                window: None,
            })
        }
        _ => None,
    }
}

/// `each halving` on a criterion that does not earn per event.
fn each_without_events(d: &ast::Decay, amount: &ast::Expr, scope: &Scope<'_>) -> Diagnostic {
    let events = scope
        .events
        .as_ref()
        .map_or("activity", |e| e.name.as_str());
    Diagnostic::error(
        Code::InvalidEvents,
        d.span,
        format!(
            "`each halving` decays each event's points, but `{}` is not a list of events",
            scope
                .source
                .get(amount.span.start..amount.span.end)
                .unwrap_or("this")
        ),
    )
    .label("needs `per` events")
    .help(format!(
        "earn points per event, e.g. `+5 per {events} where ..., each halving every 30 days`, \
         or let the points decay from a date: `halving every 30 days since FIELD`"
    ))
}

/// A decay's half-life in days, more than 0.
fn half_life(d: &ast::Decay, r: &mut Resolver<'_>) -> Option<f64> {
    let every_days = amounts::resolve(&d.every_days, "a half-life", r.scope, r.diags)?;
    if every_days <= 0.0 {
        r.diags.push(
            Diagnostic::error(
                Code::InvalidNumber,
                d.every_days.span,
                "points cannot halve every 0 days",
            )
            .label("must be more than 0")
            .help(
                "say how many days it takes for the points to halve, e.g. `halving every 30 days`",
            ),
        );
        return None;
    }
    Some(every_days)
}

/// A decay from the lead's date (`halving every 30 days since FIELD`).
fn decay_of(d: &ast::Decay, r: &mut Resolver<'_>) -> Option<Option<model::Decay>> {
    let every_days = half_life(d, r)?;
    let Some(since) = &d.since else {
        // `each halving` where the points are not per event.
        r.diags.push(Diagnostic::error(
            Code::InvalidEvents,
            d.span,
            "`each halving` decays each event's points, but these points are not earned per event",
        )
        .label("needs `per` events")
        .help("let the points decay from a date: `halving every 30 days since FIELD`"));
        return None;
    };
    let Some(fid) = r.scope.field_id(&since.value) else {
        let help = crate::diagnostic::did_you_mean(
            &since.value,
            r.scope.fields.iter().map(|f| f.name.as_str()),
        )
        .unwrap_or_else(|| "decay counts from a date field".into());
        r.diags.push(
            Diagnostic::error(
                Code::UnknownField,
                since.span,
                format!("unknown field `{}`", since.value),
            )
            .label("not declared")
            .help(help),
        );
        return None;
    };
    let f = &r.scope.fields[fid];
    if f.ty != Type::Date {
        r.diags.push(
            Diagnostic::error(
                Code::TypeMismatch,
                since.span,
                format!(
                    "decay counts days since a date, but `{}` is {}",
                    f.name,
                    f.describe_type()
                ),
            )
            .label("not a date")
            .help("name a date field, e.g. `halving every 30 days since last_activity`"),
        );
        return None;
    }
    Some(Some(model::Decay {
        half_life_days: every_days,
        since: fid,
    }))
}

fn stages(
    def: &ast::Definition,
    scope: &Scope<'_>,
    model: &mut Model,
    diags: &mut Vec<Diagnostic>,
) {
    let mut otherwise: Option<Span> = None;
    let mut seen: HashMap<&str, Span> = HashMap::new();
    let mut last_span = None;
    for item in &def.items {
        let Item::Stage(s) = item else { continue };
        last_span = Some(s.span);
        if s.name.value.trim().eq_ignore_ascii_case(DISQUALIFIED_STAGE) {
            let help = if let StageRule::Otherwise(span) = &s.rule {
                // It still ends the stages: one error, not a second one
                // saying that nothing takes the rest.
                otherwise.get_or_insert(*span);
                "a disqualified inquiry is given the stage \"disqualified\" automatically; \
                 give the stage that takes the rest another name, e.g. `stage \"nurture\" otherwise`"
            } else {
                "a disqualified inquiry is given the stage \"disqualified\" automatically; use `disqualify \"reason\" when ...`"
            };
            diags.push(
                Diagnostic::error(
                    Code::ReservedName,
                    s.name.span,
                    "\"disqualified\" is not a stage name",
                )
                .label("reserved")
                .help(help),
            );
            continue;
        }
        if let Some(prev) = seen.get(s.name.value.as_str()) {
            diags.push(super::declared_twice(
                s.name.span,
                format!("stage \"{}\" is declared twice", s.name.value),
                *prev,
                "stages are tried in order and the first that holds wins; keep one",
            ));
            continue;
        }
        seen.insert(&s.name.value, s.name.span);
        if let Some(o) = otherwise {
            diags.push(
                Diagnostic::error(
                    Code::StageAfterOtherwise,
                    s.span,
                    format!("stage \"{}\" comes after `otherwise`", s.name.value),
                )
                .label("can never be reached")
                .related(o, "every inquiry left stops here")
                .help("move the `otherwise` stage to the end"),
            );
        }
        let condition = match &s.rule {
            StageRule::Otherwise(span) => {
                if otherwise.is_none() {
                    otherwise = Some(*span);
                }
                None
            }
            StageRule::When(e) => match Resolver::new(scope, diags, Place::Stage).condition(e) {
                Some(c) => Some(c),
                None => continue,
            },
        };
        model.stages.push(model::Stage {
            name: s.name.value.clone(),
            condition,
            span: s.span,
        });
    }
    if otherwise.is_none() {
        let at = last_span.unwrap_or_else(|| {
            def.items
                .last()
                .map(|i| Span::new(i.span().end, i.span().end))
                .unwrap_or_default()
        });
        diags.push(
            Diagnostic::error(
                Code::MissingOtherwise,
                at,
                "no stage catches the inquiries that no other stage takes",
            )
            .label("the last stage: add an `otherwise` stage after it")
            .help(
                "end the stages with one that takes the rest, e.g. `stage \"nurture\" otherwise`",
            ),
        );
    }
}
