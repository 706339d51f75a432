//! Tracing one condition: its three-valued result and the values that decided it.
//!
//! In: a condition of the checked model and the evaluation [`Env`] of one
//! inquiry. Out: the value (computed with the reference evaluator's own
//! helpers, so it cannot disagree) and the [`Fact`]s a person needs to see why:
//! for `a and b` that is false, only the parts that were false; for one that is
//! unknown, the parts that were unknown; for one that held, all of them.

use crate::ast::CompareOp;
use crate::eval::reference::{arith, compare, number_or_missing, text_test, truth, Env};
use crate::eval::time::business_days_between;
use crate::model::{format_number, Expr, ExprKind, Value};
use crate::plural::count;

/// One value that decided a condition, as a person would name it.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// `budget is 7500`, `job_title is missing`.
    Field { name: String, value: Value },
    /// `last_activity is 2026-10-01, 53 days ago`.
    Since {
        name: String,
        value: Value,
        days: Option<i64>,
        business: bool,
    },
    /// `score is 65`; `None` when it is missing (too large to represent).
    Score(Option<f64>),
    /// `fit is 30`.
    GroupScore { name: String, score: Option<f64> },
    /// `"BANT" matched` / `"BANT" not matched`.
    Matched { name: String, matched: bool },
}

impl Fact {
    /// What the fact is about: a field, `score`, a group or a criterion.
    pub fn subject(&self) -> &str {
        match self {
            Fact::Field { name, .. } | Fact::Since { name, .. } => name,
            Fact::Score(_) => "score",
            Fact::GroupScore { name, .. } | Fact::Matched { name, .. } => name,
        }
    }

    /// The fact in words.
    pub fn text(&self) -> String {
        match self {
            Fact::Field { name, value } => format!("{name} is {}", value.display()),
            Fact::Since {
                name,
                value,
                days,
                business,
            } => match days {
                Some(d) => {
                    let days = if *business {
                        count(d.abs(), "business day", "business days")
                    } else {
                        count(d.abs(), "day", "days")
                    };
                    let when = if *d < 0 { "from now" } else { "ago" };
                    format!("{name} is {}, {days} {when}", value.display())
                }
                None => format!("{name} is {}", value.display()),
            },
            Fact::Score(s) => is_score("score", *s),
            Fact::GroupScore { name, score } => is_score(name, *score),
            Fact::Matched {
                name,
                matched: true,
            } => format!("\"{name}\" matched"),
            Fact::Matched {
                name,
                matched: false,
            } => format!("\"{name}\" not matched"),
        }
    }
}

/// `fit is 30`, or why it has no value: `fit is missing, too large to represent`.
fn is_score(name: &str, score: Option<f64>) -> String {
    match score {
        Some(s) => format!("{name} is {}", format_number(s)),
        None => format!("{name} is missing, too large to represent"),
    }
}

/// A condition's value and the facts that decided it (in order, no repeats).
pub struct Traced {
    pub value: Value,
    pub facts: Vec<Fact>,
}

impl Traced {
    fn new(value: Value) -> Self {
        Traced {
            value,
            facts: Vec::new(),
        }
    }

    fn with(mut self, parts: impl IntoIterator<Item = Traced>) -> Self {
        for p in parts {
            self.add(p.facts);
        }
        self
    }

    /// Add facts not already known. A date's "N days ago" says all that its
    /// plain value says, so the plain value gives way to it.
    fn add(&mut self, facts: Vec<Fact>) {
        for f in facts {
            if self.facts.contains(&f) {
                continue;
            }
            match &f {
                Fact::Field { name, .. } => {
                    let dated = self
                        .facts
                        .iter()
                        .any(|g| matches!(g, Fact::Since { name: n, .. } if n == name));
                    if dated {
                        continue;
                    }
                }
                Fact::Since { name, .. } => {
                    if let Some(i) = self
                        .facts
                        .iter()
                        .position(|g| matches!(g, Fact::Field { name: n, .. } if n == name))
                    {
                        self.facts[i] = f;
                        continue;
                    }
                }
                _ => {}
            }
            self.facts.push(f);
        }
    }
}

fn known(b: Option<bool>) -> Value {
    b.map_or(Value::Missing, Value::Bool)
}

/// Trace `e` in `env`. Its value is exactly `reference::eval(e, env)`.
pub fn trace(e: &Expr, env: &Env) -> Traced {
    match &e.kind {
        ExprKind::Const(v) => Traced::new(v.clone()),
        ExprKind::Field(f) => {
            let value = env.values.get(*f).cloned().unwrap_or(Value::Missing);
            Traced {
                facts: vec![Fact::Field {
                    name: env.model.fields[*f].name.clone(),
                    value: value.clone(),
                }],
                value,
            }
        }
        ExprKind::Score => Traced {
            value: number_or_missing(env.score),
            facts: vec![Fact::Score(env.score)],
        },
        ExprKind::GroupScore(g) => Traced {
            value: number_or_missing(env.group_scores[*g]),
            facts: vec![Fact::GroupScore {
                name: env.model.groups[*g].name.clone(),
                score: env.group_scores[*g],
            }],
        },
        ExprKind::Matched(c) => Traced {
            value: Value::Bool(env.matched[*c]),
            facts: vec![Fact::Matched {
                name: env.model.criteria[*c].name.clone(),
                matched: env.matched[*c],
            }],
        },
        ExprKind::AtLeast(n, items) => {
            let parts: Vec<Traced> = items.iter().map(|i| trace(i, env)).collect();
            let yes = parts
                .iter()
                .filter(|p| truth(&p.value) == Some(true))
                .count();
            let unknown = parts.iter().filter(|p| truth(&p.value).is_none()).count();
            let value = if yes >= *n {
                Value::Bool(true)
            } else if yes + unknown < *n {
                Value::Bool(false)
            } else {
                Value::Missing
            };
            // When it held, the parts that held decided it; otherwise all did.
            let held = value == Value::Bool(true);
            let deciding = parts
                .into_iter()
                .filter(|p| !held || truth(&p.value) == Some(true));
            Traced::new(value).with(deciding)
        }
        ExprKind::DaysSince(d) | ExprKind::BusinessDaysSince(d) => {
            let business = matches!(e.kind, ExprKind::BusinessDaysSince(_));
            let inner = trace(d, env);
            let days = match inner.value {
                Value::Date(date) if business => {
                    Some(business_days_between(date, env.as_of, env.holidays))
                }
                Value::Date(date) => Some((env.as_of - date) as i64),
                _ => None,
            };
            let value = days.map_or(Value::Missing, |d| Value::Number(d as f64));
            match &d.kind {
                ExprKind::Field(f) => Traced {
                    value,
                    facts: vec![Fact::Since {
                        name: env.model.fields[*f].name.clone(),
                        value: inner.value,
                        days,
                        business,
                    }],
                },
                _ => Traced::new(value).with([inner]),
            }
        }
        ExprKind::Neg(x) => {
            let inner = trace(x, env);
            let value = match inner.value {
                Value::Number(n) => Value::Number(-n),
                _ => Value::Missing,
            };
            Traced::new(value).with([inner])
        }
        ExprKind::Not(x) => {
            let inner = trace(x, env);
            Traced::new(known(truth(&inner.value).map(|b| !b))).with([inner])
        }
        ExprKind::And(items) | ExprKind::Or(items) => {
            let is_and = matches!(e.kind, ExprKind::And(_));
            // `and` is decided by a false part, `or` by a true one.
            let decisive = !is_and;
            let parts: Vec<Traced> = items.iter().map(|i| trace(i, env)).collect();
            let value = if parts.iter().any(|p| truth(&p.value) == Some(decisive)) {
                Some(decisive)
            } else if parts.iter().any(|p| truth(&p.value).is_none()) {
                None
            } else {
                Some(!decisive)
            };
            let deciding: Vec<Traced> = match value {
                Some(v) if v == decisive => parts
                    .into_iter()
                    .filter(|p| truth(&p.value) == Some(decisive))
                    .collect(),
                None => parts
                    .into_iter()
                    .filter(|p| truth(&p.value).is_none())
                    .collect(),
                Some(_) => parts,
            };
            Traced::new(known(value)).with(deciding)
        }
        ExprKind::Arith(op, l, r) => {
            let (l, r) = (trace(l, env), trace(r, env));
            let value = match (&l.value, &r.value) {
                (Value::Number(a), Value::Number(b)) => arith(*op, *a, *b),
                _ => Value::Missing,
            };
            Traced::new(value).with([l, r])
        }
        ExprKind::Compare(op, l, r) => {
            let (l, r) = (trace(l, env), trace(r, env));
            Traced::new(known(compare(*op, &l.value, &r.value))).with([l, r])
        }
        ExprKind::Between(v, lo, hi) => {
            let (v, lo, hi) = (trace(v, env), trace(lo, env), trace(hi, env));
            let above = compare(CompareOp::Ge, &v.value, &lo.value);
            let below = compare(CompareOp::Le, &v.value, &hi.value);
            let value = match (above, below) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
            Traced::new(known(value)).with([v, lo, hi])
        }
        ExprKind::In {
            value,
            set,
            negated,
        } => {
            let inner = trace(value, env);
            let found = set.contains(&inner.value).map(|f| f != *negated);
            Traced::new(known(found)).with([inner])
        }
        ExprKind::TextTest(op, l, r) => {
            let (l, r) = (trace(l, env), trace(r, env));
            let value = match (&l.value, &r.value) {
                (Value::Text(h), Value::Text(n)) => Value::Bool(text_test(*op, h, n)),
                _ => Value::Missing,
            };
            Traced::new(value).with([l, r])
        }
        ExprKind::Matches(v, re) => {
            let inner = trace(v, env);
            let value = match &inner.value {
                Value::Text(t) => Value::Bool(re.is_match(t)),
                _ => Value::Missing,
            };
            Traced::new(value).with([inner])
        }
        ExprKind::IsMissing(v) | ExprKind::IsPresent(v) => {
            let inner = trace(v, env);
            let missing = inner.value.is_missing();
            let value = if matches!(e.kind, ExprKind::IsMissing(_)) {
                missing
            } else {
                !missing
            };
            Traced::new(Value::Bool(value)).with([inner])
        }
    }
}
