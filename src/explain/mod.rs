//! Explanations: why one inquiry got its score and stage.
//!
//! In: a checked [`Model`], the definition's source text (to quote each rule as
//! it is written), one inquiry's values and the as-of date. Out: an
//! [`Explanation`] in definition order: each disqualifier, criterion and stage
//! with whether it held, the points it earned and the values that decided it,
//! then the sub-scores, the total and the stage. [`text`] renders it for people,
//! [`json`] for programs, [`why`] as one short line for a score column.
//!
//! The explanation is the reference evaluation ([`crate::semantics::outcome::run`])
//! traced: the same driver and the same walk, with [`trace::Tracer`] noting
//! the deciding values and a [`Record`] keeping each step, so its points add
//! up to the score bit for bit and it cannot disagree with `score`.

pub mod inquiry;
pub mod json;
pub mod text;
pub mod trace;
pub mod why;

use crate::model::{format_exact, AggregateKind, CritId, Earning, ExprKind, Model, Value};
use crate::number::format_number;
use crate::semantics::outcome::{self, Earned, Entry, Record};
use crate::semantics::score::{finite, per_unit_points};
use crate::semantics::Truth;
use trace::{Fact, Facts, Tracer};

/// A disqualifier, a stage or a route.
#[derive(Debug, Clone)]
pub struct RuleLine {
    pub name: String,
    /// The condition as written (`otherwise` for the last stage).
    pub rule: String,
    pub held: Truth,
    pub facts: Vec<Fact>,
}

#[derive(Debug, Clone)]
pub struct CriterionLine {
    pub name: String,
    pub group: Option<String>,
    /// The rule as written after the name: points, condition, cap, decay.
    pub rule: String,
    pub held: Truth,
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
    /// The sum of its criteria's points before the floor and cap; `None` when
    /// it grew too large to represent.
    pub sum: Option<f64>,
    pub floor: Option<f64>,
    pub cap: Option<f64>,
    /// The sub-score: the sum, floored and capped; `None` when the sum is.
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
    /// The routes checked, in order, up to the one that held; empty when
    /// the definition has none.
    pub routes: Vec<RuleLine>,
    /// The route that held; `None` when none did (or there are none).
    pub route: Option<String>,
    /// The definition has routes: explanations without them read as before.
    pub has_routes: bool,
    /// The hand-off brief's lines when the definition has one and it applies
    /// (`Some(empty)`: every line dropped); `None` otherwise.
    pub handoff: Option<Vec<String>>,
    /// The definition has a `handoff` block.
    pub has_handoff: bool,
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
    // Points that earned nothing read `0` in an explanation, not `+0`.
    if points == 0.0 {
        format_number(points)
    } else {
        crate::number::signed(points, format_number)
    }
}

/// Points as the definition writes them, every digit: `+0.001`.
fn signed_exact(points: f64) -> String {
    if points == 0.0 {
        format_exact(points)
    } else {
        crate::number::signed(points, format_exact)
    }
}

/// Explain how `model` judges the inquiry `values` at `as_of` (days since 1970).
pub fn explain(model: &Model, source: &str, values: &[Value], as_of: i32) -> Explanation {
    let mut lines = Lines {
        model,
        source,
        values,
        as_of,
        criteria: vec![None; model.criteria.len()],
        disqualifiers: Vec::new(),
        stages: Vec::new(),
        routes: Vec::new(),
    };
    let outcome = outcome::run(model, values, as_of, &mut Tracer, &mut lines);
    let points = &outcome.points;
    let groups = model
        .groups
        .iter()
        .zip(&outcome.group_scores)
        .map(|(g, &score)| GroupLine {
            name: g.name.clone(),
            // Folded from +0.0 like `total_score` (`Sum` for floats starts at -0.0).
            sum: finite(g.criteria.iter().fold(0.0, |s, &c| s + points[c])),
            floor: g.floor,
            cap: g.cap,
            score,
        })
        .collect();
    let ungrouped = finite(
        model
            .criteria
            .iter()
            .zip(points)
            .filter(|(c, _)| c.group.is_none())
            .fold(0.0, |s, (_, p)| s + p),
    );
    Explanation {
        definition: model.name.clone(),
        version: model.version.clone(),
        as_of,
        id: model.id_field().map(|f| values[f].clone()),
        disqualifiers: lines.disqualifiers,
        disqualified: outcome.disqualified,
        criteria: lines.criteria.into_iter().flatten().collect(),
        groups,
        ungrouped,
        score: outcome.score,
        stages: lines.stages,
        stage: outcome.stage_name(model).to_string(),
        routes: lines.routes,
        route: outcome.route.map(|_| outcome.route_name(model).to_string()),
        has_routes: model.has_routes(),
        handoff: crate::semantics::handoff::lines(model, values, as_of, &outcome),
        has_handoff: model.handoff.is_some(),
    }
}

/// Each step of the traced run, as the lines of an explanation.
struct Lines<'a> {
    model: &'a Model,
    source: &'a str,
    values: &'a [Value],
    as_of: i32,
    /// By criterion, filled in evaluation order.
    criteria: Vec<Option<CriterionLine>>,
    disqualifiers: Vec<RuleLine>,
    stages: Vec<RuleLine>,
    routes: Vec<RuleLine>,
}

impl Lines<'_> {
    /// The decay date and the days since it, as a fact (once).
    fn since_fact(&self, d: &crate::model::Decay, facts: &mut Vec<Fact>) {
        let date = self.values.get(d.since).cloned().unwrap_or(Value::Missing);
        let days = match date {
            Value::Date(day) => Some((self.as_of - day) as i64),
            _ => None,
        };
        let fact = Fact::Since {
            name: self.model.fields[d.since].name.clone(),
            value: date,
            days,
            business: false,
        };
        if !facts.contains(&fact) {
            facts.push(fact);
        }
    }
}

impl Record<Facts> for Lines<'_> {
    fn fixed(&mut self, c: CritId, held: Truth, note: Facts, earned: Earned) {
        let (model, crit) = (self.model, &self.model.criteria[c]);
        let Earning::Fixed { condition, decay } = &crit.earning else {
            return;
        };
        let mut rule = written(self.source, condition.span);
        let mut facts = note.0;
        let mut note = None;
        if let Some(d) = decay {
            let since = &model.fields[d.since].name;
            rule.push_str(&format!(
                ", halving every {} days since {since}",
                format_exact(d.half_life_days)
            ));
            if held == Truth::Yes {
                self.since_fact(d, &mut facts);
            }
        }
        if held == Truth::Yes {
            if earned.truth == Truth::Unknown {
                note = Some("no date to fade the points from".into());
            } else if decay.is_some() && earned.points != crit.points {
                note = Some(format!(
                    "{} faded to {}",
                    signed_exact(crit.points),
                    signed(earned.points)
                ));
            }
        }
        self.criteria[c] = Some(CriterionLine {
            name: crit.name.clone(),
            group: crit.group.map(|g| model.groups[g].name.clone()),
            rule,
            held: earned.truth,
            matched: earned.truth == Truth::Yes,
            points: earned.points,
            nominal: crit.points,
            note,
            facts,
        });
    }

    fn per_unit(
        &mut self,
        c: CritId,
        _gate: Truth,
        gate_note: Option<Facts>,
        amount: Option<(Value, Facts)>,
        earned: Earned,
    ) {
        let (model, crit) = (self.model, &self.model.criteria[c]);
        let Earning::PerUnit {
            amount: amount_expr,
            cap,
            condition,
            decay,
        } = &crit.earning
        else {
            return;
        };
        let source = self.source;
        let mut rule = format!(
            "{} per {}",
            signed_exact(crit.points),
            written(source, amount_expr.span)
        );
        if let Some(cap) = cap {
            rule.push_str(&format!(", at most {}", format_exact(*cap)));
        }
        if let ExprKind::Aggregate(a) = amount_expr.kind {
            if let AggregateKind::Decayed { half_life_days } = model.aggregates[a].kind {
                rule.push_str(&format!(
                    ", each halving every {} days",
                    format_exact(half_life_days)
                ));
            }
        }
        if let Some(d) = decay {
            rule.push_str(&format!(
                ", halving every {} days since {}",
                format_exact(d.half_life_days),
                model.fields[d.since].name
            ));
        }
        if let Some(cond) = condition {
            rule.push_str(&format!(" when {}", written(source, cond.span)));
        }
        let mut facts = gate_note.map(|n| n.0).unwrap_or_default();
        let mut note = None;
        if let Some((value, amount_facts)) = amount {
            for f in amount_facts.0 {
                if !facts.contains(&f) {
                    facts.push(f);
                }
            }
            if let Value::Number(a) = value {
                let raw = crit.points * a;
                let factors = format!("{} × {}", format_exact(crit.points), format_exact(a));
                let product = match finite(raw) {
                    Some(raw) => format!("{factors} = {}", format_number(raw)),
                    None => format!("{factors} is too large to represent"),
                };
                // The points before decay: the product, capped.
                let capped = per_unit_points(crit.points, a, *cap);
                let mut words = match capped {
                    // Missing, as a missing amount is: it earns nothing.
                    None => format!("{product}: missing, so it earns nothing"),
                    Some(p) if p != raw => format!("{product}, capped at {}", signed(p)),
                    Some(_) => product,
                };
                if let (Some(d), Some(p)) = (decay, capped.filter(|p| *p != 0.0)) {
                    self.since_fact(d, &mut facts);
                    if earned.truth == Truth::Unknown {
                        words.push_str(", no date to fade the points from");
                    } else if earned.points != p {
                        words.push_str(&format!(", faded to {}", signed(earned.points)));
                    }
                }
                note = Some(words);
            }
        }
        self.criteria[c] = Some(CriterionLine {
            name: crit.name.clone(),
            group: crit.group.map(|g| model.groups[g].name.clone()),
            rule,
            held: earned.truth,
            matched: earned.truth == Truth::Yes,
            points: earned.points,
            nominal: crit.points,
            note,
            facts,
        });
    }

    /// The line names the entry that applied: `"API": +5`, or `otherwise`.
    fn by_value(&mut self, c: CritId, value: &Value, entry: Entry, earned: Earned) {
        let (model, crit) = (self.model, &self.model.criteria[c]);
        let Earning::ByValue {
            field,
            entries,
            otherwise,
        } = &crit.earning
        else {
            return;
        };
        let name = &model.fields[*field].name;
        let note = match entry {
            Entry::Listed(i) => format!(
                "the entry {}: {}",
                entries[i].key.display(),
                signed_exact(entries[i].points)
            ),
            Entry::Otherwise => format!("not listed: otherwise {}", signed_exact(*otherwise)),
            Entry::Missing => "nothing earned".to_string(),
        };
        self.criteria[c] = Some(CriterionLine {
            name: crit.name.clone(),
            group: crit.group.map(|g| model.groups[g].name.clone()),
            rule: format!("points by {name}"),
            held: earned.truth,
            matched: earned.truth == Truth::Yes,
            points: earned.points,
            nominal: crit.points,
            note: Some(note),
            facts: vec![Fact::Field {
                name: name.clone(),
                value: value.clone(),
            }],
        });
    }

    fn disqualifier(&mut self, d: usize, held: Truth, note: Facts) {
        let dq = &self.model.disqualifiers[d];
        self.disqualifiers.push(RuleLine {
            name: dq.reason.clone(),
            rule: written(self.source, dq.condition.span),
            held,
            facts: note.0,
        });
    }

    fn stage(&mut self, s: usize, held: Truth, note: Option<Facts>) {
        let stage = &self.model.stages[s];
        let rule = match &stage.condition {
            Some(c) => written(self.source, c.span),
            None => "otherwise".to_string(),
        };
        self.stages.push(RuleLine {
            name: stage.name.clone(),
            rule,
            held,
            facts: note.map(|n| n.0).unwrap_or_default(),
        });
    }

    fn route(&mut self, r: usize, held: Truth, note: Option<Facts>) {
        let route = &self.model.routes[r];
        let rule = match &route.condition {
            Some(c) => written(self.source, c.span),
            None => "otherwise".to_string(),
        };
        self.routes.push(RuleLine {
            name: route.name.clone(),
            rule,
            held,
            facts: note.map(|n| n.0).unwrap_or_default(),
        });
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
