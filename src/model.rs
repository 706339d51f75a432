//! The checked model: what a definition means, independent of its layout.
//!
//! In: built by [`crate::check`] from a syntax tree whose names all resolve and
//! whose types all agree. Out: read by the reference evaluator, the compiler
//! (→ program), explanations, examples and the diff.
//!
//! Names are resolved to indices (`FieldId`, `CritId`, ...), `let`s are inlined,
//! literals are typed values, regexes are compiled, and the criteria carry a
//! dependency order in which each criterion comes after those it refers to.

use crate::ast::{ArithOp, CompareOp, Span, TextOp};
use chrono::{Datelike, NaiveDate};
use std::sync::Arc;

pub type FieldId = usize;
pub type CritId = usize;
pub type GroupId = usize;
/// An index into [`Model::aggregates`].
pub type AggId = usize;

/// The type of a field or an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    Text,
    Number,
    YesNo,
    Date,
}

impl Type {
    /// "a number", "text", ... for messages.
    pub fn article(self) -> &'static str {
        match self {
            Type::Text => "text",
            Type::Number => "a number",
            Type::YesNo => "yes/no",
            Type::Date => "a date",
        }
    }
}

/// One value of an inquiry or a constant. Dates are days since 1970-01-01.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Missing,
    Bool(bool),
    Number(f64),
    Text(String),
    Date(i32),
}

impl Value {
    pub fn is_missing(&self) -> bool {
        matches!(self, Value::Missing)
    }

    /// As a person would read it in an explanation.
    pub fn display(&self) -> String {
        match self {
            Value::Missing => "missing".into(),
            Value::Bool(true) => "yes".into(),
            Value::Bool(false) => "no".into(),
            Value::Number(n) => format_exact(*n),
            Value::Text(t) => format!("\"{t}\""),
            Value::Date(d) => date_from_days(*d).to_string(),
        }
    }
}

/// Computed numbers print through the one formatter, [`crate::number`].
use crate::number::{format_number, EXPONENT_FROM};

/// A score or sub-score as results print it, or `missing (too large to
/// represent)`, the one way a score can be missing.
pub fn format_score(score: Option<f64>) -> String {
    match score {
        Some(s) => format_number(s),
        None => "missing (too large to represent)".into(),
    }
}

/// A number from the definition or the input (a cap, a half-life, points as
/// written, a field's value) as people read it: every digit it has, the
/// shortest form that reads back exactly (`0.000001`, `12.345`), with an
/// exponent from 1e15 in size and below 1e-6 (`1e300`, `2.5e-9`).
pub fn format_exact(n: f64) -> String {
    if !n.is_finite() {
        "missing".into()
    } else if n == 0.0 {
        "0".into()
    } else if n.abs() >= EXPONENT_FROM || n.abs() < 1e-6 {
        format!("{n:e}")
    } else {
        format!("{n}")
    }
}

/// A number as a definition writes it (the language has no exponent): the
/// shortest digits that read back exactly, for text written into a `.lead`
/// file.
pub fn format_literal(n: f64) -> String {
    if n == n.trunc() && n.abs() < EXPONENT_FROM {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Days since 1970-01-01 (negative before). Read from chrono's day count
/// since the common era, without building a second date per call: this runs
/// once per date cell when scoring.
pub fn days_from_date(d: NaiveDate) -> i32 {
    /// `NaiveDate::from_ymd(1970, 1, 1).num_days_from_ce()`.
    const UNIX_EPOCH_FROM_CE: i32 = 719_163;
    d.num_days_from_ce() - UNIX_EPOCH_FROM_CE
}

pub fn date_from_days(days: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default() + chrono::Duration::days(days as i64)
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub ty: Type,
    /// For `one of` fields: the allowed values as written.
    pub one_of: Option<Vec<String>>,
    pub optional: bool,
    /// The export column it is read from (`from "..."`, else the name).
    pub column: String,
    /// chrono format for dates not in ISO 8601.
    pub format: Option<String>,
    /// Cells read as missing (`missing when`, then `missing values`), as
    /// written, once each by their folded text.
    pub placeholders: Vec<String>,
    pub span: Span,
}

impl Field {
    pub fn describe_type(&self) -> String {
        match &self.one_of {
            Some(values) => format!(
                "one of {}",
                values
                    .iter()
                    .map(|v| format!("\"{v}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => self.ty.article().to_string(),
        }
    }
}

/// A typed, resolved condition or value.
#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Type,
    pub span: Span,
}

impl Expr {
    /// The operands of this expression, in order (none for a leaf), for the
    /// walks that only need to visit them.
    pub fn children(&self) -> impl Iterator<Item = &Expr> {
        let (list, parts): (&[Expr], [Option<&Expr>; 3]) = match &self.kind {
            ExprKind::Const(_)
            | ExprKind::Field(_)
            | ExprKind::Score
            | ExprKind::GroupScore(_)
            | ExprKind::StageIs(_)
            | ExprKind::Matched(_)
            // Its filter reads an event's fields, its window the lead's: a
            // per-lead value, read like a field.
            | ExprKind::Aggregate(_) => (&[], [None; 3]),
            ExprKind::AtLeast(_, items)
            | ExprKind::And(items)
            | ExprKind::Or(items)
            | ExprKind::Call(_, items) => (items, [None; 3]),
            ExprKind::DaysSince(x)
            | ExprKind::BusinessDaysSince(x)
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

/// A set of constants for `in`: text folded by [`crate::semantics::text::fold`],
/// numbers or dates. What `in` means is [`crate::semantics::compare::in_set`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValueSet {
    /// As written, for explanations and listings.
    pub shown: Vec<Value>,
    pub texts: Vec<String>,
    pub numbers: Vec<f64>,
    pub dates: Vec<i32>,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Const(Value),
    Field(FieldId),
    /// The overall score (stages only).
    Score,
    /// A group's sub-score (stages only).
    GroupScore(GroupId),
    /// Whether the inquiry's final stage is this one, an index into
    /// [`Model::stage_names`] (routes only): `stage = "sales ready"`. Never
    /// unknown: every inquiry has a stage.
    StageIs(usize),
    Matched(CritId),
    AtLeast(usize, Vec<Expr>),
    DaysSince(Box<Expr>),
    BusinessDaysSince(Box<Expr>),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    Compare(CompareOp, Box<Expr>, Box<Expr>),
    Between(Box<Expr>, Box<Expr>, Box<Expr>),
    In {
        value: Box<Expr>,
        set: Arc<ValueSet>,
        negated: bool,
    },
    TextTest(TextOp, Box<Expr>, Box<Expr>),
    Matches(Box<Expr>, Arc<regex::Regex>),
    IsMissing(Box<Expr>),
    IsPresent(Box<Expr>),
    /// `min(a, b)`, `round(x, 2)`, ...: what each means is
    /// [`crate::semantics::function::apply`].
    Call(Function, Vec<Expr>),
    /// A number or date from the lead's events, [`Model::aggregates`]; what
    /// it means is [`crate::semantics::events`]. Evaluators read it from the
    /// lead's values, at [`Model::aggregate_slot`].
    Aggregate(AggId),
}

/// The activity export (`events NAME { ... }`): one row per event.
#[derive(Debug, Clone)]
pub struct Events {
    pub name: String,
    /// In the order written; `lead` has the `id` field's type.
    pub fields: Vec<Field>,
    /// The field named `lead`: which lead the event belongs to.
    pub lead: FieldId,
    /// The field named `at`: the event's date.
    pub at: FieldId,
    pub span: Span,
}

impl Events {
    pub fn field_named(&self, name: &str) -> Option<FieldId> {
        self.fields.iter().position(|f| f.name == name)
    }
}

/// What an aggregate makes of the events it keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AggregateKind {
    /// How many (`count of activity ...`, `per activity ...`).
    Count,
    /// The earliest date.
    First,
    /// The latest date.
    Last,
    /// `per activity ..., each halving every N days`: each event weighs
    /// 0.5^(days since it / N), rounded to millionths
    /// ([`crate::semantics::events::weight_millionths`]); the value is the
    /// sum of the weights.
    Decayed { half_life_days: f64 },
}

/// `count of activity where ... in the last 14 days`: a number or a date per lead.
#[derive(Debug, Clone)]
pub struct Aggregate {
    pub kind: AggregateKind,
    /// Over the events block's fields ([`Events::fields`]), not the lead's.
    pub filter: Option<Expr>,
    pub window: EventWindow,
    /// The aggregate as written, white space collapsed, for explanations,
    /// listings and the diff.
    pub text: String,
    pub span: Span,
}

impl Aggregate {
    pub fn ty(&self) -> Type {
        match self.kind {
            AggregateKind::Count | AggregateKind::Decayed { .. } => Type::Number,
            AggregateKind::First | AggregateKind::Last => Type::Date,
        }
    }
}

/// Which events an aggregate looks at, by their date (always up to the as-of date).
#[derive(Debug, Clone)]
pub enum EventWindow {
    All,
    /// On or after the lead's date (a date expression over the lead's fields).
    Since(Expr),
    /// `in the last N days`: fewer than N days before the as-of date.
    LastDays(u32),
    /// `in the last N business days`: fewer than N business days before it.
    LastBusinessDays(u32),
}

/// A function of the language. Its arguments are the call's operands;
/// `round`'s decimal places are part of the function, since they must be
/// written as a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    /// `min(a, b)`: the smaller of two numbers or dates.
    Min,
    /// `max(a, b)`: the larger of two numbers or dates.
    Max,
    /// `round(x)`, `round(x, n)`: to `n` decimal places (0..=9), half away from zero.
    Round(u8),
    /// `floor(x)`: the largest whole number not above `x`.
    Floor,
    /// `default(x, v)`: `v` when `x` is missing, else `x`.
    Default,
}

impl Function {
    /// Every function's name, for "did you mean".
    pub const NAMES: [&'static str; 5] = ["min", "max", "round", "floor", "default"];

    /// The name as written.
    pub fn name(self) -> &'static str {
        match self {
            Function::Min => "min",
            Function::Max => "max",
            Function::Round(_) => "round",
            Function::Floor => "floor",
            Function::Default => "default",
        }
    }

    /// The call as written around its operands' texts: `round(x, 2)`.
    pub fn call(self, args: &[String]) -> String {
        let mut parts = args.to_vec();
        if let Function::Round(n) = self {
            if n > 0 {
                parts.push(n.to_string());
            }
        }
        format!("{}({})", self.name(), parts.join(", "))
    }
}

#[derive(Debug, Clone)]
pub struct Disqualifier {
    pub reason: String,
    pub condition: Expr,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Decay {
    pub half_life_days: f64,
    pub since: FieldId,
}

#[derive(Debug, Clone)]
pub enum Earning {
    /// `points when condition`, optionally halving with time.
    Fixed {
        condition: Expr,
        decay: Option<Decay>,
    },
    /// `points per amount, at most cap [when condition]`, optionally
    /// halving with time (after the cap).
    PerUnit {
        amount: Expr,
        cap: Option<f64>,
        condition: Option<Expr>,
        decay: Option<Decay>,
    },
    /// `points by FIELD { KEY: POINTS, ..., otherwise POINTS }`: the entry
    /// whose key equals the field's value gives the points; a present value
    /// no key names earns `otherwise` (0 when not written); a missing value
    /// earns nothing. It matches when it earns points other than 0.
    ByValue {
        field: FieldId,
        entries: Vec<ValueEntry>,
        otherwise: f64,
    },
}

/// One keyed entry of a points-by-value criterion: a constant of the
/// field's type (text as written) and the points it earns.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueEntry {
    pub key: Value,
    /// A text key folded once, by `check` ([`crate::semantics::text::fold`]),
    /// so a value is folded once per row rather than once per key.
    pub folded: Option<String>,
    pub points: f64,
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub name: String,
    /// 0 when the criterion only labels (no points written).
    pub points: f64,
    pub earning: Earning,
    pub group: Option<GroupId>,
    /// Criteria this one refers to with `matched` or `at least`.
    pub depends_on: Vec<CritId>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    /// `at least N`: the sub-score is never below it.
    pub floor: Option<f64>,
    pub cap: Option<f64>,
    pub criteria: Vec<CritId>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Stage {
    pub name: String,
    /// None for `otherwise` (always the last stage).
    pub condition: Option<Expr>,
    pub span: Span,
}

/// The hand-off brief (`handoff { ... }`): lines a rep reads before the
/// first call, written by `score --handoff` and shown by `explain`.
#[derive(Debug, Clone)]
pub struct Handoff {
    /// When the brief is written at all (it may read `stage`); none: always.
    pub condition: Option<Expr>,
    pub lines: Vec<HandoffLine>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum HandoffLine {
    /// A sentence: kept when its condition holds and every value it names
    /// is there.
    Template {
        /// As written, for listings and the diff.
        text: String,
        pieces: Vec<Piece>,
        condition: Option<Expr>,
    },
    /// The names of the criteria met; dropped when none is.
    Matched,
}

/// A part of a hand-off sentence.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String),
    /// `{job_title}`: the value as read.
    Field(FieldId),
    /// `{days since demo_date}`: whole days to the as-of date.
    DaysSince(FieldId),
    /// `{score}`, `{stage}`, `{route}`.
    Score,
    Stage,
    Route,
}

#[derive(Debug, Clone)]
pub enum Expectation {
    Stage(String),
    Route(String),
    Disqualified(String),
    NotDisqualified,
    Score(f64),
    ScoreBetween(f64, f64),
    Matched(Vec<String>),
    NotMatched(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct ExpectationAt {
    pub expectation: Expectation,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Example {
    pub name: String,
    pub as_of: Option<NaiveDate>,
    /// Every field, in field order; unset fields are missing.
    pub values: Vec<Value>,
    /// `events { ... }`: each event's values in the events block's field order.
    pub events: Vec<Vec<Value>>,
    pub expectations: Vec<ExpectationAt>,
    pub span: Span,
}

/// The stage name given to a disqualified inquiry.
pub const DISQUALIFIED_STAGE: &str = "disqualified";

#[derive(Debug, Clone, Default)]
pub struct Model {
    pub name: Option<String>,
    pub version: Option<String>,
    pub agreed_by: Option<String>,
    pub fields: Vec<Field>,
    /// Sorted, as days since 1970-01-01.
    pub holidays: Vec<i32>,
    pub disqualifiers: Vec<Disqualifier>,
    /// In definition order (the order of output and explanations).
    pub criteria: Vec<Criterion>,
    /// A dependency order: each criterion after the ones it refers to.
    pub evaluation_order: Vec<CritId>,
    pub groups: Vec<Group>,
    pub stages: Vec<Stage>,
    /// `route` rules, a stage's shape, tried in order once the stage is
    /// known; the `otherwise` one (if any) last. Empty: no `route` column.
    pub routes: Vec<Stage>,
    pub handoff: Option<Handoff>,
    pub examples: Vec<Example>,
    /// The activity export, if the definition reads one.
    pub events: Option<Events>,
    /// Every aggregate the conditions use, in the order met.
    pub aggregates: Vec<Aggregate>,
}

impl Model {
    /// The field called `id`, which names inquiries in the output.
    pub fn id_field(&self) -> Option<FieldId> {
        self.fields.iter().position(|f| f.name == "id")
    }

    pub fn field_named(&self, name: &str) -> Option<FieldId> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// Where aggregate `a`'s value sits in a lead's values: after the fields.
    pub fn aggregate_slot(&self, a: AggId) -> usize {
        self.fields.len() + a
    }

    pub fn criterion_named(&self, name: &str) -> Option<CritId> {
        self.criteria.iter().position(|c| c.name == name)
    }

    /// Stage names in order, then `disqualified`.
    pub fn stage_names(&self) -> impl Iterator<Item = &str> {
        self.stages
            .iter()
            .map(|s| s.name.as_str())
            .chain(std::iter::once(DISQUALIFIED_STAGE))
    }

    /// Whether results carry a `route` column: only when there are routes,
    /// so a definition without them writes what it always wrote.
    pub fn has_routes(&self) -> bool {
        !self.routes.is_empty()
    }

    /// The name of route `r` (an [`Outcome`](crate::semantics::Outcome)'s
    /// `route`), or "" when none held: the empty cell.
    pub fn route_name(&self, r: Option<usize>) -> &str {
        r.and_then(|r| self.routes.get(r))
            .map_or("", |r| r.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Results keep two decimals, but what two decimals cannot show (the big,
    /// the tiny) prints short and reads back exactly.
    #[test]
    fn computed_numbers_print_two_decimals_or_short_and_exact() {
        let cases = [
            (45.0, "45"),
            (-15.0, "-15"),
            (23.811_015_779, "23.81"),
            (-0.0, "0"),
            (999_999_999_999_999.0, "999999999999999"),
            (1e15, "1e15"),
            (1e300, "1e300"),
            (-f64::MAX, "-1.7976931348623157e308"),
            (0.004, "4e-3"),
            (-2.5e-7, "-2.5e-7"),
            (f64::INFINITY, "missing"),
            (f64::NAN, "missing"),
        ];
        for (n, shown) in cases {
            assert_eq!(format_number(n), shown, "{n:e}");
        }
        for n in [1e15, 1e300, -f64::MAX, 0.004, -2.5e-7, 5e-324] {
            assert_eq!(format_number(n).parse::<f64>(), Ok(n));
        }
    }

    /// Numbers from the definition show every digit (a half-life of
    /// 0.000001 days is not "0"), and as written in a definition they have
    /// no exponent, which the language cannot read.
    #[test]
    fn written_numbers_keep_every_digit() {
        for (n, exact, literal) in [
            (0.000001, "0.000001", "0.000001"),
            (12.345, "12.345", "12.345"),
            (30.0, "30", "30"),
            (-0.0, "0", "0"),
            (1e-7, "1e-7", "0.0000001"),
            (1e20, "1e20", "100000000000000000000"),
        ] {
            assert_eq!(format_exact(n), exact, "{n:e}");
            assert_eq!(format_literal(n), literal, "{n:e}");
            assert_eq!(exact.parse::<f64>(), Ok(n));
            assert_eq!(literal.parse::<f64>(), Ok(n));
        }
        assert_eq!(format_score(None), "missing (too large to represent)");
        assert_eq!(format_score(Some(2.5)), "2.5");
    }

    #[test]
    fn day_numbers_count_from_1970_both_ways() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
        assert_eq!(days_from_date(epoch), 0);
        let mut d = NaiveDate::from_ymd_opt(1899, 12, 25).expect("a date");
        let end = NaiveDate::from_ymd_opt(2101, 1, 7).expect("a date");
        while d < end {
            let days = days_from_date(d);
            assert_eq!(i64::from(days), (d - epoch).num_days(), "{d}");
            assert_eq!(date_from_days(days), d);
            d += chrono::Duration::days(13);
        }
    }
}
