//! `score`, `backtest` and `diff` run a definition whose examples fail only
//! with a warning naming each failing example, and not at all with
//! `--deny failing-examples` (exit 1, nothing written).

use crate::support::{qualify, root, stderr};
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-23";

/// An example of backtest-small.lead that cannot hold: a plain inquiry with
/// nothing matched scores 0, not 999.
const WRONG_EXAMPLE: &str = r#"
example "a plain inquiry is worth a fortune" {
  id: "x", demo: no, source: "web"
  expect score 999
}
"#;

/// `tests/data/backtest-small.lead` copied into `dir` as NAME, with `extra`
/// appended.
fn definition(dir: &Path, name: &str, extra: &str) -> PathBuf {
    let text = std::fs::read_to_string(root().join("tests/data/backtest-small.lead"))
        .expect("the sample definition");
    let path = dir.join(name);
    std::fs::write(&path, format!("{text}{extra}")).expect("write the copy");
    path
}

fn input() -> String {
    root()
        .join("tests/data/backtest-small.csv")
        .display()
        .to_string()
}

fn warns_about_the_wrong_example(text: &str, level: &str) -> bool {
    text.lines().any(|l| {
        l.starts_with(&format!("{level}: "))
            && l.contains("example \"a plain inquiry is worth a fortune\" does not hold")
            && l.contains("expected score 999, got score 0")
    })
}

#[test]
fn score_warns_and_scores_every_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let def = definition(dir.path(), "d.lead", WRONG_EXAMPLE);
    let out_file = dir.path().join("out.csv");
    let out = qualify(&[
        "score",
        def.to_str().unwrap(),
        &input(),
        "--as-of",
        AS_OF,
        "-o",
        out_file.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert!(warns_about_the_wrong_example(&err, "warning"), "{err}");
    assert!(
        err.contains("`--deny failing-examples` makes this an error"),
        "{err}"
    );
    // The run itself goes on as before: a row is rejected (exit 3), the rest scored.
    assert_eq!(out.status.code(), Some(3), "{err}");
    let written = std::fs::read_to_string(&out_file).expect("results written");
    assert_eq!(written.lines().count(), 1 + 12, "{written}");
}

#[test]
fn score_with_deny_stops_before_writing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let def = definition(dir.path(), "d.lead", WRONG_EXAMPLE);
    let out_file = dir.path().join("out.csv");
    let out = qualify(&[
        "score",
        def.to_str().unwrap(),
        &input(),
        "--as-of",
        AS_OF,
        "-o",
        out_file.to_str().unwrap(),
        "--deny",
        "failing-examples",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(warns_about_the_wrong_example(&err, "error"), "{err}");
    assert!(
        !out_file.exists(),
        "nothing is written when the examples fail"
    );
}

#[test]
fn a_failing_examples_file_is_named_with_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let def = definition(dir.path(), "d.lead", "");
    let companion = dir.path().join("d.examples.lead");
    std::fs::write(&companion, WRONG_EXAMPLE).expect("write the examples file");
    let results = dir.path().join("out.csv");
    let results = results.to_str().unwrap();
    let out = qualify(&[
        "score",
        def.to_str().unwrap(),
        &input(),
        "--as-of",
        AS_OF,
        "-o",
        results,
    ]);
    let err = stderr(&out);
    assert!(warns_about_the_wrong_example(&err, "warning"), "{err}");
    // The example starts on line 2 of the examples file; its expectation is on line 4.
    assert!(
        err.contains(&format!("{}:4: ", companion.display())),
        "{err}"
    );
}

#[test]
fn holding_examples_say_nothing() {
    // The shipped definitions' examples hold (CI checks them), so no warning,
    // and `--deny` lets the run go on: three bad rows are rejected (exit 3).
    let dir = tempfile::tempdir().expect("temp dir");
    let results = dir.path().join("out.csv");
    let out = qualify(&[
        "score",
        "rules/northwind.lead",
        "tests/data/northwind-small.csv",
        "--as-of",
        AS_OF,
        "--deny",
        "failing-examples",
        "-o",
        results.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert!(!err.contains("examples of"), "{err}");
    assert_eq!(out.status.code(), Some(3), "{err}");
}

#[test]
fn backtest_warns_and_denies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let def = definition(dir.path(), "d.lead", WRONG_EXAMPLE);
    let def = def.to_str().unwrap();
    let args = [
        "backtest",
        def,
        &input(),
        "--outcome",
        "won",
        "--as-of",
        AS_OF,
    ];
    let out = qualify(&args);
    let err = stderr(&out);
    assert!(warns_about_the_wrong_example(&err, "warning"), "{err}");
    assert!(out.stdout.len() > 100, "the report is still printed");
    let mut denied = args.to_vec();
    denied.extend(["--deny", "failing-examples"]);
    let out = qualify(&denied);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "no report when denied");
}

#[test]
fn diff_names_the_revision_whose_examples_fail() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = definition(dir.path(), "old.lead", "");
    let new = definition(dir.path(), "new.lead", WRONG_EXAMPLE);
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let out = qualify(&["diff", old, new]);
    let err = stderr(&out);
    assert!(warns_about_the_wrong_example(&err, "warning"), "{err}");
    assert!(
        err.contains(&format!("the examples of `{new}` do not hold")),
        "{err}"
    );
    assert!(!err.contains(&format!("the examples of `{old}`")), "{err}");
    let out = qualify(&["diff", old, new, "--deny", "failing-examples"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}
