//! Where each name is declared and used, read from the syntax tree.
//!
//! In: a file's [`Definition`] (a definition or an examples file). Out: every
//! [`Occurrence`] of a field, `let`, group, criterion, stage, disqualifier
//! reason, events block or event field: its span as written (quotes included
//! for quoted names) and whether it declares the name. Go to definition, find references, rename, hover and
//! semantic tokens all read this one list.
//!
//! A bare name in a condition is a field, else a `let`, else a group, as the
//! checker resolves it; a quoted item of `at least N of (…)` names a criterion.
//! Inside an aggregate's `where`, a bare name is an event field, else a
//! `let`, as the checker resolves it there; the aggregate's `NAME` (`count
//! of activity`) uses the events block, and its `since` date is the lead's.

use crate::ast::{
    Amount, CriterionBody, Definition, Expectation, Expr, ExprKind, Item, LetValue, ListRef, Span,
    Spanned,
};
use std::collections::HashSet;

/// What a name names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    Field,
    Let,
    Group,
    Criterion,
    Stage,
    Reason,
    Route,
    /// `events activity { ... }`, and `activity` in `count of activity`.
    Events,
    /// A field of the events block (one block per definition, so its name
    /// alone says which).
    EventField,
}

impl SymbolKind {
    /// Names of these kinds are written in quotes.
    pub fn quoted(self) -> bool {
        matches!(
            self,
            SymbolKind::Criterion | SymbolKind::Stage | SymbolKind::Reason | SymbolKind::Route
        )
    }

    pub fn word(self) -> &'static str {
        match self {
            SymbolKind::Field => "field",
            SymbolKind::Let => "let",
            SymbolKind::Group => "group",
            SymbolKind::Criterion => "criterion",
            SymbolKind::Stage => "stage",
            SymbolKind::Reason => "disqualifier",
            SymbolKind::Route => "route",
            SymbolKind::Events => "events",
            SymbolKind::EventField => "event field",
        }
    }
}

/// One place a name is written.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub kind: SymbolKind,
    pub name: String,
    pub span: Span,
    pub declaration: bool,
}

/// The names a definition declares, to resolve bare names in conditions.
#[derive(Default)]
pub struct Declared {
    fields: HashSet<String>,
    lets: HashSet<String>,
    event_fields: HashSet<String>,
    /// The events block's name: a bare `per activity` names it.
    events: Option<String>,
}

impl Declared {
    pub fn of(def: &Definition) -> Declared {
        let mut declared = Declared::default();
        for item in &def.items {
            match item {
                Item::Fields(block) => {
                    for f in &block.fields {
                        declared.fields.insert(f.name.value.clone());
                    }
                }
                Item::Let(l) => {
                    declared.lets.insert(l.name.value.clone());
                }
                Item::Events(block) => {
                    declared.events = Some(block.name.value.clone());
                    for f in &block.fields {
                        declared.event_fields.insert(f.decl.name.value.clone());
                    }
                }
                _ => {}
            }
        }
        declared
    }

    fn kind_of(&self, name: &str) -> SymbolKind {
        if self.fields.contains(name) {
            SymbolKind::Field
        } else if self.lets.contains(name) {
            SymbolKind::Let
        } else if self.events.as_deref() == Some(name) {
            // `+5 per activity, each halving ...`: check reads it the same way.
            SymbolKind::Events
        } else {
            SymbolKind::Group
        }
    }

    /// A bare name inside a `where`: the event's field, else a `let`.
    fn kind_in_filter(&self, name: &str) -> SymbolKind {
        if self.event_fields.contains(name) {
            SymbolKind::EventField
        } else if self.lets.contains(name) {
            SymbolKind::Let
        } else {
            // Not declared: the checker reports it; no field of the lead.
            SymbolKind::EventField
        }
    }
}

/// Every occurrence in `file`, whose bare names resolve against `names`
/// (the definition's own declarations; for an examples file, its definition's).
pub fn occurrences(file: &Definition, names: &Declared) -> Vec<Occurrence> {
    let mut out = Collect {
        names,
        out: Vec::new(),
    };
    for item in &file.items {
        out.item(item);
    }
    out.out.sort_by_key(|o| (o.span.start, o.span.end));
    out.out
}

/// The occurrence whose span holds `offset` (its end included, so a cursor
/// just after a name finds it).
pub fn at(occurrences: &[Occurrence], offset: usize) -> Option<&Occurrence> {
    occurrences
        .iter()
        .find(|o| o.span.start <= offset && offset <= o.span.end)
}

struct Collect<'a> {
    names: &'a Declared,
    out: Vec<Occurrence>,
}

impl Collect<'_> {
    fn push(&mut self, kind: SymbolKind, name: &Spanned<String>, declaration: bool) {
        self.out.push(Occurrence {
            kind,
            name: name.value.clone(),
            span: name.span,
            declaration,
        });
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Header(_) | Item::Holidays(_) | Item::MissingValues(_) => {}
            Item::Events(block) => {
                self.push(SymbolKind::Events, &block.name, true);
                for f in &block.fields {
                    self.push(SymbolKind::EventField, &f.decl.name, true);
                }
            }
            Item::Fields(block) => {
                for f in &block.fields {
                    self.push(SymbolKind::Field, &f.name, true);
                }
            }
            Item::Let(l) => {
                self.push(SymbolKind::Let, &l.name, true);
                if let LetValue::Condition(e) = &l.value {
                    self.expr(e);
                }
            }
            Item::Disqualify(d) => {
                self.push(SymbolKind::Reason, &d.reason, true);
                self.expr(&d.condition);
            }
            Item::Group(g) => {
                self.push(SymbolKind::Group, &g.name, true);
                self.amount(g.floor.as_ref());
                self.amount(g.cap.as_ref());
                for c in &g.criteria {
                    self.criterion(c);
                }
            }
            Item::Criterion(c) => self.criterion(c),
            Item::Stage(s) => {
                self.push(SymbolKind::Stage, &s.name, true);
                if let crate::ast::StageRule::When(e) = &s.rule {
                    self.expr(e);
                }
            }
            Item::Route(r) => {
                self.push(SymbolKind::Route, &r.name, true);
                if let crate::ast::StageRule::When(e) = &r.rule {
                    self.expr(e);
                }
            }
            Item::Handoff(h) => {
                let conditions = h.lines.iter().filter_map(|l| match l {
                    crate::ast::HandoffLine::Template { condition, .. } => condition.as_ref(),
                    crate::ast::HandoffLine::Matched(_) => None,
                });
                for e in h.condition.iter().chain(conditions) {
                    self.expr(e);
                }
            }
            Item::Example(ex) => {
                for a in &ex.assignments {
                    self.push(SymbolKind::Field, &a.field, false);
                }
                for event in &ex.events {
                    for (field, _) in &event.values {
                        self.push(SymbolKind::EventField, field, false);
                    }
                }
                for e in &ex.expectations {
                    match &e.value {
                        Expectation::Stage(s) => self.push(SymbolKind::Stage, s, false),
                        Expectation::Route(r) => self.push(SymbolKind::Route, r, false),
                        Expectation::Disqualified(r) => self.push(SymbolKind::Reason, r, false),
                        Expectation::Matched(names) | Expectation::NotMatched(names) => {
                            for n in names {
                                self.push(SymbolKind::Criterion, n, false);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    /// A named amount (`+strong`, `at most cap`, `halving every half_life`)
    /// uses a `let`; its name ends the amount's span (after a sign).
    fn amount(&mut self, amount: Option<&Spanned<Amount>>) {
        let Some(a) = amount else { return };
        if let Some(name) = a.value.name() {
            let start = a.span.end.saturating_sub(name.len()).max(a.span.start);
            let name = Spanned::new(name.to_string(), Span::new(start, a.span.end));
            self.push(SymbolKind::Let, &name, false);
        }
    }

    fn criterion(&mut self, c: &crate::ast::Criterion) {
        self.push(SymbolKind::Criterion, &c.name, true);
        self.amount(c.points.as_ref());
        match &c.body {
            CriterionBody::When { condition, decay } => {
                self.expr(condition);
                if let Some(d) = decay {
                    self.amount(Some(&d.every_days));
                    if let Some(since) = &d.since {
                        self.push(SymbolKind::Field, since, false);
                    }
                }
            }
            CriterionBody::PerUnit {
                amount,
                cap,
                condition,
                decay,
            } => {
                self.amount(cap.as_ref());
                self.expr(amount);
                if let Some(c) = condition {
                    self.expr(c);
                }
                if let Some(d) = decay {
                    self.amount(Some(&d.every_days));
                    if let Some(since) = &d.since {
                        self.push(SymbolKind::Field, since, false);
                    }
                }
            }
            CriterionBody::ByValue { field, entries } => {
                self.push(SymbolKind::Field, field, false);
                for e in entries {
                    self.amount(Some(&e.points));
                }
            }
        }
    }

    /// Walk with an explicit stack: the parser bounds nesting, but the walk
    /// need not rely on it.
    /// Each expression is walked with whether it is inside a `where`.
    fn expr(&mut self, root: &Expr) {
        let mut stack = vec![(root, false)];
        while let Some((e, in_filter)) = stack.pop() {
            match &e.kind {
                ExprKind::Name(n) => {
                    let name = Spanned::new(n.clone(), e.span);
                    let kind = if in_filter {
                        self.names.kind_in_filter(n)
                    } else {
                        self.names.kind_of(n)
                    };
                    self.push(kind, &name, false);
                }
                ExprKind::Aggregate(a) => {
                    self.push(SymbolKind::Events, &a.events, false);
                    if let Some(filter) = &a.filter {
                        stack.push((filter, true));
                    }
                    if let Some(crate::ast::Window::Since(d)) = &a.window {
                        stack.push((d, false));
                    }
                    continue;
                }
                ExprKind::Matched(name) => self.push(SymbolKind::Criterion, name, false),
                ExprKind::AtLeast(_, items) => {
                    for item in items {
                        match &item.kind {
                            ExprKind::Text(t) => {
                                let name = Spanned::new(t.clone(), item.span);
                                self.push(SymbolKind::Criterion, &name, false);
                            }
                            _ => stack.push((item, in_filter)),
                        }
                    }
                    continue;
                }
                ExprKind::In {
                    list: ListRef::Named(list),
                    ..
                } => self.push(SymbolKind::Let, list, false),
                // `stage = "sales ready"`, `stage in [...]` in a route: uses
                // of stages, renamed with them.
                ExprKind::Compare(_, l, r) if stage_side(l) || stage_side(r) => {
                    let mut other = if stage_side(l) { r } else { l };
                    while let ExprKind::Paren(inner) = &other.kind {
                        other = inner;
                    }
                    if let ExprKind::Text(t) = &other.kind {
                        let name = Spanned::new(t.clone(), other.span);
                        self.push(SymbolKind::Stage, &name, false);
                    }
                }
                ExprKind::In {
                    value,
                    list: ListRef::Literal(list),
                    ..
                } if stage_side(value) => {
                    for item in &list.items {
                        if let crate::ast::ListItem::Text(t) = &item.value {
                            let name = Spanned::new(t.clone(), item.span);
                            self.push(SymbolKind::Stage, &name, false);
                        }
                    }
                }
                _ => {}
            }
            stack.extend(e.children().map(|c| (c, in_filter)));
        }
    }
}

/// `stage`, perhaps in parentheses: the other side of the comparison names one.
fn stage_side(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Stage => true,
        ExprKind::Paren(inner) => stage_side(inner),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn every_use_of_a_name_is_found_with_its_span() {
        let text = "fields { x number  seen date }\n\
                    let strong = 20\nlet cap = 40\nlet half = 30\n\
                    group g, at most cap {\n\
                      criterion \"a\" -strong when x > strong\n\
                      criterion \"b\" +2 per x, at most cap\n\
                      criterion \"c\" +strong when x > 1, halving every half days since seen\n\
                    }\n\
                    stage \"s\" when matched \"a\" or at least 1 of (\"b\", g > 1)\n\
                    stage \"t\" otherwise\n";
        let source = SourceFile::new("t.lead", text);
        let ast = crate::syntax::parse(&source).expect("parses");
        let found = occurrences(&ast, &Declared::of(&ast));
        let uses = |kind: SymbolKind, name: &str| -> Vec<&str> {
            found
                .iter()
                .filter(|o| o.kind == kind && o.name == name)
                .map(|o| &text[o.span.start..o.span.end])
                .collect()
        };
        assert_eq!(uses(SymbolKind::Let, "strong"), ["strong"; 4]);
        assert_eq!(uses(SymbolKind::Let, "cap"), ["cap"; 3]);
        assert_eq!(uses(SymbolKind::Let, "half"), ["half"; 2]);
        assert_eq!(uses(SymbolKind::Criterion, "a"), ["\"a\""; 2]);
        assert_eq!(uses(SymbolKind::Criterion, "b"), ["\"b\""; 2]);
        assert_eq!(uses(SymbolKind::Group, "g"), ["g"; 2]);
        assert_eq!(uses(SymbolKind::Field, "seen"), ["seen"; 2]);
        let declared: Vec<bool> = found
            .iter()
            .filter(|o| o.name == "strong")
            .map(|o| o.declaration)
            .collect();
        assert_eq!(declared, [true, false, false, false]);
    }
}
