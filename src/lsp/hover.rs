//! Hover: what a name under the cursor is, in words.
//!
//! In: the analysis, the file and byte offset, and the sample counts when a
//! sample is set. Out: Markdown. A field: its type, column and options. A
//! criterion: its points, group and condition in words (the words of
//! `qualify doc`), and how many sample inquiries it matches. A stage: its rule
//! and its count. A disqualifier: its condition and count. A `let`: its value
//! as written. A group: its cap and criteria. An events block: its fields,
//! how events join to leads, and how many aggregates read it; an event
//! field, as a field is said. While the definition has
//! errors there is no model, and hover says only what the name is.

use super::analysis::{Analysis, FileState};
use super::position::{Encoding, Lines};
use super::sample::Counts;
use super::server::declared;
use super::symbols::{self, Occurrence, SymbolKind};
use crate::ast::Item;
use crate::doc::words;
use crate::model::{format_exact, format_literal, Earning, Model};
use lsp_types as lsp;

pub fn hover(
    analysis: &Analysis,
    file: &FileState,
    offset: usize,
    counts: Option<&Counts>,
    encoding: Encoding,
) -> Option<lsp::Hover> {
    if let Some((span, text)) = function_at(&file.source.text, offset) {
        return Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: text.into(),
            }),
            range: Some(Lines::new(&file.source.text, encoding).range(span)),
        });
    }
    let names = declared(analysis);
    let occurrences = symbols::occurrences(file.ast.as_ref()?, &names);
    let target = symbols::at(&occurrences, offset)?;
    let text = match &analysis.model {
        Some(model) => about(analysis, model, target, counts),
        None => None,
    }
    .unwrap_or_else(|| {
        let written = as_written(analysis, target)
            .map(|t| format!("\n\n```lead\n{t}\n```"))
            .unwrap_or_default();
        format!(
            "**{}** `{}`{written}\n\n(the definition has errors; fix them to see more)",
            target.kind.word(),
            target.name
        )
    });
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: text,
        }),
        range: Some(Lines::new(&file.source.text, encoding).range(target.span)),
    })
}

/// The function whose name (right before its `(`) is under `offset`, and
/// what it does, in the words of docs/language.md.
fn function_at(text: &str, offset: usize) -> Option<(crate::ast::Span, &'static str)> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_name(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = offset + text[offset..].find(|c: char| !is_name(c))?;
    if start == end || !text[end..].starts_with('(') {
        return None;
    }
    let about = match &text[start..end] {
        "min" => "**function** `min(a, b)`: the smaller of two numbers or dates; missing when either is",
        "max" => "**function** `max(a, b)`: the larger of two numbers or dates; missing when either is",
        "round" => "**function** `round(x)`, `round(x, n)`: `x` to `n` decimal places (0 to 9), halves away from zero; missing when `x` is",
        "floor" => "**function** `floor(x)`: the largest whole number not above `x`; missing when `x` is",
        "default" => "**function** `default(x, v)`: `v` when `x` is missing (a placeholder counts), else `x`",
        _ => return None,
    };
    Some((crate::ast::Span::new(start, end), about))
}

fn about(
    analysis: &Analysis,
    model: &Model,
    target: &Occurrence,
    counts: Option<&Counts>,
) -> Option<String> {
    let name = target.name.as_str();
    // "Sample: 12 of 200 inquiries…", when a sample is set.
    let sample = |pick: &dyn Fn(&Counts) -> Option<usize>| {
        counts
            .and_then(|c| Some(format!("\n\nSample: {}", c.of(pick(c)?))))
            .unwrap_or_default()
    };
    Some(match target.kind {
        SymbolKind::Field => field_text("**field**", &model.fields[model.field_named(name)?]),
        SymbolKind::Events => {
            let events = model.events.as_ref().filter(|e| e.name == name)?;
            let read_by = model.aggregates.len();
            format!(
                "**events** `{name}`: the activity export, one row per event, with {}\n\n\
                 each event belongs to the lead whose `id` its `lead` holds, on the date `at`; \
                 events after the as-of date are not seen\n\nread by {}",
                crate::plural::count(events.fields.len(), "field", "fields"),
                crate::plural::count(read_by, "aggregate", "aggregates"),
            )
        }
        SymbolKind::EventField => {
            let events = model.events.as_ref()?;
            let id = events.field_named(name)?;
            let mut text = field_text(
                &format!("**event field** of `{}`,", events.name),
                &events.fields[id],
            );
            if id == events.lead {
                text.push_str("\n\nthe lead the event belongs to: the `id` it holds");
            } else if id == events.at {
                text.push_str("\n\nthe event's date (a date-time reads as its date)");
            }
            text
        }
        SymbolKind::Criterion => {
            let id = model.criterion_named(name)?;
            let c = &model.criteria[id];
            let points = crate::number::signed(c.points, format_exact);
            let mut text = format!("**criterion** \"{name}\": ");
            let condition = match &c.earning {
                Earning::Fixed { condition, decay } => {
                    text.push_str(&if c.points == 0.0 {
                        "no points (a label)".to_string()
                    } else {
                        format!("{points} points")
                    });
                    halving(model, decay, &mut text);
                    Some(condition)
                }
                Earning::PerUnit {
                    amount,
                    cap,
                    condition,
                    decay,
                } => {
                    text.push_str(&format!("{points} per {}", words::operand(model, amount)));
                    if let Some(cap) = cap {
                        text.push_str(&format!(", at most {}", format_literal(*cap)));
                    }
                    halving(model, decay, &mut text);
                    condition.as_ref()
                }
                Earning::ByValue {
                    field,
                    entries,
                    otherwise,
                } => {
                    text.push_str("points by value");
                    let words = words::by_value(model, *field, entries, *otherwise);
                    text.push_str(&format!("\n\n{words}"));
                    None
                }
            };
            if let Some(g) = c.group {
                text.push_str(&format!(", in group `{}`", model.groups[g].name));
            }
            if let Some(condition) = condition {
                text.push_str(&format!("\n\nwhen {}", words::condition(model, condition)));
            }
            text.push_str(&sample(&|c| c.criteria.get(id).copied()));
            text
        }
        SymbolKind::Stage => {
            let id = model.stages.iter().position(|s| s.name == name)?;
            let rule = match &model.stages[id].condition {
                Some(c) => format!("when {}", words::condition(model, c)),
                None => "otherwise: every inquiry no stage above takes".into(),
            };
            let mut text = format!(
                "**stage** \"{name}\" (number {} in order)\n\n{rule}",
                id + 1
            );
            text.push_str(&sample(&|c| c.stages.get(id).copied()));
            text
        }
        SymbolKind::Route => {
            let id = model.routes.iter().position(|r| r.name == name)?;
            let rule = match &model.routes[id].condition {
                Some(c) => format!("when {}", words::condition(model, c)),
                None => "otherwise: every inquiry no route above takes".into(),
            };
            format!(
                "**route** \"{name}\" (number {} in order)\n\n{rule}",
                id + 1
            )
        }
        SymbolKind::Reason => {
            let id = model.disqualifiers.iter().position(|d| d.reason == name)?;
            let d = &model.disqualifiers[id];
            let mut text = format!(
                "**disqualifier** \"{name}\"\n\nwhen {}",
                words::condition(model, &d.condition)
            );
            text.push_str(&sample(&|c| c.disqualifiers.get(id).copied()));
            text
        }
        SymbolKind::Group => {
            let g = model.groups.iter().find(|g| g.name == name)?;
            let floor = g.floor.map(|f| format!(", at least {}", format_literal(f)));
            let cap = g.cap.map(|c| format!(", at most {}", format_literal(c)));
            let cap = format!("{}{}", floor.unwrap_or_default(), cap.unwrap_or_default());
            format!(
                "**group** `{name}`{cap}: the sum of {}",
                crate::plural::count(g.criteria.len(), "criterion", "criteria")
            )
        }
        SymbolKind::Let => {
            let written = as_written(analysis, target)?;
            format!("**let** `{name}`\n\n```lead\n{written}\n```")
        }
    })
}

/// A field of the lead or of the events, in words: `WHAT `name`: type,
/// required`, its column and date format.
fn field_text(what: &str, f: &crate::model::Field) -> String {
    let mut text = format!("{what} `{}`: {}", f.name, f.describe_type());
    text.push_str(if f.optional {
        ", optional"
    } else {
        ", required"
    });
    text.push_str(&format!("\n\nread from the column \"{}\"", f.column));
    if let Some(format) = &f.format {
        text.push_str(&format!(", dates written `{format}`"));
    }
    text
}

/// The declaration of `target`'s name as written in the definition (a
/// group's first line only), read from the syntax tree: there is one even
/// while the definition has errors.
fn as_written(analysis: &Analysis, target: &Occurrence) -> Option<String> {
    let def = analysis.definition.as_ref()?;
    let ast = def.ast.as_ref()?;
    let name = target.name.as_str();
    let span = ast.items.iter().find_map(|item| match (item, target.kind) {
        (Item::Let(l), SymbolKind::Let) if l.name.value == name => Some(l.span),
        (Item::Fields(b), SymbolKind::Field) => b
            .fields
            .iter()
            .find(|f| f.name.value == name)
            .map(|f| f.span),
        (Item::Stage(s), SymbolKind::Stage) if s.name.value == name => Some(s.span),
        (Item::Route(r), SymbolKind::Route) if r.name.value == name => Some(r.span),
        (Item::Disqualify(d), SymbolKind::Reason) if d.reason.value == name => Some(d.span),
        (Item::Group(g), SymbolKind::Group) if g.name.value == name => Some(g.span),
        (Item::Events(b), SymbolKind::Events) if b.name.value == name => Some(b.span),
        (Item::Events(b), SymbolKind::EventField) => b
            .fields
            .iter()
            .find(|f| f.decl.name.value == name)
            .map(|f| f.decl.span),
        _ => None,
    });
    let span = span.or_else(|| {
        (target.kind == SymbolKind::Criterion)
            .then(|| ast.criteria().find(|(c, _)| c.name.value == name))
            .flatten()
            .map(|(c, _)| c.span)
    })?;
    let text = def.source.slice(span).trim();
    Some(match target.kind {
        SymbolKind::Group | SymbolKind::Events => {
            text.lines().next().unwrap_or("").trim_end().to_string()
        }
        _ => text.to_string(),
    })
}

/// `, halving every 14 days since last visit` after a criterion's points.
fn halving(model: &crate::model::Model, decay: &Option<crate::model::Decay>, text: &mut String) {
    if let Some(d) = decay {
        text.push_str(&format!(
            ", halving every {} days since {}",
            format_exact(d.half_life_days),
            words::field_words(&model.fields[d.since].name)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::function_at;

    #[test]
    fn a_function_name_before_its_parenthesis_is_hovered() {
        let text = "when round(round, 2) > 1";
        let (span, about) = function_at(text, 7).expect("on the function");
        assert_eq!((span.start, span.end), (5, 10));
        assert!(about.contains("halves away from zero"), "{about}");
        // The field `round` inside, and a word that is no function, are not.
        assert!(function_at(text, 12).is_none());
        assert!(function_at("when budget(", 7).is_none());
        assert!(function_at("max(", 4).is_none());
        assert!(function_at("é(", 1).is_none());
    }
}
