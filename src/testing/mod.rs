//! Running a definition's examples as its tests, and measuring what they cover.
//!
//! In: a [`Suite`] (the definition and its companion examples file) and the
//! run's as-of date. Out: a [`SuiteRun`]: per example, its outcome and the
//! expectations that failed; and the [`coverage`] of disqualifiers, criteria and
//! stages. Rendering is [`crate::report::testing`]'s job.
//!
//! Every example runs on both engines: the reference evaluator (whose outcome
//! the expectations are judged on) and the compiled program `score` runs. Any
//! difference between the two is a failure of its own.

pub mod coverage;

use crate::ast::Span;
use crate::compile::compile;
use crate::eval::engine::Engine;
use crate::eval::examples::{example_as_of, judge, Failure};
use crate::eval::program::Fast;
use crate::eval::reference;
use crate::model::Model;
use crate::semantics::Outcome;
use crate::source::SourceFile;
use crate::suite::Suite;
use std::sync::Arc;

/// One example, run.
pub struct ExampleResult {
    pub name: String,
    /// The file the example is written in.
    pub file: Arc<SourceFile>,
    pub span: Span,
    pub as_of: i32,
    /// Its values, in field order (for the explanation of a failure).
    pub values: Vec<crate::model::Value>,
    pub outcome: Outcome,
    pub failures: Vec<Failure>,
}

impl ExampleResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Every example of one definition, run.
pub struct SuiteRun {
    pub results: Vec<ExampleResult>,
}

impl SuiteRun {
    pub fn failed(&self) -> usize {
        self.results.iter().filter(|r| !r.passed()).count()
    }

    pub fn passed(&self) -> usize {
        self.results.len() - self.failed()
    }
}

/// Run every example of `suite` (its definition must have checked) at
/// `run_as_of`, unless an example states its own `as of`.
pub fn run_suite(model: &Model, suite: &Suite, run_as_of: i32) -> SuiteRun {
    run_suite_with(model, suite, run_as_of, None)
}

/// [`run_suite`], where an example that gives the lead's `id` also has
/// that lead's events from `events` (an activity export, `test --events`),
/// after its own.
pub fn run_suite_with(
    model: &Model,
    suite: &Suite,
    run_as_of: i32,
    events: Option<&crate::eval::events::EventsTable>,
) -> SuiteRun {
    let program = compile(model);
    let results = suite
        .examples()
        .into_iter()
        .map(|(example, file)| {
            let as_of = example_as_of(example, run_as_of);
            let exported = match (events, model.id_field()) {
                (Some(table), Some(id)) => example
                    .values
                    .get(id)
                    .map_or(&[][..], |lead| table.events_of(lead)),
                _ => &[],
            };
            let lead_events: std::borrow::Cow<[Vec<crate::model::Value>]> = if exported.is_empty() {
                std::borrow::Cow::Borrowed(&example.events)
            } else {
                std::borrow::Cow::Owned([&example.events[..], exported].concat())
            };
            // The reference reads the events plainly, the program by the fold.
            let values = crate::semantics::events::with_aggregates(
                model,
                &example.values,
                &lead_events,
                as_of,
            );
            let folded =
                crate::eval::events::folded_values(model, &example.values, &lead_events, as_of);
            let outcome = reference::evaluate(model, &values, as_of);
            let mut failures = judge(model, example, &outcome);
            let fast = Fast {
                program: &program,
                as_of,
            };
            let mut scratch = fast.scratch();
            let compiled = fast.evaluate(&folded, &mut scratch);
            if !compiled.same_bits(&outcome) {
                failures.push(Failure {
                    span: example.span,
                    expected: format!(
                        "the compiled program to agree with the reference evaluator ({})",
                        summary(model, &outcome)
                    ),
                    actual: format!("{} (please report this bug)", summary(model, compiled)),
                });
            }
            ExampleResult {
                name: example.name.clone(),
                file: file.clone(),
                span: example.span,
                as_of,
                values,
                outcome,
                failures,
            }
        })
        .collect();
    SuiteRun { results }
}

/// `stage "nurture", score 20, matched "decision maker"`
fn summary(model: &Model, o: &Outcome) -> String {
    let matched: Vec<String> = o
        .matched_names(model)
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect();
    format!(
        "stage \"{}\", score {}, matched {}",
        o.stage_name(model),
        crate::model::format_score(o.score),
        if matched.is_empty() {
            "nothing".to_string()
        } else {
            matched.join(", ")
        }
    )
}
