//! Same definition, data and as-of date → byte-identical output and rejects,
//! whatever the number of threads and whichever engine scores.

use crate::support::{qualify, stderr};
use std::path::{Path, PathBuf};

/// A generated file in `dir`: several chunks' worth of rows, 2% of them bad.
fn nine_thousand_rows(dir: &Path) -> PathBuf {
    let input = dir.join("in.csv");
    let file = std::fs::File::create(&input).unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    qualify::sample::write_inquiries(file, 9_000, 7, as_of, 2).unwrap();
    input
}

#[test]
fn output_is_identical_for_any_thread_count_and_engine() {
    let dir = tempfile::tempdir().unwrap();
    let input = nine_thousand_rows(dir.path());
    let run = |name: &str, extra: &[&str]| {
        let out = dir.path().join(format!("{name}.csv"));
        let mut args = vec![
            "score",
            "rules/northwind.lead",
            input.to_str().unwrap(),
            "--as-of",
            "2026-11-23",
            "--points",
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let result = qualify(&args);
        assert_eq!(result.status.code(), Some(3), "{}", stderr(&result));
        let summary = stderr(&result);
        assert!(summary.contains("9000 rows read"), "{summary}");
        let rejects = std::fs::read(dir.path().join(format!("{name}.csv.rejects.csv"))).unwrap();
        (std::fs::read(&out).unwrap(), rejects)
    };
    let one = run("one", &["--threads", "1"]);
    let two = run("two", &["--threads", "2"]);
    let many = run("many", &["--threads", "5"]);
    let reference = run("reference", &["--engine", "reference", "--threads", "2"]);
    assert!(one.0.len() > 100_000);
    assert!(one.1.len() > 1_000);
    assert!(one == two, "1 and 2 threads differ");
    assert!(one == many, "1 and 5 threads differ");
    assert!(one == reference, "program and reference differ");
}

#[test]
fn max_rejects_stops_at_the_same_row_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    // The 100th reject is in the third chunk (of 2,048 rows), so the threads
    // have read past it when the run stops.
    let input = nine_thousand_rows(dir.path());
    let run = |threads: &str| {
        let rejects = dir.path().join(format!("rejects-{threads}.csv"));
        let result = qualify(&[
            "score",
            "rules/northwind.lead",
            input.to_str().unwrap(),
            "--as-of",
            "2026-11-23",
            "--max-rejects",
            "100",
            "--threads",
            threads,
            "--rejects",
            rejects.to_str().unwrap(),
            "-o",
            dir.path().join("out.csv").to_str().unwrap(),
        ]);
        assert_eq!(result.status.code(), Some(3), "{}", stderr(&result));
        let summary = stderr(&result);
        let counts = summary
            .lines()
            .find(|l| l.contains("rejected rows (--max-rejects)"))
            .unwrap_or_else(|| panic!("no stop in {summary}"))
            .to_string();
        // A stopped run keeps its rejects apart from the rejects file.
        let stopped = dir.path().join(format!("rejects-{threads}.stopped.csv"));
        (counts, std::fs::read_to_string(&stopped).unwrap())
    };
    let one = run("1");
    assert!(one.0.contains(" after 100 rejected rows"), "{}", one.0);
    let read: u64 = one
        .0
        .split(" at row ")
        .nth(1)
        .and_then(|c| c.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    // It stopped in the third chunk, not at the end of the file.
    assert!(read > 2 * 2048 && read < 9_000, "{}", one.0);
    let records = csv::Reader::from_reader(one.1.as_bytes()).records().count();
    assert_eq!(records, 100, "{}", one.1);
    assert_eq!(one, run("2"));
    assert_eq!(one, run("5"));
}
