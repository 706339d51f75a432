//! Points by value (`points by origin { "API": 5, otherwise 0 }`) through
//! every stage: check's errors, what it earns and when it matches, explain,
//! fmt, diff, doc and the rules file that uses it. The two engines and the
//! SQL target are held to the reference on random definitions that use it
//! (`arbitrary.rs`, `engines_agree.rs`, `sql_engines.rs`).

use crate::diff::diff_of;
use crate::support::{qualify, root, stdout};
use qualify::diagnostic::Code;
use qualify::diff::render::{self, Paint};
use qualify::eval::reference;
use qualify::load::load_str;
use qualify::model::Value;

const FIELDS: &str = r#"
fields {
  id      text
  origin  one of "API", "Landing Page Submission", "Lead Add Form", "Lead Import"
  source  text    optional
  visits  number  optional
  ebook   yes/no  optional
  seen    date    optional
}
let strong = 25
"#;

fn with(rules: &str) -> String {
    format!("{FIELDS}{rules}\nstage \"hot\" when score >= 20\nstage \"cold\" otherwise\n")
}

/// The error diagnostics of a definition: code, message, help, related notes.
fn errors(rules: &str) -> Vec<(Code, String, String, Vec<String>)> {
    let loaded = load_str("t.lead", &with(rules));
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == qualify::diagnostic::Severity::Error)
        .map(|d| {
            (
                d.code,
                d.message.clone(),
                d.help.clone().unwrap_or_default(),
                d.related.iter().map(|(_, n)| n.clone()).collect(),
            )
        })
        .collect()
}

#[test]
fn an_unknown_field_or_key_suggests_the_nearest() {
    let e = errors(r#"criterion "o" points by orign { "API": 5 }"#);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, Code::UnknownField);
    assert!(e[0].2.contains("did you mean `origin`?"), "{e:?}");

    let e = errors(r#"criterion "o" points by origin { "Lead Add Frm": 5 }"#);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, Code::NotInOneOf);
    assert!(e[0].2.contains("did you mean \"Lead Add Form\"?"), "{e:?}");
}

#[test]
fn a_key_listed_twice_names_the_first_listing() {
    for (rules, shown) in [
        (
            r#"criterion "o" points by origin { "API": 5, " api ": 3 }"#,
            "\" api \"",
        ),
        (r#"criterion "v" points by visits { 1: 5, 1.0: 3 }"#, "1"),
        (
            r#"criterion "e" points by ebook { yes: 5, no: 1, yes: 2 }"#,
            "yes",
        ),
    ] {
        let e = errors(rules);
        assert_eq!(e.len(), 1, "{rules}: {e:?}");
        assert_eq!(e[0].0, Code::Duplicate, "{rules}");
        assert_eq!(e[0].1, format!("{shown} is listed twice"), "{rules}");
        assert_eq!(e[0].3, vec!["first listed here".to_string()], "{rules}");
    }
    let e = errors(r#"criterion "o" points by origin { "API": 5, otherwise 1, otherwise 2 }"#);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0].0, e[0].1.as_str()),
        (Code::Duplicate, "`otherwise` is given twice")
    );
}

#[test]
fn keys_must_be_of_the_fields_type_and_dates_are_refused() {
    for rules in [
        r#"criterion "o" points by origin { 3: 5 }"#,
        r#"criterion "v" points by visits { "3": 5 }"#,
        r#"criterion "e" points by ebook { "yes": 5 }"#,
        r#"criterion "d" points by seen { "2026-01-01": 5 }"#,
    ] {
        let e = errors(rules);
        assert_eq!(e.len(), 1, "{rules}: {e:?}");
        assert_eq!(e[0].0, Code::TypeMismatch, "{rules}");
    }
    let e = errors(r#"criterion "o" points by origin { "API": nope }"#);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, Code::UnknownName);
}

#[test]
fn when_or_decay_after_the_entries_is_a_syntax_error_that_names_the_place() {
    let loaded = load_str(
        "t.lead",
        &with(r#"criterion "o" points by origin { "API": 5 } when ebook"#),
    );
    let d = &loaded.diagnostics[0];
    assert_eq!(d.code, Code::Syntax);
    assert!(d.message.contains("`when`"), "{}", d.message);
}

/// Points, matched and the score of one inquiry on the reference evaluator.
fn run(rules: &str, values: &[(&str, Value)]) -> (Vec<f64>, Vec<bool>, Option<f64>) {
    let loaded = load_str("t.lead", &with(rules));
    let model = loaded
        .model
        .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
    let mut row = vec![Value::Missing; model.fields.len()];
    for (name, v) in values {
        row[model.field_named(name).expect("a field")] = v.clone();
    }
    let o = reference::evaluate(&model, &row, 0);
    (o.points, o.matched, o.score)
}

#[test]
fn the_entry_whose_key_equals_the_value_applies_else_otherwise_and_missing_earns_nothing() {
    let rules =
        r#"criterion "o" points by origin { "Lead Add Form": strong, "API": -5, otherwise 2 }"#;
    let text = |t: &str| Value::Text(t.into());
    assert_eq!(
        run(rules, &[("origin", text("  lead add FORM "))]),
        (vec![25.0], vec![true], Some(25.0))
    );
    assert_eq!(
        run(rules, &[("origin", text("API"))]),
        (vec![-5.0], vec![true], Some(-5.0))
    );
    assert_eq!(
        run(rules, &[("origin", text("Lead Import"))]),
        (vec![2.0], vec![true], Some(2.0))
    );
    assert_eq!(run(rules, &[]), (vec![0.0], vec![false], Some(0.0)));
    // Without `otherwise`, a value not listed earns 0 and does not match.
    let rules = r#"criterion "v" points by visits { 0: -3, 2.5: 4 }"#;
    assert_eq!(
        run(rules, &[("visits", Value::Number(7.0))]),
        (vec![0.0], vec![false], Some(0.0))
    );
    assert_eq!(
        run(rules, &[("visits", Value::Number(-0.0))]),
        (vec![-3.0], vec![true], Some(-3.0))
    );
    // An entry of 0 points is listed but does not match.
    let rules = r#"criterion "e" points by ebook { yes: 0, no: 1 }"#;
    assert_eq!(
        run(rules, &[("ebook", Value::Bool(true))]),
        (vec![0.0], vec![false], Some(0.0))
    );
}

#[test]
fn inside_a_group_it_is_capped_and_matched_sees_it() {
    let rules = r#"
group interest, at least -2, at most 20 {
  criterion "o" points by origin { "Lead Add Form": strong, "API": -5 }
}
criterion "both" +1 when matched "o"
"#;
    let text = |t: &str| Value::Text(t.into());
    let (points, matched, score) = run(rules, &[("origin", text("Lead Add Form"))]);
    assert_eq!(
        (points, matched, score),
        (vec![25.0, 1.0], vec![true, true], Some(21.0))
    );
    let (_, matched, score) = run(rules, &[("origin", text("API"))]);
    assert_eq!((matched, score), (vec![true, true], Some(-1.0)));
    let (_, matched, score) = run(rules, &[("origin", text("Lead Import"))]);
    assert_eq!((matched, score), (vec![false, false], Some(0.0)));
}

fn explain_line(rules: &str, inquiry: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("t.lead");
    std::fs::write(&path, with(rules)).expect("write");
    let out = qualify(&[
        "explain",
        path.to_str().expect("utf-8"),
        "--inquiry",
        inquiry,
        "--as-of",
        "2026-12-01",
    ]);
    let text = stdout(&out);
    text.lines()
        .find(|l| l.trim_start().starts_with("o "))
        .unwrap_or_else(|| panic!("no line for criterion o:\n{text}"))
        .to_string()
}

#[test]
fn explain_names_the_entry_that_applied() {
    let rules = r#"criterion "o" points by origin { "Lead Add Form": strong, "API": 5 }"#;
    let line = explain_line(rules, r#"{"origin": "api"}"#);
    assert!(line.contains("yes"), "{line}");
    assert!(line.contains("the entry \"API\": +5"), "{line}");
    let line = explain_line(rules, r#"{"origin": "Lead Import"}"#);
    assert!(line.contains("not listed: otherwise 0"), "{line}");
    let line = explain_line(rules, r#"{}"#);
    assert!(line.contains("unknown"), "{line}");
    assert!(line.contains("nothing earned"), "{line}");
}

#[test]
fn fmt_wraps_the_entries_after_the_brace_and_keeps_comments() {
    let text = with(
        r#"criterion "o"   points   by origin {"Lead Add Form":strong,
   # the API is a partner
   "API" : +5 , otherwise -0}"#,
    );
    let out = qualify::fmt::format_text("t.lead", &text).expect("formats");
    let head = "criterion \"o\" points by origin { ";
    let pad = " ".repeat(head.len());
    let expected = format!(
        "{head}\"Lead Add Form\": strong,\n{pad}# the API is a partner\n{pad}\"API\": +5, otherwise -0 }}\n"
    );
    assert!(out.contains(&expected), "{out}");
    assert_eq!(
        qualify::fmt::format_text("t.lead", &out).expect("formats"),
        out,
        "fmt is idempotent"
    );
}

#[test]
fn diff_shows_each_entry_added_removed_or_changed_on_its_own_line() {
    let old = with(
        r#"criterion "o" points by origin { "Lead Add Form": strong, "Landing Page Submission": 10, "API": 5 }"#,
    );
    let new = with(
        r#"criterion "o" points by origin { "Lead Add Form": 25, "API": 8, "Lead Import": -5, otherwise 1 }"#,
    );
    let text = render::text(&diff_of(&old, &new), Paint(false));
    for line in [
        "\"API\": +5 → +8",
        "\"Lead Import\": (none) → -5",
        "otherwise: +0 → +1",
        "\"Landing Page Submission\": +10 → (none)",
    ] {
        assert!(text.contains(line), "{line} is missing:\n{text}");
    }
    // `strong` is 25: the same points; keys compare ignoring case.
    assert!(!text.contains("Lead Add Form"), "{text}");
    let same = with(
        r#"criterion "o" points by origin { "lead add form": 25, "Landing Page Submission": 10, "API": 5, otherwise 0 }"#,
    );
    assert!(
        diff_of(&old, &same).is_empty(),
        "{}",
        render::text(&diff_of(&old, &same), Paint(false))
    );
}

#[test]
fn doc_lists_the_entries_in_words() {
    let loaded = load_str(
        "t.lead",
        &with(r#"criterion "o" points by origin { "API": 5, otherwise -1 }"#),
    );
    let model = loaded.model.expect("checks");
    let page = qualify::doc::page(&model, &[]);
    let row = &page.groups[0].criteria[0];
    assert_eq!(row.points, "by value");
    assert_eq!(row.condition, "by origin: 'API' +5, any other origin -1");
}

#[test]
fn the_language_docs_example_checks_and_is_canonical() {
    let doc = std::fs::read_to_string(root().join("docs/language.md")).expect("docs");
    let at = doc.find("### Points by value").expect("the section");
    let block = doc[at..].split("```").nth(1).expect("an example block");
    // The example declares its own `strong`.
    let text = with(block.trim_start_matches('\n')).replacen("let strong = 25\n", "", 1);
    let loaded = load_str("t.lead", &text);
    assert_eq!(loaded.error_count(), 0, "{:?}", loaded.diagnostics);
    let formatted = qualify::fmt::format_text("t.lead", &text).expect("formats");
    assert!(
        formatted.contains(block.trim_start_matches('\n')),
        "the docs example is in canonical layout:\n{formatted}"
    );
}

#[test]
fn the_x_education_rules_score_lead_source_by_value_on_real_shapes() {
    let path = root().join("rules/x-education-2026.lead");
    let out = qualify(&[
        "explain",
        path.to_str().expect("utf-8"),
        "--inquiry",
        r#"{"origin": "API", "source": "olark chat", "do_not_email": "no", "seconds_on_site": 0, "wants_ebook": "no"}"#,
        "--as-of",
        "2026-12-01",
    ]);
    let text = stdout(&out);
    assert!(
        text.contains("the entry \"Olark Chat\": -5"),
        "lower-case export text finds the key:\n{text}"
    );
}

/// Inquiries whose conversion depends on their origin only: "Form" converts
/// 9 in 10, "API" 1 in 10, the rest ("Import") 1 in 2.
fn origin_outcomes() -> String {
    let mut csv = String::from("id,origin,ebook,won\n");
    let mut row = 0;
    for (origin, won_of_ten) in [("Form", 9), ("API", 1), ("Import", 5)] {
        for copy in 0..30 {
            for k in 0..10 {
                row += 1;
                let won = u8::from(k < won_of_ten);
                let ebook = if (k + copy) % 2 == 0 { "yes" } else { "no" };
                csv.push_str(&format!("r{row},{origin},{ebook},{won}\n"));
            }
        }
    }
    csv
}

#[test]
fn backtest_reports_each_entry_and_suggest_writes_points_per_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let def = dir.path().join("o.lead");
    std::fs::write(
        &def,
        r#"fields {
  id      text
  origin  one of "Form", "API", "Import"
  ebook   yes/no
}
criterion "ebook" +10 when ebook
criterion "origin" points by origin { "Form": 5, "API": 5 }
stage "hot"  when score >= 10
stage "cold" otherwise
"#,
    )
    .expect("write");
    let csv = dir.path().join("o.csv");
    std::fs::write(&csv, origin_outcomes()).expect("write");
    let (def, csv) = (def.to_str().expect("utf-8"), csv.to_str().expect("utf-8"));
    // Formatted first: a formatted definition stays formatted when written.
    assert_eq!(qualify(&["fmt", def]).status.code(), Some(0));
    let out = qualify(&["backtest", def, csv, "--outcome", "won", "--won", "1"]);
    let text = stdout(&out);
    let table = &text[text.find("Points by value, per entry").expect("the table")..];
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    for row in [
        ["\"Form\"", "+5", "300", "270", "90.0%", "86.1–92.9%"],
        ["\"API\"", "+5", "300", "30", "10.0%", "7.1–13.9%"],
        ["otherwise", "0", "300", "150", "50.0%", "44.4–55.6%"],
    ] {
        assert!(
            rows.iter().any(|r| r == &row),
            "{row:?} is missing:\n{table}"
        );
    }
    let out = qualify(&[
        "backtest",
        def,
        csv,
        "--outcome",
        "won",
        "--won",
        "1",
        "--suggest",
        "--write",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        crate::support::stderr(&out)
    );
    let written = std::fs::read_to_string(def).expect("read");
    let line = written
        .lines()
        .find(|l| l.contains("points by origin"))
        .expect("the criterion");
    // Form converts above the rest (otherwise, the baseline), API below.
    let points = |key: &str| -> f64 {
        let at = line.find(key).expect("the key") + key.len();
        let rest = line[at..].trim_start_matches([':', ' ']);
        let end = rest.find([',', ' ']).expect("an end");
        rest[..end].parse().expect("a number")
    };
    assert!(points("\"Form\"") > 0.0, "{line}");
    assert!(points("\"API\"") < 0.0, "{line}");
    let check = qualify(&["fmt", "--check", def]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "the written file stays formatted"
    );
}

#[test]
fn an_entry_with_the_points_of_otherwise_has_no_effect() {
    let warnings = |rules: &str| -> Vec<(Code, String)> {
        load_str("t.lead", &with(rules))
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::NoEffect && d.message.contains("entry"))
            .map(|d| (d.code, d.help.clone().unwrap_or_default()))
            .collect()
    };
    let w = warnings(r#"criterion "o" points by origin { "API": 0, "Lead Add Form": strong }"#);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].1.contains("earns +0 already"), "{w:?}");
    let w = warnings(
        r#"criterion "o" points by origin { "API": 25, "Lead Add Form": strong, otherwise 25 }"#,
    );
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(warnings(r#"criterion "o" points by origin { "API": 5, otherwise 0 }"#).is_empty());
}

/// The property tests (engines, explanations, SQL) see the construct: the
/// generator writes it, and what it writes checks.
#[test]
fn the_random_definitions_use_points_by_value() {
    use proptest::strategy::{Strategy, ValueTree};
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut with_it = 0;
    for _ in 0..100 {
        let text = crate::arbitrary::definition()
            .new_tree(&mut runner)
            .expect("a definition")
            .current();
        if text.contains("points by") {
            with_it += 1;
            let loaded = load_str("random.lead", &text);
            assert!(loaded.model.is_some(), "{text}\n{:?}", loaded.diagnostics);
        }
    }
    assert!(with_it >= 20, "only {with_it} of 100 use points by value");
}
