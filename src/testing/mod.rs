//! Running a definition's examples as its tests, and measuring what they cover.
//!
//! In: a [`Suite`] (the definition and its companion examples file) and the
//! run's as-of date. Out: a [`SuiteRun`]: per example, its outcome and the
//! expectations that failed; and the [`coverage`] of disqualifiers, criteria and
//! stages. Rendering is [`crate::report::testing`]'s job.

pub mod coverage;

use crate::ast::Span;
use crate::eval::examples::{example_as_of, judge, Failure};
use crate::eval::{reference, Outcome};
use crate::model::Model;
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
    let results = suite
        .examples()
        .into_iter()
        .map(|(example, file)| {
            let as_of = example_as_of(example, run_as_of);
            let outcome = reference::evaluate(model, &example.values, as_of);
            let failures = judge(model, example, &outcome);
            ExampleResult {
                name: example.name.clone(),
                file: file.clone(),
                span: example.span,
                as_of,
                values: example.values.clone(),
                outcome,
                failures,
            }
        })
        .collect();
    SuiteRun { results }
}
