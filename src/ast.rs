//! The syntax tree: what the text of a definition says, before names are resolved.
//!
//! In: produced by [`crate::syntax::parse`] from source text.
//! Out: consumed by [`crate::check`] (→ checked model), the formatter and the diff.
//!
//! Every node carries a [`Span`]. Equality of [`Span`]s is always true, so the
//! derived `PartialEq` on every node compares *shape*, ignoring where things are:
//! that is what the formatter's "means the same after formatting" check and the
//! semantic diff rely on.

use std::fmt;

/// A byte range in the source text. Two spans always compare equal (see the
/// module docs); use [`Span::same_place`] to compare positions.
#[derive(Clone, Copy, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn same_place(&self, other: &Span) -> bool {
        self.start == other.start && self.end == other.end
    }
    /// The smallest span covering both.
    pub fn to(&self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl PartialEq for Span {
    fn eq(&self, _: &Span) -> bool {
        true
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.start, s.len()).into()
    }
}

/// A name or text as written, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

pub type Name = Spanned<String>;

/// A whole definition file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Definition {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
// A criterion is the largest item; a definition has hundreds of items at
// most, so boxing it would only add indirection to every match.
#[allow(clippy::large_enum_variant)]
pub enum Item {
    Header(Header),
    Fields(FieldsBlock),
    /// `events activity { lead from "Lead ID"  at date ... }`: the activity export.
    Events(EventsBlock),
    Holidays(Holidays),
    MissingValues(MissingValues),
    Let(LetDecl),
    Disqualify(Disqualify),
    Group(GroupBlock),
    Criterion(Criterion),
    Stage(Stage),
    /// `route "East" when ...`: a stage's shape, tried after the stage.
    Route(Stage),
    /// `handoff [when COND] { "template" [when COND] ... matched }`.
    Handoff(Handoff),
    Example(Example),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Header(x) => x.span,
            Item::Fields(x) => x.span,
            Item::Events(x) => x.span,
            Item::Holidays(x) => x.span,
            Item::MissingValues(x) => x.span,
            Item::Let(x) => x.span,
            Item::Disqualify(x) => x.span,
            Item::Group(x) => x.span,
            Item::Criterion(x) => x.span,
            Item::Stage(x) | Item::Route(x) => x.span,
            Item::Handoff(x) => x.span,
            Item::Example(x) => x.span,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderKind {
    Definition,
    Version,
    AgreedBy,
}

impl HeaderKind {
    pub fn keyword(self) -> &'static str {
        match self {
            HeaderKind::Definition => "definition",
            HeaderKind::Version => "version",
            HeaderKind::AgreedBy => "agreed by",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub kind: HeaderKind,
    pub value: Spanned<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldsBlock {
    pub fields: Vec<FieldDecl>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
    Text,
    Number,
    YesNo,
    Date,
    OneOf(Vec<Spanned<String>>),
}

impl FieldType {
    pub fn describe(&self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number => "number",
            FieldType::YesNo => "yes/no",
            FieldType::Date => "date",
            FieldType::OneOf(_) => "one of",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldDecl {
    pub name: Name,
    pub ty: Spanned<FieldType>,
    pub optional: bool,
    pub from: Option<Spanned<String>>,
    pub format: Option<Spanned<String>>,
    /// `missing when "Select", "-1"`: cells the export writes for no answer.
    pub missing: Vec<Spanned<String>>,
    pub span: Span,
}

/// `events NAME { ... }`: the fields of the activity export, one row per event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventsBlock {
    pub name: Name,
    pub fields: Vec<EventField>,
    pub span: Span,
}

/// A field of an events block: a field declaration whose type may be left
/// out (`lead from "Lead ID"` takes the `id` field's type).
#[derive(Debug, Clone, PartialEq)]
pub struct EventField {
    /// When no type is written, `decl.ty` is `text` at the name's span.
    pub decl: FieldDecl,
    pub typed: bool,
}

/// `missing values ["Select", "N/A"]`: placeholders read as missing in every field.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingValues {
    pub values: Vec<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Holidays {
    pub dates: Vec<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LetValue {
    List(ListLit),
    Condition(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct LetDecl {
    pub name: Name,
    pub value: LetValue,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Disqualify {
    pub reason: Spanned<String>,
    pub condition: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupBlock {
    pub name: Name,
    /// `at least N`: the lowest the sub-score goes.
    pub floor: Option<Spanned<Amount>>,
    pub cap: Option<Spanned<Amount>>,
    pub criteria: Vec<Criterion>,
    pub span: Span,
}

/// How a criterion earns points.
#[derive(Debug, Clone, PartialEq)]
pub enum CriterionBody {
    /// `+20 when COND` (points optional), optionally decaying.
    When {
        condition: Expr,
        decay: Option<Decay>,
    },
    /// `+2 per EXPR, at most 10 [when COND]`, optionally decaying.
    PerUnit {
        amount: Expr,
        cap: Option<Spanned<Amount>>,
        condition: Option<Expr>,
        decay: Option<Decay>,
    },
    /// `points by FIELD { "a": 25, "b": 10, otherwise 0 }`: the points
    /// depend on the field's value (the criterion's own points are `None`).
    ByValue {
        field: Name,
        entries: Vec<ValueEntry>,
    },
}

/// A key of a points-by-value entry, as written.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKey {
    Text(String),
    Number(f64),
    Yes,
    No,
}

/// One entry of `points by FIELD { ... }`: a key (`None` for `otherwise`)
/// and its points.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueEntry {
    pub key: Option<Spanned<ValueKey>>,
    pub points: Spanned<Amount>,
    pub span: Span,
}

/// A number in a rule's shape (points, a cap, a half-life), as written: a
/// literal, or the name of a `let` value (`+strong`, `at most cap`), which
/// `check` resolves.
#[derive(Debug, Clone, PartialEq)]
pub enum Amount {
    Literal(f64),
    /// `negative` for `-strong`: the value's sign flipped.
    Named {
        name: String,
        negative: bool,
    },
}

impl Amount {
    /// The `let` it names, if any.
    pub fn name(&self) -> Option<&str> {
        match self {
            Amount::Named { name, .. } => Some(name),
            Amount::Literal(_) => None,
        }
    }

    /// The number, read through `let_number` (a `let` value by name) when named.
    pub fn value(&self, let_number: impl Fn(&str) -> Option<f64>) -> Option<f64> {
        match self {
            Amount::Literal(n) => Some(*n),
            Amount::Named { name, negative } => {
                let_number(name).map(|n| if *negative { -n } else { n })
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decay {
    /// Half-life in days.
    pub every_days: Spanned<Amount>,
    /// `since FIELD`: the points decay from the lead's date. `None` for
    /// `each halving every N days`: each event's points decay from its own
    /// date (a per-event criterion, `+5 per activity where ...`).
    pub since: Option<Name>,
    pub span: Span,
}

impl Decay {
    /// The decay as the language writes it, with the half-life written
    /// `every`: `halving every 30 days since last_visit`, `each halving every 30 days`.
    pub fn written(&self, every: &str) -> String {
        match &self.since {
            Some(since) => format!("halving every {every} days since {}", since.value),
            None => format!("each halving every {every} days"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    pub name: Spanned<String>,
    pub points: Option<Spanned<Amount>>,
    pub body: CriterionBody,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StageRule {
    When(Expr),
    Otherwise(Span),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub name: Spanned<String>,
    pub rule: StageRule,
    pub span: Span,
}

/// The hand-off brief: which lines a rep reads, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Handoff {
    pub condition: Option<Expr>,
    pub lines: Vec<HandoffLine>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum HandoffLine {
    /// `"{job_title} at a {employees}-person company" [when COND]`.
    Template {
        text: Spanned<String>,
        condition: Option<Expr>,
        span: Span,
    },
    /// `matched`: the criteria met, by name.
    Matched(Span),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExampleValue {
    Text(String),
    Number(f64),
    Date(String),
    Yes,
    No,
    Missing,
}

impl ExampleValue {
    pub fn describe(&self) -> &'static str {
        match self {
            ExampleValue::Text(_) => "text",
            ExampleValue::Number(_) => "a number",
            ExampleValue::Date(_) => "a date",
            ExampleValue::Yes | ExampleValue::No => "yes/no",
            ExampleValue::Missing => "missing",
        }
    }
}

/// One event of an example: `"page view" 2026-11-03 page "pricing"`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleEvent {
    /// The leading word or text: the events block's first `one of` field.
    pub word: Option<Spanned<String>>,
    pub at: Spanned<String>,
    /// Other fields: `page "pricing"`.
    pub values: Vec<(Name, Spanned<ExampleValue>)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub field: Name,
    pub value: Spanned<ExampleValue>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    Stage(Spanned<String>),
    Route(Spanned<String>),
    Disqualified(Spanned<String>),
    NotDisqualified,
    Score(f64),
    ScoreBetween(f64, f64),
    Matched(Vec<Spanned<String>>),
    NotMatched(Vec<Spanned<String>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub name: Spanned<String>,
    pub as_of: Option<Spanned<String>>,
    pub assignments: Vec<Assignment>,
    /// `events { call 2026-11-02, ... }`: the lead's events, in order written.
    pub events: Vec<ExampleEvent>,
    /// Where each `events { ... }` list is written (for `fmt`).
    pub events_at: Vec<Span>,
    pub expectations: Vec<Spanned<Expectation>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ListItem {
    Text(String),
    Number(f64),
    Date(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListLit {
    pub items: Vec<Spanned<ListItem>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CompareOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl ArithOp {
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextOp {
    Contains,
    StartsWith,
    EndsWith,
}

impl TextOp {
    pub fn words(self) -> &'static str {
        match self {
            TextOp::Contains => "contains",
            TextOp::StartsWith => "starts with",
            TextOp::EndsWith => "ends with",
        }
    }
}

/// The right-hand side of `in` / `not in`.
#[derive(Debug, Clone, PartialEq)]
pub enum ListRef {
    Literal(ListLit),
    Named(Name),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Number(f64),
    Text(String),
    Date(String),
    Bool(bool),
    /// A field, a `let`, or a group's sub-score.
    Name(String),
    /// The overall score (stages only).
    Score,
    /// The inquiry's final stage (routes only).
    Stage,
    Matched(Spanned<String>),
    AtLeast(Spanned<f64>, Vec<Expr>),
    DaysSince(Box<Expr>),
    BusinessDaysSince(Box<Expr>),
    Paren(Box<Expr>),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    Compare(CompareOp, Box<Expr>, Box<Expr>),
    Between(Box<Expr>, Box<Expr>, Box<Expr>),
    In {
        value: Box<Expr>,
        list: ListRef,
        negated: bool,
    },
    TextTest(TextOp, Box<Expr>, Box<Expr>),
    Matches(Box<Expr>, Spanned<String>),
    IsMissing(Box<Expr>),
    IsPresent(Box<Expr>),
    /// `min(a, b)`, `round(x, 2)`: the name as written, resolved by check.
    Call(Spanned<String>, Vec<Expr>),
    /// `count of activity where ... since ...`, `first activity`, `last activity`.
    Aggregate(Box<Aggregate>),
}

/// A number or date from a lead's events.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    pub kind: AggregateKind,
    pub events: Name,
    /// `where COND`, over the events block's fields.
    pub filter: Option<Expr>,
    pub window: Option<Window>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggregateKind {
    Count,
    First,
    Last,
    /// `per activity where ...` in a per-unit criterion: each event counts
    /// (a count, written without `count of`).
    Each,
}

impl AggregateKind {
    /// `count of`, `first`, `last`: the words as written (none for [`AggregateKind::Each`]).
    pub fn words(self) -> &'static str {
        match self {
            AggregateKind::Count => "count of",
            AggregateKind::First => "first",
            AggregateKind::Last => "last",
            AggregateKind::Each => "",
        }
    }
}

/// Which of a lead's events an aggregate looks at, by date.
#[derive(Debug, Clone, PartialEq)]
pub enum Window {
    /// `since D`: on or after the lead's date D.
    Since(Expr),
    /// `in the last N days` / `in the last N business days`.
    Last { days: Spanned<f64>, business: bool },
}

impl Expr {
    /// The number this expression writes out: `25`, `-10`, `(25)`; `None`
    /// for anything that names or computes.
    pub fn literal_number(&self) -> Option<f64> {
        match &self.kind {
            ExprKind::Number(n) => Some(*n),
            ExprKind::Neg(e) => e.literal_number().map(|n| -n),
            ExprKind::Paren(e) => e.literal_number(),
            _ => None,
        }
    }

    /// The operands of this expression, in order (none for a leaf; the
    /// inside of a parenthesis), for the walks that only need to visit them.
    pub fn children(&self) -> impl Iterator<Item = &Expr> {
        let (list, parts): (&[Expr], [Option<&Expr>; 3]) = match &self.kind {
            ExprKind::Number(_)
            | ExprKind::Text(_)
            | ExprKind::Date(_)
            | ExprKind::Bool(_)
            | ExprKind::Name(_)
            | ExprKind::Score
            | ExprKind::Stage
            | ExprKind::Matched(_) => (&[], [None; 3]),
            // Its `where` (names of the events' fields) and its `since`
            // date (the lead's): walks for names and sizes see both.
            ExprKind::Aggregate(a) => {
                let since = match &a.window {
                    Some(Window::Since(d)) => Some(d),
                    _ => None,
                };
                (&[], [a.filter.as_ref(), since, None])
            }
            ExprKind::AtLeast(_, items)
            | ExprKind::And(items)
            | ExprKind::Or(items)
            | ExprKind::Call(_, items) => (items, [None; 3]),
            ExprKind::DaysSince(x)
            | ExprKind::BusinessDaysSince(x)
            | ExprKind::Paren(x)
            | ExprKind::Neg(x)
            | ExprKind::Not(x)
            | ExprKind::In { value: x, .. }
            | ExprKind::Matches(x, _)
            | ExprKind::IsMissing(x)
            | ExprKind::IsPresent(x) => (&[], [Some(x), None, None]),
            ExprKind::Arith(_, a, b) | ExprKind::Compare(_, a, b) | ExprKind::TextTest(_, a, b) => {
                (&[], [Some(a), Some(b), None])
            }
            ExprKind::Between(a, b, c) => (&[], [Some(a), Some(b), Some(c)]),
        };
        list.iter().chain(parts.into_iter().flatten())
    }
}

impl Definition {
    /// The number a `let` names when its value is one (`let strong = 25`,
    /// `let penalty = -10`); `None` for anything else.
    pub fn let_number(&self, name: &str) -> Option<f64> {
        self.items.iter().find_map(|item| match item {
            Item::Let(l) if l.name.value == name => match &l.value {
                LetValue::Condition(e) => e.literal_number(),
                LetValue::List(_) => None,
            },
            _ => None,
        })
    }

    /// Every amount written as a name (points, caps, half-lives), in
    /// definition order: they are uses of a `let`.
    pub fn named_amounts(&self) -> Vec<&Spanned<Amount>> {
        let mut out = Vec::new();
        for item in &self.items {
            if let Item::Group(g) = item {
                out.extend(&g.floor);
                out.extend(&g.cap);
            }
        }
        for (c, _) in self.criteria() {
            out.extend(&c.points);
            match &c.body {
                CriterionBody::When { decay, .. } => {
                    out.extend(decay.iter().map(|d| &d.every_days))
                }
                CriterionBody::PerUnit { cap, decay, .. } => {
                    out.extend(cap);
                    out.extend(decay.iter().map(|d| &d.every_days));
                }
                CriterionBody::ByValue { entries, .. } => {
                    out.extend(entries.iter().map(|e| &e.points))
                }
            }
        }
        out.retain(|a| a.value.name().is_some());
        out
    }

    pub fn criteria(&self) -> impl Iterator<Item = (&Criterion, Option<&GroupBlock>)> {
        self.items
            .iter()
            .flat_map(|item| -> Box<dyn Iterator<Item = _>> {
                match item {
                    Item::Criterion(c) => Box::new(std::iter::once((c, None))),
                    Item::Group(g) => Box::new(g.criteria.iter().map(move |c| (c, Some(g)))),
                    _ => Box::new(std::iter::empty()),
                }
            })
    }
}
