//! The `engines` target: a random valid definition and inquiries, scored by
//! the compiled program and by the reference evaluator.
//!
//! In: a [`Case`] built from fuzz bytes. Out: a panic when the engines
//! differ on any output (score, group scores, each criterion's points and
//! match, disqualifier, stage), with every compiler pass on and every pass
//! off, one inquiry at a time and in one batch, as
//! `tests/it/engines_agree.rs` compares them. Floats must be equal bit for
//! bit, except that any NaN equals any NaN (a NaN's sign is not a result).

use crate::generate::Case;
use qualify::compile::{compile_with, Passes};
use qualify::eval::engine::Engine;
use qualify::eval::program::Fast;
use qualify::eval::reference;
use qualify::semantics::Outcome;

/// Outcomes equal, floats compared bit for bit.
fn same(a: &Outcome, b: &Outcome) -> bool {
    let float = |x: f64, y: f64| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan());
    let floats =
        |x: &[f64], y: &[f64]| x.len() == y.len() && x.iter().zip(y).all(|(a, b)| float(*a, *b));
    // A missing total (overflow, docs/language.md) must be missing in both.
    let maybe = |x: Option<f64>, y: Option<f64>| match (x, y) {
        (Some(x), Some(y)) => float(x, y),
        (x, y) => x.is_none() && y.is_none(),
    };
    let maybes = |x: &[Option<f64>], y: &[Option<f64>]| {
        x.len() == y.len() && x.iter().zip(y).all(|(a, b)| maybe(*a, *b))
    };
    maybe(a.score, b.score)
        && maybes(&a.group_scores, &b.group_scores)
        && floats(&a.points, &b.points)
        && a.matched == b.matched
        && a.disqualified == b.disqualified
        && a.stage == b.stage
}

pub fn check(case: &Case) {
    let loaded = qualify::load::load_str("random.lead", &case.text);
    let Some(model) = &loaded.model else {
        let errors: Vec<&str> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.message.as_str())
            .collect();
        panic!(
            "the generator wrote an invalid definition: {errors:?}\n{}",
            case.text
        );
    };
    let expected: Vec<Outcome> = case
        .rows
        .iter()
        .map(|values| reference::evaluate(model, values, case.as_of))
        .collect();
    for passes in [Passes::ALL, Passes::NONE] {
        let program = compile_with(model, passes);
        let fast = Fast {
            program: &program,
            as_of: case.as_of,
        };
        let mut scratch = fast.scratch();
        for (values, want) in case.rows.iter().zip(&expected) {
            let got = fast.evaluate(values, &mut scratch);
            assert!(
                same(got, want),
                "passes {passes:?} disagree on {values:?} as of {}\nreference {want:?}\nprogram   {got:?}\n{}\n{}",
                case.as_of,
                case.text,
                program.listing()
            );
        }
        // All rows in one batch, each twice, so remembered text results are
        // used too.
        let rows: Vec<&[qualify::model::Value]> = case
            .rows
            .iter()
            .chain(&case.rows)
            .map(Vec::as_slice)
            .collect();
        let mut seen = 0;
        fast.evaluate_each(&rows, &mut scratch, &mut |k, got| {
            let want = &expected[k % case.rows.len()];
            assert!(
                same(got, want),
                "passes {passes:?}, batch row {k} disagrees on {:?} as of {}\nreference {want:?}\nprogram   {got:?}\n{}",
                rows[k],
                case.as_of,
                case.text
            );
            seen += 1;
        });
        assert_eq!(seen, rows.len(), "every row of the batch is evaluated");
    }
}
