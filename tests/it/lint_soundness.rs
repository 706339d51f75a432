//! The lints never cry wolf: on random valid definitions (tests/it/arbitrary.rs)
//! and random inquiries, whatever a lint claims is checked against the
//! reference evaluator. A rule said to never hold never holds, one said to
//! always hold always does, an unreachable stage is never given, a shadowed
//! criterion only matches disqualified inquiries, criteria with "the same
//! condition" match together, and the score stays in the range a threshold
//! warning names. Formatting these definitions is safe too.

use crate::arbitrary::{as_of, definition, inquiry};
use crate::fmt::assert_safe;
use proptest::prelude::*;
use qualify::diagnostic::{Code, Diagnostic};
use qualify::eval::reference::evaluate;
use qualify::load::load_str;
use qualify::model::{Earning, Expr, Model, Value};
use qualify::semantics::expr::truth;
use qualify::semantics::outcome::Outcome;
use qualify::semantics::score::weekday_holidays;

/// The quoted names in a message, in order.
fn quoted(message: &str) -> Vec<String> {
    message
        .split('"')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect()
}

/// The condition a never/always-holds warning is about.
fn subject<'m>(model: &'m Model, d: &Diagnostic) -> Option<&'m Expr> {
    let name = quoted(&d.message).into_iter().next()?;
    if d.message.contains("of criterion") {
        let c = model.criterion_named(&name)?;
        return match &model.criteria[c].earning {
            Earning::Fixed { condition, .. } => Some(condition),
            Earning::PerUnit { condition, .. } => condition.as_ref(),
            Earning::ByValue { .. } => None,
        };
    }
    if d.message.contains("of disqualifier") {
        return model
            .disqualifiers
            .iter()
            .find(|q| q.reason == name)
            .map(|q| &q.condition);
    }
    model
        .stages
        .iter()
        .find(|s| s.name == name)
        .and_then(|s| s.condition.as_ref())
}

/// `... is always between -15 and 31` → the two bounds (infinite when "no ... limit").
fn bounds(label: &str) -> Option<(f64, f64)> {
    let rest = label.split("is always between ").nth(1)?;
    let (lo, hi) = rest.split_once(" and ")?;
    let read = |s: &str, inf: f64| s.parse::<f64>().unwrap_or(inf);
    Some((read(lo, f64::NEG_INFINITY), read(hi, f64::INFINITY)))
}

fn check(model: &Model, diags: &[Diagnostic], values: &[Value], as_of: i32) -> Result<(), String> {
    let out: Outcome = evaluate(model, values, as_of);
    let holidays = weekday_holidays(model);
    let env = out.env(model, values, as_of, &holidays);
    let holds = |e: &Expr| truth(e, &env).holds();
    for d in diags {
        let names = quoted(&d.message);
        let fail = |what: &str| Err(format!("{what}: {}\nvalues {values:?}\n{out:?}", d.message));
        let named = |i: usize| model.criterion_named(&names[i]).expect("named criterion");
        let broken = match d.code {
            Code::NeverHolds if subject(model, d).is_some_and(holds) => Some("held"),
            Code::AlwaysHolds if subject(model, d).is_some_and(|e| !holds(e)) => {
                Some("did not hold")
            }
            Code::UnreachableStage if out.stage_name(model) == names[0] => Some("reached"),
            Code::UnreachableRoute if out.route.is_some() && out.route_name(model) == names[0] => {
                Some("route reached")
            }
            Code::ShadowedByDisqualifier if out.matched[named(0)] && out.disqualified.is_none() => {
                Some("matched and not disqualified")
            }
            Code::SameCondition if out.matched[named(0)] != out.matched[named(1)] => {
                Some("matched apart")
            }
            Code::ThresholdOutOfRange => {
                let (lo, hi) = bounds(&d.label).expect("bounds in the label");
                let value = if d.label.starts_with("the score") {
                    out.score
                } else {
                    out.group_scores.first().copied().unwrap_or(Some(0.0))
                };
                match value {
                    Some(v) => (v < lo || v > hi).then_some("score outside the range"),
                    // Missing: its sum overflowed, which a finite range rules out.
                    None => (lo.is_finite() && hi.is_finite())
                        .then_some("score missing within a finite range"),
                }
            }
            _ => None,
        };
        if let Some(what) = broken {
            return fail(what);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn lint_claims_hold_on_random_inquiries(
        text in definition(),
        inquiries in prop::collection::vec(inquiry(), 1..60),
        as_of in as_of(),
    ) {
        let text = format!("definition \"random\"\n{text}");
        let loaded = load_str("random.lead", &text);
        let Some(model) = &loaded.model else {
            return Err(TestCaseError::reject("not a valid definition"));
        };
        for values in &inquiries {
            // Rows missing a required field are rejected before scoring.
            let complete = model
                .fields
                .iter()
                .zip(values)
                .all(|(f, v)| f.optional || !v.is_missing());
            if complete {
                if let Err(e) = check(model, &loaded.diagnostics, values, as_of) {
                    return Err(TestCaseError::fail(format!("{e}\n{text}")));
                }
            }
        }
        assert_safe("random.lead", &text);
    }
}
