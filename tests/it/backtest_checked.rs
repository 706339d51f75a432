//! `qualify backtest`'s intervals and calibration on the shipped X Education
//! sample, recomputed by `tests/python/check_backtest.py` with numpy and
//! scipy from `qualify score`'s results.

use crate::support::{python_with, qualify, root, stderr};

const DEFINITION: &str = "rules/x-education.lead";
const SAMPLE: &str = "tests/data/x-education-sample.csv";
const AS_OF: &str = "2026-01-01";

#[test]
fn backtest_intervals_and_calibration_agree_with_an_independent_computation() {
    let test = "backtest_intervals_and_calibration_agree_with_an_independent_computation";
    let Some(python) = python_with(test, &["numpy", "scipy"]) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, args: &[&str]| {
        let out = qualify(args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let path = dir.path().join(name);
        std::fs::write(&path, &out.stdout).expect("write");
        path
    };
    let scored = write(
        "scored.csv",
        &["score", DEFINITION, SAMPLE, "--as-of", AS_OF],
    );
    let backtest = write(
        "backtest.json",
        &[
            "backtest",
            DEFINITION,
            SAMPLE,
            "--outcome",
            "Converted",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
    );
    let check = std::process::Command::new(python)
        .arg(root().join("tests/python/check_backtest.py"))
        .arg(root().join(SAMPLE))
        .arg("Converted")
        .args([&scored, &backtest])
        .output()
        .expect("run python");
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}
