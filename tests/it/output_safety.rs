//! No output overwrites an input or another output: `-o`, `--rejects`,
//! `--html` against the files read (by any name: links, hard links,
//! stdin), against stdout, and the results/rejects pair a `--max-rejects`
//! stop leaves (src/output/same_file.rs, src/output/run_files.rs).
//! Cases from the hostile-input reproducers 08, 16 and 19.
#![cfg(unix)]

use crate::support::{root, stderr};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A definition (`def.lead`) and a two-row input whose second row is
/// rejected (`in.csv`), copied into a fresh folder.
fn case() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let from = root().join("tests/data/hostile/08-output-overwrites-input");
    for name in ["def.lead", "in.csv"] {
        std::fs::copy(from.join(name), dir.path().join(name)).unwrap();
    }
    let path = dir.path().to_path_buf();
    (dir, path)
}

/// `qualify COMMAND` (its words split at spaces) run in `dir`, stdout and
/// stderr captured.
fn run_in(dir: &Path, command: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args(command.split(' '))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// `qualify COMMAND` (its words split at spaces) refused with status 2 and
/// `message`, every file of `dir` left as it was.
fn assert_refused(dir: &Path, command: &str, message: &str) {
    let before = snapshot(dir);
    let out = run_in(dir, command);
    assert_eq!(out.status.code(), Some(2), "{command}: {}", stderr(&out));
    assert!(
        stderr(&out).contains(message),
        "{command}: {}",
        stderr(&out)
    );
    assert_eq!(snapshot(dir), before, "{command} changed a file");
}

/// Every file of `dir` with its contents.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap_or_default())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn results_are_never_written_over_the_input_by_any_name() {
    let (_tmp, dir) = case();
    std::os::unix::fs::symlink("in.csv", dir.join("link.csv")).unwrap();
    std::fs::hard_link(dir.join("in.csv"), dir.join("hard.csv")).unwrap();
    for (out, message) in [
        (
            "in.csv",
            "the results file `in.csv` is the input file: give `-o` another path",
        ),
        (
            "./in.csv",
            "the results file `./in.csv` is the input file `in.csv`",
        ),
        (
            "link.csv",
            "the results file `link.csv` is the input file `in.csv`",
        ),
        (
            "hard.csv",
            "the results file `hard.csv` is the input file `in.csv`",
        ),
    ] {
        assert_refused(&dir, &format!("score def.lead in.csv -o {out}"), message);
    }
}

#[test]
fn the_definition_and_its_examples_file_are_never_written_over() {
    let (_tmp, dir) = case();
    std::fs::write(dir.join("def.examples.lead"), "# examples\n").unwrap();
    assert_refused(
        &dir,
        "score def.lead in.csv -o out.csv --rejects def.lead",
        "the rejects file `def.lead` is the definition: give `--rejects` another path",
    );
    assert_refused(
        &dir,
        "score def.lead in.csv -o def.lead",
        "the results file `def.lead` is the definition: give `-o` another path",
    );
    assert_refused(
        &dir,
        "score def.lead in.csv -o def.examples.lead",
        "the results file `def.examples.lead` is the definition's examples file",
    );
    // The default rejects file beside the results is an output too.
    std::fs::copy(dir.join("in.csv"), dir.join("out.csv.rejects.csv")).unwrap();
    assert_refused(
        &dir,
        "score def.lead out.csv.rejects.csv -o out.csv",
        "the rejects file `out.csv.rejects.csv` is the input file: give `--rejects` another path",
    );
}

#[test]
fn stdin_redirected_from_the_output_is_refused() {
    let (_tmp, dir) = case();
    let before = read(&dir.join("in.csv"));
    let out = Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args(["score", "def.lead", "-", "-o", "in.csv"])
        .current_dir(&dir)
        .stdin(std::fs::File::open(dir.join("in.csv")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the results file `in.csv` is the input file"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&dir.join("in.csv")), before);
}

#[test]
fn two_outputs_that_would_become_one_file_are_refused() {
    let (_tmp, dir) = case();
    // Neither exists yet; the link points at the results file to be.
    std::os::unix::fs::symlink("out.csv", dir.join("r.csv")).unwrap();
    assert_refused(
        &dir,
        "score def.lead in.csv -o out.csv --rejects r.csv",
        "the rejects file `r.csv` is the results file `out.csv`: give `--rejects` another path",
    );
    assert!(!dir.join("out.csv").exists());
}

#[test]
fn backtest_and_diff_write_over_no_input() {
    let (_tmp, dir) = case();
    std::fs::write(dir.join("outcomes.csv"), "id,won\n1,yes\n2,no\n").unwrap();
    let backtest = "backtest def.lead in.csv --outcomes outcomes.csv --on id --outcome won";
    for (extra, message) in [
        ("--html in.csv", "the HTML page `in.csv` is the input file"),
        (
            "--rejects outcomes.csv",
            "the rejects file `outcomes.csv` is the outcomes file",
        ),
        (
            "--html def.lead",
            "the HTML page `def.lead` is the definition",
        ),
    ] {
        assert_refused(&dir, &format!("{backtest} {extra}"), message);
    }
    assert_refused(
        &dir,
        "backtest def.lead in.csv --outcome ok --html r.html --rejects r.html",
        "the rejects file `r.html` is the HTML page",
    );
    assert_refused(
        &dir,
        "diff def.lead def.lead --against in.csv --rejects in.csv",
        "the rejects file `in.csv` is the input file",
    );
    assert_refused(
        &dir,
        "diff def.lead def.lead --against in.csv --rejects def.lead",
        "the rejects file `def.lead` is the old revision",
    );
}

/// `qualify COMMAND > out` with stdout a file opened as the shell would,
/// `append` for `>>`.
fn run_with_stdout(dir: &Path, command: &str, out: &Path, append: bool) -> Output {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(append)
        .truncate(!append)
        .open(out)
        .unwrap();
    Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args(command.split(' '))
        .current_dir(dir)
        .stdout(file)
        .output()
        .unwrap()
}

#[test]
fn rejects_to_the_stdout_the_results_go_to_are_refused() {
    let (_tmp, dir) = case();
    let all = dir.join("all.txt");
    let out = run_with_stdout(
        &dir,
        "score def.lead in.csv --rejects /dev/stdout",
        &all,
        false,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "the rejects file `/dev/stdout` is stdout (where the results go): \
             give `--rejects` another path"
        ),
        "{}",
        stderr(&out)
    );
    // `>> in.csv` would grow the input with its own results.
    let input = dir.join("in.csv");
    let before = read(&input);
    let out = run_with_stdout(&dir, "score def.lead in.csv", &input, true);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("stdout (where the results go) is the input file `in.csv`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&input), before);
}

#[test]
fn a_dash_is_no_rejects_file() {
    let (_tmp, dir) = case();
    for command in [
        "score def.lead in.csv --rejects -",
        "backtest def.lead in.csv --outcome ok --rejects -",
        "diff def.lead def.lead --against in.csv --rejects -",
    ] {
        let out = run_in(&dir, command);
        assert_eq!(out.status.code(), Some(2), "{command}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("rejected rows go to a file, not to stdout"),
            "{command}: {}",
            stderr(&out)
        );
        assert!(!dir.join("-").exists(), "{command} made a file `-`");
    }
}

#[test]
fn rejects_to_a_redirected_stderr_are_appended_not_put_in_its_place() {
    let (_tmp, dir) = case();
    let log = dir.join("log.txt");
    std::fs::write(&log, "earlier line\n").unwrap();
    let appending = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args([
            "score",
            "def.lead",
            "in.csv",
            "-o",
            "out.csv",
            "--rejects",
            "/dev/stderr",
        ])
        .current_dir(&dir)
        .stderr(appending)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let log = read(&log);
    let mut lines = log.lines();
    assert_eq!(lines.next(), Some("earlier line"), "{log}");
    assert_eq!(
        lines.next(),
        Some("line,row,column,value,reason,raw"),
        "{log}"
    );
    assert_eq!(
        lines.next(),
        Some("3,2,n,x,not a number,\"2,b,x,no\""),
        "{log}"
    );
    // The summary follows, on the same stream.
    assert!(log.contains("1 rejected"), "{log}");
    assert!(!dir.join("out.csv.rejects.csv").exists());
}

/// The pair a run before left: results and rejects of its own.
const OLD_RESULTS: &str = "id,score,stage,disqualified,matched\nOLD,1,cold,,\n";
const OLD_REJECTS: &str = "line,row,column,value,reason,raw\n99,99,n,OLD,old reject,OLD\n";

#[test]
fn a_max_rejects_stop_replaces_neither_file_of_the_pair() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let from = root().join("tests/data/hostile/19-max-rejects-mixed-pair");
    for name in ["def.lead", "in.csv"] {
        std::fs::copy(from.join(name), dir.join(name)).unwrap();
    }
    std::fs::write(dir.join("out.csv"), OLD_RESULTS).unwrap();
    std::fs::write(dir.join("out.csv.rejects.csv"), OLD_REJECTS).unwrap();
    let stopped = dir.join("out.csv.rejects.stopped.csv");

    let out = run_in(
        dir,
        "score def.lead in.csv -o out.csv --max-rejects 1 --as-of 2026-11-23",
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(read(&dir.join("out.csv")), OLD_RESULTS);
    assert_eq!(read(&dir.join("out.csv.rejects.csv")), OLD_REJECTS);
    assert_eq!(
        read(&stopped),
        "line,row,column,value,reason,raw\n3,2,n,x,not a number,\"2,b,x,no\"\n"
    );
    let summary = stderr(&out);
    assert!(
        summary.contains(
            "nothing was replaced: `out.csv` and `out.csv.rejects.csv` are as they were before this run"
        ),
        "{summary}"
    );
    assert!(
        summary.contains("the rows rejected before the stop are in `"),
        "{summary}"
    );
    assert!(
        summary.contains("out.csv.rejects.stopped.csv`"),
        "{summary}"
    );

    // The next finished run replaces the pair, and the stopped run's rejects go.
    let out = run_in(dir, "score def.lead in.csv -o out.csv --as-of 2026-11-23");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(read(&dir.join("out.csv")).contains("\n4,"));
    assert_eq!(read(&dir.join("out.csv.rejects.csv")).lines().count(), 3);
    assert!(!stopped.exists());
}

#[test]
fn a_max_rejects_stop_on_stdout_writes_its_rejects_in_place() {
    let (_tmp, dir) = case();
    let out = run_in(
        &dir,
        "score def.lead in.csv --rejects r.csv --max-rejects 1",
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    // Results on stdout cannot be held back: the rejects stay with them.
    assert_eq!(read(&dir.join("r.csv")).lines().count(), 2);
    assert!(!dir.join("r.stopped.csv").exists());
    assert!(
        stderr(&out).contains("the results written before the stop are incomplete"),
        "{}",
        stderr(&out)
    );
}
