//! Syntax tree → a flat list of named declarations, each with the aspects the
//! diff compares.
//!
//! In: a definition and the renames to apply to what it refers to (the old
//! revision is read through the renames, so that a renamed field does not make
//! every criterion using it look changed). Out: [`Entity`]s, each aspect with a
//! comparison key (canonical) and a text to show (as written).

use super::normalize::{list_items, normalize, Norm};
use super::print;
use super::{Detail, Kind, Renames};
use crate::ast::{
    Amount, CriterionBody, Definition, Example, ExampleValue, Expectation, FieldType, Item,
    LetValue, StageRule, ValueKey,
};
use crate::ast::{Expr, ExprKind, ListRef};
use crate::semantics::text::fold as fold_text;
use std::collections::{BTreeSet, HashSet};

/// One aspect of a declaration: compared by `key`, shown as `shown`.
pub struct Aspect {
    pub name: &'static str,
    pub key: String,
    pub shown: String,
}

pub struct Entity {
    pub kind: Kind,
    pub name: String,
    /// The declaration after its name, on one line.
    pub shown: String,
    pub aspects: Vec<Aspect>,
    /// What else must agree for a removed and an added declaration to be a
    /// rename, though it is not reported as an aspect of its own.
    pub identity: String,
    /// For a list: its items, canonical key and text, so a change can say
    /// which items came and went.
    pub items: Option<Vec<(String, String)>>,
    /// Fields, lists, named conditions and groups its conditions name.
    pub uses: BTreeSet<String>,
    /// A points-by-value criterion's entries, so a change says which entry
    /// came, went or changed its points, one line each.
    pub entries: Vec<EntryAspect>,
}

/// One entry of a points-by-value criterion: compared by its key (folded),
/// its points by number.
pub struct EntryAspect {
    pub key: String,
    pub label: String,
    pub points_key: String,
    pub points_shown: String,
}

impl Entity {
    fn new(kind: Kind, name: &str, shown: String) -> Self {
        Entity {
            kind,
            name: name.to_string(),
            shown,
            aspects: Vec::new(),
            identity: String::new(),
            items: None,
            uses: BTreeSet::new(),
            entries: Vec::new(),
        }
    }

    fn aspect(mut self, name: &'static str, key: impl Into<String>, shown: String) -> Self {
        self.aspects.push(Aspect {
            name,
            key: key.into(),
            shown,
        });
        self
    }

    /// Everything but the name.
    pub fn content_key(&self) -> String {
        let mut key = self.identity.clone();
        for a in &self.aspects {
            key.push('\u{1}');
            key.push_str(a.name);
            key.push('\u{2}');
            key.push_str(&a.key);
        }
        for e in &self.entries {
            key.push('\u{3}');
            key.push_str(&e.key);
            key.push('\u{2}');
            key.push_str(&e.points_key);
        }
        key
    }

    /// The aspects that differ, old text against new.
    pub fn details_against(&self, new: &Entity) -> Vec<Detail> {
        if let (Some(old), Some(new_items)) = (&self.items, &new.items) {
            if self.content_key() != new.content_key() {
                return item_details(old, new_items);
            }
        }
        let mut details = Vec::new();
        for a in &self.aspects {
            let Some(b) = new.aspects.iter().find(|b| b.name == a.name) else {
                continue;
            };
            if a.key != b.key {
                details.push(Detail {
                    aspect: a.name.to_string(),
                    old: a.shown.clone(),
                    new: b.shown.clone(),
                });
            }
        }
        details.extend(entry_details(&self.entries, &new.entries));
        details
    }
}

/// Each entry added, removed or given other points, in the new order, then
/// the removed ones in the old order.
fn entry_details(old: &[EntryAspect], new: &[EntryAspect]) -> Vec<Detail> {
    let mut details = Vec::new();
    for b in new {
        match old.iter().find(|a| a.key == b.key) {
            Some(a) if a.points_key == b.points_key => {}
            Some(a) => details.push(Detail {
                aspect: b.label.clone(),
                old: a.points_shown.clone(),
                new: b.points_shown.clone(),
            }),
            None => details.push(Detail {
                aspect: b.label.clone(),
                old: NONE.into(),
                new: b.points_shown.clone(),
            }),
        }
    }
    for a in old {
        if !new.iter().any(|b| b.key == a.key) {
            details.push(Detail {
                aspect: a.label.clone(),
                old: a.points_shown.clone(),
                new: NONE.into(),
            });
        }
    }
    details
}

/// Which list items were added and which removed (compared folded).
fn item_details(old: &[(String, String)], new: &[(String, String)]) -> Vec<Detail> {
    let missing_from = |these: &[(String, String)], those: &[(String, String)]| {
        let keys: HashSet<&str> = those.iter().map(|(k, _)| k.as_str()).collect();
        these
            .iter()
            .filter(|(k, _)| !keys.contains(k.as_str()))
            .map(|(_, shown)| shown.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut details = Vec::new();
    let added = missing_from(new, old);
    if !added.is_empty() {
        details.push(Detail {
            aspect: "added items".into(),
            old: String::new(),
            new: added,
        });
    }
    let removed = missing_from(old, new);
    if !removed.is_empty() {
        details.push(Detail {
            aspect: "removed items".into(),
            old: removed,
            new: String::new(),
        });
    }
    details
}

/// The value names (fields, lists, named conditions, groups) `e` mentions.
fn names_in(e: &Expr, out: &mut BTreeSet<String>) {
    match &e.kind {
        ExprKind::Name(n) => {
            out.insert(n.clone());
        }
        ExprKind::In {
            list: ListRef::Named(n),
            ..
        } => {
            out.insert(n.value.clone());
        }
        _ => {}
    }
    e.children().for_each(|x| names_in(x, out));
}

fn uses(exprs: &[Option<&Expr>]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in exprs.iter().flatten() {
        names_in(e, &mut out);
    }
    out
}

const NONE: &str = "(none)";

/// A field's own placeholders: the key compared (folded, sorted, once each)
/// and the words shown (as written).
fn placeholders(values: &[crate::ast::Spanned<String>]) -> (String, String) {
    if values.is_empty() {
        return (String::new(), NONE.into());
    }
    let mut key: Vec<String> = values.iter().map(|v| fold_text(&v.value)).collect();
    key.sort();
    key.dedup();
    let shown: Vec<String> = values.iter().map(|v| print::quoted(&v.value)).collect();
    (format!("{key:?}"), shown.join(", "))
}

fn key(n: &Norm) -> String {
    format!("{n:?}")
}

/// Every declaration of `def` with its aspects; references read through `renames`.
pub fn entities(def: &Definition, renames: &Renames) -> Vec<Entity> {
    let mut out = Vec::new();
    for item in &def.items {
        match item {
            Item::Header(_) => {}
            Item::Fields(block) => {
                for f in &block.fields {
                    out.push(field_entity(f, &f.name.value));
                }
            }
            // An event field is a field named `events.field`.
            Item::Events(block) => {
                for f in &block.fields {
                    let name = format!("{}.{}", block.name.value, f.decl.name.value);
                    out.push(field_entity(&f.decl, &name));
                }
            }
            Item::Holidays(h) => {
                for d in &h.dates {
                    out.push(Entity::new(Kind::Holiday, &d.value, String::new()));
                }
            }
            // One entity per placeholder, named as folded: `"N/A"` and `"n/a"`
            // are one placeholder, as cells are compared.
            Item::MissingValues(m) => {
                for v in &m.values {
                    out.push(Entity::new(
                        Kind::Placeholder,
                        &fold_text(&v.value),
                        String::new(),
                    ));
                }
            }
            Item::Let(l) => {
                let value_key = match &l.value {
                    LetValue::List(list) => format!("list {:?}", list_items(list)),
                    LetValue::Condition(e) => key(&normalize(e, renames)),
                };
                let shown = print::let_value(&l.value);
                let mut e = Entity::new(Kind::List, &l.name.value, format!("= {shown}"))
                    .aspect("value", value_key, shown);
                if let LetValue::Condition(c) = &l.value {
                    e.uses = uses(&[Some(c)]);
                }
                if let LetValue::List(list) = &l.value {
                    e.items = Some(
                        list.items
                            .iter()
                            .map(|i| {
                                let one = crate::ast::ListLit {
                                    items: vec![i.clone()],
                                    span: list.span,
                                };
                                (
                                    format!("{:?}", list_items(&one)),
                                    print::list_item(&i.value),
                                )
                            })
                            .collect(),
                    );
                }
                out.push(e);
            }
            Item::Disqualify(d) => {
                let condition = print::expr(&d.condition);
                out.push(
                    Entity::new(
                        Kind::Disqualifier,
                        &d.reason.value,
                        format!("when {condition}"),
                    )
                    .aspect(
                        "condition",
                        key(&normalize(&d.condition, renames)),
                        condition,
                    ),
                );
                if let Some(e) = out.last_mut() {
                    e.uses = uses(&[Some(&d.condition)]);
                }
            }
            Item::Group(g) => {
                let cap = g
                    .cap
                    .as_ref()
                    .map(|c| shown_with_value(print::amount(&c.value), &c.value, def));
                let cap_key = g.cap.as_ref().map(|c| amount_key(&c.value, def));
                let mut members: Vec<String> = g
                    .criteria
                    .iter()
                    .map(|c| renames.criterion(&c.name.value))
                    .collect();
                members.sort();
                let floor = g
                    .floor
                    .as_ref()
                    .map(|f| shown_with_value(print::amount(&f.value), &f.value, def));
                let floor_key = g.floor.as_ref().map(|f| amount_key(&f.value, def));
                let bounds: Vec<String> = [
                    floor.as_ref().map(|f| format!("at least {f}")),
                    cap.as_ref().map(|c| format!("at most {c}")),
                ]
                .into_iter()
                .flatten()
                .collect();
                let mut e = Entity::new(Kind::Group, &g.name.value, bounds.join(", "))
                    .aspect(
                        "floor",
                        floor_key.unwrap_or_default(),
                        floor.map_or_else(|| "no floor".into(), |f| format!("at least {f}")),
                    )
                    .aspect(
                        "cap",
                        cap_key.unwrap_or_default(),
                        cap.map_or_else(|| "no cap".into(), |c| format!("at most {c}")),
                    );
                e.uses.extend(
                    [&g.floor, &g.cap]
                        .into_iter()
                        .flatten()
                        .filter_map(|c| c.value.name())
                        .map(String::from),
                );
                e.identity = format!("{members:?}");
                out.push(e);
                for c in &g.criteria {
                    out.push(criterion(c, Some(&g.name.value), renames, def));
                }
            }
            Item::Criterion(c) => out.push(criterion(c, None, renames, def)),
            Item::Stage(s) | Item::Route(s) => {
                let kind = match item {
                    Item::Route(_) => Kind::Route,
                    _ => Kind::Stage,
                };
                let rule_key = match &s.rule {
                    StageRule::When(e) => key(&normalize(e, renames)),
                    StageRule::Otherwise(_) => "otherwise".into(),
                };
                let shown = print::stage_rule(&s.rule);
                out.push(Entity::new(kind, &s.name.value, shown.clone()).aspect(
                    "condition",
                    rule_key,
                    shown,
                ));
                if let (Some(e), StageRule::When(c)) = (out.last_mut(), &s.rule) {
                    e.uses = uses(&[Some(c)]);
                }
            }
            Item::Handoff(h) => out.push(handoff(h, renames)),
            Item::Example(x) => out.push(example(x, renames)),
        }
    }
    out
}

/// The hand-off brief, one entity: its condition and each line, compared
/// by meaning (conditions canonical, templates as written).
fn handoff(h: &crate::ast::Handoff, renames: &Renames) -> Entity {
    let when = |c: &Option<crate::ast::Expr>| -> (String, String) {
        match c {
            Some(e) => (
                key(&normalize(e, renames)),
                format!(" when {}", print::expr(e)),
            ),
            None => (String::new(), String::new()),
        }
    };
    let (cond_key, cond_shown) = when(&h.condition);
    let (mut keys, mut shown) = (Vec::new(), Vec::new());
    for line in &h.lines {
        match line {
            crate::ast::HandoffLine::Matched(_) => {
                keys.push("matched".to_string());
                shown.push("matched".to_string());
            }
            crate::ast::HandoffLine::Template {
                text, condition, ..
            } => {
                let (k, s) = when(condition);
                keys.push(format!("{:?} {k}", text.value));
                shown.push(format!("{}{s}", print::quoted(&text.value)));
            }
        }
    }
    let mut e = Entity::new(
        Kind::Handoff,
        "handoff",
        format!("{{ {} }}", shown.join("; ")),
    )
    .aspect("condition", cond_key, cond_shown.trim().to_string())
    .aspect("lines", keys.join("\n"), shown.join("; "));
    e.uses = uses(&[h.condition.as_ref()]);
    e
}

/// An amount compared by the number it stands for: `+strong` with `let
/// strong = 25` is the same points as `+25`, and changing the `let` changes
/// every rule that names it.
fn amount_key(a: &Amount, def: &Definition) -> String {
    match a.value(|name| def.let_number(name)) {
        Some(n) => print::number(n),
        None => print::amount(a),
    }
}

/// `+strong (25)`: a named amount shown with the number it stands for, so a
/// changed `let` reads as changed points.
fn shown_with_value(shown: String, a: &Amount, def: &Definition) -> String {
    match (a.name(), a.value(|name| def.let_number(name))) {
        (Some(_), Some(n)) => format!("{shown} ({})", print::number(n)),
        _ => shown,
    }
}

fn criterion(
    c: &crate::ast::Criterion,
    group: Option<&str>,
    renames: &Renames,
    def: &Definition,
) -> Entity {
    let points = c
        .points
        .as_ref()
        .map(|p| shown_with_value(print::points_of(&p.value), &p.value, def));
    let points_key = c.points.as_ref().map(|p| amount_key(&p.value, def));
    let mut e = Entity::new(Kind::Criterion, &c.name.value, print::criterion(c)).aspect(
        "points",
        points_key.unwrap_or_default(),
        points.unwrap_or_else(|| NONE.into()),
    );
    let (condition, decay, amount, cap, cap_key) = match &c.body {
        CriterionBody::ByValue { .. } => (None, None, None, None, None),
        CriterionBody::When { condition, decay } => (
            Some(condition),
            decay.as_ref().map(print::decay),
            None,
            None,
            None,
        ),
        CriterionBody::PerUnit {
            amount,
            cap,
            condition,
            decay,
        } => (
            condition.as_ref(),
            decay.as_ref().map(print::decay),
            Some(amount),
            cap.as_ref()
                .map(|c| shown_with_value(print::amount(&c.value), &c.value, def)),
            cap.as_ref().map(|c| amount_key(&c.value, def)),
        ),
    };
    e = e.aspect(
        "condition",
        condition.map_or(String::new(), |x| key(&normalize(x, renames))),
        condition.map_or_else(|| "(always)".into(), print::expr),
    );
    e = e.aspect(
        "per",
        amount.map_or(String::new(), |x| key(&normalize(x, renames))),
        amount.map_or_else(|| NONE.into(), print::expr),
    );
    e = e.aspect(
        "at most",
        cap_key.unwrap_or_default(),
        cap.unwrap_or_else(|| NONE.into()),
    );
    // Decay is compared with its date field renamed, shown as written.
    let decay_key = match &c.body {
        CriterionBody::When { decay: Some(d), .. }
        | CriterionBody::PerUnit { decay: Some(d), .. } => {
            let every = amount_key(&d.every_days.value, def);
            match &d.since {
                Some(since) => format!("{every} {}", renames.value(&since.value)),
                None => format!("{every} each"),
            }
        }
        _ => String::new(),
    };
    e = e.aspect("decay", decay_key, decay.unwrap_or_else(|| NONE.into()));
    if let CriterionBody::ByValue { field, entries } = &c.body {
        e = e.aspect("by", renames.value(&field.value), field.value.clone());
        e.uses.insert(field.value.clone());
        e.entries = entry_aspects(entries, def);
    }
    e.uses = uses(&[condition, amount]);
    // A named amount is a use of its `let`.
    let named = c.points.iter().chain(body_amounts(&c.body));
    e.uses
        .extend(named.filter_map(|a| a.value.name()).map(String::from));
    let group_key = group.map(|g| renames.value(g)).unwrap_or_default();
    e.aspect(
        "group",
        group_key,
        group.map_or_else(|| "(no group)".into(), str::to_string),
    )
}

fn example(x: &Example, renames: &Renames) -> Entity {
    let values: Vec<String> = x
        .assignments
        .iter()
        .map(|a| format!("{}: {}", a.field.value, example_value(&a.value.value)))
        .collect();
    let mut value_keys: Vec<String> = x
        .assignments
        .iter()
        .map(|a| {
            format!(
                "{}: {}",
                renames.value(&a.field.value),
                example_value(&a.value.value)
            )
        })
        .collect();
    value_keys.sort();
    let expectations: Vec<String> = x
        .expectations
        .iter()
        .map(|e| expectation(&e.value, &|n| n.to_string(), false))
        .collect();
    let mut expectation_keys: Vec<String> = x
        .expectations
        .iter()
        .map(|e| expectation(&e.value, &|n| renames.criterion(n), true))
        .collect();
    expectation_keys.sort();
    let as_of = x.as_of.as_ref().map(|d| d.value.clone());
    let shown = format!("{{ {} }}", values.join(", "));
    Entity::new(Kind::Example, &x.name.value, shown)
        .aspect("values", value_keys.join(", "), values.join(", "))
        .aspect(
            "expectations",
            expectation_keys.join("; "),
            expectations.join("; "),
        )
        .aspect(
            "as of",
            as_of.clone().unwrap_or_default(),
            as_of.unwrap_or_else(|| "the run's date".into()),
        )
}

fn example_value(v: &ExampleValue) -> String {
    match v {
        ExampleValue::Text(t) => print::quoted(t),
        ExampleValue::Number(n) => print::number(*n),
        ExampleValue::Date(d) => d.clone(),
        ExampleValue::Yes => "yes".into(),
        ExampleValue::No => "no".into(),
        ExampleValue::Missing => "missing".into(),
    }
}

/// An `expect` line; `sorted` lists matched names in a canonical order (for keys).
fn expectation(e: &Expectation, criterion: &dyn Fn(&str) -> String, sorted: bool) -> String {
    let names = |names: &[crate::ast::Spanned<String>]| {
        let mut v: Vec<String> = names
            .iter()
            .map(|n| print::quoted(&criterion(&n.value)))
            .collect();
        if sorted {
            v.sort();
        }
        v.join(", ")
    };
    match e {
        Expectation::Stage(s) => format!("expect stage {}", print::quoted(&s.value)),
        Expectation::Route(r) => format!("expect route {}", print::quoted(&r.value)),
        Expectation::Disqualified(r) => format!("expect disqualified {}", print::quoted(&r.value)),
        Expectation::NotDisqualified => "expect not disqualified".into(),
        Expectation::Score(s) => format!("expect score {}", print::number(*s)),
        Expectation::ScoreBetween(a, b) => format!(
            "expect score between {} and {}",
            print::number(*a),
            print::number(*b)
        ),
        Expectation::Matched(n) => format!("expect matched {}", names(n)),
        Expectation::NotMatched(n) => format!("expect not matched {}", names(n)),
    }
}

/// The cap and half-life a criterion's body writes.
fn body_amounts(body: &CriterionBody) -> Vec<&crate::ast::Spanned<Amount>> {
    match body {
        CriterionBody::When { decay, .. } => decay.iter().map(|d| &d.every_days).collect(),
        CriterionBody::PerUnit { cap, decay, .. } => cap
            .iter()
            .chain(decay.iter().map(|d| &d.every_days))
            .collect(),
        CriterionBody::ByValue { entries, .. } => entries.iter().map(|e| &e.points).collect(),
    }
}

/// A points-by-value criterion's entries as the diff compares them: keys
/// folded, points by number (`otherwise` is 0 when not written).
fn entry_aspects(entries: &[crate::ast::ValueEntry], def: &Definition) -> Vec<EntryAspect> {
    let mut out: Vec<EntryAspect> = entries
        .iter()
        .map(|e| {
            let key = match e.key.as_ref().map(|k| &k.value) {
                Some(ValueKey::Text(t)) => format!("t{}", fold_text(t)),
                other => format!("v{}", print::value_key(other)),
            };
            EntryAspect {
                key,
                label: print::value_key(e.key.as_ref().map(|k| &k.value)),
                points_key: amount_key(&e.points.value, def),
                points_shown: shown_with_value(
                    print::points_of(&e.points.value),
                    &e.points.value,
                    def,
                ),
            }
        })
        .collect();
    if !entries.iter().any(|e| e.key.is_none()) {
        out.push(EntryAspect {
            key: "votherwise".into(),
            label: "otherwise".into(),
            points_key: print::number(0.0),
            points_shown: "+0".into(),
        });
    }
    out
}

/// A field's entity: its type, whether optional, its column, format and placeholders.
fn field_entity(f: &crate::ast::FieldDecl, name: &str) -> Entity {
    let ty = &f.ty.value;
    let type_key = match ty {
        FieldType::OneOf(values) => {
            let mut v: Vec<String> = values.iter().map(|v| fold_text(&v.value)).collect();
            v.sort();
            v.dedup();
            format!("one of {v:?}")
        }
        other => other.describe().to_string(),
    };
    let column = f.from.as_ref().map_or(&f.name.value, |c| &c.value);
    let format = f.format.as_ref().map(|x| print::quoted(&x.value));
    let (missing_key, missing_shown) = placeholders(&f.missing);
    Entity::new(Kind::Field, name, print::field(f))
        .aspect("type", type_key, print::field_type(ty))
        .aspect(
            "optional",
            f.optional.to_string(),
            if f.optional { "optional" } else { "required" }.into(),
        )
        .aspect("column", column.clone(), print::quoted(column))
        .aspect(
            "date format",
            format.clone().unwrap_or_default(),
            format.unwrap_or_else(|| "ISO 8601".into()),
        )
        .aspect("missing when", missing_key, missing_shown)
}
