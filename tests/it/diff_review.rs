//! `qualify diff OLD NEW --against FILE --outcome COLUMN`: the review with
//! outcomes on the shipped X Education sample, against a revision that
//! demotes marketing-qualified inquiries that convert well. Its figures are
//! checked by an independent computation (numpy and scipy), its reports by
//! reviewed snapshots.

use crate::support::{python_with, qualify, root, stderr, stdout};

const OLD: &str = "rules/x-education.lead";
const NEW: &str = "examples/x-education-next.lead";
const SAMPLE: &str = "tests/data/x-education-sample.csv";
const AS_OF: &str = "2026-01-01";

fn review(old: &str, new: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "diff",
        old,
        new,
        "--against",
        SAMPLE,
        "--outcome",
        "Converted",
        "--as-of",
        AS_OF,
    ];
    args.extend_from_slice(extra);
    qualify(&args)
}

fn review_json(old: &str, new: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let out = review(old, new, &args);
    serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)))
}

#[test]
fn the_review_reports_as_text_and_markdown() {
    for (format, name) in [("text", "review_text"), ("markdown", "review_markdown")] {
        let out = review(OLD, NEW, &["--format", format, "--show", "2"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        insta::assert_snapshot!(name, stdout(&out));
    }
}

#[test]
fn the_review_as_json() {
    let json = review_json(OLD, NEW, &[]);
    let review = serde_json::to_string_pretty(&json["impact"]["review"]).expect("json");
    insta::assert_snapshot!("review_json", review);
}

#[test]
fn demoted_leads_converting_above_their_landing_stage_are_flagged() {
    let json = review_json(OLD, NEW, &[]);
    let review = &json["impact"]["review"];
    let flagged: Vec<&serde_json::Value> = review["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .filter(|c| !c["flag"].is_null())
        .collect();
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    let cell = flagged[0];
    assert_eq!(cell["old_stage"], "marketing qualified");
    assert_eq!(cell["new_stage"], "nurture");
    let flag = cell["flag"].as_str().unwrap_or_default();
    assert!(flag.starts_with("demoted to \"nurture\""), "{flag}");
    // Cells that did not move are never flagged, whatever they convert at.
    for c in review["cells"].as_array().expect("cells") {
        if c["old_stage"] == c["new_stage"] {
            assert!(c["flag"].is_null(), "{c}");
        }
    }
}

#[test]
fn fail_if_worse_exits_4_only_when_the_new_revision_ranks_clearly_worse() {
    let worse = review(OLD, NEW, &["--fail-if-worse"]);
    assert_eq!(worse.status.code(), Some(4), "{}", stderr(&worse));
    assert!(stderr(&worse).contains("gate failed: the new revision ranks clearly worse"));
    // The same revision the other way round ranks clearly better.
    let better = review_json(NEW, OLD, &["--fail-if-worse"]);
    assert_eq!(better["impact"]["review"]["verdict"]["judgement"], "better");
    let out = review(NEW, OLD, &["--fail-if-worse"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Without the gate, a worse verdict is only reported.
    assert_eq!(review(OLD, NEW, &[]).status.code(), Some(0));
}

#[test]
fn every_row_is_judged_open_or_rejected_and_the_counts_add_up() {
    // `0` open: only the converted rows are judged, and nothing can be ranked.
    let json = review_json(OLD, NEW, &["--won", "1", "--open", "0"]);
    let (impact, r) = (&json["impact"], &json["impact"]["review"]);
    let n = |v: &serde_json::Value| v.as_u64().unwrap_or(u64::MAX);
    assert_eq!(n(&impact["rows"]["read"]), 308);
    assert_eq!(n(&r["judged"]), 119);
    assert_eq!(n(&r["open"]), 189);
    assert_eq!(
        n(&impact["rows"]["compared"]),
        n(&r["judged"]) + n(&r["open"])
    );
    assert_eq!(
        n(&impact["rows"]["read"]),
        n(&impact["rows"]["compared"]) + n(&impact["rows"]["rejected"])
    );
    assert!(r["auc"].is_null());
    assert_eq!(r["verdict"]["judgement"], "no-clear-difference");
    // An outcome that cannot be read rejects the row, named and counted.
    let out = qualify(&[
        "diff",
        OLD,
        NEW,
        "--against",
        SAMPLE,
        "--outcome",
        "Lead Origin",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--rejects",
        "/dev/null",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let rows = &json["impact"]["rows"];
    assert_eq!(rows["rejected"], 308);
    assert_eq!(rows["rejected_for_outcome"], 308);
    assert!(
        stderr(&out).contains("is not an outcome qualify knows"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn outcome_needs_an_input_file() {
    let out = qualify(&["diff", OLD, NEW, "--outcome", "Converted"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`--against FILE`"),
        "{}",
        stderr(&out)
    );
}

/// Every figure of the review, recomputed by `tests/python/check_review.py`
/// from `qualify score`'s results of each revision with numpy and scipy.
#[test]
fn the_review_agrees_with_an_independent_computation() {
    let Some(python) = python_with(
        "the_review_agrees_with_an_independent_computation",
        &["numpy", "scipy"],
    ) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let scored = |definition: &str, name: &str| {
        let out = qualify(&["score", definition, SAMPLE, "--as-of", AS_OF]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let path = dir.path().join(name);
        std::fs::write(&path, &out.stdout).expect("write");
        path
    };
    let (old, new) = (scored(OLD, "old.csv"), scored(NEW, "new.csv"));
    let json = dir.path().join("review.json");
    let out = review(OLD, NEW, &["--format", "json"]);
    std::fs::write(&json, &out.stdout).expect("write");
    let check = std::process::Command::new(python)
        .arg(root().join("tests/python/check_review.py"))
        .arg(root().join(SAMPLE))
        .arg("Converted")
        .args([&old, &new, &json])
        .output()
        .expect("run python");
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}

/// docs/diff.md's worked review shows lines of what the command prints.
#[test]
fn the_worked_review_in_the_docs_is_what_diff_prints() {
    let docs = std::fs::read_to_string(root().join("docs/diff.md")).expect("docs/diff.md");
    let start = docs
        .find("$ qualify diff rules/x-education.lead")
        .expect("worked review");
    let block = &docs[start..docs[start..].find("```").map_or(docs.len(), |e| start + e)];
    let out = review(OLD, NEW, &["--show", "0"]);
    let printed = stdout(&out);
    let mut checked = 0;
    for line in block.lines().skip(1) {
        if line.trim().is_empty() || line == "..." {
            continue;
        }
        assert!(
            printed.lines().any(|p| p == line),
            "not printed: {line}\n{printed}"
        );
        checked += 1;
    }
    assert!(checked >= 15, "{checked}");
}

/// A wins-only export of the same outcomes, joined on the id with
/// `--won-if-present --absent lost`, gives the same review as the
/// `Converted` column: one reading path, whichever way the outcomes come.
#[test]
fn a_wins_only_outcomes_file_gives_the_same_review_as_the_outcome_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut reader = csv::Reader::from_path(root().join(SAMPLE)).expect("sample");
    let headers = reader.headers().expect("header").clone();
    let id = headers.iter().position(|h| h == "Prospect ID").expect("id");
    let converted = headers
        .iter()
        .position(|h| h == "Converted")
        .expect("outcome");
    let mut wins = String::from("Prospect ID,won_on\n");
    for record in reader.records() {
        let record = record.expect("record");
        if &record[converted] == "1" {
            wins.push_str(&format!("{},2025-05-01\n", &record[id]));
        }
    }
    // A win of an inquiry not in the sample: counted, not matched.
    wins.push_str("nobody,2025-05-01\n");
    let wins_path = dir.path().join("wins.csv");
    std::fs::write(&wins_path, wins).expect("write");
    let wins_path = wins_path.to_string_lossy().into_owned();
    let out = qualify(&[
        "diff",
        OLD,
        NEW,
        "--against",
        SAMPLE,
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--outcomes",
        &wins_path,
        "--on",
        "Prospect ID",
        "--outcome",
        "won_on",
        "--won-if-present",
        "--absent",
        "lost",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let joined: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let column = review_json(OLD, NEW, &[]);
    let (joined, column) = (&joined["impact"]["review"], &column["impact"]["review"]);
    assert_eq!(joined["absent_as_lost"], 189);
    assert_eq!(joined["outcomes_file"]["rows"], 120);
    assert_eq!(joined["outcomes_file"]["unmatched_ids"], 1);
    assert!(column["outcomes_file"].is_null());
    for key in [
        "judged",
        "converted",
        "cells",
        "auc",
        "verdict",
        "old_stages",
        "new_stages",
    ] {
        assert_eq!(joined[key], column[key], "{key}");
    }
}
