//! A checked definition → a plain-language page for sales and marketing
//! (`qualify doc`).
//!
//! In: a [`Model`] and the examples to tell (the definition's own and those of
//! its `NAME.examples.lead`). Out: a [`Page`], plain data in words: the title
//! lines, what makes an inquiry a lead, disqualifiers as sentences, criteria
//! grouped by sub-score, stages in order, examples as short stories, each with
//! a stable anchor; with `--since`, what changed ([`changes`]). [`markdown`] and [`html`] render it; neither looks at the
//! model again, so both say the same thing.
//!
//! Everything here is built from the model (conditions via [`words`]), never
//! from the text, so the published page cannot drift from what scores. No
//! date or time of the run goes in: the same definition gives the same bytes.

pub mod changes;
pub mod html;
pub mod markdown;
pub mod words;

use crate::model::{Earning, Example, Expectation, Model, Value, DISQUALIFIED_STAGE};
use std::collections::HashSet;
use words::{condition, field_words, list, number, operand};

/// The whole page, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub title: String,
    pub version: Option<String>,
    pub agreed_by: Option<String>,
    /// What makes an inquiry a lead, in a few sentences.
    pub summary: Vec<String>,
    pub disqualifiers: Vec<Disqualifier>,
    /// Criteria by sub-score, in definition order; ungrouped criteria form a
    /// section with no name.
    pub groups: Vec<GroupSection>,
    pub stages: Vec<StageLine>,
    /// Routes in order (a stage's shape); empty when there are none.
    pub routes: Vec<StageLine>,
    /// The hand-off brief: when it is written (none: always), and its lines
    /// (templates as written, with their conditions in words).
    pub handoff: Option<(Option<String>, Vec<String>)>,
    pub examples: Vec<Story>,
    /// With `--since REV`: the revision and what changed since, in sentences.
    pub changes: Option<(String, Vec<String>)>,
    /// With `--against FILE`: how the stages land on that file.
    pub landing: Option<Landing>,
}

/// The stage counts of an inquiry file under this definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Landing {
    pub input: String,
    pub as_of: String,
    pub scored: u64,
    pub rejected: u64,
    /// Each stage (then "disqualified") with its count, in stage order.
    pub stages: Vec<(String, u64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Disqualifier {
    pub reason: String,
    pub condition: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupSection {
    /// `None` for criteria outside any group.
    pub name: Option<String>,
    pub anchor: String,
    /// "The fit sub-score counts at most 50 points." (or "at least -20 and at
    /// most 60", with a floor)
    pub cap: Option<String>,
    pub criteria: Vec<CriterionRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CriterionRow {
    pub anchor: String,
    pub name: String,
    /// "+20", "+2 each", "none (a label)".
    pub points: String,
    pub condition: String,
    /// Decay and caps in words, empty when there are none.
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StageLine {
    pub anchor: String,
    pub name: String,
    /// "a score of 60 or more and “BANT” applies", or "everything else".
    pub condition: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub anchor: String,
    pub name: String,
    /// "An inquiry with job title 'Practice owner', ... (as of 2026-11-23)."
    pub inquiry: String,
    /// "It reaches stage “sales ready”; it matches “decision maker”, ..."
    pub expected: String,
}

/// `n` of `total` as a percentage with one decimal ("12.5%"); "–" of none.
pub fn share(n: u64, total: u64) -> String {
    if total == 0 {
        return "–".into();
    }
    format!("{:.1}%", n as f64 * 100.0 / total as f64)
}

/// `name` as an anchor: lowercase letters and digits joined by `-`, prefixed
/// by its kind (`criterion-decision-maker`), unique on the page.
fn anchor(kind: &str, name: &str, taken: &mut HashSet<String>) -> String {
    let mut slug = String::from(kind);
    let mut dash = true;
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash {
                slug.push('-');
            }
            slug.push(c);
            dash = false;
        } else {
            dash = true;
        }
    }
    // Names differing only in punctuation ("a b", "a-b") still get their own.
    let mut unique = slug.clone();
    let mut n = 2;
    while !taken.insert(unique.clone()) {
        unique = format!("{slug}-{n}");
        n += 1;
    }
    unique
}

/// Build the page for `model`, telling `examples` as stories.
pub fn page(model: &Model, examples: &[&Example]) -> Page {
    let mut taken = HashSet::new();
    let disqualifiers = model
        .disqualifiers
        .iter()
        .map(|d| Disqualifier {
            reason: d.reason.clone(),
            condition: condition(model, &d.condition),
        })
        .collect();

    let mut groups = Vec::new();
    let ungrouped: Vec<usize> = (0..model.criteria.len())
        .filter(|&c| model.criteria[c].group.is_none())
        .collect();
    if !ungrouped.is_empty() {
        groups.push(GroupSection {
            name: None,
            anchor: anchor("criteria", "", &mut taken),
            cap: None,
            criteria: Vec::new(),
        });
    }
    for g in &model.groups {
        groups.push(GroupSection {
            name: Some(g.name.clone()),
            anchor: anchor("group", &g.name, &mut taken),
            cap: match (g.floor, g.cap) {
                (None, None) => None,
                (None, Some(cap)) => Some(format!(
                    "The {} sub-score counts at most {} points.",
                    g.name,
                    number(cap)
                )),
                (Some(floor), None) => Some(format!(
                    "The {} sub-score counts at least {} points.",
                    g.name,
                    number(floor)
                )),
                (Some(floor), Some(cap)) => Some(format!(
                    "The {} sub-score counts at least {} and at most {} points.",
                    g.name,
                    number(floor),
                    number(cap)
                )),
            },
            criteria: Vec::new(),
        });
    }
    // Rows in definition order, each in its group's section.
    for (i, c) in model.criteria.iter().enumerate() {
        let section = match c.group {
            None => 0,
            Some(g) => g + usize::from(!ungrouped.is_empty()),
        };
        let row = criterion_row(model, i, &mut taken);
        groups[section].criteria.push(row);
    }

    let stages: Vec<StageLine> = model
        .stages
        .iter()
        .map(|s| StageLine {
            anchor: anchor("stage", &s.name, &mut taken),
            name: s.name.clone(),
            condition: match &s.condition {
                Some(e) => condition(model, e),
                None => "everything else".into(),
            },
        })
        .collect();

    let routes: Vec<StageLine> = model
        .routes
        .iter()
        .map(|r| StageLine {
            anchor: anchor("route", &r.name, &mut taken),
            name: r.name.clone(),
            condition: match &r.condition {
                Some(e) => condition(model, e),
                None => "everything else".into(),
            },
        })
        .collect();

    let handoff = model.handoff.as_ref().map(|h| {
        let lines = h
            .lines
            .iter()
            .map(|l| match l {
                crate::model::HandoffLine::Matched => "the criteria it meets".to_string(),
                crate::model::HandoffLine::Template {
                    text, condition, ..
                } => match condition {
                    Some(c) => format!("“{text}”, when {}", words::condition(model, c)),
                    None => format!("“{text}”"),
                },
            })
            .collect();
        (
            h.condition.as_ref().map(|c| words::condition(model, c)),
            lines,
        )
    });

    let examples = examples
        .iter()
        .map(|e| story(model, e, &mut taken))
        .collect();

    Page {
        title: model
            .name
            .clone()
            .unwrap_or_else(|| "Lead definition".into()),
        version: model.version.clone(),
        agreed_by: model.agreed_by.clone(),
        summary: summary(model),
        disqualifiers,
        groups,
        stages,
        routes,
        handoff,
        examples,
        changes: None,
        landing: None,
    }
}

/// "What makes an inquiry a lead": how the pieces fit, counted.
fn summary(model: &Model) -> Vec<String> {
    let mut lines = Vec::new();
    if !model.disqualifiers.is_empty() {
        lines.push(if model.disqualifiers.len() == 1 {
            "An inquiry is out, whatever it scores, when the disqualifier below holds.".to_string()
        } else {
            format!(
                "An inquiry is out, whatever it scores, when any of the {} disqualifiers below holds.",
                model.disqualifiers.len()
            )
        });
    }
    lines.push(format!(
        "Otherwise it earns points for each criterion it meets ({} in all); the points add up to its score.",
        model.criteria.len()
    ));
    let named: Vec<String> = model
        .stages
        .iter()
        .map(|s| format!("“{}”", s.name))
        .collect();
    lines.push(format!(
        "Its stage is the first of {} whose condition holds.",
        list(&named, "and")
    ));
    if model.has_routes() {
        let named: Vec<String> = model
            .routes
            .iter()
            .map(|r| format!("“{}”", r.name))
            .collect();
        lines.push(format!(
            "Then it goes to the first of the routes {} whose condition holds{}.",
            list(&named, "and"),
            if model.routes.iter().any(|r| r.condition.is_none()) {
                ""
            } else {
                ", or to no one when none does"
            }
        ));
    }
    lines.extend(placeholders(model));
    lines
}

/// "“Select” and “N/A” count as no answer in every field; so does “-1” in
/// visits." Nothing when the definition has no placeholders.
fn placeholders(model: &Model) -> Option<String> {
    let fold = crate::semantics::text::fold;
    let quoted = |ps: &[&String]| {
        let q: Vec<String> = ps.iter().map(|p| format!("“{p}”")).collect();
        list(&q, "and")
    };
    let first = model.fields.first()?;
    // Those every field has: the definition-wide list, said once.
    let everywhere: Vec<&String> = first
        .placeholders
        .iter()
        .filter(|p| {
            let key = fold(p);
            model
                .fields
                .iter()
                .all(|f| f.placeholders.iter().any(|q| fold(q) == key))
        })
        .collect();
    let in_every = |p: &&String| everywhere.iter().any(|e| fold(e) == fold(p));
    let own: Vec<String> = model
        .fields
        .iter()
        .filter_map(|f| {
            let mine: Vec<&String> = f.placeholders.iter().filter(|p| !in_every(p)).collect();
            (!mine.is_empty()).then(|| format!("{} in {}", quoted(&mine), field_words(&f.name)))
        })
        .collect();
    // "“Select” counts", "“Select” and “N/A” count".
    let verb = if everywhere.len() == 1 {
        "counts"
    } else {
        "count"
    };
    match (everywhere.is_empty(), own.is_empty()) {
        (true, true) => None,
        (false, true) => Some(format!(
            "{} {verb} as no answer in every field.",
            quoted(&everywhere)
        )),
        (true, false) => Some(format!("These count as no answer: {}.", list(&own, "and"))),
        (false, false) => Some(format!(
            "{} {verb} as no answer in every field, and so do {}.",
            quoted(&everywhere),
            list(&own, "and")
        )),
    }
}

/// "The points halve every 30 days since demo date."
fn halving(model: &Model, d: &crate::model::Decay) -> String {
    format!(
        "The points halve every {} days since {}.",
        number(d.half_life_days),
        field_words(&model.fields[d.since].name)
    )
}

pub(crate) fn criterion_row(model: &Model, i: usize, taken: &mut HashSet<String>) -> CriterionRow {
    let c = &model.criteria[i];
    let pts = crate::number::signed(c.points, crate::model::format_exact);
    let (points, condition_words, notes) = match &c.earning {
        Earning::Fixed {
            condition: e,
            decay,
        } => {
            let points = if c.points == 0.0 {
                "none (a label)".to_string()
            } else {
                pts
            };
            let notes = decay
                .as_ref()
                .map(|d| halving(model, d))
                .unwrap_or_default();
            (points, condition(model, e), notes)
        }
        Earning::PerUnit {
            amount,
            cap,
            condition: when,
            decay,
        } => {
            let mut words = format!("per unit of {}", operand(model, amount));
            if let Some(e) = when {
                words.push_str(&format!(", when {}", condition(model, e)));
            }
            let notes: Vec<String> = [
                cap.map(|cap| format!("At most {} points.", number(cap))),
                decay.as_ref().map(|d| halving(model, d)),
            ]
            .into_iter()
            .flatten()
            .collect();
            (format!("{pts} per unit"), words, notes.join(" "))
        }
        Earning::ByValue {
            field,
            entries,
            otherwise,
        } => (
            "by value".to_string(),
            words::by_value(model, *field, entries, *otherwise),
            "Nothing when it is not given.".to_string(),
        ),
    };
    CriterionRow {
        anchor: anchor("criterion", &c.name, taken),
        name: c.name.clone(),
        points,
        condition: condition_words,
        notes,
    }
}

fn story(model: &Model, e: &Example, taken: &mut HashSet<String>) -> Story {
    let given: Vec<String> = e
        .values
        .iter()
        .enumerate()
        .filter(|(_, v)| !matches!(v, Value::Missing))
        .map(|(f, v)| format!("{} {}", field_words(&model.fields[f].name), words::value(v)))
        .collect();
    let mut given = given;
    if let (Some(block), false) = (&model.events, e.events.is_empty()) {
        // Each event by its date: "3 activity events (2026-11-02, ...)".
        let dates: Vec<String> = e
            .events
            .iter()
            .filter_map(|ev| ev.get(block.at).map(words::value))
            .collect();
        given.push(format!(
            "{} ({})",
            crate::plural::count(
                e.events.len(),
                &format!("{} event", block.name),
                &format!("{} events", block.name)
            ),
            dates.join(", ")
        ));
    }
    let mut inquiry = if given.is_empty() {
        "An inquiry with nothing filled in".to_string()
    } else {
        format!("An inquiry with {}", list(&given, "and"))
    };
    if let Some(date) = e.as_of {
        inquiry.push_str(&format!(", seen on {date}"));
    }
    inquiry.push('.');
    let quoted = |names: &[String], word: &str| {
        let q: Vec<String> = names.iter().map(|n| format!("“{n}”")).collect();
        list(&q, word)
    };
    let disqualified = e
        .expectations
        .iter()
        .any(|x| matches!(x.expectation, Expectation::Disqualified(_)));
    let expected: Vec<String> = e
        .expectations
        .iter()
        .filter_map(|x| match &x.expectation {
            // "disqualified as X" already says the stage.
            Expectation::Stage(s) if s == DISQUALIFIED_STAGE && disqualified => None,
            Expectation::Stage(s) if s == DISQUALIFIED_STAGE => Some("it is disqualified".into()),
            Expectation::Stage(s) => Some(format!("it is “{s}”")),
            Expectation::Route(r) => Some(format!("it goes to “{r}”")),
            Expectation::Disqualified(r) => Some(format!("it is disqualified as “{r}”")),
            Expectation::NotDisqualified => Some("it is not disqualified".into()),
            Expectation::Score(s) => Some(format!("it scores {}", number(*s))),
            Expectation::ScoreBetween(a, b) => Some(format!(
                "it scores between {} and {}",
                number(*a),
                number(*b)
            )),
            Expectation::Matched(names) => Some(format!("it meets {}", quoted(names, "and"))),
            Expectation::NotMatched(names) if names.len() == 1 => {
                Some(format!("it does not meet {}", quoted(names, "or")))
            }
            Expectation::NotMatched(names) => {
                Some(format!("it meets none of {}", quoted(names, "or")))
            }
        })
        .collect();
    let mut expected = list(&expected, "and");
    if let Some(first) = expected.get(..1) {
        expected = format!("{}{}.", first.to_uppercase(), &expected[1..]);
    }
    Story {
        anchor: anchor("example", &e.name, taken),
        name: e.name.clone(),
        inquiry,
        expected,
    }
}

/// An example's name starts its paragraph (both renderings).
pub(super) fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
