//! Examples: the fields they set exist and get values of the right type, and
//! what they expect names stages, criteria and reasons that exist. Running them
//! is [`crate::examples`]' job.

use crate::ast::{self, ExampleValue, Item};
use crate::diagnostic::{did_you_mean, did_you_mean_quoted, Code, Diagnostic};
use crate::model::{self, Expectation, ExpectationAt, Model, Type, Value};
use crate::semantics::text::fold as fold_text;
use std::collections::HashMap;

pub(super) fn check_examples(
    def: &ast::Definition,
    model: &mut Model,
    diags: &mut Vec<Diagnostic>,
) {
    check_example_names(
        def.items.iter().filter_map(|item| match item {
            Item::Example(ex) => Some(ex),
            _ => None,
        }),
        diags,
    );
    for item in &def.items {
        let Item::Example(ex) = item else { continue };
        if let Some(e) = example(ex, model, diags) {
            model.examples.push(e);
        }
    }
}

/// Examples are told apart by name (`test` reports them, `diff` pairs them
/// across revisions): a name taken by an earlier example is an error.
pub fn check_example_names<'a>(
    examples: impl IntoIterator<Item = &'a ast::Example>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, ast::Span> = HashMap::new();
    for ex in examples {
        if let Some(prev) = seen.get(ex.name.value.as_str()) {
            diags.push(super::declared_twice(
                ex.name.span,
                format!("example \"{}\" is declared twice", ex.name.value),
                *prev,
                "give each example its own name",
            ));
        } else {
            seen.insert(&ex.name.value, ex.name.span);
        }
    }
}

/// Check one example against a model built from another file (a companion
/// examples file): the same rules as for examples inside the definition.
pub fn check_example(
    ex: &ast::Example,
    model: &Model,
    diags: &mut Vec<Diagnostic>,
) -> Option<model::Example> {
    example(ex, model, diags)
}

fn example(
    ex: &ast::Example,
    model: &Model,
    diags: &mut Vec<Diagnostic>,
) -> Option<model::Example> {
    let mut ok = true;
    let mut values = vec![Value::Missing; model.fields.len()];
    let mut set_at: Vec<Option<ast::Span>> = vec![None; model.fields.len()];
    for a in &ex.assignments {
        let Some(fid) = model.field_named(&a.field.value) else {
            let help = did_you_mean(&a.field.value, model.fields.iter().map(|f| f.name.as_str()))
                .unwrap_or_else(|| "an example sets fields declared in `fields`".into());
            diags.push(
                Diagnostic::error(
                    Code::ExampleUnknownField,
                    a.field.span,
                    format!(
                        "the example sets `{}`, which is not a declared field",
                        a.field.value
                    ),
                )
                .label("not declared")
                .help(help),
            );
            ok = false;
            continue;
        };
        if let Some(prev) = set_at[fid] {
            diags.push(
                Diagnostic::error(
                    Code::Duplicate,
                    a.field.span,
                    format!("`{}` is set twice in this example", a.field.value),
                )
                .label("set again")
                .related(prev, "first set here")
                .help("set each field once"),
            );
            ok = false;
            continue;
        }
        set_at[fid] = Some(a.field.span);
        match value_for(&model.fields[fid], &a.value) {
            Ok(v) => values[fid] = v,
            Err(d) => {
                diags.push(d);
                ok = false;
            }
        }
    }
    let as_of = match &ex.as_of {
        None => None,
        Some(d) => match chrono::NaiveDate::parse_from_str(&d.value, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidDate,
                        d.span,
                        format!("`{}` is not a date", d.value),
                    )
                    .label("no such day")
                    .help("dates are written year-month-day, e.g. `2026-11-05`"),
                );
                ok = false;
                None
            }
        },
    };
    let events = match example_events(ex, model, diags) {
        Some(events) => events,
        None => {
            ok = false;
            Vec::new()
        }
    };
    let mut expectations = Vec::new();
    for e in &ex.expectations {
        match expectation(&e.value, model, diags) {
            Some(expectation) => expectations.push(ExpectationAt {
                expectation,
                span: e.span,
            }),
            None => ok = false,
        }
    }
    ok.then(|| model::Example {
        name: ex.name.value.clone(),
        as_of,
        values,
        events,
        expectations,
        span: ex.span,
    })
}

/// An example's `events { call 2026-11-02, "page view" 2026-11-03 page
/// "pricing" }`: each event's values in the events block's field order. The
/// leading word fills the block's first `one of` field, the date `at`, and
/// `NAME value` pairs the other fields; `lead` is left missing (the
/// example is the lead).
fn example_events(
    ex: &ast::Example,
    model: &model::Model,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Vec<Value>>> {
    if ex.events.is_empty() {
        return Some(Vec::new());
    }
    let Some(block) = &model.events else {
        let at = ex.events[0].span;
        diags.push(
            Diagnostic::error(Code::UnknownEvents, at, "this example lists events, but the definition has no events block")
                .label("no events block")
                .help("declare the activity export: `events activity { lead from \"Lead ID\"  at date ... }`"),
        );
        return None;
    };
    let word_field = block
        .fields
        .iter()
        .position(|f| f.one_of.is_some() && f.name != "lead");
    let mut ok = true;
    let mut out = Vec::new();
    for event in &ex.events {
        let mut values = vec![Value::Missing; block.fields.len()];
        let mut set = |fid: usize, v: &ast::Spanned<ExampleValue>, diags: &mut Vec<Diagnostic>| {
            match value_for(&block.fields[fid], v) {
                Ok(value) => values[fid] = value,
                Err(d) => diags.push(d),
            }
        };
        let errors_before = diags.len();
        set(
            block.at,
            &ast::Spanned::new(ExampleValue::Date(event.at.value.clone()), event.at.span),
            diags,
        );
        if let Some(word) = &event.word {
            match word_field {
                Some(fid) => set(
                    fid,
                    &ast::Spanned::new(ExampleValue::Text(word.value.clone()), word.span),
                    diags,
                ),
                None => {
                    diags.push(
                        Diagnostic::error(
                            Code::ExampleWrongType,
                            word.span,
                            format!(
                                "events `{}` has no `one of` field for \"{}\" to fill",
                                block.name, word.value
                            ),
                        )
                        .label("no field for this word")
                        .help("name the field instead: `2026-11-02 page \"pricing\"`"),
                    );
                    ok = false;
                }
            }
        }
        for (name, v) in &event.values {
            let fid = block.field_named(&name.value).filter(|&f| f != block.lead);
            let Some(fid) = fid else {
                let names = block
                    .fields
                    .iter()
                    .map(|f| f.name.as_str())
                    .filter(|n| *n != "lead");
                let help = did_you_mean(&name.value, names).unwrap_or_else(|| {
                    format!(
                        "the events' fields are {}",
                        block
                            .fields
                            .iter()
                            .map(|f| format!("`{}`", f.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
                diags.push(
                    Diagnostic::error(
                        Code::ExampleUnknownField,
                        name.span,
                        format!("events `{}` have no field `{}`", block.name, name.value),
                    )
                    .label("not an event field")
                    .help(help),
                );
                ok = false;
                continue;
            };
            set(fid, v, diags);
        }
        ok &= diags.len() == errors_before;
        out.push(values);
    }
    ok.then_some(out)
}

fn value_for(field: &model::Field, v: &ast::Spanned<ExampleValue>) -> Result<Value, Diagnostic> {
    let value = match (&v.value, field.ty) {
        (ExampleValue::Missing, _) => Value::Missing,
        // A placeholder (`"Select"`) reads as missing here too, as in a file.
        (ExampleValue::Text(t), _)
            if field
                .placeholders
                .iter()
                .any(|p| fold_text(p) == fold_text(t)) =>
        {
            Value::Missing
        }
        (ExampleValue::Text(t), Type::Text) => {
            if let Some(allowed) = &field.one_of {
                if !allowed.iter().any(|a| fold_text(a) == fold_text(t)) {
                    let list = allowed
                        .iter()
                        .map(|v| format!("\"{v}\""))
                        .collect::<Vec<_>>()
                        .join(", ");
                    return Err(Diagnostic::error(
                        Code::NotInOneOf,
                        v.span,
                        format!("\"{t}\" is not one of the values of `{}`", field.name),
                    )
                    .label("not an allowed value")
                    .help(format!("`{}` is one of {list}", field.name)));
                }
            }
            Value::Text(t.clone())
        }
        (ExampleValue::Number(n), Type::Number) => Value::Number(*n),
        (ExampleValue::Yes, Type::YesNo) => Value::Bool(true),
        (ExampleValue::No, Type::YesNo) => Value::Bool(false),
        (ExampleValue::Date(d), Type::Date) => {
            match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(date) => Value::Date(model::days_from_date(date)),
                Err(_) => {
                    return Err(Diagnostic::error(
                        Code::InvalidDate,
                        v.span,
                        format!("`{d}` is not a date"),
                    )
                    .label("no such day")
                    .help("dates are written year-month-day, e.g. `2026-11-05`"))
                }
            }
        }
        (other, _) => {
            let hint = match field.ty {
                Type::Text => "put text in double quotes, e.g. \"Practice owner\"".to_string(),
                Type::Number => "write a number without quotes, e.g. 25000".to_string(),
                Type::YesNo => "write `yes` or `no`".to_string(),
                Type::Date => "write a date without quotes, e.g. 2026-11-01".to_string(),
            };
            return Err(Diagnostic::error(
                Code::ExampleWrongType,
                v.span,
                format!(
                    "`{}` is {}, but the example gives it {}",
                    field.name,
                    field.describe_type(),
                    other.describe()
                ),
            )
            .label(format!("this is {}", other.describe()))
            .help(hint));
        }
    };
    Ok(value)
}

fn expectation(
    e: &ast::Expectation,
    model: &Model,
    diags: &mut Vec<Diagnostic>,
) -> Option<Expectation> {
    let criterion = |name: &ast::Spanned<String>, diags: &mut Vec<Diagnostic>| -> Option<String> {
        if model.criterion_named(&name.value).is_some() {
            return Some(name.value.clone());
        }
        let help = did_you_mean_quoted(&name.value, model.criteria.iter().map(|c| c.name.as_str()))
            .unwrap_or_else(|| "name a criterion declared with `criterion \"...\"`".into());
        diags.push(
            Diagnostic::error(
                Code::UnknownCriterion,
                name.span,
                format!("unknown criterion \"{}\"", name.value),
            )
            .label("no criterion has this name")
            .help(help),
        );
        None
    };
    Some(match e {
        ast::Expectation::Stage(s) => {
            if !model.stage_names().any(|n| n == s.value) {
                let names: Vec<String> = model.stage_names().map(|n| format!("\"{n}\"")).collect();
                let help = did_you_mean_quoted(&s.value, model.stage_names())
                    .unwrap_or_else(|| format!("the stages are {}", names.join(", ")));
                diags.push(
                    Diagnostic::error(
                        Code::UnknownName,
                        s.span,
                        format!("unknown stage \"{}\"", s.value),
                    )
                    .label("no stage has this name")
                    .help(help),
                );
                return None;
            }
            Expectation::Stage(s.value.clone())
        }
        ast::Expectation::Route(r) => {
            if !model.routes.iter().any(|x| x.name == r.value) {
                let help =
                    did_you_mean_quoted(&r.value, model.routes.iter().map(|x| x.name.as_str()))
                        .unwrap_or_else(|| {
                            "name a route declared with `route \"...\" when ...`".into()
                        });
                diags.push(
                    Diagnostic::error(
                        Code::UnknownName,
                        r.span,
                        format!("unknown route \"{}\"", r.value),
                    )
                    .label("no route has this name")
                    .help(help),
                );
                return None;
            }
            Expectation::Route(r.value.clone())
        }
        ast::Expectation::Disqualified(r) => {
            if !model.disqualifiers.iter().any(|d| d.reason == r.value) {
                let help = did_you_mean_quoted(
                    &r.value,
                    model.disqualifiers.iter().map(|d| d.reason.as_str()),
                )
                .unwrap_or_else(|| "name the reason of a `disqualify \"reason\" when ...`".into());
                diags.push(
                    Diagnostic::error(
                        Code::UnknownName,
                        r.span,
                        format!("no disqualifier has the reason \"{}\"", r.value),
                    )
                    .label("unknown reason")
                    .help(help),
                );
                return None;
            }
            Expectation::Disqualified(r.value.clone())
        }
        ast::Expectation::NotDisqualified => Expectation::NotDisqualified,
        ast::Expectation::Score(n) => Expectation::Score(*n),
        ast::Expectation::ScoreBetween(a, b) => Expectation::ScoreBetween(a.min(*b), a.max(*b)),
        ast::Expectation::Matched(names) | ast::Expectation::NotMatched(names) => {
            let resolved: Vec<Option<String>> = names.iter().map(|n| criterion(n, diags)).collect();
            let resolved: Vec<String> = resolved.into_iter().collect::<Option<_>>()?;
            if matches!(e, ast::Expectation::Matched(_)) {
                Expectation::Matched(resolved)
            } else {
                Expectation::NotMatched(resolved)
            }
        }
    })
}
