//! Conditions and values in SQL: a checked expression in, one SQL
//! expression out whose NULL is the language's missing (or unknown).
//!
//! SQL's `AND`, `OR` and `NOT` are Kleene's, as the language's are, so
//! three-valued logic needs no translation. Text compares folded (the
//! decoded fields carry their folded form; literals are folded here by
//! [`fold`]), arithmetic goes through [`super::arith`], and a part with no
//! field in it is computed here, by [`crate::semantics`], and written as its
//! value.

use super::arith::arith;
use super::dialect::Dialect;
use super::Refusal;
use crate::ast::{CompareOp, TextOp};
use crate::model::{Expr, ExprKind, Model, Type, Value};
use crate::semantics::expr::{eval, Env};
use crate::semantics::text::fold;

/// Where the values an expression reads are, in the row it is computed on.
pub struct Scope<'a> {
    pub dialect: Dialect,
    pub model: &'a Model,
    /// `--as-of` as days since 1970, when fixed.
    pub as_of: Option<i32>,
    /// SQL for the as-of day number.
    pub as_of_sql: String,
    /// Weekday holidays, sorted.
    pub holidays: Vec<i32>,
}

/// Internal column names, shared by the query and the expressions.
pub fn value_col(field: usize) -> String {
    format!("q_v{field}")
}
pub fn folded_col(field: usize) -> String {
    format!("q_k{field}")
}
pub fn matched_col(crit: usize) -> String {
    format!("q_m{crit}")
}
pub fn points_col(crit: usize) -> String {
    format!("q_p{crit}")
}
pub fn group_col(group: usize) -> String {
    format!("q_g{group}")
}
pub const SCORE_COL: &str = "q_score";
/// The stage, a layer of its own when routes read it.
pub const STAGE_COL: &str = "q_stage";

impl Scope<'_> {
    /// Whether `e` reads nothing from the row (and no unfixed date).
    fn constant(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Field(_)
            | ExprKind::Score
            | ExprKind::GroupScore(_)
            | ExprKind::StageIs(_)
            | ExprKind::Matched(_)
            | ExprKind::Aggregate(_) => false,
            ExprKind::DaysSince(_) | ExprKind::BusinessDaysSince(_) if self.as_of.is_none() => {
                false
            }
            _ => e.children().all(|c| self.constant(c)),
        }
    }

    fn literal(&self, v: &Value, ty: Type) -> String {
        let d = self.dialect;
        match v {
            Value::Missing => d.null_of(ty),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
            Value::Number(n) => d.double(*n),
            Value::Text(t) => d.text(t),
            Value::Date(day) => format!("CAST({day} AS INTEGER)"),
        }
    }

    /// The SQL of `e`, by its type: DOUBLE, text as read, BOOLEAN, or a day number.
    pub fn sql(&self, e: &Expr) -> Result<String, Refusal> {
        let d = self.dialect;
        if self.constant(e) && !matches!(e.kind, ExprKind::Const(_)) {
            let env = Env::of_values(self.model, &[], self.as_of.unwrap_or(0), &self.holidays);
            return Ok(self.literal(&eval(e, &env), e.ty));
        }
        Ok(match &e.kind {
            ExprKind::Const(v) => self.literal(v, e.ty),
            ExprKind::Field(f) => value_col(*f),
            // A column of the aggregates' layer ([`super::events`]).
            ExprKind::Aggregate(a) => super::events::aggregate_col(*a),
            ExprKind::Score => SCORE_COL.into(),
            ExprKind::GroupScore(g) => group_col(*g),
            ExprKind::Matched(c) => super::matched_sql(self.model, *c),
            // The stage column of the layer before the routes, never NULL.
            ExprKind::StageIs(s) => format!(
                "({STAGE_COL} = {})",
                d.text(self.model.stage_names().nth(*s).unwrap_or_default())
            ),
            ExprKind::AtLeast(n, items) => self.at_least(*n, items)?,
            ExprKind::DaysSince(x) => {
                d.to_double(&format!("({} - {})", self.as_of_sql, self.sql(x)?))
            }
            ExprKind::BusinessDaysSince(x) => self.business_days(&self.sql(x)?),
            ExprKind::Neg(x) => format!("(- {})", self.sql(x)?),
            ExprKind::Not(x) => format!("(NOT {})", self.sql(x)?),
            ExprKind::And(items) | ExprKind::Or(items) => {
                let is_and = matches!(e.kind, ExprKind::And(_));
                if items.is_empty() {
                    return Ok(if is_and { "TRUE" } else { "FALSE" }.into());
                }
                let parts = items
                    .iter()
                    .map(|i| self.sql(i))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("({})", parts.join(if is_and { " AND " } else { " OR " }))
            }
            ExprKind::Arith(op, l, r) => arith(d, *op, &self.sql(l)?, &self.sql(r)?),
            ExprKind::Compare(op, l, r) => self.compare(*op, l, r)?,
            ExprKind::Between(v, lo, hi) => format!(
                "({} AND {})",
                self.compare(CompareOp::Ge, v, lo)?,
                self.compare(CompareOp::Le, v, hi)?
            ),
            ExprKind::In {
                value,
                set,
                negated,
            } => {
                let items: Vec<String> = match value.ty {
                    Type::Text => set.texts.iter().map(|t| d.text(t)).collect(),
                    Type::Number => set.numbers.iter().map(|n| d.double(*n)).collect(),
                    Type::Date => set.dates.iter().map(|n| format!("{n}")).collect(),
                    Type::YesNo => Vec::new(),
                };
                let v = match value.ty {
                    Type::Text => self.folded(value)?,
                    _ => self.sql(value)?,
                };
                if items.is_empty() {
                    format!(
                        "(CASE WHEN {v} IS NULL THEN NULL ELSE {} END)",
                        if *negated { "TRUE" } else { "FALSE" }
                    )
                } else {
                    let not = if *negated { "NOT " } else { "" };
                    format!("({v} {not}IN ({}))", items.join(", "))
                }
            }
            ExprKind::TextTest(op, l, r) => {
                let (h, n) = (self.folded(l)?, self.folded(r)?);
                match op {
                    TextOp::Contains => d.contains(&h, &n),
                    TextOp::StartsWith => d.starts_with(&h, &n),
                    TextOp::EndsWith => d.ends_with(&h, &n),
                }
            }
            ExprKind::Matches(v, re) => {
                let pattern = super::regex::translate(d, re.as_str()).map_err(|why| Refusal {
                    span: e.span,
                    message: format!(
                        "the pattern /{}/ cannot be written exactly for {}: {why}",
                        re.as_str(),
                        d.name()
                    ),
                })?;
                d.regex_search(&self.sql(v)?, &pattern)
            }
            ExprKind::IsMissing(v) => format!("({} IS NULL)", self.sql(v)?),
            ExprKind::IsPresent(v) => format!("({} IS NOT NULL)", self.sql(v)?),
            ExprKind::Call(f, args) => {
                let args = args
                    .iter()
                    .map(|a| self.sql(a))
                    .collect::<Result<Vec<_>, _>>()?;
                super::function::call(d, *f, e.ty, &args)
            }
        })
    }

    /// A text expression's folded form.
    fn folded(&self, e: &Expr) -> Result<String, Refusal> {
        match &e.kind {
            ExprKind::Field(f) => Ok(folded_col(*f)),
            ExprKind::Const(Value::Text(t)) => Ok(self.dialect.text(&fold(t))),
            ExprKind::Const(Value::Missing) => Ok(self.dialect.null_of(Type::Text)),
            _ => Err(Refusal {
                span: e.span,
                message: "this text value has no SQL form".into(),
            }),
        }
    }

    fn compare(&self, op: CompareOp, l: &Expr, r: &Expr) -> Result<String, Refusal> {
        let sym = match op {
            CompareOp::Eq => "=",
            CompareOp::Ne => "<>",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        };
        if l.ty == Type::Text {
            let (a, b) = (self.folded(l)?, self.folded(r)?);
            return Ok(match op {
                CompareOp::Eq | CompareOp::Ne => format!("({a} {sym} {b})"),
                _ => format!("({} {sym} {b})", self.dialect.byte_order(&a)),
            });
        }
        Ok(format!("({} {sym} {})", self.sql(l)?, self.sql(r)?))
    }

    /// `at least n of (items)`: yes when n items are yes, no when even the
    /// unknown ones could not make n, else unknown. Each item counts 1 when
    /// yes and `M` (more than all items) when unknown, so one sum tells both.
    fn at_least(&self, n: usize, items: &[Expr]) -> Result<String, Refusal> {
        if n == 0 {
            return Ok("TRUE".into());
        }
        if n > items.len() {
            return Ok("FALSE".into());
        }
        let m = items.len() + 1;
        let parts = items
            .iter()
            .map(|i| Ok(format!("coalesce(CAST({} AS INTEGER), {m})", self.sql(i)?)))
            .collect::<Result<Vec<_>, Refusal>>()?;
        let sum = format!("({})", parts.join(" + "));
        Ok(format!(
            "(CASE WHEN {sum} % {m} >= {n} THEN TRUE WHEN {sum} % {m} + {} < {n} THEN FALSE END)",
            self.dialect.int_div(&sum, &m.to_string())
        ))
    }

    /// Business days from the day number `from` (a column) to the as-of
    /// date, as `business days since` counts them.
    pub fn business_days_from(&self, from: &str) -> String {
        self.business_days(from)
    }

    /// Business days from `from` (a day number) to the as-of date.
    fn business_days(&self, from: &str) -> String {
        let d = self.dialect;
        let to = &self.as_of_sql;
        let upto = |day: &str| -> String {
            if self.holidays.is_empty() {
                return "0".into();
            }
            let parts: Vec<String> = self
                .holidays
                .iter()
                .map(|h| format!("(CASE WHEN {day} >= {h} THEN 1 ELSE 0 END)"))
                .collect();
            format!("({})", parts.join(" + "))
        };
        let count = format!(
            "({} - {} - ({} - {}))",
            super::dates::weekdays_through(d, to),
            super::dates::weekdays_through(d, from),
            upto(to),
            upto(from)
        );
        d.to_double(&count)
    }
}
