//! A run's memory stays flat whatever the size of its input file.

use super::support::{score_northwind, stderr};

/// The peak memory a run's summary reports, in MB.
fn reported_peak_mb(summary: &str) -> f64 {
    let (_, after) = summary
        .split_once("peak memory ")
        .unwrap_or_else(|| panic!("the summary gives the peak memory: {summary}"));
    after
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a number of MB: {summary}"))
}

#[test]
fn scoring_a_file_does_not_keep_the_file_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("inquiries.csv");
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let file = std::fs::File::create(&input).unwrap();
    qualify::sample::write_inquiries(std::io::BufWriter::new(file), 400_000, 7, as_of, 0).unwrap();
    let size_mb = std::fs::metadata(&input).unwrap().len() as f64 / (1 << 20) as f64;
    assert!(size_mb > 90.0, "the file is large: {size_mb:.1} MB");
    let output = dir.path().join("scored.csv");
    let out = score_northwind(
        input.to_str().unwrap(),
        &["--threads", "2", "-o", output.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The summary reads the process's own high-water mark (VmHWM), which
    // counts every page of the mapped file the run still has mapped. Those
    // pages are handed back as they are read, so the peak is the run's
    // buffers (about 30 MB), not the file (over 90 MB).
    let peak = reported_peak_mb(&stderr(&out));
    assert!(
        peak > 1.0 && peak < 64.0,
        "peak memory {peak} MB for a {size_mb:.1} MB file"
    );
}
