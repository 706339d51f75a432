//! Two engines, one answer: the compiled program (every pass on, and every
//! pass off) agrees with the reference evaluator on every output of random
//! valid definitions over random inquiries.

use crate::arbitrary;
use proptest::prelude::*;
use qualify::compile::{compile_with, Passes};
use qualify::eval::engine::Engine;
use qualify::eval::program::Fast;
use qualify::eval::reference;
use qualify::semantics::Outcome;

/// Outcomes equal, floats compared bit for bit.
fn same(a: &Outcome, b: &Outcome) -> bool {
    a.same_bits(b)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn program_agrees_with_reference(
        text in arbitrary::definition(),
        rows in prop::collection::vec(arbitrary::inquiry(), 1..6),
        as_of in arbitrary::as_of(),
    ) {
        let loaded = qualify::load::load_str("random.lead", &text);
        let model = generated_model(&loaded, &text)?;
        for passes in [Passes::ALL, Passes::NONE] {
            let program = compile_with(model, passes);
            let fast = Fast { program: &program, as_of };
            let mut scratch = fast.scratch();
            for values in &rows {
                let expected = reference::evaluate(model, values, as_of);
                let got = fast.evaluate(values, &mut scratch).clone();
                prop_assert!(
                    same(&got, &expected),
                    "passes {passes:?} disagree on {values:?}\nreference {expected:?}\nprogram   {got:?}\n{text}\n{}",
                    program.listing()
                );
                // The brief is written from the outcome: one text either way,
                // and a missing value never shows as "missing".
                let brief = qualify::semantics::handoff::text(model, values, as_of, &expected);
                prop_assert_eq!(
                    &brief,
                    &qualify::semantics::handoff::text(model, values, as_of, &got)
                );
                prop_assert!(!brief.contains("missing"), "{brief}\n{values:?}\n{text}");
            }
        }
    }
}

/// Seventy regexes over one field: the compiler splits them into sets of at
/// most 64 members (one bit each when the evaluator remembers a cell's
/// result), and the program, run over the same titles again and again on one
/// scratch so remembered results are used, still agrees with the reference.
#[test]
fn many_regexes_over_one_field_split_into_sets_and_agree_when_remembered() {
    let mut text = String::from("fields {\n  job_title text optional\n}\n");
    for i in 0..70 {
        text.push_str(&format!(
            "criterion \"r{i}\" +{} when job_title matches /^w{i}$/\n",
            i + 1
        ));
    }
    text.push_str("stage \"hot\" when score >= 60\nstage \"cold\" otherwise\n");
    let loaded = qualify::load::load_str("many.lead", &text);
    let model = loaded.model.expect("the definition checks");
    let program = compile_with(&model, Passes::ALL);
    let sizes: Vec<usize> = program.regex_sets.iter().map(|s| s.members.len()).collect();
    assert_eq!(sizes, [64, 6]);
    let as_of = 20_000;
    let fast = Fast {
        program: &program,
        as_of,
    };
    let mut scratch = fast.scratch();
    let titles: Vec<qualify::model::Value> = (0..75)
        .map(|i| qualify::model::Value::Text(format!("W{i}")))
        .chain([qualify::model::Value::Missing])
        .collect();
    for round in 0..3 {
        for title in &titles {
            let values = [title.clone()];
            let expected = reference::evaluate(&model, &values, as_of);
            let got = fast.evaluate(&values, &mut scratch);
            assert!(
                same(got, &expected),
                "round {round}, {title:?}: {got:?} vs {expected:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    /// Scored a batch at a time, over more rows than one batch holds, with
    /// inquiries repeated so remembered text-test results are used: every
    /// row's outcome is still the reference's.
    #[test]
    fn program_agrees_with_reference_batch_by_batch(
        text in arbitrary::definition(),
        pool in prop::collection::vec(arbitrary::inquiry(), 1..8),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..700),
        as_of in arbitrary::as_of(),
    ) {
        let loaded = qualify::load::load_str("random.lead", &text);
        let model = loaded.model.as_ref();
        prop_assert!(model.is_some(), "the generator wrote an invalid definition:\n{text}");
        let model = model.unwrap();
        let rows: Vec<&[qualify::model::Value]> =
            picks.iter().map(|i| pool[i.index(pool.len())].as_slice()).collect();
        let expected: Vec<Outcome> =
            pool.iter().map(|values| reference::evaluate(model, values, as_of)).collect();
        for passes in [Passes::ALL, Passes::NONE] {
            let program = compile_with(model, passes);
            let fast = Fast { program: &program, as_of };
            let mut scratch = fast.scratch();
            let mut seen = 0;
            fast.evaluate_each(&rows, &mut scratch, &mut |k, got| {
                let want = &expected[picks[k].index(pool.len())];
                assert!(
                    same(got, want),
                    "passes {passes:?}, row {k} disagrees on {:?}\nreference {want:?}\nprogram   {got:?}\n{text}",
                    rows[k]
                );
                seen += 1;
            });
            prop_assert_eq!(seen, rows.len());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// With events: the compiled program over the streaming fold's
    /// aggregates agrees with the reference over the plain reading, on
    /// random definitions with aggregates in criteria, per-unit amounts and
    /// stages; and the definition formats to itself.
    #[test]
    fn program_agrees_with_reference_over_events(
        text in arbitrary::definition_with_events(),
        rows in prop::collection::vec((arbitrary::inquiry_with_id(), arbitrary::events()), 1..5),
        as_of in arbitrary::as_of(),
    ) {
        let loaded = qualify::load::load_str("random.lead", &text);
        let model = generated_model(&loaded, &text)?;
        prop_assert!(!model.aggregates.is_empty());
        let formatted = qualify::fmt::format_text("random.lead", &text);
        prop_assert!(formatted.is_ok(), "{formatted:?}\n{text}");
        let formatted = formatted.unwrap();
        prop_assert_eq!(qualify::fmt::format_text("random.lead", &formatted).ok(), Some(formatted.clone()));
        let program = compile_with(model, Passes::ALL);
        let fast = Fast { program: &program, as_of };
        let mut scratch = fast.scratch();
        for (values, events) in &rows {
            let plain = qualify::semantics::events::with_aggregates(model, values, events, as_of);
            let folded = qualify::eval::events::folded_values(model, values, events, as_of);
            let expected = reference::evaluate(model, &plain, as_of);
            let got = fast.evaluate(&folded, &mut scratch).clone();
            prop_assert!(
                same(&got, &expected),
                "disagree on {values:?} with {events:?}\nreference {expected:?}\nprogram   {got:?}\n{text}"
            );
            // The same with the lead's `since` dates preset (a leads file read first).
            let preset = qualify::eval::events::folded_values_preset(model, values, events, as_of);
            let got = fast.evaluate(&preset, &mut scratch).clone();
            prop_assert!(
                same(&got, &expected),
                "preset: disagree on {values:?} with {events:?}\nreference {expected:?}\nprogram   {got:?}\n{text}"
            );
        }
    }
}

/// The model of a generated definition, or the test's failure naming its
/// errors: the generator must write only valid definitions.
fn generated_model<'a>(
    loaded: &'a qualify::load::Loaded,
    text: &str,
) -> Result<&'a qualify::model::Model, TestCaseError> {
    let errors: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.as_str())
        .collect();
    loaded.model.as_ref().ok_or_else(|| {
        TestCaseError::fail(format!(
            "the generator wrote an invalid definition:\n{text}\n{errors:?}"
        ))
    })
}
