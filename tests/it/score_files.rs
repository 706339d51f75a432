//! `qualify score`'s files: where results and rejects go, which paths are
//! refused, and the line each reject points at.

use crate::support::{qualify, score_northwind as score, stderr, stdout};

const SMALL: &str = "tests/data/northwind-small.csv";

#[test]
fn a_rejects_file_that_is_the_results_or_the_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("scored.csv");
    let same = output.to_str().unwrap();
    let out = score(SMALL, &["-o", same, "--rejects", same]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is the results file"),
        "{}",
        stderr(&out)
    );
    assert!(!output.exists());
    // A device replaces nothing: both may go there.
    let out = score(SMALL, &["-o", "/dev/null", "--rejects", "/dev/null"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));

    let input = dir.path().join("in.csv");
    std::fs::copy(SMALL, &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    // Named differently (`./`), the same file all the same.
    let other_name = dir.path().join(".").join("in.csv");
    let out = score(
        input.to_str().unwrap(),
        &["-o", same, "--rejects", other_name.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is the input file"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read(&input).unwrap(),
        before,
        "the input is untouched"
    );
}

#[test]
fn a_clean_run_leaves_no_earlier_rejects_beside_its_results() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("scored.csv");
    let rejects = dir.path().join("scored.csv.rejects.csv");
    let out = score(SMALL, &["-o", output.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        std::fs::read_to_string(&rejects).unwrap().lines().count(),
        4
    );

    let clean = dir.path().join("clean.csv");
    let small = std::fs::read_to_string(SMALL).unwrap();
    let kept: Vec<&str> = small.lines().take(3).collect();
    std::fs::write(&clean, kept.join("\n") + "\n").unwrap();
    let out = score(clean.to_str().unwrap(), &["-o", output.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&rejects).unwrap(),
        "line,row,column,value,reason,raw\n",
        "the earlier run's rejects are gone"
    );

    // Named with --rejects, the file is written even when nothing is rejected.
    let named = dir.path().join("named.csv");
    let out = score(
        clean.to_str().unwrap(),
        &[
            "-o",
            output.to_str().unwrap(),
            "--rejects",
            named.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&named).unwrap(),
        "line,row,column,value,reason,raw\n"
    );
}

#[test]
fn a_dash_as_output_is_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("r.csv");
    let out = qualify(&[
        "score",
        "rules/northwind.lead",
        SMALL,
        "--as-of",
        "2026-11-23",
        "-o",
        "-",
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stdout(&out).starts_with("id,score,stage"),
        "{}",
        stdout(&out)
    );
    assert!(!crate::support::root().join("-").exists());
}

#[test]
fn keeping_a_column_named_like_a_result_column_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    let small = std::fs::read_to_string(SMALL).unwrap();
    std::fs::write(&input, small.replacen("notes", "Score", 1)).unwrap();
    let out = score(input.to_str().unwrap(), &["--keep", "Score"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("two columns named `Score`"),
        "{}",
        stderr(&out)
    );
    let out = score(SMALL, &["--keep", "Notes,notes"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn a_reject_points_at_the_line_its_row_starts_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    let small = std::fs::read_to_string(SMALL).unwrap();
    let lines: Vec<&str> = small.lines().collect();
    // The header with LF, blank lines, then rows with CRLF: the bad row
    // (source `fax`, the small file's third data row) starts on line 5.
    let text = format!(
        "{}\n\n\n{}\r\n{}\r\n",
        lines[0].trim_start_matches('\u{feff}'),
        lines[1],
        lines[3]
    );
    std::fs::write(&input, text).unwrap();
    let rejects = dir.path().join("r.csv");
    let out = score(
        input.to_str().unwrap(),
        &["--rejects", rejects.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let rejected = std::fs::read_to_string(&rejects).unwrap();
    assert!(rejected.contains("\n5,2,source,fax,"), "{rejected}");
}
