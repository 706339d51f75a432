//! The generated lead and activity exports (`qualify::sample::events`):
//! the same bytes for the same arguments, and `score --events` on a small
//! pair rejects exactly the bad rows planted, its counts adding up.

use crate::support::{qualify, stderr};
use qualify::sample::events::{write_events, Planted};

fn generate(leads: u64, events: u64, seed: u64) -> (Vec<u8>, Vec<u8>, Planted) {
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
    let (mut l, mut e) = (Vec::new(), Vec::new());
    let planted = write_events(&mut l, &mut e, leads, events, seed, as_of).expect("written");
    (l, e, planted)
}

#[test]
fn the_same_arguments_give_the_same_bytes() {
    let a = generate(400, 6000, 7);
    let b = generate(400, 6000, 7);
    assert!(a.0 == b.0 && a.1 == b.1 && a.2 == b.2);
    let c = generate(400, 6000, 8);
    assert!(a.0 != c.0 && a.1 != c.1);
    // Exactly the rows asked for, headers aside.
    let lines = |b: &[u8]| b.iter().filter(|&&c| c == b'\n').count();
    assert_eq!((lines(&a.0), lines(&a.1)), (401, 6001));
}

#[test]
fn a_generated_pair_scores_with_counts_that_add_up() {
    let (leads, events, p) = generate(500, 12_000, 3);
    assert!(!p.bad_lead_lines.is_empty() && p.bad_events > 5, "{p:?}");
    assert!(
        p.unknown_lead_events > 0 && p.after_as_of > 0 && p.duplicates > 0,
        "{p:?}"
    );
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
    std::fs::write(path("l.csv"), leads).expect("written");
    std::fs::write(path("e.csv"), events).expect("written");
    let out = qualify(&[
        "score",
        "rules/recycle-cadence.lead",
        &path("l.csv"),
        "--events",
        &path("e.csv"),
        "--as-of",
        "2026-11-23",
        "-o",
        &path("out.csv"),
    ]);
    let err = stderr(&out);
    let bad_leads = p.bad_lead_lines.len() as u64;
    assert!(
        err.contains(&format!(
            "500 rows read, {} scored, {bad_leads} rejected",
            500 - bad_leads
        )),
        "{err}"
    );
    let used = p.events - p.bad_events - p.after_as_of - p.unknown_lead_events;
    assert!(
        err.contains(&format!(
            "12000 rows read = {used} used + {} rejected + {} after the as-of date + {} for leads not in the input",
            p.bad_events, p.after_as_of, p.unknown_lead_events
        )),
        "{err}"
    );
    // The rejected rows are the planted ones, by line.
    for line in &p.bad_event_lines[..5] {
        assert!(
            err.contains(&format!("rejected event, line {line}:")),
            "{line}: {err}"
        );
    }
    let rejects = std::fs::read_to_string(path("out.csv.rejects.csv")).expect("rejects");
    let lines: Vec<u64> = rejects
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next()?.parse().ok())
        .collect();
    assert_eq!(lines, p.bad_lead_lines);
    let scored = std::fs::read_to_string(path("out.csv")).expect("results");
    assert_eq!(scored.lines().count() as u64, 1 + 500 - bad_leads);
}
