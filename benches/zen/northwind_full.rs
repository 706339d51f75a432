//! `rules/northwind-full.lead`'s criteria and disqualifiers written as GoRules
//! ZEN expressions (`zen-expression`, a general-purpose expression engine):
//! the baseline of the per-inquiry target (at least 10x faster, see
//! docs/benchmarks.md), measured in the same run as the compiled program.
//!
//! In: one inquiry as a ZEN context object (built from the decoded values
//! before timing, text trimmed, dates and the as-of date as day numbers), so
//! only expression evaluation is timed: the most favourable setting for ZEN.
//! Out: which criteria matched, the points of the criteria whose points vary
//! (per unit, decay) and the first disqualifier that held. 36 expressions per
//! inquiry: 32 criteria and 4 disqualifiers. The 33rd criterion, `BANT` (at
//! least 3 of 4 other criteria), is counted here from ZEN's answers, as a
//! rules engine's caller would.

use qualify::model::Value;
use zen_expression::expression::Standard;
use zen_expression::{Expression, Isolate, Variable};

/// Field names in the definition's order (the hand-written module checks the
/// model against the same list).
use super::handwritten::FIELDS;

/// What one expression answers.
enum Answer {
    /// A fixed-points criterion: whether it holds.
    Holds(usize),
    /// A criterion whose points vary: its points (matched when not 0).
    Points(usize),
    /// A disqualifier, by index: whether it holds.
    Disqualifies(usize),
}

/// ZEN has no three-valued logic: every test on an optional value says
/// `x != null and ...` itself, as a rule author would have to.
const EXPRESSIONS: [(Answer, &str); 36] = [
    // ------------------------------------------------------------------ fit
    (
        Answer::Holds(0),
        r#"job_title != null and (contains(lower(job_title), "owner") or contains(lower(job_title), "dentist") or contains(lower(job_title), "director") or contains(lower(job_title), "chief") or contains(lower(job_title), "vp"))"#,
    ),
    (
        Answer::Holds(1),
        r#"job_title != null and (contains(lower(job_title), "hygienist") or contains(lower(job_title), "orthodontist") or contains(lower(job_title), "coordinator"))"#,
    ),
    (
        Answer::Holds(2),
        r#"job_title != null and contains(lower(job_title), "purchasing")"#,
    ),
    (
        Answer::Holds(3),
        r#"job_title != null and startsWith(lower(job_title), "it ")"#,
    ),
    (
        Answer::Holds(4),
        "company_size != null and company_size >= 5 and company_size <= 200",
    ),
    (Answer::Holds(5), "company_size != null and company_size > 200"),
    (Answer::Holds(6), "company_size != null and company_size < 3"),
    (Answer::Holds(7), "budget != null and budget >= 10000"),
    (
        Answer::Points(8),
        "budget != null and budget > 10000 ? min([max([(budget - 10000) / 10000, -5]), 5]) : 0",
    ),
    (
        Answer::Holds(9),
        "budget != null and company_size != null and company_size != 0 and budget / company_size >= 2000",
    ),
    (
        Answer::Holds(10),
        r#"lower(state) in ["oh", "pa", "mi", "in"]"#,
    ),
    (
        Answer::Holds(11),
        r#"lower(state) in ["ny", "ky", "wi", "il"]"#,
    ),
    (
        Answer::Holds(12),
        r#"lower(city) in ["columbus", "pittsburgh", "detroit", "indianapolis"]"#,
    ),
    (
        Answer::Holds(13),
        r#"company != null and (contains(lower(company), "orthodontic") or contains(lower(company), "oral surgery"))"#,
    ),
    (
        Answer::Holds(14),
        r#"company != null and (contains(lower(company), "group") or contains(lower(company), "partners") or contains(lower(company), "llc"))"#,
    ),
    // ------------------------------------------------------------- interest
    (
        Answer::Points(15),
        "demo_requested == true and last_activity != null ? 25 * 0.5 ^ (max([as_of - last_activity, 0]) / 45) : 0",
    ),
    (
        Answer::Holds(16),
        r#"lower(timeline) in ["now", "this quarter"]"#,
    ),
    (Answer::Holds(17), r#"lower(timeline) == "this year""#),
    (
        Answer::Points(18),
        "pages_viewed != null ? min([max([pages_viewed * 2, -10]), 10]) : 0",
    ),
    (Answer::Holds(19), "pages_viewed != null and pages_viewed >= 12"),
    (Answer::Holds(20), r#"lower(product) == "cbct""#),
    (Answer::Holds(21), r#"lower(product) == "software""#),
    (Answer::Holds(22), r#"lower(source) == "inbound call""#),
    (
        Answer::Holds(23),
        r#"lower(source) == "event" or (campaign != null and lower(campaign) == "ada expo")"#,
    ),
    (
        Answer::Holds(24),
        r#"campaign != null and contains(lower(campaign), "webinar")"#,
    ),
    (
        Answer::Holds(25),
        "last_activity != null and as_of - last_activity <= 7",
    ),
    (
        Answer::Holds(26),
        r#"notes != null and (contains(lower(notes), "financing") or contains(lower(notes), "quote") or contains(lower(notes), "budget approved"))"#,
    ),
    // ------------------------------------------------------- outside groups
    (
        Answer::Holds(27),
        "last_activity != null and as_of - last_activity > 30",
    ),
    (
        Answer::Holds(28),
        "last_activity != null and as_of - last_activity > 90",
    ),
    (
        Answer::Points(29),
        "handed_off != null and last_activity != null and as_of - last_activity > 14 and call_attempts != null and email_attempts != null ? min([max([-(call_attempts + email_attempts), -8]), 8]) : 0",
    ),
    (
        Answer::Holds(30),
        "created != null and as_of - created > 180",
    ),
    (Answer::Holds(32), "owner == null"),
    // --------------------------------------------------------- disqualifiers
    (
        Answer::Disqualifies(0),
        r#"(email != null and endsWith(lower(email), "@rivalimaging.com")) or (company != null and contains(lower(company), "rival imaging"))"#,
    ),
    (
        Answer::Disqualifies(1),
        r#"job_title != null and contains(lower(job_title), "student")"#,
    ),
    (
        Answer::Disqualifies(2),
        r#"email != null and endsWith(lower(email), "@northwind-imaging.com")"#,
    ),
    (
        Answer::Disqualifies(3),
        r#"notes != null and contains(lower(notes), "existing customer")"#,
    ),
];

/// `BANT`: at least 3 of has budget, decision maker, asked for a demo,
/// buying this quarter.
const BANT: usize = 31;
const BANT_OF: [usize; 4] = [7, 0, 15, 16];

/// What ZEN says about one inquiry.
#[derive(Debug, PartialEq)]
pub struct ZenVerdict {
    pub matched: [bool; 33],
    /// Points of the per-unit and decay criteria (0 elsewhere).
    pub varying_points: [f64; 33],
    pub disqualified: Option<usize>,
}

pub struct ZenRules {
    /// One per entry of [`EXPRESSIONS`], in its order.
    compiled: Vec<Expression<Standard>>,
}

impl ZenRules {
    pub fn new() -> Self {
        let mut isolate = Isolate::new();
        let compiled = EXPRESSIONS
            .iter()
            .enumerate()
            .map(|(i, (_, source))| {
                isolate
                    .compile_standard(source)
                    .unwrap_or_else(|e| panic!("ZEN expression {i}: {e:?}"))
            })
            .collect();
        ZenRules { compiled }
    }

    /// The context object for one inquiry.
    pub fn context(values: &[Value], as_of: i32) -> Variable {
        let mut object = serde_json::Map::new();
        for (name, value) in FIELDS.iter().zip(values) {
            let json = match value {
                Value::Missing => serde_json::Value::Null,
                Value::Bool(b) => (*b).into(),
                Value::Number(n) => {
                    serde_json::Number::from_f64(*n).map_or(serde_json::Value::Null, Into::into)
                }
                Value::Date(d) => (*d).into(),
                Value::Text(t) => t.trim().into(),
            };
            object.insert(name.to_string(), json);
        }
        object.insert("as_of".into(), as_of.into());
        serde_json::Value::Object(object).into()
    }

    /// Evaluate every expression on `context`, handing each answer to `each`
    /// (what the timing loop runs: nothing but ZEN's own work).
    pub fn run(&self, context: &Variable, mut each: impl FnMut(usize, Variable)) {
        for (i, expression) in self.compiled.iter().enumerate() {
            let answer = expression
                .evaluate(context.clone())
                .unwrap_or_else(|e| panic!("ZEN expression {i}: {e:?}"));
            each(i, answer);
        }
    }

    /// The answers read as a verdict, for the agreement check.
    pub fn verdict(&self, context: &Variable) -> ZenVerdict {
        let mut v = ZenVerdict {
            matched: [false; 33],
            varying_points: [0.0; 33],
            disqualified: None,
        };
        self.run(context, |i, answer| match EXPRESSIONS[i].0 {
            Answer::Holds(c) => v.matched[c] = answer == Variable::Bool(true),
            Answer::Points(c) => {
                let points = serde_json::Value::from(answer).as_f64().unwrap_or(f64::NAN);
                v.matched[c] = points != 0.0;
                v.varying_points[c] = points;
            }
            Answer::Disqualifies(d) => {
                if v.disqualified.is_none() && answer == Variable::Bool(true) {
                    v.disqualified = Some(d);
                }
            }
        });
        v.matched[BANT] = BANT_OF.iter().filter(|&&c| v.matched[c]).count() >= 3;
        v
    }
}
