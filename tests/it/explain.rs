//! Explanations agree with the reference evaluator, and read well.
//!
//! The property test draws random inquiries for every shipped definition (and a
//! grid definition with groups, caps, decay and holidays) and holds the
//! explanation to the score: the same points per criterion, the same matches,
//! sub-scores and stage, and points that add up to the total.

use crate::support::root;
use proptest::prelude::*;
use qualify::eval::reference;
use qualify::explain::why::{why, WhyColumn};
use qualify::explain::{explain, json, text, Explanation};
use qualify::load::load_str;
use qualify::model::{days_from_date, Earning, Model, Type, Value};
use qualify::semantics::Truth;

/// 2026-11-23, a Monday.
fn as_of() -> i32 {
    days_from_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
}

pub fn load_model(path: &str) -> (Model, String) {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    let loaded = load_str(path, &text);
    let model = loaded
        .model
        .unwrap_or_else(|| panic!("{path} checks: {:?}", loaded.diagnostics));
    (model, text)
}

fn definitions() -> Vec<String> {
    let mut files = crate::support::rules_files();
    files.push("tests/data/explain/grid.lead".into());
    files
}

const TEXTS: &[&str] = &[
    "Practice owner",
    "Dental student",
    "VP Sales",
    "head of imaging",
    "office manager",
    "buyer@rivalimaging.com",
    "a@gmail.com",
    "ann@clinic.com",
    "OH",
    " pa ",
    "TX",
    "",
];

/// A random value for a field of type `ty` (one of `one_of` when given),
/// missing about one time in five.
fn value_strategy(ty: Type, one_of: Option<Vec<String>>) -> BoxedStrategy<Value> {
    let today = as_of();
    let present: BoxedStrategy<Value> = match (ty, one_of) {
        (Type::Text, Some(values)) => proptest::sample::select(values)
            .prop_map(Value::Text)
            .boxed(),
        (Type::Text, None) => proptest::sample::select(TEXTS)
            .prop_map(|t| Value::Text(t.to_string()))
            .boxed(),
        (Type::Number, _) => prop_oneof![
            (-5i32..300).prop_map(|n| Value::Number(n as f64)),
            (-1000.0f64..100_000.0).prop_map(Value::Number),
            proptest::sample::select(vec![0.0, 5.0, 10_000.0, 200.0, 4.0, 2.0, 30.0])
                .prop_map(Value::Number),
        ]
        .boxed(),
        (Type::YesNo, _) => any::<bool>().prop_map(Value::Bool).boxed(),
        (Type::Date, _) => (today - 120..today + 10).prop_map(Value::Date).boxed(),
    };
    prop_oneof![1 => Just(Value::Missing), 4 => present].boxed()
}

fn inquiry_strategy(model: &Model) -> Vec<BoxedStrategy<Value>> {
    model
        .fields
        .iter()
        .map(|f| value_strategy(f.ty, f.one_of.clone()))
        .collect()
}

/// Whether each rule held, in three-valued logic, as the reference evaluator
/// reads its condition: (disqualifiers, criteria, stages).
fn reference_held(
    model: &Model,
    values: &[Value],
    as_of: i32,
    outcome: &qualify::semantics::outcome::Outcome,
) -> (Vec<Truth>, Vec<Truth>, Vec<Truth>) {
    let holidays = qualify::semantics::score::weekday_holidays(model);
    let env = outcome.env(model, values, as_of, &holidays);
    let held = |e: &qualify::model::Expr| Truth::of(&qualify::semantics::expr::eval(e, &env));
    let disqualifiers = model
        .disqualifiers
        .iter()
        .map(|d| held(&d.condition))
        .collect();
    let criteria = model
        .criteria
        .iter()
        .map(|c| match &c.earning {
            Earning::Fixed { condition, decay } => match (held(condition), decay) {
                (Truth::Yes, Some(d)) if values[d.since].is_missing() => Truth::Unknown,
                (h, _) => h,
            },
            Earning::PerUnit {
                amount,
                condition,
                cap,
                decay,
            } => match condition.as_ref().map_or(Truth::Yes, held) {
                Truth::Yes => match qualify::semantics::expr::eval(amount, &env) {
                    Value::Number(_) if c.points == 0.0 => Truth::No,
                    Value::Number(a) => {
                        match qualify::semantics::score::per_unit_points(c.points, a, *cap) {
                            // Points to fade, and no date to fade them from.
                            Some(p)
                                if p != 0.0
                                    && decay
                                        .as_ref()
                                        .is_some_and(|d| values[d.since].is_missing()) =>
                            {
                                Truth::Unknown
                            }
                            Some(p) if p != 0.0 => Truth::Yes,
                            Some(_) => Truth::No,
                            // Too large to represent: missing, as a missing amount is.
                            None => Truth::Unknown,
                        }
                    }
                    _ => Truth::Unknown,
                },
                other => other,
            },
            // Written out again here: the first key equal to the value
            // (text compared folded), else `otherwise`; missing is unknown.
            Earning::ByValue {
                field,
                entries,
                otherwise,
            } => {
                let fold = |v: &Value| match v {
                    Value::Text(t) => Value::Text(t.trim().to_lowercase()),
                    other => other.clone(),
                };
                let value = fold(&values[*field]);
                if value.is_missing() {
                    Truth::Unknown
                } else {
                    let points = entries
                        .iter()
                        .find(|e| fold(&e.key) == value)
                        .map_or(*otherwise, |e| e.points);
                    if points != 0.0 {
                        Truth::Yes
                    } else {
                        Truth::No
                    }
                }
            }
        })
        .collect();
    let stages = model
        .stages
        .iter()
        .map(|s| s.condition.as_ref().map_or(Truth::Yes, held))
        .collect();
    (disqualifiers, criteria, stages)
}

/// Everything the explanation says about the outcome, checked against it.
fn assert_agrees(model: &Model, e: &Explanation, values: &[Value], as_of: i32) {
    let outcome = reference::evaluate(model, values, as_of);
    let (dq_held, crit_held, stage_held) = reference_held(model, values, as_of, &outcome);
    for (line, h) in e.disqualifiers.iter().zip(&dq_held) {
        assert_eq!(line.held, *h, "disqualifier {} held", line.name);
    }
    assert_eq!(e.disqualifiers.len(), dq_held.len());
    for (line, h) in e.criteria.iter().zip(&crit_held) {
        assert_eq!(line.held, *h, "criterion {} held", line.name);
    }
    for (line, h) in e.stages.iter().zip(&stage_held) {
        assert_eq!(line.held, *h, "stage {} held", line.name);
    }
    let bits = |v: Option<f64>| v.map(f64::to_bits);
    assert_eq!(bits(e.score), bits(outcome.score), "score");
    for (c, line) in e.criteria.iter().enumerate() {
        assert_eq!(line.name, model.criteria[c].name, "definition order");
        assert_eq!(line.matched, outcome.matched[c], "{} matched", line.name);
        assert_eq!(
            line.points.to_bits(),
            outcome.points[c].to_bits(),
            "{} points",
            line.name
        );
        assert_eq!(
            line.held == Truth::Yes,
            outcome.matched[c],
            "{} held",
            line.name
        );
    }
    // The points add up: each group's criteria (capped), then the rest; a
    // sum too large to represent is missing, and so is a total with a
    // missing part.
    let finite = |x: f64| x.is_finite().then_some(x);
    let mut total = Some(0.0);
    for (g, group) in e.groups.iter().enumerate() {
        let mut sum = 0.0;
        for line in e
            .criteria
            .iter()
            .filter(|l| l.group.as_ref() == Some(&group.name))
        {
            assert!(line.points.is_finite(), "{} points", line.name);
            sum += line.points;
        }
        let sum = finite(sum);
        assert_eq!(bits(sum), bits(group.sum), "{} sum", group.name);
        // The floor lifts, then the cap lowers.
        let bounded = sum
            .map(|sum| group.floor.map_or(sum, |floor| sum.max(floor)))
            .map(|sum| group.cap.map_or(sum, |cap| sum.min(cap)));
        assert_eq!(bits(bounded), bits(group.score), "{} bounds", group.name);
        assert_eq!(
            bits(group.score),
            bits(outcome.group_scores[g]),
            "{} score",
            group.name
        );
        total = total.zip(group.score).map(|(t, s)| t + s);
    }
    for line in e.criteria.iter().filter(|l| l.group.is_none()) {
        total = total.map(|t| t + line.points);
    }
    assert_eq!(bits(total.and_then(finite)), bits(e.score), "points add up");
    assert_eq!(e.stage, outcome.stage_name(model), "stage");
    assert_eq!(
        e.reason(),
        outcome.disqualified_reason(model),
        "disqualified"
    );
    if e.disqualified.is_none() {
        // Every stage before the chosen one did not hold; the chosen one did.
        let (last, before) = e.stages.split_last().expect("a stage was checked");
        assert_eq!(last.name, e.stage);
        assert_eq!(last.held, Truth::Yes);
        assert!(before.iter().all(|s| s.held != Truth::Yes));
    } else {
        assert!(e.stages.is_empty());
    }
    let mut column = String::new();
    WhyColumn::new(model).write(&outcome, &mut column);
    assert_eq!(
        why(e),
        column,
        "the why column says what the explanation says"
    );
}

#[test]
fn explanations_add_up_to_the_score_on_random_inquiries() {
    for path in definitions() {
        let (model, source) = load_model(&path);
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
            cases: 400,
            ..ProptestConfig::default()
        });
        let today = as_of();
        runner
            .run(&inquiry_strategy(&model), |values| {
                let e = explain(&model, &source, &values, today);
                assert_agrees(&model, &e, &values, today);
                Ok(())
            })
            .unwrap_or_else(|err| panic!("{path}: {err}"));
    }
}

#[test]
fn every_example_is_explained_in_agreement_with_its_outcome() {
    for path in definitions() {
        let (model, source) = load_model(&path);
        for ex in &model.examples {
            let day = qualify::eval::examples::example_as_of(ex, as_of());
            let e = explain(&model, &source, &ex.values, day);
            assert_agrees(&model, &e, &ex.values, day);
        }
    }
}

/// The grid definition explained for a JSON inquiry, as text.
fn grid(inquiry: &str, as_of: &str) -> String {
    let (model, source) = load_model("tests/data/explain/grid.lead");
    let values = qualify::explain::inquiry::parse_inquiry(&model, inquiry)
        .unwrap()
        .values;
    let day = days_from_date(chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap());
    text::render(&explain(&model, &source, &values, day))
}

#[test]
fn a_hot_lead_with_a_capped_group_and_faded_points() {
    insta::assert_snapshot!(grid(
        r#"{"id": "G-1", "email": "a@corp.com", "title": "VP Sales", "employees": 250,
            "visits": 7, "demo": "yes", "demo_date": "2026-11-20", "last_seen": "2026-11-20"}"#,
        "2026-11-30"
    ));
}

#[test]
fn a_warm_lead_whose_demo_has_no_date_and_who_went_quiet() {
    insta::assert_snapshot!(grid(
        r#"{"id": "G-2", "email": "b@corp.com", "title": "Head of IT", "visits": 3,
            "demo": true, "last_seen": "2026-11-02"}"#,
        "2026-11-30"
    ));
}

#[test]
fn a_cold_lead_with_missing_values() {
    insta::assert_snapshot!(grid(
        r#"{"id": "G-3", "email": "c@corp.com"}"#,
        "2026-11-30"
    ));
}

#[test]
fn a_disqualified_lead() {
    insta::assert_snapshot!(grid(
        r#"{"id": "G-4", "email": "d@gmail.com", "title": "Chief of staff", "employees": 500}"#,
        "2026-11-30"
    ));
}

#[test]
fn a_lead_as_json() {
    let (model, source) = load_model("tests/data/explain/grid.lead");
    let values = qualify::explain::inquiry::parse_inquiry(
        &model,
        r#"{"id": "G-2", "email": "b@corp.com", "title": "Head of IT", "visits": 3,
            "demo": true, "last_seen": "2026-11-02"}"#,
    )
    .unwrap()
    .values;
    let e = explain(&model, &source, &values, as_of());
    insta::assert_snapshot!(serde_json::to_string_pretty(&json::to_json(&e)).unwrap());
}

#[test]
fn conditions_are_quoted_as_written_without_their_comments() {
    let (model, source) = load_model("rules/northwind.lead");
    let e = explain(
        &model,
        &source,
        &vec![Value::Missing; model.fields.len()],
        as_of(),
    );
    let student = &e.disqualifiers[1];
    assert_eq!(student.rule, "job_title contains \"student\"");
    let gone_quiet = e.criteria.iter().find(|c| c.name == "gone quiet").unwrap();
    assert_eq!(gone_quiet.rule, "days since last_activity > 30");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// Random valid definitions (every operator, groups with caps, decay,
    /// per unit, `matched`, `at least`, holidays) and random inquiries.
    #[test]
    fn explanations_add_up_on_random_definitions(
        text in crate::arbitrary::definition(),
        rows in prop::collection::vec(crate::arbitrary::inquiry(), 1..5),
        as_of in crate::arbitrary::as_of(),
    ) {
        let loaded = load_str("random.lead", &text);
        let model = loaded.model.as_ref();
        prop_assert!(model.is_some(), "the generator wrote an invalid definition:\n{text}");
        let model = model.unwrap();
        for values in &rows {
            let e = explain(model, &text, values, as_of);
            assert_agrees(model, &e, values, as_of);
            // The text and JSON renderings never fail on what the generator writes.
            let wanted = format!("stage \"{}\"", e.stage);
            prop_assert!(text::render(&e).contains(&wanted));
            prop_assert_eq!(json::to_json(&e)["score"].clone(), json::optional_number(e.score));
        }
    }
}
