//! One rejects policy: `score`, `diff --against`, `backtest` and `explain`
//! read the same file with bad rows through the one driver, reject the same
//! rows for the same reasons, write the same rejects file (`diff` adds which
//! revision rejected the row), and stop at the same row for `--max-rejects`.

use crate::support::{qualify, stderr};
use std::path::Path;

const DEF: &str = r#"fields {
  id text
  n number optional
  won yes/no optional
}
criterion "big" +10 when n > 5
stage "hot" when score >= 10
stage "cold" otherwise
"#;

/// Rows 2 and 4 are rejected (`n` is not a number); `won` is every row's
/// outcome for the backtest.
const INPUT: &str = "id,n,won\nA,6,yes\nB,x,no\nC,1,no\nD,y,yes\nE,9,yes\n";

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("def.lead"), DEF).unwrap();
    std::fs::write(dir.path().join("in.csv"), INPUT).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let def = dir.join("def.lead");
    let input = dir.join("in.csv");
    let (def, input) = (def.to_str().unwrap(), input.to_str().unwrap());
    let mut all: Vec<&str> = args
        .iter()
        .map(|a| match *a {
            "DEF" => def,
            "IN" => input,
            a => a,
        })
        .collect();
    all.extend(["--as-of", "2026-11-23"]);
    qualify(&all)
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The rejects file as (line, row, column, value, reason, raw) records.
fn records(text: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Every command's rejects for `args` (and `--rejects NAME`), as records.
fn rejects_of_each(dir: &Path, extra: &[&str]) -> [(Vec<Vec<String>>, String); 3] {
    let p = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let (s, d, b) = (p("s.csv"), p("d.csv"), p("b.csv"));
    let mut score = vec!["score", "DEF", "IN", "--rejects", &s];
    let mut diff = vec!["diff", "DEF", "DEF", "--against", "IN", "--rejects", &d];
    let mut backtest = vec!["backtest", "DEF", "IN", "--outcome", "won", "--rejects", &b];
    let mut out = Vec::new();
    for (args, name) in [
        (&mut score, "s.csv"),
        (&mut diff, "d.csv"),
        (&mut backtest, "b.csv"),
    ] {
        args.extend(extra);
        let o = run(dir, args);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stderr(&o));
        out.push((records(&read(dir, name)), stderr(&o)));
    }
    out.try_into().unwrap()
}

#[test]
fn every_command_rejects_the_same_rows_for_the_same_reasons() {
    let dir = setup();
    let [(score, _), (diff, _), (backtest, _)] = rejects_of_each(dir.path(), &[]);
    let rows: Vec<&str> = score.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(rows, ["2", "4"], "{score:?}");
    assert_eq!(score[0][4], "not a number", "{score:?}");
    assert_eq!(backtest, score);
    // `diff` says which revision rejected the row, after the same reason.
    let untagged: Vec<Vec<String>> = diff
        .into_iter()
        .map(|mut r| {
            r[4] = r[4]
                .strip_suffix(" (rejected by both revisions)")
                .unwrap_or_else(|| panic!("{r:?}"))
                .to_string();
            r
        })
        .collect();
    assert_eq!(untagged, score);
    // `explain` reports the row asked for with the same reason.
    let o = run(dir.path(), &["explain", "DEF", "IN", "--row", "4"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).ends_with(&format!(
            "row 4 (line 5) of `{}` is rejected: `n` is `y` ({})\n",
            dir.path().join("in.csv").display(),
            score[1][4]
        )),
        "{}",
        stderr(&o)
    );
}

#[test]
fn every_command_stops_at_the_same_row_for_max_rejects() {
    let dir = setup();
    let [(score, score_err), (diff, diff_err), (backtest, backtest_err)] =
        rejects_of_each(dir.path(), &["--max-rejects", "1"]);
    // Each stops at row 2, the first rejected, its reject written.
    for (rejects, err) in [
        (&score, &score_err),
        (&diff, &diff_err),
        (&backtest, &backtest_err),
    ] {
        let rows: Vec<&str> = rejects.iter().map(|r| r[1].as_str()).collect();
        assert_eq!(rows, ["2"], "{err}");
    }
    assert!(
        score_err.contains("at row 2 after 1 rejected row (--max-rejects)"),
        "{score_err}"
    );
    assert!(
        diff_err.contains(
            "stopped after 1 rejected row (`--max-rejects`); the impact covers the first 2 rows"
        ),
        "{diff_err}"
    );
    assert!(
        backtest_err.contains(
            "stopped after 1 rejected row (`--max-rejects`); the report covers the first 2 rows"
        ),
        "{backtest_err}"
    );
    // The backtest's figures cover the rows before the stop: row 1 only.
    let o = run(
        dir.path(),
        &[
            "backtest",
            "DEF",
            "IN",
            "--outcome",
            "won",
            "--max-rejects",
            "1",
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["run"]["rows_read"], 2, "{json}");
    assert_eq!(json["run"]["rejected"], 1, "{json}");
    // `explain` looks at one row: rejects elsewhere are not its to count.
    let o = run(
        dir.path(),
        &["explain", "DEF", "IN", "--row", "5", "--max-rejects", "1"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unexpected argument '--max-rejects'"),
        "{}",
        stderr(&o)
    );
    let o = run(dir.path(), &["explain", "DEF", "IN", "--row", "5"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A run whose rejects writing fails reports the rejects file, in every
/// command, and commits nothing.
#[test]
fn a_rejects_file_that_cannot_be_written_fails_every_command_alike() {
    let dir = setup();
    let bad = dir.path().join("no/such/folder/r.csv");
    let bad = bad.to_str().unwrap();
    for args in [
        vec!["score", "DEF", "IN", "--rejects", bad],
        vec!["diff", "DEF", "DEF", "--against", "IN", "--rejects", bad],
        vec![
            "backtest",
            "DEF",
            "IN",
            "--outcome",
            "won",
            "--rejects",
            bad,
        ],
    ] {
        let o = run(dir.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains(&format!("error: cannot write `{bad}`: there is no folder")),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}
