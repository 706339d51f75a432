//! Events in the review tools: `diff --against --events` (both revisions
//! read the one events file, and the impact moves when an aggregate's
//! threshold does), `backtest --events` and `doc --against --events` (each
//! inquiry judged with its aggregates, as `score --events` judges it), and
//! the refusal of a definition with aggregates without `--events`.

use crate::support::{qualify, root, stderr, stdout};

/// The shipped cadence, its leads and its events, as paths.
fn paths() -> (String, String, String) {
    let r = root();
    let s = |p: &str| r.join(p).to_str().unwrap_or_default().to_string();
    (
        s("rules/recycle-cadence.lead"),
        s("examples/recycle-leads.csv"),
        s("examples/activity-events.csv"),
    )
}

/// The cadence with its "back to marketing" call count raised from `>= 4`
/// to `>= calls`.
fn with_calls(dir: &std::path::Path, calls: u32) -> String {
    let (rules, _, _) = paths();
    let text = std::fs::read_to_string(&rules).expect("the cadence");
    let from = r#"count of activity where type = "call" since handed_off >= 4"#;
    assert!(text.contains(from), "the cadence counts 4 calls");
    let to = format!(r#"count of activity where type = "call" since handed_off >= {calls}"#);
    let path = dir.join(format!("cadence-{calls}.lead"));
    std::fs::write(&path, text.replace(from, &to)).expect("write the revision");
    path.to_str().unwrap_or_default().to_string()
}

/// `diff --against --events --format json`: the impact as data.
fn impact(old: &str, new: &str, events: &str) -> (serde_json::Value, String) {
    let (_, leads, _) = paths();
    let out = qualify(&[
        "diff",
        old,
        new,
        "--against",
        &leads,
        "--events",
        events,
        "--as-of",
        "2026-11-20",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    (json["impact"].clone(), stderr(&out))
}

#[test]
fn diff_against_events_moves_the_leads_an_aggregate_threshold_moves() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (rules, _, events) = paths();
    // L-1 made exactly 4 calls since its hand-off: at 5 it stays with sales.
    let (i, err) = impact(&rules, &with_calls(dir.path(), 5), &events);
    assert_eq!(i["moved"], 1, "{i}");
    let sample = &i["sample"][0];
    assert_eq!(sample["id"], "L-1", "{i}");
    assert_eq!(sample["old_stage"], "back to marketing", "{i}");
    assert_eq!(sample["new_stage"], "working", "{i}");
    // One summary: both revisions read the events alike.
    let summary = "events `";
    assert_eq!(err.matches(summary).count(), 1, "{err}");
    assert!(
        err.contains("12 rows read = 10 used + 0 rejected + 1 after the as-of date + 1 for leads not in the input"),
        "{err}"
    );
    // At 3 calls nothing moves: L-1 still qualifies, no one else has calls enough.
    let (i, _) = impact(&rules, &with_calls(dir.path(), 3), &events);
    assert_eq!(i["moved"], 0, "{i}");
    // Without L-1's last call, the old revision no longer recycles it
    // either: the events file, read by both, decides.
    let fewer = dir.path().join("fewer.csv");
    let text = std::fs::read_to_string(&events).expect("the events");
    std::fs::write(&fewer, text.replace("L-1,call,2026-11-17,\n", "")).expect("write");
    let (i, _) = impact(
        &rules,
        &with_calls(dir.path(), 5),
        fewer.to_str().unwrap_or_default(),
    );
    assert_eq!(i["moved"], 0, "{i}");
}

#[test]
fn diff_against_events_reports_rejected_events_and_refuses_what_it_cannot_read() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (rules, leads, events) = paths();
    let bad = dir.path().join("bad.csv");
    let mut text = std::fs::read_to_string(&events).expect("the events");
    text.push_str("L-2,fax,2026-11-11,\n");
    std::fs::write(&bad, text).expect("write");
    let new = with_calls(dir.path(), 5);
    let bad = bad.to_str().unwrap_or_default();
    let base = [
        "diff",
        &rules,
        &new,
        "--against",
        &leads,
        "--as-of",
        "2026-11-20",
    ];
    let run = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        qualify(&args)
    };
    let out = run(&["--events", bad]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 rejected"), "{}", stderr(&out));
    assert!(stderr(&out).contains("line 14"), "{}", stderr(&out));
    // No `--events`: refused, naming it.
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--events FILE"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    // Both revisions read the events: stdin cannot be read twice.
    let out = run(&["--events", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not stdin"), "{}", stderr(&out));
    // `--events` for definitions without an events block.
    let plain = root().join("rules/northwind.lead");
    let plain = plain.to_str().unwrap_or_default();
    let out = qualify(&[
        "diff",
        plain,
        plain,
        "--against",
        &leads,
        "--events",
        &events,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("events NAME"), "{}", stderr(&out));
}

/// `backtest --events` judges each inquiry with its aggregates: its stage
/// counts are the stages `score --events` gives the same leads.
#[test]
fn backtest_with_events_counts_the_stages_score_gives() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (rules, _, events) = paths();
    let leads = dir.path().join("outcomes.csv");
    std::fs::write(
        &leads,
        "Lead ID,Handed Off,Won\n\
         L-1,2026-11-02,\n\
         L-2,2026-11-02,2026-11-19\n\
         L-3,,\n\
         L-4,2026-11-02,\n",
    )
    .expect("write the outcomes");
    let leads = leads.to_str().unwrap_or_default();
    let common = ["--events", &events, "--as-of", "2026-11-20"];
    let mut args = vec![
        "backtest",
        &rules,
        leads,
        "--outcome",
        "Won",
        "--won-if-present",
        "--format",
        "json",
    ];
    args.extend_from_slice(&common);
    let out = qualify(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("12 rows read = 10 used"),
        "{}",
        stderr(&out)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let stages: Vec<(String, u64, u64)> = json["backtest"]["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap_or_default().to_string(),
                s["inquiries"].as_u64().unwrap_or_default(),
                s["converted"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let mut args = vec!["score", &rules, leads];
    args.extend_from_slice(&common);
    let scored = qualify(&args);
    let scored = stdout(&scored);
    let in_stage = |name: &str| scored.matches(&format!(",{name},")).count() as u64;
    assert_eq!(
        stages,
        [
            (
                "back to marketing".to_string(),
                in_stage("back to marketing"),
                0
            ),
            ("engaged".to_string(), in_stage("engaged"), 1),
            ("working".to_string(), in_stage("working"), 0),
            ("disqualified".to_string(), 0, 0),
        ],
        "{scored}"
    );
    assert_eq!(
        in_stage("back to marketing"),
        1,
        "L-1 worked the cadence: {scored}"
    );
    assert_eq!(in_stage("engaged"), 1, "L-2 replied: {scored}");
    // Without `--events` the definition is refused, naming it.
    let out = qualify(&[
        "backtest",
        &rules,
        leads,
        "--outcome",
        "Won",
        "--won-if-present",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--events FILE"), "{}", stderr(&out));
}

/// `doc --against --events`: "How it lands" counts the stages the events give.
#[test]
fn doc_against_events_lands_as_score_does() {
    let (rules, leads, events) = paths();
    let out = qualify(&[
        "doc",
        &rules,
        "--against",
        &leads,
        "--events",
        &events,
        "--as-of",
        "2026-11-20",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = stdout(&out);
    let lands = &page[page.find("How it lands").expect("a landing section")..];
    // Each of the three leads lands where its events put it.
    for stage in ["back to marketing", "engaged", "working"] {
        assert!(lands.contains(&format!("| {stage} | 1 |")), "{lands}");
    }
    let out = qualify(&["doc", &rules, "--against", &leads]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--events FILE"), "{}", stderr(&out));
}

/// `backtest --as-of-field`: each inquiry is judged as of its own date, so
/// no event after that date (nor any day after it) moves it; an inquiry
/// without the date is rejected with its line.
#[test]
fn backtest_as_of_each_inquirys_own_date_never_sees_later_events() {
    let (rules, _, events) = paths();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let leads = dir.path().join("leads.csv");
    // L-1 handed off 2026-11-02: as of that day it has no events and no
    // business days behind it; as of 2026-11-20 it worked the cadence.
    std::fs::write(
        &leads,
        "Lead ID,Handed Off,Won\nL-1,2026-11-02,no\nL-2,2026-11-02,yes\nL-3,2026-11-20,yes\nL-4,,no\n",
    )
    .expect("write the leads");
    let leads = leads.to_str().unwrap_or_default().to_string();
    let backtest = |events: &str, extra: &[&str], code: i32| {
        let mut args = vec![
            "backtest",
            &rules,
            &leads,
            "--outcome",
            "Won",
            "--events",
            events,
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let out = qualify(&args);
        assert_eq!(out.status.code(), Some(code), "{}", stderr(&out));
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
        (json, stderr(&out))
    };
    let stages = |json: &serde_json::Value| -> Vec<(String, u64)> {
        json["backtest"]["stages"]
            .as_array()
            .expect("stages")
            .iter()
            .map(|s| {
                (
                    s["name"].as_str().unwrap_or_default().to_string(),
                    s["inquiries"].as_u64().unwrap_or_default(),
                )
            })
            .collect()
    };
    // L-4's missing date is a rejected row: exit 3.
    let (own, said) = backtest(&events, &["--as-of-field", "handed_off"], 3);
    assert_eq!(
        stages(&own),
        [
            ("back to marketing".to_string(), 0),
            ("engaged".to_string(), 0),
            ("working".to_string(), 3),
            ("disqualified".to_string(), 0),
        ]
    );
    assert_eq!(own["run"]["as_of"], "each inquiry's handed_off");
    assert_eq!(own["run"]["rejected"], 1);
    assert!(
        own["run"]["first_rejects"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("--as-of-field handed_off")),
        "{own}"
    );
    // L-1 and L-2 see none of their 8 events, L-3 one of its three.
    assert!(
        said.contains("9 events dated after their inquiry's own date, not seen"),
        "{said}"
    );
    // One date for all: L-1 worked the cadence by 2026-11-20.
    let (shared, _) = backtest(&events, &["--as-of", "2026-11-20"], 0);
    assert_eq!(stages(&shared)[0], ("back to marketing".to_string(), 1));
    // Replay: more events after each inquiry's own date change nothing.
    let mut later = std::fs::read_to_string(&events).expect("the events");
    later.push_str(
        "L-1,reply,2026-11-03,\nL-2,page view,2026-11-05,/pricing\nL-3,reply,2026-11-21,\n",
    );
    let later_path = dir.path().join("later.csv");
    std::fs::write(&later_path, later).expect("write the events");
    let (again, said) = backtest(
        later_path.to_str().unwrap_or_default(),
        &["--as-of-field", "handed_off"],
        3,
    );
    assert_eq!(again["backtest"], own["backtest"]);
    assert!(said.contains("12 events dated after"), "{said}");
    // A field that is not a date is refused, naming it.
    let out = qualify(&[
        "backtest",
        &rules,
        &leads,
        "--outcome",
        "Won",
        "--events",
        &events,
        "--as-of-field",
        "id",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`id` is text, not a date"),
        "{}",
        stderr(&out)
    );
}

/// `test --events`: an example that names a lead's `id` has that lead's
/// events from the export too; a bad event row fails the run, named by line.
#[test]
fn test_with_events_gives_an_example_its_leads_exported_events() {
    let (rules, _, events) = paths();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut text = std::fs::read_to_string(&rules).expect("the definition");
    text.push_str(
        "\nexample \"L-1 as exported\" {\n  as of 2026-11-20\n  id: \"L-1\"\n  handed_off: 2026-11-02\n  expect stage \"back to marketing\"\n}\n",
    );
    let def = dir.path().join("recycle.lead");
    std::fs::write(&def, text).expect("write the definition");
    let def = def.to_str().unwrap_or_default();
    let out = qualify(&["test", def, "--events", &events]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("6 passed, 0 failed"),
        "{}",
        stdout(&out)
    );
    // Without the export, L-1 has no calls: the example fails.
    let out = qualify(&["test", def]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("FAIL  L-1 as exported"),
        "{}",
        stdout(&out)
    );
    // A bad event row fails the run and names its line.
    let bad = dir.path().join("bad.csv");
    let mut sample = std::fs::read_to_string(&events).expect("the events");
    sample.push_str("L-1,fax,2026-11-11,\n");
    std::fs::write(&bad, sample).expect("write the events");
    let out = qualify(&["test", def, "--events", bad.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("rejected event, line 14"),
        "{}",
        stdout(&out)
    );
}
