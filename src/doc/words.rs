//! A checked condition → the words a sales manager uses.
//!
//! In: a [`model::Expr`](crate::model::Expr) with the model it belongs to (for
//! field, group and criterion names). Out: one line of plain English, e.g.
//! `days since last_activity > 30` → "no activity in the last 30 days",
//! `job_title matches /owner|director/` → "job title mentions owner or
//! director". Words come from the model, never from the text, so the page says
//! what the scorer runs. A regex that is not a list of plain words is shown as
//! written, in backticks (code style in markdown and HTML).

use crate::ast::{ArithOp, CompareOp, TextOp};
use crate::model::{date_from_days, format_exact, Expr, ExprKind, Function, Model, Type, Value};

/// A field name as words: `job_title` → "job title".
pub fn field_words(name: &str) -> String {
    name.replace('_', " ")
}

/// A number as written in the definition, with thousands grouped for reading
/// (`10000` → "10,000"); every digit is kept.
pub fn number(n: f64) -> String {
    let text = format_exact(n);
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match rest.find(['.', 'e']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    // Four-digit numbers read best as written ("1000", a year-like "2026").
    if whole.len() <= 4 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return text;
    }
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}{fraction}")
}

/// A value from the definition: text in single quotes, numbers grouped,
/// dates as YYYY-MM-DD, yes/no as "yes"/"no".
pub fn value(v: &Value) -> String {
    match v {
        Value::Missing => "missing".into(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Number(n) => number(*n),
        Value::Text(t) => format!("'{t}'"),
        Value::Date(d) => date_from_days(*d).to_string(),
    }
}

/// A points-by-value criterion in words: "by origin: 'API' earns +5,
/// 'Lead Add Form' +25, any other origin +0".
pub fn by_value(
    model: &Model,
    field: usize,
    entries: &[crate::model::ValueEntry],
    otherwise: f64,
) -> String {
    let name = field_words(&model.fields[field].name);
    let signed = |p: f64| crate::number::signed(p, format_exact);
    let mut parts: Vec<String> = entries
        .iter()
        .map(|e| format!("{} {}", value(&e.key), signed(e.points)))
        .collect();
    parts.push(format!("any other {name} {}", signed(otherwise)));
    format!("by {name}: {}", parts.join(", "))
}

/// The condition `e` in words.
pub fn condition(model: &Model, e: &Expr) -> String {
    Words { model }.cond(e)
}

/// A value-producing expression (a field, `days since`, arithmetic) in words.
pub fn operand(model: &Model, e: &Expr) -> String {
    Words { model }.operand(e)
}

struct Words<'m> {
    model: &'m Model,
}

impl Words<'_> {
    fn operand(&self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Const(v) => value(v),
            ExprKind::Field(f) => field_words(&self.model.fields[*f].name),
            ExprKind::Score => "the score".into(),
            ExprKind::GroupScore(g) => format!("the {} score", self.model.groups[*g].name),
            ExprKind::DaysSince(x) => format!("days since {}", self.operand(x)),
            ExprKind::BusinessDaysSince(x) => format!("business days since {}", self.operand(x)),
            ExprKind::Neg(x) => format!("minus {}", self.operand(x)),
            ExprKind::Arith(op, a, b) => {
                let word = match op {
                    ArithOp::Add => "plus",
                    ArithOp::Sub => "minus",
                    ArithOp::Mul => "times",
                    ArithOp::Div => "per",
                };
                format!("{} {word} {}", self.inner_operand(a), self.inner_operand(b))
            }
            ExprKind::Call(f, args) => self.call(*f, args),
            ExprKind::Aggregate(a) => self.aggregate(*a),
            // A condition used as a value: say the condition.
            _ => self.cond(e),
        }
    }

    /// `count of activity where type = "call" since handed_off` → "the
    /// number of activity events where type is "call", on or after handed
    /// off". The `where` is said with the events' field names.
    fn aggregate(&self, a: crate::model::AggId) -> String {
        use crate::model::{AggregateKind, EventWindow};
        let agg = &self.model.aggregates[a];
        let name = self.model.events.as_ref().map_or("", |e| e.name.as_str());
        let mut out = match agg.kind {
            AggregateKind::Count | AggregateKind::Decayed { .. } => {
                format!("the number of {name} events")
            }
            AggregateKind::First => format!("the date of the first {name} event"),
            AggregateKind::Last => format!("the date of the latest {name} event"),
        };
        if let (Some(filter), Some(events)) = (&agg.filter, &self.model.events) {
            let events_model = Model {
                fields: events.fields.clone(),
                ..Model::default()
            };
            out.push_str(" where ");
            out.push_str(
                &Words {
                    model: &events_model,
                }
                .cond(filter),
            );
        }
        match &agg.window {
            EventWindow::All => {}
            EventWindow::Since(d) => out.push_str(&format!(" since {}", self.inner_operand(d))),
            EventWindow::LastDays(n) => out.push_str(&format!(
                " in the last {}",
                crate::plural::count(*n, "day", "days")
            )),
            EventWindow::LastBusinessDays(n) => out.push_str(&format!(
                " in the last {}",
                crate::plural::count(*n, "business day", "business days")
            )),
        }
        if let AggregateKind::Decayed { half_life_days } = agg.kind {
            out.push_str(&format!(
                ", each counting half as much every {} {} since it happened",
                crate::model::format_exact(half_life_days),
                if half_life_days == 1.0 { "day" } else { "days" }
            ));
        }
        out
    }

    /// A function call in words: "the larger of budget and size",
    /// "budget rounded to 2 decimal places", "size (0 when missing)".
    fn call(&self, f: Function, args: &[Expr]) -> String {
        let arg = |i: usize| {
            args.get(i)
                .map(|a| self.inner_operand(a))
                .unwrap_or_default()
        };
        match f {
            Function::Min => format!("the smaller of {} and {}", arg(0), arg(1)),
            Function::Max => format!("the larger of {} and {}", arg(0), arg(1)),
            Function::Round(0) => format!("{} rounded", arg(0)),
            Function::Round(1) => format!("{} rounded to 1 decimal place", arg(0)),
            Function::Round(n) => format!("{} rounded to {n} decimal places", arg(0)),
            Function::Floor => format!("{} rounded down", arg(0)),
            Function::Default => format!("{} ({} when missing)", arg(0), arg(1)),
        }
    }

    /// An operand inside arithmetic: nested arithmetic in parentheses, so
    /// "(budget minus 10,000) per 10,000" keeps its grouping.
    fn inner_operand(&self, e: &Expr) -> String {
        match e.kind {
            ExprKind::Arith(..) => format!("({})", self.operand(e)),
            _ => self.operand(e),
        }
    }

    fn cond(&self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Const(Value::Bool(b)) => if *b { "always" } else { "never" }.into(),
            ExprKind::Field(_) if e.ty == Type::YesNo => format!("{} is yes", self.operand(e)),
            ExprKind::Matched(c) => format!("“{}” applies", self.model.criteria[*c].name),
            ExprKind::StageIs(st) => format!("the stage is “{}”", self.stage(*st)),
            ExprKind::AtLeast(n, items) => {
                let names: Vec<String> = items.iter().map(|i| self.item(i)).collect();
                format!("at least {n} of {}", list(&names, "and"))
            }
            ExprKind::Not(x) => match &x.kind {
                ExprKind::Field(_) if x.ty == Type::YesNo => {
                    format!("{} is not yes", self.operand(x))
                }
                ExprKind::Matched(c) => {
                    format!("“{}” does not apply", self.model.criteria[*c].name)
                }
                ExprKind::StageIs(st) => format!("the stage is not “{}”", self.stage(*st)),
                _ => format!("not ({})", self.cond(x)),
            },
            ExprKind::And(items) => self.joined(items, "and"),
            ExprKind::Or(items) => self.joined(items, "or"),
            ExprKind::Compare(op, a, b) => self.compare(*op, a, b),
            ExprKind::Between(x, lo, hi) => format!(
                "{} between {} and {}",
                self.operand(x),
                self.operand(lo),
                self.operand(hi)
            ),
            ExprKind::In {
                value: x,
                set,
                negated,
            } => {
                let items: Vec<String> = set.shown.iter().map(value).collect();
                if *negated && items.len() == 1 {
                    format!("{} is not {}", self.operand(x), items[0])
                } else if *negated {
                    format!("{} is none of {}", self.operand(x), items.join(", "))
                } else {
                    format!("{} is {}", self.operand(x), list(&items, "or"))
                }
            }
            ExprKind::TextTest(op, a, b) => {
                let verb = match op {
                    TextOp::Contains => "contains",
                    TextOp::StartsWith => "starts with",
                    TextOp::EndsWith => "ends with",
                };
                format!("{} {verb} {}", self.operand(a), self.operand(b))
            }
            ExprKind::Matches(x, re) => match plain_words(re.as_str()) {
                Some(words) => format!("{} mentions {}", self.operand(x), list(&words, "or")),
                None => format!("{} matches `/{}/`", self.operand(x), re.as_str()),
            },
            ExprKind::IsMissing(x) => format!("no {} given", self.operand(x)),
            ExprKind::IsPresent(x) => format!("{} is given", self.operand(x)),
            // `default(demo, no)`: the condition, then what stands in for unknown.
            ExprKind::Call(Function::Default, args) if args.len() == 2 => format!(
                "{} ({} when unknown)",
                self.cond(&args[0]),
                self.operand(&args[1])
            ),
            _ => self.operand(e),
        }
    }

    /// Stage `st`'s name (`disqualified` last).
    fn stage(&self, st: usize) -> &str {
        self.model.stage_names().nth(st).unwrap_or_default()
    }

    /// One item of `at least N of (...)`: a criterion by name, else its words.
    fn item(&self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Matched(c) => format!("“{}”", self.model.criteria[*c].name),
            _ => self.cond(e),
        }
    }

    /// `a and b and c` → "a, b and c"; a nested and/or in parentheses so the
    /// grouping the definition wrote survives.
    fn joined(&self, items: &[Expr], word: &str) -> String {
        let parts: Vec<String> = items
            .iter()
            .map(|i| match i.kind {
                ExprKind::And(_) | ExprKind::Or(_) => format!("({})", self.cond(i)),
                _ => self.cond(i),
            })
            .collect();
        list(&parts, word)
    }

    fn compare(&self, op: CompareOp, a: &Expr, b: &Expr) -> String {
        // "No activity in the last 30 days": a `last_X` date more than N days ago.
        if let (ExprKind::DaysSince(x), ExprKind::Const(Value::Number(n)), CompareOp::Gt) =
            (&a.kind, &b.kind, op)
        {
            if let ExprKind::Field(f) = x.kind {
                if let Some(what) = self.model.fields[f].name.strip_prefix("last_") {
                    return format!("no {} in the last {} days", field_words(what), number(*n));
                }
            }
        }
        let lhs = match a.kind {
            // "a score of 60 or more" rather than "the score is 60 or more".
            ExprKind::Score => "a score of".to_string(),
            ExprKind::GroupScore(g) => {
                let name = &self.model.groups[g].name;
                format!("{} {name} score of", article(name))
            }
            _ => format!("{} is", self.operand(a)),
        };
        let rhs = self.operand(b);
        match op {
            CompareOp::Eq => format!("{lhs} {rhs}"),
            CompareOp::Ne => format!("{lhs} not {rhs}"),
            CompareOp::Lt => format!("{lhs} less than {rhs}"),
            CompareOp::Le => format!("{lhs} {rhs} or less"),
            CompareOp::Gt => format!("{lhs} more than {rhs}"),
            CompareOp::Ge => format!("{lhs} {rhs} or more"),
        }
    }
}

/// "a" or "an" before `word`, by its first letter.
fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// "a", "a or b", "a, b or c".
pub fn list(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

/// A regex that is only alternatives of plain words (`owner|dentist|vp`) →
/// those words; anything else (anchors, classes, repeats) → `None`, shown as
/// written because words would say less than it means.
pub fn plain_words(pattern: &str) -> Option<Vec<String>> {
    let words: Vec<String> = pattern.split('|').map(str::to_string).collect();
    let plain = words.iter().all(|w| {
        !w.trim().is_empty()
            && w.chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '\'')
    });
    plain.then_some(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_str;

    /// The words of the one condition of criterion "c" in a small definition.
    fn words_of(fields: &str, cond: &str) -> String {
        let text = format!(
            "definition \"t\"\nfields {{\n{fields}\n}}\ncriterion \"other\" +1 when 1 = 1\ncriterion \"c\" +1 when {cond}\nstage \"s\" otherwise\n"
        );
        let loaded = load_str("t.lead", &text);
        let model = loaded.model.expect("the test definition checks");
        let c = model.criterion_named("c").expect("criterion c");
        match &model.criteria[c].earning {
            crate::model::Earning::Fixed { condition: e, .. } => condition(&model, e),
            crate::model::Earning::PerUnit { .. } | crate::model::Earning::ByValue { .. } => {
                unreachable!("fixed points")
            }
        }
    }

    #[test]
    fn every_condition_kind_has_words() {
        let fields = "job_title text optional\nbudget number optional\ndemo yes/no\n\
                      last_activity date\nsize number\nstate text";
        for (cond, words) in [
            (
                "days since last_activity > 30",
                "no activity in the last 30 days",
            ),
            (
                "days since last_activity >= 30",
                "days since last activity is 30 or more",
            ),
            (
                "business days since last_activity < 5",
                "business days since last activity is less than 5",
            ),
            (
                "job_title matches /owner|director/",
                "job title mentions owner or director",
            ),
            (
                "job_title matches /^ow(n|e)r$/",
                "job title matches `/^ow(n|e)r$/`",
            ),
            (
                "job_title contains \"student\"",
                "job title contains 'student'",
            ),
            (
                "job_title starts with \"it \"",
                "job title starts with 'it '",
            ),
            ("job_title ends with \"x\"", "job title ends with 'x'"),
            ("budget >= 10000", "budget is 10,000 or more"),
            ("budget <= 500", "budget is 500 or less"),
            ("budget = 7.5", "budget is 7.5"),
            ("budget != 7", "budget is not 7"),
            ("budget / size >= 2000", "budget per size is 2000 or more"),
            (
                "(budget - 10000) / 10000 > 1",
                "(budget minus 10,000) per 10,000 is more than 1",
            ),
            ("size between 5 and 200", "size between 5 and 200"),
            (
                "state in [\"OH\", \"PA\", \"MI\"]",
                "state is 'OH', 'PA' or 'MI'",
            ),
            (
                "state not in [\"OH\", \"PA\"]",
                "state is none of 'OH', 'PA'",
            ),
            ("state not in [\"OH\"]", "state is not 'OH'"),
            ("demo", "demo is yes"),
            ("not demo", "demo is not yes"),
            ("budget is missing", "no budget given"),
            ("budget is present", "budget is given"),
            (
                "demo and (budget > 1 or size < 3)",
                "demo is yes and (budget is more than 1 or size is less than 3)",
            ),
            ("matched \"other\"", "“other” applies"),
            ("not matched \"other\"", "“other” does not apply"),
            (
                "at least 1 of (\"other\", demo)",
                "at least 1 of “other” and demo is yes",
            ),
            ("default(demo, no)", "demo is yes (no when unknown)"),
            (
                "max(budget, size) >= 10",
                "the larger of budget and size is 10 or more",
            ),
            (
                "round(budget / 1000, 2) > min(size, 3)",
                "(budget per 1000) rounded to 2 decimal places is more than the smaller of size and 3",
            ),
            (
                "floor(default(budget, 0)) = 1",
                "budget (0 when missing) rounded down is 1",
            ),
            (
                "not (budget > 1 and demo)",
                "not (budget is more than 1 and demo is yes)",
            ),
        ] {
            assert_eq!(words_of(fields, cond), words, "{cond}");
        }
    }

    #[test]
    fn numbers_group_thousands_and_keep_every_digit() {
        assert_eq!(number(10000.0), "10,000");
        assert_eq!(number(1234567.5), "1,234,567.5");
        assert_eq!(number(-25000.0), "-25,000");
        assert_eq!(number(2026.0), "2026");
        assert_eq!(number(0.000001), "0.000001");
    }
}
