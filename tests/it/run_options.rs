//! The options around a run: `--threads` bounds, the options `explain` does
//! not take, `explain --id` on a rejected or shared id, and arguments given
//! in the wrong order. Cases from the hostile-input reproducers 12, 18 and 20.

use crate::support::{qualify, stderr, stdout};
use std::time::{Duration, Instant};

const CASE_08: &str = "tests/data/hostile/08-output-overwrites-input";
const CASE_12: &str = "tests/data/hostile/12-explain-id-skips-rejected";

fn def(case: &str) -> String {
    format!("{case}/def.lead")
}

fn input(case: &str) -> String {
    format!("{case}/in.csv")
}

#[test]
fn thread_counts_outside_one_to_a_few_per_core_are_refused() {
    let (d, i) = (def(CASE_08), input(CASE_08));
    let out = qualify(&["score", &d, &i, "--threads", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("at least 1 thread"),
        "{}",
        stderr(&out)
    );
    // A hang guard, not a speed claim: the count is refused before any
    // thread starts.
    let started = Instant::now();
    let out = qualify(&["score", &d, &i, "--threads", "100000"]);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("threads here (8 per core"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
    let out = qualify(&["score", &d, &i, "--threads", "1", "--as-of", "2026-11-23"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

/// `explain` explains one row: it writes no rejects file, and a count of
/// the rows it reads past would stop it short of the one asked for.
#[test]
fn explain_takes_no_rejects_options() {
    let (d, i) = (def(CASE_08), input(CASE_08));
    for extra in [["--rejects", "r.csv"], ["--max-rejects", "1"]] {
        let mut args = vec!["explain", &d, &i, "--row", "1"];
        args.extend(extra);
        let out = qualify(&args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(
            stderr(&out).contains(&format!("unexpected argument '{}'", extra[0])),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn explain_id_reports_the_first_row_with_it_when_rejected() {
    let (d, i) = (def(CASE_12), input(CASE_12));
    // Row 2 has the id `B` and is rejected; rows 3 (` b `) and 4 share it.
    let out = qualify(&["explain", &d, &i, "--id", "B", "--as-of", "2026-11-23"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "error: row 2 (line 3) of `{i}`, the first with the id `B`, is rejected: \
             `n` is `x` (not a number)\n  note: rows 3, 4 of `{i}` also have the id `B`; \
             `--row N` explains one of them\n"
        )
    );
    let out = qualify(&["explain", &d, &i, "--row", "3", "--as-of", "2026-11-23"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn explain_id_explains_the_first_of_rows_sharing_it_and_names_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.csv");
    std::fs::write(&path, "id,name,n,ok\nA,a,1,no\nB,b,9,yes\n a ,c,9,yes\n").unwrap();
    let i = path.to_str().unwrap();
    let out = qualify(&[
        "explain",
        &def(CASE_12),
        i,
        "--id",
        "a",
        "--format",
        "json",
        "--as-of",
        "2026-11-23",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    // Row 1 (n = 1, ok = no) scores 0; row 3 would score 15.
    assert_eq!(json["score"], 0, "{json}");
    assert_eq!(
        stderr(&out),
        format!(
            "note: explaining row 1, the first with the id `a`; row 3 of `{i}` also has \
             the id `a`; `--row N` explains one of them\n"
        )
    );
    let out = qualify(&[
        "explain",
        &def(CASE_12),
        i,
        "--id",
        "B",
        "--as-of",
        "2026-11-23",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn swapped_definition_and_inquiries_are_named() {
    let (d, i) = (def(CASE_08), input(CASE_08));
    for command in ["score", "explain", "backtest"] {
        let mut args = vec![command, &i, &d];
        match command {
            "explain" => args.extend(["--row", "1"]),
            "backtest" => args.extend(["--outcome", "ok"]),
            _ => {}
        }
        let out = qualify(&args);
        assert_eq!(out.status.code(), Some(2), "{command}: {}", stderr(&out));
        assert_eq!(
            stderr(&out),
            format!(
                "error: the first argument `{i}` looks like an inquiries file and the second, \
                 `{d}`, looks like a definition; did you mean `qualify {command} {d} {i}`?\n"
            )
        );
    }
    let out = qualify(&["diff", &d, &i]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "`{i}` looks like an inquiries file, not a revision of a definition; score \
             inquiries under both revisions with `qualify diff OLD NEW --against {i}`"
        )),
        "{}",
        stderr(&out)
    );
}
