//! `qualify explain` and `qualify score --explain` as a user runs them.

use crate::support::{qualify, stderr, stdout};

const SMALL: &str = "tests/data/northwind-small.csv";

fn explain(extra: &[&str]) -> std::process::Output {
    let mut args = vec!["explain", "rules/northwind.lead", "--as-of", "2026-11-23"];
    args.extend_from_slice(extra);
    qualify(&args)
}

#[test]
fn a_row_of_an_input_file_explained() {
    let out = explain(&[SMALL, "--row", "5"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn an_inquiry_given_as_json_explained() {
    let out = explain(&[
        "--inquiry",
        r#"{"Inquiry ID": "N-1042", "email": "ann@smile.com", "job_title": "Practice owner",
            "demo_requested": "yes", "Annual Budget (USD)": 7500, "timeline": "now",
            "state": "OH", "pages_viewed": 7, "last_activity": "2026-10-01"}"#,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

/// Every row `score --explain` scores has the score and `why` that `explain --id` gives.
#[test]
fn score_explain_agrees_with_explain_on_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("r.csv");
    let out = qualify(&[
        "score",
        "rules/northwind.lead",
        SMALL,
        "--as-of",
        "2026-11-23",
        "--explain",
        "--format",
        "jsonl",
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let rows: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    for row in rows {
        let id = row["id"].as_str().unwrap();
        let e = explain(&[SMALL, "--id", id, "--format", "json"]);
        assert_eq!(e.status.code(), Some(0), "{}", stderr(&e));
        let e: serde_json::Value = serde_json::from_str(&stdout(&e)).unwrap();
        assert_eq!(e["score"], row["score"], "{id}");
        assert_eq!(e["stage"], row["stage"], "{id}");
        assert_eq!(e["why"], row["why"], "{id}");
        assert!(!row["why"].as_str().unwrap().is_empty());
    }
}

#[test]
fn the_why_column_is_last_in_csv() {
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("r.csv");
    let out = qualify(&[
        "score",
        "rules/northwind.lead",
        SMALL,
        "--as-of",
        "2026-11-23",
        "--explain",
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("id,score,stage,disqualified,matched,why")
    );
    assert_eq!(
        lines.nth(1),
        Some("N-2,-15,disqualified,competitor,gone quiet,disqualified: competitor; gone quiet -15")
    );
}

#[test]
fn a_rejected_row_is_reported_with_its_reason() {
    let out = explain(&[SMALL, "--row", "3"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stdout(&out).is_empty());
    assert_eq!(
        stderr(&out),
        "error: row 3 (line 4) of `tests/data/northwind-small.csv` is rejected: `source` is `fax` \
         (not one of \"web\", \"inbound call\", \"event\", \"direct mail\", \"teleprospecting\")\n"
    );
}

#[test]
fn a_row_or_id_that_is_not_there_is_a_usage_error() {
    let out = explain(&[SMALL, "--row", "99"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: `tests/data/northwind-small.csv` has 6 rows, so there is no row 99\n"
    );
    let out = explain(&[SMALL, "--id", "N-77"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: no inquiry in `tests/data/northwind-small.csv` has the id `N-77`\n",
        "rejected rows are searched too: each has its id cell"
    );
    let out = explain(&[SMALL]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`--row N` or `--id VALUE`"),
        "{}",
        stderr(&out)
    );
    let out = explain(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--inquiry"), "{}", stderr(&out));
}

#[test]
fn ids_match_ignoring_case_and_spaces() {
    let out = explain(&[SMALL, "--id", " n-1 "]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("inquiry \"N-1\", as of 2026-11-23"));
}

#[test]
fn a_bad_inquiry_names_the_field_and_the_problem() {
    let out = explain(&["--inquiry", r#"{"budget": "lots", "demo_requested": 3}"#]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: the `--inquiry` cannot be read: `budget`: \"lots\" is not a number; \
         `demo_requested`: \"3\" is not yes/no (write yes, no, true, false, y, n, 1 or 0)\n"
    );
    let out = explain(&["--inquiry", "[1, 2]"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("must be a JSON object"),
        "{}",
        stderr(&out)
    );
    let out = explain(&["--inquiry", "{budget: 1}"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("it is not JSON"), "{}", stderr(&out));
}

#[test]
fn an_unknown_key_is_a_warning_with_a_suggestion() {
    let out = explain(&["--inquiry", r#"{"budgt": 20000}"#]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        "warning: `budgt` is not a field of the definition and is ignored (did you mean `budget`?)\n"
    );
    assert!(stdout(&out).contains("budget >= 10000   (budget is missing)"));
}

#[test]
fn a_definition_with_errors_is_not_explained() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.lead");
    std::fs::write(
        &path,
        "fields {\n  budget number\n}\ncriterion \"x\" +1 when budgit > 1\nstage \"a\" otherwise\n",
    )
    .unwrap();
    let out = qualify(&["explain", path.to_str().unwrap(), "--inquiry", "{}"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("budgit"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
}
