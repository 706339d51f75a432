//! `qualify test` (examples, failures explained, coverage) and how `check`
//! picks up a definition's `NAME.examples.lead` file.

use crate::support::{qualify, root, rules_files, stderr, stdout};
use std::path::Path;
use std::process::{Command, Output};

/// Run qualify in `dir`, so that paths in the output are short and stable.
fn qualify_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the qualify binary runs")
}

/// A directory holding a copy of northwind.lead and `examples` as its companion.
fn northwind_with(examples: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("rules/northwind.lead"),
        dir.path().join("northwind.lead"),
    )
    .unwrap();
    std::fs::write(dir.path().join("northwind.examples.lead"), examples).unwrap();
    dir
}

const FAILING: &str = r#"# broken on purpose
example "a director with a small budget" {
  as of 2026-11-23
  email: "d@x.com", job_title: "Director", budget: 7500, company_size: 500
  expect stage "marketing qualified"
  expect score 35
  expect matched "has budget", "decision maker"
}

example "a competitor" {
  email: "x@rivalimaging.com"
  expect disqualified "competitor"
}
"#;

#[test]
fn every_shipped_definition_is_fully_covered_by_its_examples() {
    let files = rules_files();
    let mut args = vec!["test", "--min-coverage", "100", "--as-of", "2026-11-23"];
    args.extend(files.iter().map(String::as_str));
    let out = qualify(&args);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    for f in &files {
        assert!(text.contains(&format!("coverage of {f}: 100% (")), "{text}");
        assert!(
            text.contains(&format!("{f}: ")) && text.contains(" 0 failed"),
            "{text}"
        );
    }
    assert!(!text.contains("not covered"), "{text}");
}

#[test]
fn the_coverage_of_northwind() {
    let out = qualify(&[
        "test",
        "--coverage",
        "rules/northwind.lead",
        "--as-of",
        "2026-11-23",
    ]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn a_failing_example_shows_each_failed_expectation_and_the_explanation() {
    let dir = northwind_with(FAILING);
    let out = qualify_in(
        dir.path(),
        &["test", "northwind.lead", "--as-of", "2026-11-23"],
    );
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn failures_as_github_annotations() {
    let dir = northwind_with(FAILING);
    let out = qualify_in(
        dir.path(),
        &[
            "test",
            "northwind.lead",
            "--format",
            "github",
            "--as-of",
            "2026-11-23",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn failures_as_json_carry_the_explanation() {
    let dir = northwind_with(FAILING);
    let out = qualify_in(
        dir.path(),
        &[
            "test",
            "northwind.lead",
            "--format",
            "json",
            "--coverage",
            "--as-of",
            "2026-11-23",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let def = &j["definitions"][0];
    assert_eq!(def["definition"], "northwind.lead");
    assert_eq!(
        (def["passed"].as_u64(), def["failed"].as_u64()),
        (Some(2), Some(1))
    );
    let failed = &def["examples"][1];
    assert_eq!(failed["name"], "a director with a small budget");
    assert_eq!(failed["file"], "northwind.examples.lead");
    assert_eq!(failed["line"], 2);
    let failures = failed["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 3);
    assert_eq!(failures[1]["line"], 6);
    assert_eq!(failures[1]["expected"], "score 35");
    assert_eq!(failures[1]["actual"], "score 20");
    assert_eq!(failed["explanation"]["score"], 20);
    assert_eq!(failed["explanation"]["stage"], "nurture");
    assert!(def["examples"][0].get("explanation").is_none());
    let items = def["coverage"]["items"].as_array().unwrap();
    let competitor = &items[0];
    assert_eq!(competitor["name"], "competitor");
    assert_eq!(competitor["made_true_by"][0], "a competitor");
    assert_eq!(competitor["covered"], true);
}

#[test]
fn min_coverage_fails_below_the_threshold() {
    let dir = northwind_with("");
    let out = qualify_in(
        dir.path(),
        &[
            "test",
            "northwind.lead",
            "--min-coverage",
            "90",
            "--as-of",
            "2026-11-23",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("northwind.lead: coverage 44.8% is below the minimum of 90%"),
        "{text}"
    );
    assert!(
        text.contains("stage \"nurture\" is never made true by an example"),
        "{text}"
    );
    let ok = qualify_in(
        dir.path(),
        &[
            "test",
            "northwind.lead",
            "--min-coverage",
            "44",
            "--as-of",
            "2026-11-23",
        ],
    );
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    let bad = qualify_in(
        dir.path(),
        &["test", "northwind.lead", "--min-coverage", "120"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("`120` is not a percentage from 0 to 100"));
}

#[test]
fn naming_the_examples_file_tests_its_definition_once() {
    let out = qualify(&[
        "test",
        "rules/northwind.examples.lead",
        "rules/northwind.lead",
        "--as-of",
        "2026-11-23",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert_eq!(
        text.matches("rules/northwind.lead: 7 passed, 0 failed")
            .count(),
        1,
        "{text}"
    );
}

#[test]
fn check_runs_the_companion_examples_and_points_into_that_file() {
    let dir = northwind_with(FAILING);
    let out = qualify_in(
        dir.path(),
        &[
            "check",
            "northwind.lead",
            "--format",
            "json",
            "--as-of",
            "2026-11-23",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let diags = j.as_array().unwrap();
    assert_eq!(diags.len(), 1, "{j}");
    assert_eq!(diags[0]["code"], "qualify::example-failed");
    assert_eq!(diags[0]["file"], "northwind.examples.lead");
    assert_eq!(
        (diags[0]["line"].as_u64(), diags[0]["column"].as_u64()),
        (Some(5), Some(3))
    );
}

#[test]
fn an_examples_file_holds_only_examples_of_known_fields() {
    let dir = northwind_with(
        "criterion \"extra\" +5 when budget > 1\n\
         example \"typo\" {\n  budgit: 5\n  expect stage \"nurture\"\n}\n",
    );
    let out = qualify_in(dir.path(), &["check", "northwind.examples.lead"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    insta::assert_snapshot!(text);
    let test = qualify_in(dir.path(), &["test", "northwind.lead"]);
    assert_eq!(test.status.code(), Some(1));
    assert!(
        stdout(&test).contains("northwind.lead: not tested, because it has errors"),
        "{}",
        stdout(&test)
    );
}

#[test]
fn an_examples_file_of_a_broken_definition_is_said_to_be_unchecked() {
    let dir = northwind_with(FAILING);
    std::fs::write(
        dir.path().join("northwind.lead"),
        "fields {\n  budget number\n}\nstage \"a\" when budgit > 1\n",
    )
    .unwrap();
    let out = qualify_in(dir.path(), &["check", "northwind.lead"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out)
            .contains("northwind.examples.lead: not checked, because `northwind.lead` has errors"),
        "{}",
        stdout(&out)
    );
}
