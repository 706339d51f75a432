//! `qualify check` as a user runs it: exit codes, formats, summary lines.

use crate::support::{qualify, rules_files, stderr, stdout};

#[test]
fn every_shipped_definition_is_clean() {
    let files = rules_files();
    assert!(!files.is_empty());
    let mut args = vec!["check", "--deny", "warnings", "--as-of", "2026-11-23"];
    args.extend(files.iter().map(String::as_str));
    let out = qualify(&args);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for f in &files {
        assert!(
            text.contains(&format!("{f}: 0 errors, 0 warnings")),
            "{text}"
        );
    }
}

#[test]
fn a_file_that_cannot_be_read_is_a_usage_error_naming_it() {
    let out = qualify(&["check", "rules/no-such-file.lead"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read `rules/no-such-file.lead`: no such file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_every_construct_definition_checks_clean_and_its_examples_pass() {
    let out = qualify(&[
        "check",
        "--deny",
        "warnings",
        "tests/cases/valid/every-construct.lead",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_failing_example_fails_the_check_and_names_both_values() {
    let out = qualify(&[
        "check",
        "--format",
        "json",
        "tests/cases/check/example-failed.lead",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    let errors: Vec<&serde_json::Value> = json
        .as_array()
        .expect("a list")
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{json}");
    let first = errors[0];
    assert_eq!(first["code"], "qualify::example-failed");
    assert_eq!(first["severity"], "error");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(20), Some(3))
    );
}

#[test]
fn github_format_prints_one_annotation_per_diagnostic() {
    let out = qualify(&[
        "check",
        "--format",
        "github",
        "tests/cases/check/unknown-field.lead",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("::error")).collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(
        lines[0].starts_with(
            "::error file=tests/cases/check/unknown-field.lead,line=16,col=33,endLine=16,endColumn=40,title=qualify%3A%3Aunknown-field::unknown field `budgett`"
        ),
        "{text}"
    );
    assert!(
        lines[0].contains("%0Ahelp: did you mean `budget`?"),
        "{text}"
    );
}

#[test]
fn a_deny_value_other_than_warnings_is_a_usage_error() {
    // A deny flag that is not `warnings` is a usage error.
    let out = qualify(&["check", "--deny", "errors", "rules/northwind.lead"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_file_gets_its_summary_line_even_after_an_error() {
    let out = qualify(&[
        "check",
        "tests/cases/check/cycle.lead",
        "rules/northwind.lead",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("tests/cases/check/cycle.lead: 1 error, 0 warnings"),
        "{text}"
    );
    assert!(
        text.contains("rules/northwind.lead: 0 errors, 0 warnings"),
        "{text}"
    );
}

#[test]
fn every_broken_case_exits_1_from_the_command_line() {
    let dir = crate::support::root().join("tests/cases/check");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir)
        .expect("case dir")
        .filter_map(|e| e.ok())
    {
        let path = format!("tests/cases/check/{}", entry.file_name().to_string_lossy());
        let out = qualify(&["check", "--as-of", "2025-11-23", &path]);
        assert_eq!(out.status.code(), Some(1), "{path}: {}", stdout(&out));
        assert!(
            stdout(&out).contains(&format!("{path}: ")),
            "{path}: no summary line"
        );
        seen += 1;
    }
    assert!(seen >= 30);
}

/// A diagnostic as (code, line, column, message).
type Found = (String, u64, u64, String);

/// `check --format json` of a definition written to a temporary file: the
/// exit code and each diagnostic.
fn diagnostics_of(text: &str) -> (Option<i32>, Vec<Found>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("d.lead");
    std::fs::write(&path, text).expect("write");
    let out = qualify(&["check", "--format", "json", path.to_str().expect("utf-8")]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    let found = json
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (out.status.code(), found)
}

const NAMED_VALUES: &str = r#"definition "named values"
fields {
  budget  number  optional
  email   text
  created date
}
let big_budget = 10000
let rival = "@rival.com"
let launch = 2026-01-01
let spare = 5
disqualify "competitor" when email ends with rival
criterion "has budget" +5 when budget >= big_budget
criterion "since launch" +5 when created >= launch
stage "hot" when score >= 10
stage "cold" otherwise
example "a budget after launch" {
  budget: 20000, email: "a@b.c", created: 2026-02-01
  expect stage "hot"
}
example "the rival" {
  budget: 20000, email: "x@RIVAL.com", created: 2026-02-01
  expect disqualified "competitor"
}
"#;

#[test]
fn a_let_can_name_a_number_text_or_date_and_is_used_like_one() {
    let (code, found) = diagnostics_of(NAMED_VALUES);
    // The examples pass (they would fail if the names did not stand for their
    // values); the one unused name is reported as a value.
    assert_eq!(code, Some(0), "{found:?}");
    assert_eq!(
        found,
        vec![(
            "qualify::unused".to_string(),
            10,
            5,
            "value `spare` is never used".to_string()
        )]
    );
}

#[test]
fn a_named_number_used_as_a_condition_is_a_type_mismatch_where_it_is_used() {
    let text = NAMED_VALUES.replace("when budget >= big_budget", "when big_budget");
    let (code, found) = diagnostics_of(&text);
    assert_eq!(code, Some(1));
    assert_eq!(
        found,
        vec![(
            "qualify::type-mismatch".to_string(),
            12,
            32,
            "a condition must be yes or no, but `big_budget` is a number".to_string()
        )]
    );
}
