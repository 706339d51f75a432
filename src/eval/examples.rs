//! Running a definition's examples: each example's partial inquiry is evaluated
//! and its expectations compared with the outcome.
//!
//! In: a [`Model`] and the run's as-of date. Out: per example, the outcome and the
//! expectations that did not hold, with what was expected and what happened.

use super::reference;
use crate::ast::Span;
use crate::model::{days_from_date, format_exact, Example, Expectation, Model};
use crate::semantics::Outcome;

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub span: Span,
    pub expected: String,
    pub actual: String,
}

#[derive(Debug, Clone)]
pub struct ExampleRun {
    pub example: usize,
    pub as_of: i32,
    pub outcome: Outcome,
    pub failures: Vec<Failure>,
}

/// The as-of date an example runs at: its own, else the run's.
pub fn example_as_of(example: &Example, run_as_of: i32) -> i32 {
    example.as_of.map(days_from_date).unwrap_or(run_as_of)
}

pub fn run_examples(model: &Model, run_as_of: i32) -> Vec<ExampleRun> {
    run_these(model, &model.examples, run_as_of)
}

/// Run `examples` (the model's own, or a companion file's) against `model`;
/// `ExampleRun::example` indexes `examples`.
pub fn run_these(model: &Model, examples: &[Example], run_as_of: i32) -> Vec<ExampleRun> {
    examples
        .iter()
        .enumerate()
        .map(|(i, ex)| {
            let as_of = example_as_of(ex, run_as_of);
            let values =
                crate::semantics::events::with_aggregates(model, &ex.values, &ex.events, as_of);
            let outcome = reference::evaluate(model, &values, as_of);
            let failures = judge(model, ex, &outcome);
            ExampleRun {
                example: i,
                as_of,
                outcome,
                failures,
            }
        })
        .collect()
}

fn quoted(names: &[&str]) -> String {
    if names.is_empty() {
        "nothing".into()
    } else {
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The score as a failed expectation shows it: every digit (the expected
/// value is exact, so a rounded actual one could look equal to it), or why
/// there is none.
fn score_text(score: Option<f64>) -> String {
    match score {
        Some(s) => format!("score {}", format_exact(s)),
        None => "score missing (too large to represent)".into(),
    }
}

/// The expectations of `example` that `outcome` does not meet.
pub fn judge(model: &Model, example: &Example, outcome: &Outcome) -> Vec<Failure> {
    let mut failures = Vec::new();
    let matched = outcome.matched_names(model);
    let disq = outcome.disqualified_reason(model);
    let disq_text = || {
        disq.map_or("not disqualified".to_string(), |r| {
            format!("disqualified \"{r}\"")
        })
    };
    for exp in &example.expectations {
        let fail = |expected: String, actual: String| Failure {
            span: exp.span,
            expected,
            actual,
        };
        match &exp.expectation {
            Expectation::Stage(s) => {
                let actual = outcome.stage_name(model);
                if actual != s {
                    let why = disq
                        .map(|r| format!(" (disqualified \"{r}\")"))
                        .unwrap_or_default();
                    failures.push(fail(
                        format!("stage \"{s}\""),
                        format!("stage \"{actual}\"{why}"),
                    ));
                }
            }
            Expectation::Route(r) => {
                let actual = outcome.route_name(model);
                if actual != r {
                    let actual = match outcome.route {
                        Some(_) => format!("route \"{actual}\""),
                        None => "no route".to_string(),
                    };
                    failures.push(fail(format!("route \"{r}\""), actual));
                }
            }
            Expectation::Disqualified(r) => {
                if disq != Some(r.as_str()) {
                    failures.push(fail(format!("disqualified \"{r}\""), disq_text()));
                }
            }
            Expectation::NotDisqualified => {
                if disq.is_some() {
                    failures.push(fail("not disqualified".into(), disq_text()));
                }
            }
            Expectation::Score(n) => {
                // A missing score (too large to represent) is no number.
                if outcome.score.is_none_or(|s| (s - n).abs() > 1e-9) {
                    failures.push(fail(
                        format!("score {}", format_exact(*n)),
                        score_text(outcome.score),
                    ));
                }
            }
            Expectation::ScoreBetween(lo, hi) => {
                if outcome
                    .score
                    .is_none_or(|s| s < *lo - 1e-9 || s > *hi + 1e-9)
                {
                    failures.push(fail(
                        format!(
                            "score between {} and {}",
                            format_exact(*lo),
                            format_exact(*hi)
                        ),
                        score_text(outcome.score),
                    ));
                }
            }
            Expectation::Matched(names) => {
                let missing: Vec<&str> = names
                    .iter()
                    .map(String::as_str)
                    .filter(|n| !matched.contains(n))
                    .collect();
                if !missing.is_empty() {
                    failures.push(fail(
                        format!("matched {}", quoted(&missing)),
                        format!("matched {}", quoted(&matched)),
                    ));
                }
            }
            Expectation::NotMatched(names) => {
                let extra: Vec<&str> = names
                    .iter()
                    .map(String::as_str)
                    .filter(|n| matched.contains(n))
                    .collect();
                if !extra.is_empty() {
                    failures.push(fail(
                        format!("not matched {}", quoted(&extra)),
                        format!("matched {}", quoted(&matched)),
                    ));
                }
            }
        }
    }
    failures
}
