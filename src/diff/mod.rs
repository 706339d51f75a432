//! Two definitions in, what changed in meaning out (`qualify diff`).
//!
//! In: the syntax trees of an old and a new revision (both checked without
//! errors). Out: a [`DefinitionDiff`]: per kind of declaration (fields, lists,
//! disqualifiers, groups, criteria, stages, examples, holidays), what was added,
//! removed, renamed or changed, and how; plus the header and the order of
//! disqualifiers and stages, the only declarations whose order means something.
//!
//! Layout never counts: declarations are matched by name, not position, and
//! conditions are compared in a canonical form ([`normalize`]), and a criterion
//! condition that `check`'s analysis proves holds exactly when the old one did
//! is no change ([`meaning`]). A removed and an
//! added declaration with the same content are a rename, and a rename is
//! followed everywhere (a condition that says `matched "old name"` before and
//! `matched "new name"` after has not changed). Old and new text is shown as
//! printed by [`print`].

mod entities;
pub mod impact;
mod meaning;
pub mod normalize;
pub mod print;
pub mod render;
pub mod render_impact;
mod render_review;
pub mod review;
mod stage_blame;

use crate::ast::{Definition, HeaderKind, Item};
use entities::{entities, Entity};
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};

/// Names renamed from the old revision to the new one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Renames {
    /// Fields, lists, named conditions and groups (one namespace in conditions).
    values: HashMap<String, String>,
    criteria: HashMap<String, String>,
}

impl Renames {
    /// The new name of a field, `let` or group.
    pub fn value(&self, name: &str) -> String {
        self.values
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }
    /// The new name of a criterion.
    pub fn criterion(&self, name: &str) -> String {
        self.criteria
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }
}

/// What kind of declaration a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Field,
    List,
    Holiday,
    Placeholder,
    Disqualifier,
    Group,
    Criterion,
    Stage,
    Route,
    Handoff,
    Example,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Field,
        Kind::List,
        Kind::Holiday,
        Kind::Placeholder,
        Kind::Disqualifier,
        Kind::Group,
        Kind::Criterion,
        Kind::Stage,
        Kind::Route,
        Kind::Handoff,
        Kind::Example,
    ];

    /// The word for one declaration of this kind.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Field => "field",
            Kind::List => "let",
            Kind::Holiday => "holiday",
            Kind::Placeholder => "missing value",
            Kind::Disqualifier => "disqualifier",
            Kind::Group => "group",
            Kind::Criterion => "criterion",
            Kind::Stage => "stage",
            Kind::Route => "route",
            Kind::Handoff => "hand-off",
            Kind::Example => "example",
        }
    }

    /// The heading of this kind's section.
    pub fn heading(self) -> &'static str {
        match self {
            Kind::Field => "fields",
            Kind::List => "lists and named conditions",
            Kind::Holiday => "holidays",
            Kind::Placeholder => "missing values",
            Kind::Disqualifier => "disqualifiers",
            Kind::Group => "groups",
            Kind::Criterion => "criteria",
            Kind::Stage => "stages",
            Kind::Route => "routes",
            Kind::Handoff => "hand-off brief",
            Kind::Example => "examples",
        }
    }

    /// Whether names of this kind are written in quotes (`"BANT"` vs `budget`).
    pub fn quoted_names(self) -> bool {
        matches!(
            self,
            Kind::Placeholder
                | Kind::Disqualifier
                | Kind::Criterion
                | Kind::Stage
                | Kind::Route
                | Kind::Example
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Renamed,
    Changed,
}

/// One aspect of a declaration, before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detail {
    /// `points`, `condition`, `cap`, `type`, `column`, ...
    pub aspect: String,
    pub old: String,
    pub new: String,
}

/// One declaration added, removed, renamed or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub change: ChangeKind,
    pub kind: Kind,
    /// The name in the old revision (the new one for an addition).
    pub name: String,
    /// The new name, for a rename.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_name: Option<String>,
    /// The whole declaration after its name, for an addition or removal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Detail>,
    /// For a changed list or named condition: the declarations of the new
    /// revision that use it (`criterion "close by"`), so a reviewer sees its reach.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub used_by: Vec<String>,
}

/// Disqualifiers, stages or routes in a different order (first that holds wins).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderChange {
    pub old: Vec<String>,
    pub new: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub kind: Kind,
    pub changes: Vec<Change>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<OrderChange>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub renamed: usize,
    pub changed: usize,
    /// Order changes of disqualifiers and stages.
    pub reordered: usize,
}

impl Summary {
    pub fn total(&self) -> usize {
        self.added + self.removed + self.renamed + self.changed + self.reordered
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DefinitionDiff {
    /// How the old and new revisions were named on the command line.
    pub old: String,
    pub new: String,
    pub summary: Summary,
    /// `definition`, `version`, `agreed by` lines that changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub header: Vec<Detail>,
    /// Only kinds with a change, in [`Kind::ALL`] order.
    pub sections: Vec<Section>,
}

impl DefinitionDiff {
    /// No change in meaning (the header is not meaning).
    pub fn is_empty(&self) -> bool {
        self.summary.total() == 0
    }

    pub fn section(&self, kind: Kind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    /// The changes to declarations of `kind` (old names; new ones for additions).
    pub fn changes_of(&self, kind: Kind) -> impl Iterator<Item = &Change> {
        self.section(kind)
            .into_iter()
            .flat_map(|s| s.changes.iter())
    }

    /// Old name → new name of the declarations of `kind` that were renamed.
    pub fn renames_of(&self, kind: Kind) -> HashMap<String, String> {
        self.changes_of(kind)
            .filter_map(|c| Some((c.name.clone(), c.new_name.clone()?)))
            .collect()
    }
}

/// Compare two revisions by meaning.
pub fn diff(
    old: &Definition,
    new: &Definition,
    old_label: &str,
    new_label: &str,
) -> DefinitionDiff {
    let renames = find_renames(old, new);
    let old_entities = entities(old, &renames);
    let new_entities = entities(new, &Renames::default());
    let mut sections = Vec::new();
    let mut summary = Summary::default();
    for kind in Kind::ALL {
        let olds: Vec<&Entity> = old_entities.iter().filter(|e| e.kind == kind).collect();
        let news: Vec<&Entity> = new_entities.iter().filter(|e| e.kind == kind).collect();
        let mut changes = compare_kind(kind, &olds, &news, &renames);
        meaning::drop_same_conditions(&mut changes, old, new);
        if kind == Kind::List {
            for c in changes
                .iter_mut()
                .filter(|c| c.change == ChangeKind::Changed)
            {
                c.used_by = users_of(&c.name, &new_entities);
            }
        }
        let order = match kind {
            Kind::Disqualifier | Kind::Stage | Kind::Route => order_change(&olds, &news, &renames),
            _ => None,
        };
        for c in &changes {
            match c.change {
                ChangeKind::Added => summary.added += 1,
                ChangeKind::Removed => summary.removed += 1,
                ChangeKind::Renamed => summary.renamed += 1,
                ChangeKind::Changed => summary.changed += 1,
            }
        }
        summary.reordered += usize::from(order.is_some());
        if !changes.is_empty() || order.is_some() {
            sections.push(Section {
                kind,
                changes,
                order,
            });
        }
    }
    DefinitionDiff {
        old: old_label.to_string(),
        new: new_label.to_string(),
        summary,
        header: header_changes(old, new),
        sections,
    }
}

/// `criterion "close by"`, ... for each declaration whose conditions name `name`.
fn users_of(name: &str, entities: &[Entity]) -> Vec<String> {
    entities
        .iter()
        .filter(|e| e.uses.contains(name))
        .map(|e| format!("{} {}", e.kind.word(), render::shown_name(e.kind, &e.name)))
        .collect()
}

/// The new name an old declaration of `kind` goes by.
fn renamed(kind: Kind, name: &str, renames: &Renames) -> String {
    match kind {
        Kind::Field | Kind::List | Kind::Group => renames.value(name),
        Kind::Criterion => renames.criterion(name),
        _ => name.to_string(),
    }
}

/// Renames of everything conditions can refer to. Finding one rename can reveal
/// another (a criterion that mentions a renamed field), so repeat until nothing
/// new turns up; each round can only use what the last one found.
fn find_renames(old: &Definition, new: &Definition) -> Renames {
    let new_entities = entities(new, &Renames::default());
    let mut renames = Renames::default();
    for _ in 0..8 {
        let old_entities = entities(old, &renames);
        let mut next = Renames::default();
        for kind in [Kind::Field, Kind::List, Kind::Group, Kind::Criterion] {
            let olds: Vec<&Entity> = old_entities.iter().filter(|e| e.kind == kind).collect();
            let news: Vec<&Entity> = new_entities.iter().filter(|e| e.kind == kind).collect();
            for (from, to) in rename_pairs(&olds, &news) {
                match kind {
                    Kind::Criterion => next.criteria.insert(from, to),
                    _ => next.values.insert(from, to),
                };
            }
        }
        if next == renames {
            break;
        }
        renames = next;
    }
    renames
}

/// Old declarations gone from the new revision paired with new ones of the
/// same content; each pairs at most once, first come first served.
///
/// The new declarations that could be renames wait in one queue per content,
/// in order, so each old one finds its partner in one look-up (a revision that
/// renames everything stays linear).
fn rename_pairs(olds: &[&Entity], news: &[&Entity]) -> Vec<(String, String)> {
    let old_names: HashSet<&str> = olds.iter().map(|e| e.name.as_str()).collect();
    let new_names: HashSet<&str> = news.iter().map(|e| e.name.as_str()).collect();
    let mut waiting: HashMap<String, VecDeque<&str>> = HashMap::new();
    for n in news.iter().filter(|n| !old_names.contains(n.name.as_str())) {
        waiting
            .entry(n.content_key())
            .or_default()
            .push_back(n.name.as_str());
    }
    // Taken by name: a name declared twice pairs once.
    let mut taken = HashSet::new();
    let mut pairs = Vec::new();
    for o in olds.iter().filter(|o| !new_names.contains(o.name.as_str())) {
        let Some(queue) = waiting.get_mut(&o.content_key()) else {
            continue;
        };
        while queue.front().is_some_and(|n| taken.contains(n)) {
            queue.pop_front();
        }
        if let Some(n) = queue.pop_front() {
            taken.insert(n);
            pairs.push((o.name.clone(), n.to_string()));
        }
    }
    pairs
}

fn compare_kind(kind: Kind, olds: &[&Entity], news: &[&Entity], renames: &Renames) -> Vec<Change> {
    let mut pairs: HashMap<String, String> = rename_pairs(olds, news).into_iter().collect();
    // Renames of referable kinds were settled in `find_renames`; keep those.
    if matches!(
        kind,
        Kind::Field | Kind::List | Kind::Group | Kind::Criterion
    ) {
        pairs.retain(|from, to| renamed(kind, from, renames) == *to);
    }
    let new_names: HashSet<&str> = news.iter().map(|n| n.name.as_str()).collect();
    let new_name_of = |o: &Entity| -> Option<String> {
        if new_names.contains(o.name.as_str()) {
            Some(o.name.clone())
        } else {
            pairs.get(&o.name).cloned()
        }
    };
    // The first old declaration going by each new name, looked up once per
    // new declaration instead of searched for.
    let mut old_by_new_name: HashMap<String, &Entity> = HashMap::new();
    for o in olds {
        if let Some(name) = new_name_of(o) {
            old_by_new_name.entry(name).or_insert(o);
        }
    }
    let mut changes = Vec::new();
    for o in olds.iter().filter(|o| new_name_of(o).is_none()) {
        changes.push(Change {
            change: ChangeKind::Removed,
            kind,
            name: o.name.clone(),
            new_name: None,
            text: Some(o.shown.clone()),
            details: Vec::new(),
            used_by: Vec::new(),
        });
    }
    for n in news {
        let Some(o) = old_by_new_name.get(n.name.as_str()) else {
            changes.push(Change {
                change: ChangeKind::Added,
                kind,
                name: n.name.clone(),
                new_name: None,
                text: Some(n.shown.clone()),
                details: Vec::new(),
                used_by: Vec::new(),
            });
            continue;
        };
        let details = o.details_against(n);
        if o.name != n.name {
            changes.push(Change {
                change: ChangeKind::Renamed,
                kind,
                name: o.name.clone(),
                new_name: Some(n.name.clone()),
                text: None,
                details,
                used_by: Vec::new(),
            });
        } else if !details.is_empty() {
            changes.push(Change {
                change: ChangeKind::Changed,
                kind,
                name: n.name.clone(),
                new_name: None,
                text: None,
                details,
                used_by: Vec::new(),
            });
        }
    }
    changes
}

/// The order of declarations present in both revisions, when it differs.
fn order_change(olds: &[&Entity], news: &[&Entity], renames: &Renames) -> Option<OrderChange> {
    let kind = olds.first().or(news.first())?.kind;
    let pairs: HashMap<String, String> = rename_pairs(olds, news).into_iter().collect();
    let new_name = |name: &str| {
        pairs
            .get(name)
            .cloned()
            .unwrap_or_else(|| renamed(kind, name, renames))
    };
    let in_new: HashSet<&str> = news.iter().map(|n| n.name.as_str()).collect();
    let kept_old: Vec<String> = olds
        .iter()
        .map(|o| new_name(&o.name))
        .filter(|n| in_new.contains(n.as_str()))
        .collect();
    let kept: HashSet<&str> = kept_old.iter().map(String::as_str).collect();
    let kept_new: Vec<String> = news
        .iter()
        .map(|n| n.name.clone())
        .filter(|n| kept.contains(n.as_str()))
        .collect();
    (kept_old != kept_new).then(|| OrderChange {
        old: olds.iter().map(|o| o.name.clone()).collect(),
        new: news.iter().map(|n| n.name.clone()).collect(),
    })
}

fn header_changes(old: &Definition, new: &Definition) -> Vec<Detail> {
    let value = |def: &Definition, kind: HeaderKind| {
        def.items
            .iter()
            .find_map(|i| match i {
                Item::Header(h) if h.kind == kind => Some(print::quoted(&h.value.value)),
                _ => None,
            })
            .unwrap_or_else(|| "(none)".to_string())
    };
    [
        HeaderKind::Definition,
        HeaderKind::Version,
        HeaderKind::AgreedBy,
    ]
    .into_iter()
    .filter_map(|kind| {
        let (o, n) = (value(old, kind), value(new, kind));
        (o != n).then(|| Detail {
            aspect: kind.keyword().to_string(),
            old: o,
            new: n,
        })
    })
    .collect()
}
