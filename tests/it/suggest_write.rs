//! `backtest --suggest --write` leaves a formatted definition formatted (CI runs
//! `fmt --check` on it next), and an unformatted one in its own layout.

use crate::support::{qualify, root, stderr};

const SAMPLE: &str = "tests/data/x-education-sample.csv";

/// `source` copied to a temporary `x.lead`, with `--suggest --write --force`
/// run on it (`--force`: the proposal breaks some examples' expected scores,
/// which is beside the point here). The written text.
fn suggest_and_write(source: &str) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("x.lead");
    let original = std::fs::read_to_string(root().join(source)).expect("read");
    std::fs::write(&path, &original).expect("write");
    let path = path.to_string_lossy().to_string();
    let out = qualify(&[
        "backtest",
        &path,
        SAMPLE,
        "--outcome",
        "Converted",
        "--suggest",
        "--write",
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(&path).expect("read");
    assert_ne!(written, original, "the proposal changes points");
    (dir, path, written)
}

#[test]
fn a_formatted_definition_stays_formatted() {
    // rules/ is formatted (CI checks it); the proposal changes points' widths.
    let (_dir, path, _) = suggest_and_write("rules/x-education.lead");
    let check = qualify(&["fmt", "--check", &path]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        crate::support::stdout(&check)
    );
}

#[test]
fn an_unformatted_definition_keeps_its_layout() {
    // This file is deliberately not aligned; `--write` edits numbers in place.
    let (_dir, path, written) = suggest_and_write("tests/data/x-education-bad.lead");
    assert!(
        written.contains("criterion \"working professional\"  +"),
        "two spaces kept:\n{written}"
    );
    let check = qualify(&["fmt", "--check", &path]);
    assert_eq!(check.status.code(), Some(1), "still not formatted");
}
