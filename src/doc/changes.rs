//! What changed since an earlier revision, in the page's plain words.
//!
//! In: the semantic diff ([`crate::diff::diff`]) of the earlier revision
//! against this one, and both checked models. Out: one sentence per change.
//! Which declarations changed comes from the diff (so the page and `qualify
//! diff` agree on what changed); what a criterion, stage or disqualifier says
//! now and said then comes from [`super::words`], over each model.

use super::words::condition;
use crate::diff::{ChangeKind, DefinitionDiff, Kind};
use crate::model::Model;
use std::collections::HashSet;

/// A criterion, stage or disqualifier of `model` as "+20 when …" / "when …".
fn rule_words(model: &Model, kind: Kind, name: &str) -> Option<String> {
    match kind {
        Kind::Criterion => {
            let c = model.criterion_named(name)?;
            let row = super::criterion_row(model, c, &mut HashSet::new());
            let mut words = format!("{} when {}", row.points, row.condition);
            if !row.notes.is_empty() {
                words.push_str(&format!(" ({})", row.notes.trim_end_matches('.')));
            }
            Some(words)
        }
        Kind::Stage => {
            let s = model.stages.iter().find(|s| s.name == name)?;
            Some(match &s.condition {
                Some(e) => format!("when {}", condition(model, e)),
                None => "for everything else".into(),
            })
        }
        Kind::Disqualifier => {
            let d = model.disqualifiers.iter().find(|d| d.reason == name)?;
            Some(format!("when {}", condition(model, &d.condition)))
        }
        _ => None,
    }
}

/// One sentence per change of `d`, from `old` to `new`.
pub fn sentences(d: &DefinitionDiff, old: &Model, new: &Model) -> Vec<String> {
    let mut out = Vec::new();
    for h in &d.header {
        // The diff shows header values as written, quotes and all.
        let bare = |s: &str| s.trim_matches('"').to_string();
        out.push(format!(
            "The {} is now “{}” (was “{}”).",
            h.aspect,
            bare(&h.new),
            bare(&h.old)
        ));
    }
    for section in &d.sections {
        // `let` is the keyword; readers know it as a named list or condition.
        let word = match section.kind {
            Kind::List => "named list or condition",
            kind => kind.word(),
        };
        for c in &section.changes {
            let name = &c.name;
            let now = |n: &str| rule_words(new, section.kind, n);
            let then = rule_words(old, section.kind, name);
            let sentence = match c.change {
                ChangeKind::Added => match now(name) {
                    Some(w) => format!("New {word} “{name}”: {w}."),
                    None => format!("New {word} “{name}”."),
                },
                ChangeKind::Removed => match then {
                    Some(w) => format!("The {word} “{name}” is gone (it was {w})."),
                    None => format!("The {word} “{name}” is gone."),
                },
                ChangeKind::Renamed => {
                    let to = c.new_name.as_deref().unwrap_or(name);
                    format!("The {word} “{name}” is now called “{to}”.")
                }
                ChangeKind::Changed => match (now(name), then) {
                    (Some(n), Some(t)) if n != t => {
                        let verb = match section.kind {
                            Kind::Criterion => "counts",
                            _ => "holds",
                        };
                        format!("The {word} “{name}” now {verb} {n} (was {t}).")
                    }
                    _ => format!("The {word} “{name}” changed."),
                },
            };
            out.push(sentence);
        }
        if let Some(order) = &section.order {
            let names: Vec<String> = order.new.iter().map(|n| format!("“{n}”")).collect();
            out.push(format!(
                "The {} are now in the order {}.",
                section.kind.heading(),
                names.join(", ")
            ));
        }
    }
    out
}
