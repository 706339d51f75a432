//! Can a condition hold? Interval reasoning over numbers and dates, set
//! reasoning over text, `one of` and yes/no values, in three-valued logic.
//!
//! In: a checked condition. Out: the situations in which it is definitely true
//! ([`when_true`]) or not definitely true ([`when_not_true`]), as a list of
//! alternatives (each a list of facts that must all hold), and whether such a
//! list can happen at all ([`possible`]).
//!
//! Anything this module does not understand (a regex, `contains`, arithmetic,
//! `matched`, a comparison between two fields) is an opaque fact, free to be
//! true or false; so it may fail to see a contradiction, never invent one.
//! Lists that grow past [`MAX_ALTERNATIVES`] give up (`None`): no verdict.

use super::situation::Situation;
use crate::ast::CompareOp;
use crate::model::{Earning, Expr, ExprKind, FieldId, Model, Type, Value};
use crate::semantics::text::fold as fold_text;

/// Beyond this many alternatives the analysis gives up rather than guess.
pub const MAX_ALTERNATIVES: usize = 512;

/// What a constrained value is: a field, or a count of days since a field, or
/// a score. Facts about different keys are independent, except that every
/// fact about a field's value needs the field present.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    Field(FieldId),
    DaysSince(FieldId),
    BusinessDaysSince(FieldId),
    Score,
    Group(usize),
}

impl Key {
    pub(super) fn field(&self) -> Option<FieldId> {
        match self {
            Key::Field(f) | Key::DaysSince(f) | Key::BusinessDaysSince(f) => Some(*f),
            _ => None,
        }
    }
}

/// How a fact about something opaque stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Truth {
    True,
    False,
    NotTrue,
    NotFalse,
}

#[derive(Debug, Clone)]
pub enum Fact {
    Present(FieldId),
    Missing(FieldId),
    /// A number or date compared with a constant (never `!=`; see `NotIn`).
    Cmp(Key, CompareOp, f64),
    NumIn(Key, Vec<f64>, bool),
    /// Folded text (yes/no as "yes"/"no") in a set, or not (`true`).
    TextIn(Key, Vec<String>, bool),
    Opaque(String, Truth),
}

pub type Alternatives = Vec<Vec<Fact>>;

/// Most condition nodes one analysis visits (`matched` chains are read
/// through, and shared sub-conditions are read once per use).
pub const MAX_STEPS: usize = 5_000;

/// Where a condition is definitely true.
pub fn when_true(model: &Model, e: &Expr) -> Option<Alternatives> {
    Analyzer::new(model).walk(e, Truth::True)
}

/// Where a condition is false or unknown (it does not count).
pub fn when_not_true(model: &Model, e: &Expr) -> Option<Alternatives> {
    Analyzer::new(model).walk(e, Truth::NotTrue)
}

/// All of `parts` at once (`None` if any is undecided or the product is too big).
pub fn all_of(parts: Vec<Option<Alternatives>>) -> Option<Alternatives> {
    parts
        .into_iter()
        .try_fold(vec![Vec::new()], |acc, p| product(acc, p?))
}

struct Analyzer<'m> {
    model: &'m Model,
    steps: std::cell::Cell<usize>,
}

impl<'m> Analyzer<'m> {
    fn new(model: &'m Model) -> Self {
        Analyzer {
            model,
            steps: std::cell::Cell::new(0),
        }
    }
}

fn product(a: Alternatives, b: Alternatives) -> Option<Alternatives> {
    if a.len().saturating_mul(b.len()) > MAX_ALTERNATIVES {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in &a {
        for y in &b {
            let mut both = x.clone();
            both.extend(y.iter().cloned());
            out.push(both);
        }
    }
    Some(out)
}

fn union(mut a: Alternatives, b: Alternatives) -> Option<Alternatives> {
    a.extend(b);
    (a.len() <= MAX_ALTERNATIVES).then_some(a)
}

fn negate(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Eq => CompareOp::Ne,
        CompareOp::Ne => CompareOp::Eq,
        CompareOp::Lt => CompareOp::Ge,
        CompareOp::Le => CompareOp::Gt,
        CompareOp::Gt => CompareOp::Le,
        CompareOp::Ge => CompareOp::Lt,
    }
}

fn flip(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Ge => CompareOp::Le,
        other => other,
    }
}

/// A constant as the analysis sees it.
enum Const {
    Num(f64),
    Text(String),
}

fn constant(e: &Expr) -> Option<Const> {
    match &e.kind {
        ExprKind::Const(Value::Number(n)) => Some(Const::Num(*n)),
        ExprKind::Const(Value::Date(d)) => Some(Const::Num(*d as f64)),
        ExprKind::Const(Value::Text(t)) => Some(Const::Text(fold_text(t))),
        ExprKind::Const(Value::Bool(b)) => Some(Const::Text(yes_no(*b))),
        ExprKind::Neg(x) => match constant(x)? {
            Const::Num(n) => Some(Const::Num(-n)),
            Const::Text(_) => None,
        },
        _ => None,
    }
}

/// A constant number (`-20` is a minus applied to `20`).
pub fn constant_number(e: &Expr) -> Option<f64> {
    match constant(e)? {
        Const::Num(n) if e.ty == Type::Number => Some(n),
        _ => None,
    }
}

pub(super) fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

fn key_of(e: &Expr) -> Option<Key> {
    match &e.kind {
        ExprKind::Field(f) => Some(Key::Field(*f)),
        ExprKind::DaysSince(inner) => match inner.kind {
            ExprKind::Field(f) => Some(Key::DaysSince(f)),
            _ => None,
        },
        ExprKind::BusinessDaysSince(inner) => match inner.kind {
            ExprKind::Field(f) => Some(Key::BusinessDaysSince(f)),
            _ => None,
        },
        ExprKind::Score => Some(Key::Score),
        ExprKind::GroupScore(g) => Some(Key::Group(*g)),
        _ => None,
    }
}

impl Analyzer<'_> {
    /// Alternatives under which `e` stands as `want`.
    fn walk(&self, e: &Expr, want: Truth) -> Option<Alternatives> {
        use Truth::*;
        self.steps.set(self.steps.get() + 1);
        if self.steps.get() > MAX_STEPS {
            return None;
        }
        match &e.kind {
            ExprKind::And(parts) | ExprKind::Or(parts) => {
                let is_and = matches!(e.kind, ExprKind::And(_));
                // True/NotFalse of `and` need every part; False/NotTrue need one.
                let every = is_and == matches!(want, True | NotFalse);
                let mut acc: Option<Alternatives> = None;
                for p in parts {
                    let alts = self.walk(p, want)?;
                    acc = Some(match acc {
                        None => alts,
                        Some(a) if every => product(a, alts)?,
                        Some(a) => union(a, alts)?,
                    });
                }
                Some(acc.unwrap_or_else(|| if every { vec![vec![]] } else { vec![] }))
            }
            ExprKind::Not(inner) => self.walk(
                inner,
                match want {
                    True => False,
                    False => True,
                    NotTrue => NotFalse,
                    NotFalse => NotTrue,
                },
            ),
            ExprKind::Const(Value::Bool(b)) => {
                let holds = match want {
                    True | NotFalse => *b,
                    False | NotTrue => !*b,
                };
                Some(if holds { vec![vec![]] } else { vec![] })
            }
            ExprKind::Field(f) if e.ty == Type::YesNo => Some(self.atom(
                want,
                vec![Fact::TextIn(Key::Field(*f), vec![yes_no(true)], false)],
                vec![Fact::TextIn(Key::Field(*f), vec![yes_no(true)], true)],
                Some(*f),
            )),
            ExprKind::Compare(op, l, r) => self.compare(e, *op, l, r, want),
            ExprKind::Between(v, lo, hi) => match (key_of(v), constant(lo), constant(hi)) {
                (Some(k), Some(Const::Num(lo)), Some(Const::Num(hi))) => {
                    let field = k.field();
                    let inside = vec![
                        Fact::Cmp(k.clone(), CompareOp::Ge, lo),
                        Fact::Cmp(k.clone(), CompareOp::Le, hi),
                    ];
                    let below = Fact::Cmp(k.clone(), CompareOp::Lt, lo);
                    let above = Fact::Cmp(k, CompareOp::Gt, hi);
                    Some(match want {
                        True => vec![inside],
                        False => vec![vec![below], vec![above]],
                        NotTrue => with_missing(field, vec![vec![below], vec![above]]),
                        NotFalse => with_missing(field, vec![inside]),
                    })
                }
                _ => Some(self.opaque(e, want)),
            },
            ExprKind::In {
                value,
                set,
                negated,
            } => match key_of(value) {
                Some(k) => {
                    let field = k.field();
                    let (yes, no) = if value.ty == Type::Number || value.ty == Type::Date {
                        let nums: Vec<f64> = set
                            .numbers
                            .iter()
                            .copied()
                            .chain(set.dates.iter().map(|d| *d as f64))
                            .collect();
                        (
                            Fact::NumIn(k.clone(), nums.clone(), *negated),
                            Fact::NumIn(k, nums, !*negated),
                        )
                    } else {
                        (
                            Fact::TextIn(k.clone(), set.texts.clone(), *negated),
                            Fact::TextIn(k, set.texts.clone(), !*negated),
                        )
                    };
                    Some(self.atom(want, vec![yes], vec![no], field))
                }
                None => Some(self.opaque(e, want)),
            },
            ExprKind::IsMissing(v) | ExprKind::IsPresent(v) => match v.kind {
                ExprKind::Field(f) => {
                    let missing = matches!(e.kind, ExprKind::IsMissing(_));
                    let (holds, fails) = if missing {
                        (Fact::Missing(f), Fact::Present(f))
                    } else {
                        (Fact::Present(f), Fact::Missing(f))
                    };
                    // Never unknown: true and not-false coincide.
                    Some(match want {
                        True | NotFalse => vec![vec![holds]],
                        False | NotTrue => vec![vec![fails]],
                    })
                }
                _ => Some(self.opaque(e, want)),
            },
            ExprKind::Matched(c) => self.matched(*c, want, e),
            ExprKind::AtLeast(n, items) if *n == 0 => self.walk(&const_bool(e, true), want),
            ExprKind::AtLeast(n, items) if *n > items.len() => {
                self.walk(&const_bool(e, false), want)
            }
            _ => Some(self.opaque(e, want)),
        }
    }

    /// A comparison with known facts for true (`yes`) and false (`no`); unknown
    /// exactly when `field` is missing.
    fn atom(
        &self,
        want: Truth,
        yes: Vec<Fact>,
        no: Vec<Fact>,
        field: Option<FieldId>,
    ) -> Alternatives {
        match want {
            Truth::True => vec![yes],
            Truth::False => vec![no],
            Truth::NotTrue => with_missing(field, vec![no]),
            Truth::NotFalse => with_missing(field, vec![yes]),
        }
    }

    fn compare(
        &self,
        e: &Expr,
        op: CompareOp,
        l: &Expr,
        r: &Expr,
        want: Truth,
    ) -> Option<Alternatives> {
        let (k, op, c) = match (key_of(l), constant(r), key_of(r), constant(l)) {
            (Some(k), Some(c), _, _) => (k, op, c),
            (_, _, Some(k), Some(c)) => (k, flip(op), c),
            _ => return Some(self.opaque(e, want)),
        };
        let field = k.field();
        let facts = |op: CompareOp| -> Vec<Fact> {
            match (&c, op) {
                (Const::Num(n), CompareOp::Ne) => vec![Fact::NumIn(k.clone(), vec![*n], true)],
                (Const::Num(n), op) => vec![Fact::Cmp(k.clone(), op, *n)],
                (Const::Text(t), CompareOp::Eq) => {
                    vec![Fact::TextIn(k.clone(), vec![t.clone()], false)]
                }
                (Const::Text(t), _) => vec![Fact::TextIn(k.clone(), vec![t.clone()], true)],
            }
        };
        if matches!(c, Const::Text(_)) && !matches!(op, CompareOp::Eq | CompareOp::Ne) {
            return Some(self.opaque(e, want));
        }
        Some(self.atom(want, facts(op), facts(negate(op)), field))
    }

    /// `matched "X"` is never unknown: true exactly when X's condition is
    /// definitely true (and, for decaying points, the decay date is present).
    /// Points per unit stay opaque (they match on the amount earned).
    fn matched(&self, c: usize, want: Truth, e: &Expr) -> Option<Alternatives> {
        let Earning::Fixed { condition, decay } = &self.model.criteria[c].earning else {
            return Some(self.opaque(e, want));
        };
        let since = decay.as_ref().map(|d| d.since);
        match want {
            Truth::True | Truth::NotFalse => {
                let holds = self.walk(condition, Truth::True)?;
                match since {
                    Some(f) => product(holds, vec![vec![Fact::Present(f)]]),
                    None => Some(holds),
                }
            }
            Truth::False | Truth::NotTrue => {
                let fails = self.walk(condition, Truth::NotTrue)?;
                match since {
                    Some(f) => union(fails, vec![vec![Fact::Missing(f)]]),
                    None => Some(fails),
                }
            }
        }
    }

    fn opaque(&self, e: &Expr, want: Truth) -> Alternatives {
        vec![vec![Fact::Opaque(shape(self.model, e), want)]]
    }
}

fn const_bool(like: &Expr, b: bool) -> Expr {
    Expr {
        kind: ExprKind::Const(Value::Bool(b)),
        ty: Type::YesNo,
        span: like.span,
    }
}

/// Add "or the field is missing" (the unknown case) to some alternatives.
fn with_missing(field: Option<FieldId>, mut alts: Alternatives) -> Alternatives {
    if let Some(f) = field {
        alts.push(vec![Fact::Missing(f)]);
    }
    alts
}

/// Whether any alternative can happen.
pub fn possible(model: &Model, alts: &Alternatives) -> bool {
    alts.iter()
        .any(|facts| Situation::of(model, facts).is_some())
}

/// A condition's shape, ignoring where it is written: equal shapes mean the
/// same condition.
pub fn shape(model: &Model, e: &Expr) -> String {
    let s = |x: &Expr| shape(model, x);
    let list = |xs: &[Expr], sep: &str| xs.iter().map(s).collect::<Vec<_>>().join(sep);
    match &e.kind {
        ExprKind::Const(v) => v.display(),
        ExprKind::Field(f) => model.fields[*f].name.clone(),
        ExprKind::Aggregate(a) => format!("({})", model.aggregates[*a].text),
        ExprKind::Score => "score".into(),
        ExprKind::GroupScore(g) => format!("group {}", model.groups[*g].name),
        ExprKind::Matched(c) => format!("matched {:?}", model.criteria[*c].name),
        ExprKind::StageIs(st) => format!("stage = {:?}", model.stage_names().nth(*st)),
        ExprKind::AtLeast(n, items) => format!("at least {n} of ({})", list(items, ", ")),
        ExprKind::DaysSince(x) => format!("days since {}", s(x)),
        ExprKind::BusinessDaysSince(x) => format!("business days since {}", s(x)),
        ExprKind::Neg(x) => format!("-({})", s(x)),
        ExprKind::Not(x) => format!("not ({})", s(x)),
        ExprKind::And(xs) => format!("({})", list(xs, " and ")),
        ExprKind::Or(xs) => format!("({})", list(xs, " or ")),
        ExprKind::Arith(op, l, r) => format!("({} {} {})", s(l), op.symbol(), s(r)),
        ExprKind::Compare(op, l, r) => format!("{} {} {}", s(l), op.symbol(), s(r)),
        ExprKind::Between(v, lo, hi) => format!("{} between {} and {}", s(v), s(lo), s(hi)),
        ExprKind::In {
            value,
            set,
            negated,
        } => format!(
            "{} {}in {:?}",
            s(value),
            if *negated { "not " } else { "" },
            set.shown
        ),
        ExprKind::TextTest(op, l, r) => format!("{} {} {}", s(l), op.words(), s(r)),
        ExprKind::Matches(v, re) => format!("{} matches /{}/", s(v), re.as_str()),
        ExprKind::IsMissing(v) => format!("{} is missing", s(v)),
        ExprKind::IsPresent(v) => format!("{} is present", s(v)),
        ExprKind::Call(f, args) => f.call(&args.iter().map(s).collect::<Vec<_>>()),
    }
}
