//! A run's memory stays flat whatever the size of its input file.

use super::support::root;
use std::process::{Command, Stdio};

/// Peak resident memory, in KiB, of `qualify ARGS` (run from the repository
/// root), and its exit status. The child is reaped with wait4() so that its
/// own usage is reported, not that of every child this test binary ran.
#[allow(clippy::zombie_processes)] // reaped by wait4(), which clippy cannot see
fn peak_kib(args: &[&str]) -> (i64, i32) {
    let child = Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args(args)
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the qualify binary runs");
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid, and the pid is our own child,
    // not yet reaped (the `Child` is never waited on).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 reaps the child");
    (usage.ru_maxrss, libc::WEXITSTATUS(status))
}

#[test]
fn scoring_a_file_does_not_keep_the_file_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("inquiries.csv");
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let file = std::fs::File::create(&input).unwrap();
    qualify::sample::write_inquiries(std::io::BufWriter::new(file), 400_000, 7, as_of, 0).unwrap();
    let size_kib = (std::fs::metadata(&input).unwrap().len() / 1024) as i64;
    assert!(size_kib > 90 * 1024, "the file is large: {size_kib} KiB");
    let output = dir.path().join("scored.csv");
    let (peak, status) = peak_kib(&[
        "score",
        "rules/northwind.lead",
        input.to_str().unwrap(),
        "--as-of",
        "2026-11-23",
        "--threads",
        "2",
        "-o",
        output.to_str().unwrap(),
    ]);
    assert_eq!(status, 0);
    // The mapped file's pages are handed back as they are read: the run's
    // peak is its buffers (about 30 MB), not the file (over 90 MB).
    assert!(
        peak < 64 * 1024,
        "peak resident memory {peak} KiB for a {size_kib} KiB file"
    );
}
