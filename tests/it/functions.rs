//! The functions `min`, `max`, `round`, `floor` and `default`: what check
//! says about a wrong call, what each call is worth on both engines (the
//! rounding edges and missing values written out by hand), and what fmt,
//! diff and explain make of them.

use crate::diff::diff_of;
use crate::support::{qualify, stdout};
use qualify::diagnostic::Code;
use qualify::eval::engine::Engine;
use qualify::eval::program::Fast;
use qualify::eval::reference;
use qualify::load::load_str;
use qualify::model::Value;

const FIELDS: &str = "fields {\n  id text\n  x number optional\n  y number optional\n  \
                      round number optional\n  name text optional\n  d1 date optional\n  \
                      d2 date optional\n  b yes/no optional\n}\n";

/// The codes and messages check gives a definition whose one criterion has `cond`.
fn errors(cond: &str) -> Vec<(Code, String)> {
    let text = format!("{FIELDS}criterion \"c\" +1 when {cond}\nstage \"s\" otherwise\n");
    let loaded = load_str("f.lead", &text);
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            (
                d.code,
                format!("{} {}", d.message, d.help.clone().unwrap_or_default()),
            )
        })
        .collect()
}

#[test]
fn wrong_calls_are_named_with_their_function_and_argument() {
    let one = |cond: &str| {
        let e = errors(cond);
        assert_eq!(e.len(), 1, "{cond}: {e:?}");
        e.into_iter().next().unwrap()
    };
    let (code, text) = one("mni(x, y) > 1");
    assert_eq!(code, Code::UnknownFunction);
    assert!(
        text.contains("no function `mni`") && text.contains("did you mean `min`?"),
        "{text}"
    );
    let (code, text) = one("rnd(x) > 1");
    assert_eq!(code, Code::UnknownFunction);
    assert!(text.contains("did you mean `round`?"), "{text}");
    let (code, text) = one("min(x) > 1");
    assert_eq!(code, Code::WrongArguments);
    assert!(
        text.contains("`min` takes two arguments") && text.contains("has 1 argument"),
        "{text}"
    );
    let (code, text) = one("floor(x, 2) > 1");
    assert_eq!(code, Code::WrongArguments);
    assert!(text.contains("`floor` takes one argument"), "{text}");
    for places in ["2.5", "10", "-1", "y"] {
        let (code, text) = one(&format!("round(x, {places}) > 1"));
        assert_eq!(code, Code::WrongArguments, "{places}");
        assert!(text.contains("decimal places"), "{places}: {text}");
    }
    let (code, text) = one("default(name, \"none\") = \"none\"");
    assert_eq!(code, Code::WrongArguments);
    assert!(
        text.contains("`default`'s argument 1") && text.contains("text"),
        "{text}"
    );
    let (code, text) = one("min(x, d1) > 1");
    assert_eq!(code, Code::TypeMismatch);
    assert!(text.contains("`min`"), "{text}");
    let (code, _) = one("max(b, b)");
    assert_eq!(code, Code::WrongArguments);
    let (code, text) = one("round(name) > 1");
    assert_eq!(code, Code::TypeMismatch);
    assert!(text.contains("`round` needs a number"), "{text}");
    // Every error at once: both of round's arguments are wrong.
    let both = errors("round(name, 12) > 1");
    assert_eq!(
        both.iter().map(|e| e.0).collect::<Vec<_>>(),
        [Code::TypeMismatch, Code::WrongArguments],
        "{both:?}"
    );
    // `round` stays a usable field name, next to the function.
    assert!(errors("round > 2 and round(round, 1) > 2").is_empty());
    // `not(...)` is still `not`, not a call.
    assert!(errors("not(x > 1)").is_empty());
}

/// The criteria's `matched` on both engines, which must agree.
fn matched(criteria: &[&str], values: &[Value]) -> Vec<bool> {
    let mut text = FIELDS.to_string();
    for (i, c) in criteria.iter().enumerate() {
        text.push_str(&format!("criterion \"c{i}\" +1 when {c}\n"));
    }
    text.push_str("stage \"s\" otherwise\n");
    let loaded = load_str("f.lead", &text);
    assert_eq!(loaded.error_count(), 0, "{:#?}", loaded.diagnostics);
    let model = loaded.model.expect("checked");
    let slow = reference::evaluate(&model, values, 0);
    let program = qualify::compile::compile(&model);
    let fast = Fast {
        program: &program,
        as_of: 0,
    };
    let mut scratch = fast.scratch();
    let quick = fast.evaluate(values, &mut scratch);
    assert_eq!(slow.matched, quick.matched, "{criteria:?} on {values:?}");
    slow.matched
}

fn row(x: Option<f64>, y: Option<f64>) -> Vec<Value> {
    let num = |n: Option<f64>| n.map_or(Value::Missing, Value::Number);
    vec![
        Value::Text("a".into()),
        num(x),
        num(y),
        Value::Missing,
        Value::Missing,
        Value::Date(100),
        Value::Missing,
        Value::Missing,
    ]
}

#[test]
fn rounding_is_half_away_from_zero_on_both_engines() {
    let cases = [
        (2.5, "round(x) = 3"),
        (-2.5, "round(x) = -3"),
        (0.49999999999999994, "round(x) = 0"),
        (1.005, "round(x, 2) = 1"),
        (2.345, "round(x, 2) = 2.35"),
        (-1.5, "floor(x) = -2"),
        (4_503_599_627_370_497.0, "round(x, 9) = 4503599627370497"),
        (0.123_456_789_4, "round(x, 9) = 0.123456789"),
    ];
    for (x, cond) in cases {
        assert_eq!(matched(&[cond], &row(Some(x), None)), [true], "{x}: {cond}");
    }
}

#[test]
fn missing_stays_missing_except_in_default() {
    let criteria = [
        "min(x, y) is missing",
        "max(x, y) is missing",
        "round(y) is missing",
        "default(y, 7) = 7",
        "default(x, 7) = 1.5",
        "days since max(d1, d2) is missing",
        "default(d2, d1) = d1",
        "not default(b, no)",
        "default(y > 1, yes)",
    ];
    assert_eq!(matched(&criteria, &row(Some(1.5), None)), [true; 9]);
    let both = matched(
        &["min(x, y) = -1", "max(x, y) = 1.5", "min(x, y) is missing"],
        &row(Some(1.5), Some(-1.0)),
    );
    assert_eq!(both, [true, true, false]);
}

#[test]
fn fmt_writes_calls_canonically_and_diff_reads_their_meaning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("f.lead");
    let text = format!(
        "{FIELDS}criterion \"c\" +1 when min(  x ,y )>round( x,2)\nstage \"s\" otherwise\n"
    );
    std::fs::write(&path, &text).expect("write");
    let out = qualify(&["fmt", &path.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(0));
    let formatted = std::fs::read_to_string(&path).expect("read");
    assert!(
        formatted.contains("when min(x, y) > round(x, 2)\n"),
        "{formatted}"
    );

    let base =
        format!("{FIELDS}criterion \"c\" +1 when round(x) > min(x, y)\nstage \"s\" otherwise\n");
    let same = base.replace("round(x)", "round(x, 0)");
    assert_eq!(diff_of(&base, &same).summary.changed, 0);
    let other = base.replace("min(x, y)", "max(x, y)");
    let d = diff_of(&base, &other);
    assert_eq!(d.summary.changed, 1);
    let printed = format!("{:?}", d.sections);
    assert!(printed.contains("max(x, y)"), "{printed}");
}

#[test]
fn explain_shows_each_calls_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("f.lead");
    let text = format!(
        "{FIELDS}criterion \"c\" +1 per round(default(y, 0) + x / 3, 2), at most 9\nstage \"s\" otherwise\n"
    );
    std::fs::write(&path, &text).expect("write");
    let out = qualify(&[
        "explain",
        &path.to_string_lossy(),
        "--inquiry",
        r#"{"x": 10}"#,
        "--as-of",
        "2026-01-01",
    ]);
    let shown = stdout(&out);
    assert!(shown.contains("default(y, 0) is 0"), "{shown}");
    assert!(
        shown.contains("round(default(y, 0) + x / 3, 2) is 3.33"),
        "{shown}"
    );
}
