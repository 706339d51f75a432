//! Messages that count say "1 row", "1 error", "1 criterion": counts of one
//! in every place a message used to say "1 rows" or "1 error(s)".

use crate::support::{qualify, stderr, stdout};
use std::path::Path;

const ONE: &str = "tests/data/newcomer/one-of-each.lead";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a test file");
    path.to_string_lossy().into_owned()
}

#[test]
fn a_run_over_one_row_says_one_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = write(dir.path(), "one.csv", "id,title\nA,owner\n");
    let out = qualify(&["score", ONE, &input, "--as-of", "2026-11-23"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(": 1 row read, 1 scored, 0 rejected"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_stop_after_one_reject_says_one_rejected_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = write(dir.path(), "bad.csv", "id,title\nA\nB,owner\n");
    let rejects = dir.path().join("rejects.csv");
    let out = qualify(&[
        "score",
        ONE,
        &input,
        "--as-of",
        "2026-11-23",
        "--max-rejects",
        "1",
        "--rejects",
        &rejects.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(" after 1 rejected row (--max-rejects)"),
        "{}",
        stderr(&out)
    );
    let written = std::fs::read_to_string(&rejects).expect("rejects written");
    assert!(
        written.contains("the row has 1 cell, the header has 2"),
        "{written}"
    );
}

#[test]
fn a_definition_with_one_error_says_one_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(crate::support::root().join(ONE)).expect("read");
    let broken = write(
        dir.path(),
        "broken.lead",
        &text.replace("title matches", "titel matches"),
    );
    let input = write(dir.path(), "one.csv", "id,title\nA,owner\n");
    let out = qualify(&["score", &broken, &input]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("has 1 error; nothing was scored"),
        "{}",
        stderr(&out)
    );
    let out = qualify(&["compile", &broken]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("has 1 error; nothing was compiled"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn compiling_one_of_each_says_one_of_each() {
    let out = qualify(&["compile", ONE]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(" for 1 criterion, 1 disqualifier, 1 stage"),
        "{}",
        stderr(&out)
    );
    let out = qualify(&["compile", ONE, "--listing"]);
    let listing = stdout(&out);
    let head = listing.lines().next().unwrap_or_default();
    assert!(head.contains(", 1 regex ("), "{head}");
}

#[test]
fn explain_past_the_only_row_says_one_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = write(dir.path(), "one.csv", "id,title\nA,owner\n");
    let out = qualify(&["explain", ONE, &input, "--row", "5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has 1 row, so there is no row 5"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_gate_moved_by_one_inquiry_says_one_inquiry() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = write(
        dir.path(),
        "old.lead",
        "definition \"Gate\"\n\nfields {\n  id     text\n  title  text  optional\n}\n\n\
         criterion \"owner\" +20 when title matches /owner/\n\n\
         stage \"hot\"  when score >= 20\nstage \"cold\" otherwise\n",
    );
    let new = write(
        dir.path(),
        "new.lead",
        &std::fs::read_to_string(&old)
            .expect("read")
            .replace(">= 20", ">= 30"),
    );
    let input = write(dir.path(), "two.csv", "id,title\nA,owner\nB,clerk\n");
    let out = qualify(&[
        "diff",
        &old,
        &new,
        "--against",
        &input,
        "--as-of",
        "2026-11-23",
        "--fail-if-stage-changes",
        "hot",
    ]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("gate failed: 1 inquiry enters or leaves stage `hot`"),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("1 of 2 inquiries (50%) changes stage"),
        "{}",
        stdout(&out)
    );
}
