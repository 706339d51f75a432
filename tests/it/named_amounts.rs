//! Points, caps and half-lives written as `let` names (`+strong`, `at most
//! cap`, `halving every half_life days`) mean exactly the numbers they name.

use proptest::prelude::*;
use qualify::eval::engine::evaluate_many;
use qualify::load::load_str;
use qualify::model::{days_from_date, Value};

/// One definition, its numbers left as `{P}`, `{C}`, `{H}`, `{G}` (points,
/// per-unit cap, half-life, group cap); `named` writes them as `let` names.
fn definition(points: f64, cap: f64, half: f64, group_cap: f64, named: bool) -> String {
    let n = |x: f64| qualify::model::format_literal(x);
    let lets = format!(
        "let strong = {}\nlet cap = {}\nlet half_life = {}\nlet group_cap = {}\n",
        n(points),
        n(cap),
        n(half),
        n(group_cap)
    );
    let (p, neg, c, h, g) = if named {
        (
            "+strong".to_string(),
            "-strong".to_string(),
            "cap".to_string(),
            "half_life".to_string(),
            "group_cap".to_string(),
        )
    } else {
        let signed = |x: f64| {
            if x < 0.0 || (x == 0.0 && x.is_sign_negative()) {
                format!("-{}", n(-x))
            } else {
                format!("+{}", n(x))
            }
        };
        (
            signed(points),
            signed(-points),
            n(cap),
            n(half),
            n(group_cap),
        )
    };
    format!(
        "fields {{\n  visits number optional\n  last date optional\n}}\n{}\
         group fit, at most {g} {{\n  criterion \"a\" {p} when visits > 3\n  criterion \"b\" {neg} when visits > 10, halving every {h} days since last\n}}\n\
         criterion \"c\" +1.5 per visits, at most {c}\n\
         stage \"good\" when score >= 10\nstage \"rest\" otherwise\n",
        if named { lets } else { String::new() }
    )
}

fn visits() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Missing),
        prop::sample::select(vec![0.0, 2.0, 4.0, 11.0, 40.0, -3.0]).prop_map(Value::Number)
    ]
}

fn last() -> impl Strategy<Value = Value> {
    let day = days_from_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date"));
    prop_oneof![
        Just(Value::Missing),
        (0i32..40).prop_map(move |d| Value::Date(day + d))
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_named_amount_scores_as_its_number(
        points in prop::sample::select(vec![0.0, 5.0, -7.5, 25.0, 1e300]),
        cap in prop::sample::select(vec![0.0, 3.0, 20.0, 1e9]),
        half in prop::sample::select(vec![0.5, 14.0, 365.0]),
        group_cap in prop::sample::select(vec![0.0, 10.0, 60.0]),
        rows in prop::collection::vec((visits(), last()), 1..8),
    ) {
        let named_text = load_str("named.lead", &definition(points, cap, half, group_cap, true));
        let literal_text = load_str("literal.lead", &definition(points, cap, half, group_cap, false));
        let (Some(named), Some(literal)) = (&named_text.model, &literal_text.model) else {
            panic!("both check: {:?} {:?}", named_text.diagnostics, literal_text.diagnostics);
        };
        let rows: Vec<Vec<Value>> = rows.into_iter().map(|(v, l)| vec![v, l]).collect();
        let as_of = days_from_date(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date"));
        let of = |m| evaluate_many(&qualify::compile::compile(m), &rows, |r| r.as_slice(), as_of);
        let (a, b) = (of(named), of(literal));
        for (x, y) in a.iter().zip(&b) {
            prop_assert!(x.same_bits(y), "{x:?} vs {y:?}");
        }
        // And for review: the two texts differ only in how they write the numbers.
        let (Some(a), Some(b)) = (&named_text.ast, &literal_text.ast) else { unreachable!() };
        let d = qualify::diff::diff(a, b, "named", "literal");
        prop_assert_eq!(d.changes_of(qualify::diff::Kind::Criterion).count(), 0);
    }
}

const SHAPES: &str = "fields {\n  visits number optional\n  last date optional\n}\nlet strong = 25\nlet cap = 20\nlet half_life = 14\nlet engaged = visits > 3\nlet sources = [\"a\"]\n";

fn errors(rules: &str) -> Vec<String> {
    let loaded = load_str(
        "d.lead",
        &format!("{SHAPES}{rules}stage \"rest\" otherwise\n"),
    );
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            format!(
                "{}: {} ({})",
                d.code,
                d.message,
                d.help.clone().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn a_name_that_is_not_a_number_is_an_error_that_says_what_it_is() {
    assert_eq!(
        errors("criterion \"a\" +strnog when visits > 1\n"),
        ["qualify::unknown-name: unknown name `strnog` (did you mean `strong`?)"]
    );
    assert_eq!(
        errors("criterion \"a\" +engaged when visits > 1\n"),
        ["qualify::type-mismatch: `engaged` is not a number written out; points must be a number (name a number, e.g. `let engaged = 20`; points cannot be computed)"]
    );
    assert_eq!(
        errors("criterion \"a\" +1 per visits, at most sources\n"),
        ["qualify::type-mismatch: `sources` is a list; a cap must be a number (name a number, e.g. `let sources = 20`; a cap cannot be computed)"]
    );
    assert_eq!(
        errors("criterion \"a\" +1 when visits > 1, halving every zero days since last\n"),
        ["qualify::unknown-name: unknown name `zero` (declare it first, e.g. `let zero = 20`, or write the number)"]
    );
    // A named half-life is held to the same rule as a written one.
    assert_eq!(
        errors("let none = 0\ncriterion \"a\" +1 when visits > 1, halving every none days since last\n"),
        ["qualify::invalid-number: points cannot halve every 0 days (say how many days it takes for the points to halve, e.g. `halving every 30 days`)"]
    );
}

#[test]
fn a_let_used_only_as_points_is_used_and_fmt_aligns_names() {
    let text = format!(
        "{SHAPES}group g, at most cap {{\n  criterion \"a\" +strong when engaged\n  criterion \"long name\" +1 per visits, at most cap when visits > 0 and last is present and sources = sources\n}}\ncriterion \"b\" -strong when visits > 1, halving every half_life days since last\nstage \"rest\" otherwise\n"
    )
    .replace("and sources = sources", "and 1 = 1");
    let loaded = load_str("d.lead", &text);
    let unused: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == qualify::diagnostic::Code::Unused)
        .map(|d| d.message.as_str())
        .collect();
    // Only the list is unused: strong, cap and half_life are named in rules.
    assert_eq!(unused, ["list `sources` is never used"]);
    let formatted = qualify::fmt::format_text("d.lead", &text).expect("formats");
    assert!(
        formatted.contains("  criterion \"a\"         +strong when engaged\n"),
        "{formatted}"
    );
    assert!(
        formatted.contains(
            "criterion \"b\" -strong when visits > 1, halving every half_life days since last\n"
        ),
        "{formatted}"
    );
    assert_eq!(
        qualify::fmt::format_text("d.lead", &formatted).expect("formats"),
        formatted
    );
}

#[test]
fn diff_shows_a_changed_let_as_changed_points_where_it_is_named() {
    let old = format!("{SHAPES}criterion \"a\" +strong when engaged\ncriterion \"b\" +1 per visits, at most cap\ncriterion \"c\" +sources_unused when engaged\nstage \"rest\" otherwise\n")
        .replace("criterion \"c\" +sources_unused when engaged\n", "");
    let new = old.replace("let strong = 25", "let strong = 30");
    let (a, b) = (load_str("old", &old), load_str("new", &new));
    let d = qualify::diff::diff(
        a.ast.as_ref().unwrap(),
        b.ast.as_ref().unwrap(),
        "old",
        "new",
    );
    let text = qualify::diff::render::text(&d, qualify::diff::render::Paint(false));
    assert!(
        text.contains("  ~ criterion \"a\"\n      points: +strong (25) → +strong (30)\n"),
        "{text}"
    );
    assert!(!text.contains("criterion \"b\""), "{text}");
}
