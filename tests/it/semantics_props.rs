//! Guards on "one semantics" (issue 16): the places that decide whether two
//! texts or two conditions are the same agree with evaluation.
//!
//! - a cell decoded for a `one of` field is accepted exactly when the one
//!   fold (`semantics::text::fold`) makes it equal to a listed value, and a
//!   text field's `in` and `=` (both engines) agree with that fold, on text
//!   whose folding is not ASCII's: final sigma, dotted and dotless i, ß,
//!   combining marks, full-width letters, the Kelvin sign;
//! - `diff`'s canonical form of a condition means what the condition means:
//!   written back as a condition, it evaluates the same on random inquiries;
//! - two criteria `check` calls "the same condition" are no change in meaning
//!   to `diff`, when one's condition replaces the other's.

use crate::arbitrary::{as_of, condition, inquiry, FIELDS_BLOCK};
use proptest::prelude::*;
use qualify::ast::{CriterionBody, Item};
use qualify::diagnostic::Code;
use qualify::diff::normalize::{normalize, Norm, NormList};
use qualify::diff::{diff, Renames};
use qualify::eval::engine::Engine;
use qualify::eval::program::Fast;
use qualify::eval::reference;
use qualify::load::load_str;
use qualify::model::{Earning, Value};
use qualify::semantics::expr::Env;
use qualify::semantics::text::fold;

/// Texts whose case folding is not ASCII's, and their near misses.
const TRICKY: &[&str] = &[
    "ΟΔΟΣ",
    "οδος",
    "οδοσ",
    "ΣΑΣ",
    "σας",
    "İstanbul",
    "istanbul",
    "ıstanbul",
    "ISTANBUL",
    "Straße",
    "STRASSE",
    "strasse",
    "Café",
    "Cafe\u{301}",
    "ＡＢＣ",
    "ａｂｃ",
    "abc",
    "\u{212a}elvin",
    "kelvin",
    "Athens",
];

/// A cell as someone might type one of [`TRICKY`]: cased any way, padded.
fn cell() -> impl Strategy<Value = String> {
    (
        prop::sample::select(TRICKY),
        0..3u8,
        prop::sample::select(vec!["", " ", "\u{3000}", "\t"]),
    )
        .prop_map(|(t, case, pad)| {
            let t = match case {
                0 => t.to_string(),
                1 => t.to_uppercase(),
                _ => t.to_lowercase(),
            };
            format!("{pad}{t}{pad}")
        })
}

/// Listed values whose folds differ (the checker rejects a value listed twice).
fn listed() -> impl Strategy<Value = Vec<&'static str>> {
    prop::sample::subsequence(TRICKY, 1..6).prop_map(|mut values| {
        let mut seen = Vec::new();
        values.retain(|v| {
            let f = fold(v);
            let new = !seen.contains(&f);
            seen.push(f);
            new
        });
        values
    })
}

fn quote_all(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_cell_is_one_of_the_list_exactly_when_folding_says_so(
        allowed in listed(),
        cells in prop::collection::vec(cell(), 1..6),
    ) {
        let list = quote_all(&allowed);
        let text = format!(
            "fields {{\n  e one of {list}\n  t text\n}}\n\
             criterion \"in\" +1 when t in [{list}]\n\
             criterion \"first\" +1 when t = \"{}\"\n\
             stage \"all\" otherwise\n",
            allowed[0]
        );
        let loaded = load_str("x.lead", &text);
        prop_assert_eq!(loaded.error_count(), 0, "{:#?}\n{}", loaded.diagnostics, text);
        let model = loaded.model.expect("checked");
        let program = qualify::compile::compile(&model);
        let fast = Fast { program: &program, as_of: 0 };
        let mut scratch = fast.scratch();
        for c in &cells {
            let listed = allowed.iter().any(|a| fold(a) == fold(c));
            let decoded = qualify::input::parse_cell(&model.fields[0], c);
            prop_assert_eq!(decoded.is_ok(), listed, "one of {:?}: {:?} -> {:?}", allowed, c, decoded);
            let values = [Value::Text(allowed[0].to_string()), Value::Text(c.clone())];
            let want = [listed, fold(allowed[0]) == fold(c)];
            let slow = reference::evaluate(&model, &values, 0);
            prop_assert_eq!(&slow.matched, &want.to_vec(), "{:?} in {:?}", c, allowed);
            let quick = fast.evaluate(&values, &mut scratch);
            prop_assert_eq!(&quick.matched, &want.to_vec(), "{:?} in {:?} (compiled)", c, allowed);
        }
    }
}

/// A canonical form written back as a condition.
fn written(n: &Norm) -> String {
    let all = |items: &[Norm], sep: &str| {
        items
            .iter()
            .map(|i| format!("({})", written(i)))
            .collect::<Vec<_>>()
            .join(sep)
    };
    match n {
        Norm::Number(s) => s.clone(),
        Norm::Text(t) => format!("\"{t}\""),
        Norm::Date(d) => d.clone(),
        Norm::Bool(true) => "yes".into(),
        Norm::Bool(false) => "no".into(),
        Norm::Name(n) => n.clone(),
        Norm::Score => "score".into(),
        Norm::Stage => "stage".into(),
        Norm::StageIs(s) => format!("stage = \"{s}\""),
        Norm::Matched(c) => format!("matched \"{c}\""),
        Norm::Aggregate(a) => format!("({a})"),
        Norm::AtLeast(k, items) => format!("at least {k} of ({})", all(items, ", ")),
        Norm::DaysSince(x) => format!("days since {}", written(x)),
        Norm::BusinessDaysSince(x) => format!("business days since {}", written(x)),
        Norm::Neg(x) => format!("-({})", written(x)),
        Norm::Not(x) => format!("not ({})", written(x)),
        Norm::And(items) => all(items, " and "),
        Norm::Or(items) => all(items, " or "),
        Norm::Arith(op, l, r) | Norm::Compare(op, l, r) => {
            format!("({}) {op} ({})", written(l), written(r))
        }
        Norm::TextTest(op, l, r) => format!("({}) {op} ({})", written(l), written(r)),
        Norm::In {
            value,
            list,
            negated,
        } => {
            let list = match list {
                NormList::Items(items) => format!(
                    "[{}]",
                    items.iter().map(written).collect::<Vec<_>>().join(", ")
                ),
                NormList::Named(n) => n.clone(),
            };
            let op = if *negated { "not in" } else { "in" };
            format!("({}) {op} {list}", written(value))
        }
        Norm::Matches(v, re) => format!("({}) matches /{re}/", written(v)),
        Norm::IsMissing(v) => format!("({}) is missing", written(v)),
        Norm::IsPresent(v) => format!("({}) is present", written(v)),
        Norm::Call(name, args) => format!(
            "{name}({})",
            args.iter().map(written).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The condition of the criterion at `i` in a parsed definition.
fn criterion_condition(ast: &qualify::ast::Definition, i: usize) -> qualify::ast::Expr {
    let (c, _) = ast.criteria().nth(i).expect("the criterion");
    match &c.body {
        CriterionBody::When { condition, .. } => condition.clone(),
        other => panic!("a `when` criterion: {other:?}"),
    }
}

/// Each criterion's condition evaluated (three-valued) for `values`.
fn conditions(model: &qualify::model::Model, values: &[Value], as_of: i32) -> Vec<Value> {
    let holidays = qualify::semantics::score::weekday_holidays(model);
    let matched = vec![false; model.criteria.len()];
    let env = Env {
        model,
        values,
        as_of,
        holidays: &holidays,
        matched: &matched,
        score: None,
        group_scores: &[],
        stage: None,
    };
    model
        .criteria
        .iter()
        .map(|c| match &c.earning {
            Earning::Fixed { condition, .. } => qualify::semantics::expr::eval(condition, &env),
            _ => Value::Missing,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// What `diff` calls equal evaluates equal: a condition and its
    /// canonical form agree on every inquiry (three-valued, unknown included).
    #[test]
    fn diffs_canonical_form_means_what_the_condition_means(
        cond in condition(0, false),
        inquiries in prop::collection::vec((inquiry(), as_of()), 1..8),
    ) {
        let first = format!("{FIELDS_BLOCK}criterion \"a\" +1 when {cond}\nstage \"all\" otherwise\n");
        let loaded = load_str("a.lead", &first);
        prop_assert_eq!(loaded.error_count(), 0, "{:#?}\n{}", loaded.diagnostics, first);
        let ast = loaded.ast.expect("parsed");
        let norm = normalize(&criterion_condition(&ast, 0), &Renames::default());
        let canonical = written(&norm);
        let both = format!(
            "{FIELDS_BLOCK}criterion \"a\" +1 when {cond}\ncriterion \"b\" +1 when {canonical}\nstage \"all\" otherwise\n"
        );
        let loaded = load_str("b.lead", &both);
        prop_assert_eq!(loaded.error_count(), 0, "{:#?}\n{}", loaded.diagnostics, both);
        // Written back, the canonical form is its own canonical form.
        let again = normalize(&criterion_condition(loaded.ast.as_ref().expect("parsed"), 1), &Renames::default());
        prop_assert_eq!(&again, &norm, "{}", canonical);
        let model = loaded.model.expect("checked");
        for (values, day) in &inquiries {
            let v = conditions(&model, values, *day);
            prop_assert_eq!(&v[0], &v[1], "{} vs {} on {:?}", cond, canonical, values);
        }
    }
}

/// Conditions over a few fields, from parts the lints reason about (ranges,
/// lists, missing values), so that some pairs mean the same.
fn simple_condition() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(vec![
        "n1 > 3",
        "n1 >= 3",
        "n1 < 3",
        "not (n1 <= 3)",
        "3 < n1",
        "n1 between 3 and 5",
        "n1 >= 3 and n1 <= 5",
        "n2 > 3",
        "n2 is missing",
        "n2 is present",
        "e1 = \"a\"",
        "e1 in [\"a\"]",
        "e1 != \"b\"",
        "e1 in [\"a\", \"c d\"]",
        "not (e1 = \"b\")",
        "b1",
        "b1 = yes",
        "b1 = no",
        "not b1",
        "b1 is missing",
        "t2 = \"x\"",
        "t2 is present",
    ])
    .prop_map(str::to_string);
    leaf.prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} and {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
            inner.prop_map(|a| format!("not ({a})")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Two criteria `check` calls "the same condition" are no change in
    /// meaning to `diff` when one's condition is put in place of the other's.
    #[test]
    fn lints_same_condition_is_no_change_to_diff(
        a in simple_condition(),
        b in simple_condition(),
    ) {
        let both = format!(
            "{FIELDS_BLOCK}criterion \"a\" +1 when {a}\ncriterion \"b\" +1 when {b}\nstage \"all\" otherwise\n"
        );
        let loaded = load_str("both.lead", &both);
        prop_assert_eq!(loaded.error_count(), 0, "{:#?}\n{}", loaded.diagnostics, both);
        let same = loaded.diagnostics.iter().any(|d| d.code == Code::SameCondition);
        if same {
            let one = |c: &str| format!("{FIELDS_BLOCK}criterion \"a\" +1 when {c}\nstage \"all\" otherwise\n");
            let (old, new) = (load_str("old.lead", &one(&a)), load_str("new.lead", &one(&b)));
            let (Some(o), Some(n)) = (&old.ast, &new.ast) else {
                panic!("both parse");
            };
            let d = diff(o, n, "old.lead", "new.lead");
            prop_assert!(d.is_empty(), "check calls `{}` and `{}` the same; diff: {:?}", a, b, d.sections);
        }
    }
}

/// The definitions parse as items the tests above expect.
#[test]
fn written_back_canonical_forms_parse() {
    let text = format!("{FIELDS_BLOCK}criterion \"a\" +1 when not (n1 between 1 and 2) or b1 = no\nstage \"all\" otherwise\n");
    let loaded = load_str("x.lead", &text);
    let ast = loaded.ast.expect("parsed");
    assert!(ast.items.iter().any(|i| matches!(i, Item::Criterion(_))));
    let norm = normalize(&criterion_condition(&ast, 0), &Renames::default());
    let again = format!(
        "{FIELDS_BLOCK}criterion \"a\" +1 when {}\nstage \"all\" otherwise\n",
        written(&norm)
    );
    assert_eq!(
        load_str("y.lead", &again).error_count(),
        0,
        "{}",
        written(&norm)
    );
}

/// The case the property test found: `check` calls these the same condition
/// (both hold exactly when `n1 > 3`), so `diff` reports no change; a real
/// change next to it is still reported.
#[test]
fn an_equivalent_condition_check_calls_the_same_is_no_change_to_diff() {
    let one =
        |c: &str| format!("{FIELDS_BLOCK}criterion \"a\" +1 when {c}\nstage \"all\" otherwise\n");
    let parse = |c: &str| load_str("x.lead", &one(c)).ast.expect("parses");
    let old = parse("(n1 >= 3 and n1 > 3)");
    let same = parse("(n1 > 3 and not (n1 <= 3))");
    assert!(diff(&old, &same, "old", "new").is_empty());
    let wider = parse("n1 >= 3");
    let d = diff(&old, &wider, "old", "new");
    assert_eq!(d.summary.changed, 1, "{:?}", d.sections);
}
