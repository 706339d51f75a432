//! Explanations: why one inquiry got its score and stage.
//!
//! In: a checked [`Model`], the definition's source text (to quote each rule as
//! it is written), one inquiry's values and the as-of date. Out: an
//! [`Explanation`] in definition order: each disqualifier, criterion and stage
//! with whether it held, the points it earned and the values that decided it,
//! then the sub-scores, the total and the stage. [`text`] renders it for people,
//! [`json`] for programs, [`why`] as one short line for a score column.
//!
//! The explanation is computed by its own walk over the model ([`trace`]),
//! using the reference evaluator's helpers and the shared score arithmetic, so
//! its points add up to the score bit for bit (a property test holds it to that).

pub mod inquiry;
pub mod json;
pub mod text;
pub mod trace;
pub mod why;

use crate::eval::reference::{truth, Env};
use crate::eval::{decayed_points, finite, per_unit_points, total_score, weekday_holidays};
use crate::model::{format_exact, format_number, Earning, Model, Value};
use trace::{trace, Fact, Traced};

/// Whether a rule held, in three-valued logic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    Yes,
    No,
    /// A value it needs is missing; it does not count.
    Unknown,
}

impl Held {
    pub fn of(v: &Value) -> Held {
        match truth(v) {
            Some(true) => Held::Yes,
            Some(false) => Held::No,
            None => Held::Unknown,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Held::Yes => "yes",
            Held::No => "no",
            Held::Unknown => "unknown",
        }
    }
}

/// A disqualifier or a stage.
#[derive(Debug, Clone)]
pub struct RuleLine {
    pub name: String,
    /// The condition as written (`otherwise` for the last stage).
    pub rule: String,
    pub held: Held,
    pub facts: Vec<Fact>,
}

#[derive(Debug, Clone)]
pub struct CriterionLine {
    pub name: String,
    pub group: Option<String>,
    /// The rule as written after the name: points, condition, cap, decay.
    pub rule: String,
    pub held: Held,
    /// Whether it counts (`matched "..."` sees this).
    pub matched: bool,
    /// Points earned, after cap and decay (0 when not matched).
    pub points: f64,
    /// Points as written (0 for a criterion that only labels).
    pub nominal: f64,
    /// How the points were worked out, when it is more than "as written".
    pub note: Option<String>,
    pub facts: Vec<Fact>,
}

#[derive(Debug, Clone)]
pub struct GroupLine {
    pub name: String,
    /// The sum of its criteria's points before the cap; `None` when it grew
    /// too large to represent.
    pub sum: Option<f64>,
    pub cap: Option<f64>,
    /// The sub-score: the sum, capped; `None` when the sum is.
    pub score: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Explanation {
    pub definition: Option<String>,
    pub version: Option<String>,
    /// Days since 1970-01-01.
    pub as_of: i32,
    /// The inquiry's `id` value, when the definition has an `id` field.
    pub id: Option<Value>,
    /// Every disqualifier, in order.
    pub disqualifiers: Vec<RuleLine>,
    /// Index of the first disqualifier that held.
    pub disqualified: Option<usize>,
    /// Every criterion, in definition order.
    pub criteria: Vec<CriterionLine>,
    pub groups: Vec<GroupLine>,
    /// Points of the criteria outside any group (`None`: too large to represent).
    pub ungrouped: Option<f64>,
    /// `None` when missing: a sub-score is, or the sum is too large to represent.
    pub score: Option<f64>,
    /// The stages checked, in order, up to the one that held (none when disqualified).
    pub stages: Vec<RuleLine>,
    pub stage: String,
}

impl Explanation {
    pub fn reason(&self) -> Option<&str> {
        self.disqualified
            .map(|d| self.disqualifiers[d].name.as_str())
    }
}

/// The text of `span` in `source` on one line, without comments (a span may
/// end with the comment that follows it).
pub(crate) fn written(source: &str, span: crate::ast::Span) -> String {
    let text = source.get(span.start..span.end).unwrap_or("");
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    // Quotes and regexes are copied as they are: a `#` inside them is no comment.
    let mut closing: Option<char> = None;
    while let Some(ch) = chars.next() {
        match closing {
            Some(end) => {
                out.push(ch);
                if ch == '\\' {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                } else if ch == end {
                    closing = None;
                }
            }
            None if ch == '#' => {
                while chars.peek().is_some_and(|&c| c != '\n') {
                    chars.next();
                }
            }
            None => {
                if ch == '"' || (ch == '/' && out.trim_end().ends_with("matches")) {
                    closing = Some(ch);
                }
                out.push(ch);
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Points earned, with their sign: `+20`, `-7.5`.
pub(crate) fn signed(points: f64) -> String {
    if points > 0.0 {
        format!("+{}", format_number(points))
    } else {
        format_number(points)
    }
}

/// Points as the definition writes them, every digit: `+0.001`.
fn signed_exact(points: f64) -> String {
    if points > 0.0 {
        format!("+{}", format_exact(points))
    } else {
        format_exact(points)
    }
}

/// Explain how `model` judges the inquiry `values` at `as_of` (days since 1970).
pub fn explain(model: &Model, source: &str, values: &[Value], as_of: i32) -> Explanation {
    let holidays = weekday_holidays(model);
    let n = model.criteria.len();
    let mut matched = vec![false; n];
    let mut points = vec![0.0; n];
    let mut group_scores = vec![None; model.groups.len()];
    let mut lines: Vec<Option<CriterionLine>> = vec![None; n];
    for &c in &model.evaluation_order {
        let env = Env {
            model,
            values,
            as_of,
            holidays: &holidays,
            matched: &matched,
            score: None,
            group_scores: &group_scores,
        };
        let line = criterion_line(model, source, c, &env);
        matched[c] = line.matched;
        points[c] = line.points;
        lines[c] = Some(line);
    }
    let criteria: Vec<CriterionLine> = lines.into_iter().flatten().collect();
    let score = total_score(model, &points, &mut group_scores);
    let groups = model
        .groups
        .iter()
        .zip(&group_scores)
        .map(|(g, &score)| GroupLine {
            name: g.name.clone(),
            // Folded from +0.0 like `total_score` (`Sum` for floats starts at -0.0).
            sum: finite(g.criteria.iter().fold(0.0, |s, &c| s + points[c])),
            cap: g.cap,
            score,
        })
        .collect();
    let ungrouped = finite(
        model
            .criteria
            .iter()
            .zip(&points)
            .filter(|(c, _)| c.group.is_none())
            .fold(0.0, |s, (_, p)| s + p),
    );
    let env = Env {
        model,
        values,
        as_of,
        holidays: &holidays,
        matched: &matched,
        score,
        group_scores: &group_scores,
    };
    let disqualifiers: Vec<RuleLine> = model
        .disqualifiers
        .iter()
        .map(|d| {
            let t = trace(&d.condition, &env);
            RuleLine {
                name: d.reason.clone(),
                rule: written(source, d.condition.span),
                held: Held::of(&t.value),
                facts: t.facts,
            }
        })
        .collect();
    let disqualified = disqualifiers.iter().position(|d| d.held == Held::Yes);
    let mut stages = Vec::new();
    let mut stage = crate::model::DISQUALIFIED_STAGE.to_string();
    if disqualified.is_none() {
        for s in &model.stages {
            let (rule, t) = match &s.condition {
                Some(c) => (written(source, c.span), trace(c, &env)),
                None => (
                    "otherwise".to_string(),
                    Traced {
                        value: Value::Bool(true),
                        facts: Vec::new(),
                    },
                ),
            };
            let held = Held::of(&t.value);
            stages.push(RuleLine {
                name: s.name.clone(),
                rule,
                held,
                facts: t.facts,
            });
            if held == Held::Yes {
                stage = s.name.clone();
                break;
            }
        }
        if stages.last().is_none_or(|s| s.held != Held::Yes) {
            // A checked model always ends with `otherwise`; mirror the reference
            // evaluator's fallback to the last stage all the same.
            if let Some(last) = model.stages.last() {
                stage = last.name.clone();
            }
        }
    }
    Explanation {
        definition: model.name.clone(),
        version: model.version.clone(),
        as_of,
        id: model.id_field().map(|f| values[f].clone()),
        disqualifiers,
        disqualified,
        criteria,
        groups,
        ungrouped,
        score,
        stages,
        stage,
    }
}

fn criterion_line(model: &Model, source: &str, c: usize, env: &Env) -> CriterionLine {
    let crit = &model.criteria[c];
    let group = crit.group.map(|g| model.groups[g].name.clone());
    match &crit.earning {
        Earning::Fixed { condition, decay } => {
            let t = trace(condition, env);
            let mut rule = written(source, condition.span);
            let mut held = Held::of(&t.value);
            let mut facts = t.facts;
            let mut note = None;
            let mut earned = 0.0;
            if let Some(d) = decay {
                let since = &model.fields[d.since].name;
                rule.push_str(&format!(
                    ", halving every {} days since {since}",
                    format_exact(d.half_life_days)
                ));
                if held == Held::Yes {
                    let date = env.values.get(d.since).cloned().unwrap_or(Value::Missing);
                    let days = match date {
                        Value::Date(day) => Some((env.as_of - day) as i64),
                        _ => None,
                    };
                    let fact = Fact::Since {
                        name: since.clone(),
                        value: date,
                        days,
                        business: false,
                    };
                    if !facts.contains(&fact) {
                        facts.push(fact);
                    }
                }
            }
            if held == Held::Yes {
                match decayed_points(crit.points, decay, env.values, env.as_of) {
                    Some(p) => {
                        earned = p;
                        if decay.is_some() && p != crit.points {
                            note = Some(format!(
                                "{} faded to {}",
                                signed_exact(crit.points),
                                signed(p)
                            ));
                        }
                    }
                    None => {
                        held = Held::Unknown;
                        note = Some("no date to fade the points from".into());
                    }
                }
            }
            CriterionLine {
                name: crit.name.clone(),
                group,
                rule,
                held,
                matched: held == Held::Yes,
                points: earned,
                nominal: crit.points,
                note,
                facts,
            }
        }
        Earning::PerUnit {
            amount,
            cap,
            condition,
        } => {
            let mut rule = format!(
                "{} per {}",
                signed_exact(crit.points),
                written(source, amount.span)
            );
            if let Some(cap) = cap {
                rule.push_str(&format!(", at most {}", format_exact(*cap)));
            }
            let mut facts = Vec::new();
            let gate = match condition {
                Some(cond) => {
                    rule.push_str(&format!(" when {}", written(source, cond.span)));
                    let t = trace(cond, env);
                    facts.extend(t.facts);
                    Held::of(&t.value)
                }
                None => Held::Yes,
            };
            let (mut held, mut earned, mut note) = (gate, 0.0, None);
            if gate == Held::Yes {
                let t = trace(amount, env);
                for f in t.facts {
                    if !facts.contains(&f) {
                        facts.push(f);
                    }
                }
                match t.value {
                    Value::Number(a) => {
                        let raw = crit.points * a;
                        let factors =
                            format!("{} × {}", format_exact(crit.points), format_exact(a));
                        let product = match finite(raw) {
                            Some(raw) => format!("{factors} = {}", format_number(raw)),
                            None => format!("{factors} is too large to represent"),
                        };
                        match per_unit_points(crit.points, a, *cap) {
                            Some(p) => {
                                earned = p;
                                held = if p != 0.0 { Held::Yes } else { Held::No };
                                note = Some(if raw != p {
                                    format!("{product}, capped at {}", signed(p))
                                } else {
                                    product
                                });
                            }
                            None => {
                                // Missing, as a missing amount is: it earns nothing.
                                held = Held::Unknown;
                                note = Some(format!("{product}: missing, so it earns nothing"));
                            }
                        }
                    }
                    _ => held = Held::Unknown,
                }
            }
            CriterionLine {
                name: crit.name.clone(),
                group,
                rule,
                held,
                matched: held == Held::Yes,
                points: earned,
                nominal: crit.points,
                note,
                facts,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::written;
    use crate::ast::Span;

    fn quote(text: &str) -> String {
        written(text, Span::new(0, text.len()))
    }

    #[test]
    fn a_rule_is_quoted_on_one_line_without_comments() {
        assert_eq!(
            quote("a >= 4   # four calls\n     and b  >= 2 # two emails\n"),
            "a >= 4 and b >= 2"
        );
    }

    #[test]
    fn a_hash_inside_text_or_a_regex_is_kept() {
        assert_eq!(quote(r##"x contains "#1" # note"##), r##"x contains "#1""##);
        assert_eq!(quote(r##"x = "say \"#\"" # c"##), r##"x = "say \"#\"""##);
        assert_eq!(quote("t matches /a#b|c\\/#/ # c"), "t matches /a#b|c\\/#/");
        // `/` that is a division is no regex: the comment after it goes.
        assert_eq!(quote("a / 2 > 1 # half"), "a / 2 > 1");
    }
}
