//! Tracing conditions: the reference evaluator's walk, noting the values that
//! decided each part.
//!
//! In: a condition of the checked model and the evaluation [`Env`] of one
//! inquiry. Out: the value (from [`crate::semantics::expr::walk`] itself, so
//! it cannot disagree with the score) and the [`Fact`]s a person needs to see
//! why: for `a and b` that is false, only the parts that were false; for one
//! that is unknown, the parts that were unknown; for one that held, all of
//! them. [`Tracer`] is the observer that collects them.

use crate::ast::ArithOp;
use crate::model::{format_exact, CritId, Expr, ExprKind, FieldId, GroupId, Value};
use crate::number::format_number;
use crate::plural::count;
use crate::semantics::expr::{walk, Env, Observer};

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
    /// `round(budget / 1000, 1) is 2.4`: a function call as written, its value.
    Call { call: String, value: Value },
    /// `stage is "sales ready"` (in a route's condition).
    Stage(String),
}

impl Fact {
    /// What the fact is about: a field, `score`, a group or a criterion.
    pub fn subject(&self) -> &str {
        match self {
            Fact::Field { name, .. } | Fact::Since { name, .. } => name,
            Fact::Score(_) => "score",
            Fact::GroupScore { name, .. } | Fact::Matched { name, .. } => name,
            Fact::Call { call, .. } => call,
            Fact::Stage(_) => "stage",
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
            Fact::Call { call, value } => format!("{call} is {}", value.display()),
            Fact::Stage(name) => format!("stage is \"{name}\""),
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

/// Facts in order, without repeats: what [`Tracer`] notes for each part.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts(pub Vec<Fact>);

impl Facts {
    /// Add facts not already known. A date's "N days ago" says all that its
    /// plain value says, so the plain value gives way to it.
    pub fn add(&mut self, facts: &[Fact]) {
        let known = &mut self.0;
        for f in facts {
            if known.contains(f) {
                continue;
            }
            match f {
                Fact::Field { name, .. } => {
                    let dated = known
                        .iter()
                        .any(|g| matches!(g, Fact::Since { name: n, .. } if n == name));
                    if dated {
                        continue;
                    }
                }
                Fact::Since { name, .. } => {
                    if let Some(i) = known
                        .iter()
                        .position(|g| matches!(g, Fact::Field { name: n, .. } if n == name))
                    {
                        known[i] = f.clone();
                        continue;
                    }
                }
                _ => {}
            }
            known.push(f.clone());
        }
    }
}

/// The observer that names the deciding values.
pub struct Tracer;

impl Observer for Tracer {
    type Note = Facts;
    const EVERY_PART: bool = true;

    fn field(&mut self, env: &Env, f: FieldId, value: &Value) -> Facts {
        Facts(vec![Fact::Field {
            name: env.model.fields[f].name.clone(),
            value: value.clone(),
        }])
    }

    fn score(&mut self, score: Option<f64>) -> Facts {
        Facts(vec![Fact::Score(score)])
    }

    fn group_score(&mut self, env: &Env, g: GroupId, score: Option<f64>) -> Facts {
        Facts(vec![Fact::GroupScore {
            name: env.model.groups[g].name.clone(),
            score,
        }])
    }

    fn matched(&mut self, env: &Env, c: CritId, matched: bool) -> Facts {
        Facts(vec![Fact::Matched {
            name: env.model.criteria[c].name.clone(),
            matched,
        }])
    }

    fn stage(&mut self, env: &Env, stage: usize) -> Facts {
        let name = env.model.stage_names().nth(stage).unwrap_or_default();
        Facts(vec![Fact::Stage(name.to_string())])
    }

    fn since(
        &mut self,
        env: &Env,
        f: FieldId,
        value: &Value,
        days: Option<i64>,
        business: bool,
    ) -> Facts {
        Facts(vec![Fact::Since {
            name: env.model.fields[f].name.clone(),
            value: value.clone(),
            days,
            business,
        }])
    }

    fn call(&mut self, env: &Env, e: &Expr, value: &Value) -> Facts {
        Facts(vec![Fact::Call {
            call: written(env, e),
            value: value.clone(),
        }])
    }

    /// Said as a computed value is: `count of activity where ... is 3`.
    fn aggregate(&mut self, env: &Env, a: crate::model::AggId, value: &Value) -> Facts {
        Facts(vec![Fact::Call {
            call: env.model.aggregates[a].text.clone(),
            value: value.clone(),
        }])
    }

    fn absorb(&mut self, into: &mut Facts, part: &Facts) {
        into.add(&part.0);
    }
}

/// A value as the language writes it, for a call's fact: `min(budget, size)`,
/// `round(budget / 1000, 1)`. Conditions inside (`default(a > 1, no)`) are
/// said in `doc`'s words.
fn written(env: &Env, e: &Expr) -> String {
    // An operand in parentheses only where the grammar needs them: a sum
    // under a product, or the right side of `-` and `/`.
    let side = |x: &Expr, op: ArithOp, right: bool| {
        let strength = |o: ArithOp| u8::from(matches!(o, ArithOp::Mul | ArithOp::Div));
        match x.kind {
            ExprKind::Arith(inner, ..)
                if strength(inner) < strength(op)
                    || (right
                        && strength(inner) == strength(op)
                        && matches!(op, ArithOp::Sub | ArithOp::Div)) =>
            {
                format!("({})", written(env, x))
            }
            _ => written(env, x),
        }
    };
    let inner = |x: &Expr| match x.kind {
        ExprKind::Arith(..) => format!("({})", written(env, x)),
        _ => written(env, x),
    };
    match &e.kind {
        ExprKind::Const(Value::Number(n)) => format_exact(*n),
        ExprKind::Const(Value::Date(_) | Value::Bool(_)) => {
            crate::doc::words::operand(env.model, e)
        }
        ExprKind::Field(f) => env.model.fields[*f].name.clone(),
        ExprKind::Aggregate(a) => env.model.aggregates[*a].text.clone(),
        ExprKind::Score => "score".into(),
        ExprKind::GroupScore(g) => env.model.groups[*g].name.clone(),
        ExprKind::DaysSince(x) => format!("days since {}", inner(x)),
        ExprKind::BusinessDaysSince(x) => format!("business days since {}", inner(x)),
        ExprKind::Neg(x) => format!("-{}", inner(x)),
        ExprKind::Arith(op, a, b) => {
            format!(
                "{} {} {}",
                side(a, *op, false),
                op.symbol(),
                side(b, *op, true)
            )
        }
        ExprKind::Call(f, args) => {
            f.call(&args.iter().map(|a| written(env, a)).collect::<Vec<_>>())
        }
        _ => crate::doc::words::operand(env.model, e),
    }
}

/// Trace `e` in `env`. Its value is exactly `semantics::expr::eval(e, env)`.
pub fn trace(e: &Expr, env: &Env) -> Traced {
    let (value, facts) = walk(e, env, &mut Tracer);
    Traced {
        value,
        facts: facts.0,
    }
}
