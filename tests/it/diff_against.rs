//! `qualify diff --against`: the impact of a revision on inquiries, checked
//! against scoring each revision on its own with `qualify score`.

use crate::support::{qualify, stderr, stdout};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const OLD: &str = "rules/northwind.lead";
const NEW: &str = "rules/revisions/northwind-next.lead";
const AS_OF: &str = "2026-11-23";

/// A small deterministic pseudo-random generator (xorshift), so generated
/// inquiries are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// `rows` Northwind inquiries with the export's column names, written with the
/// csv crate into `dir`.
pub fn generate_inquiries(dir: &Path, rows: usize, seed: u64) -> PathBuf {
    let path = dir.join("inquiries.csv");
    let mut w = csv::Writer::from_path(&path).expect("create csv");
    w.write_record([
        "Inquiry ID",
        "source",
        "email",
        "job_title",
        "company_size",
        "Annual Budget (USD)",
        "timeline",
        "state",
        "demo_requested",
        "pages_viewed",
        "last_activity",
        "handed_off",
        "call_attempts",
        "email_attempts",
    ])
    .expect("header");
    let mut rng = Rng(seed | 1);
    for i in 0..rows {
        let domain = rng.pick(&["clinic.com", "smile.org", "rivalimaging.com", "example.com"]);
        let title = rng.pick(&[
            "Practice owner",
            "Dentist",
            "Office manager",
            "Student",
            "",
            "VP Ops",
            "Front desk",
        ]);
        let size = match rng.below(4) {
            0 => String::new(),
            _ => (1 + rng.below(300)).to_string(),
        };
        let budget = match rng.below(5) {
            0 => String::new(),
            _ => (rng.below(40) * 1000).to_string(),
        };
        let last = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
            - chrono::Duration::days(rng.below(60) as i64);
        let handed_off = match rng.below(4) {
            0 => (chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date")
                - chrono::Duration::days(rng.below(30) as i64))
            .to_string(),
            _ => String::new(),
        };
        w.write_record([
            format!("NW-{:05}", i + 1),
            rng.pick(&[
                "web",
                "inbound call",
                "event",
                "direct mail",
                "teleprospecting",
            ])
            .into(),
            format!("lead{i}@{domain}"),
            title.into(),
            size,
            budget,
            rng.pick(&["now", "this quarter", "this year", "unknown"])
                .into(),
            rng.pick(&["OH", "PA", "MI", "IN", "KY", "CA", "NY"]).into(),
            rng.pick(&["yes", "no", "no"]).into(),
            rng.below(15).to_string(),
            last.to_string(),
            handed_off,
            rng.below(6).to_string(),
            rng.below(4).to_string(),
        ])
        .expect("row");
    }
    w.flush().expect("flush");
    path
}

/// id → stage from `qualify score DEFINITION INPUT`.
fn stages_by_id(definition: &str, input: &str, dir: &Path) -> HashMap<String, String> {
    let rejects = dir.join(format!("{}.rejects.csv", definition.replace('/', "_")));
    let out = qualify(&[
        "score",
        definition,
        input,
        "--as-of",
        AS_OF,
        "--rejects",
        &rejects.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().expect("header").clone();
    let id = headers.iter().position(|h| h == "id").expect("id column");
    let stage = headers
        .iter()
        .position(|h| h == "stage")
        .expect("stage column");
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            (r[id].to_string(), r[stage].to_string())
        })
        .collect()
}

fn impact_json(input: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "diff",
        OLD,
        NEW,
        "--against",
        input,
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = qualify(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("json")
}

#[test]
fn the_migration_matrix_agrees_with_scoring_each_revision_separately() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = generate_inquiries(dir.path(), 600, 7);
    let input = input.to_string_lossy().into_owned();
    let old = stages_by_id(OLD, &input, dir.path());
    let new = stages_by_id(NEW, &input, dir.path());
    assert_eq!(old.len(), 600);
    assert_eq!(new.len(), 600);
    let impact = &impact_json(&input, &[])["impact"];
    let names = |key: &str| -> Vec<String> {
        impact[key]
            .as_array()
            .expect("stage list")
            .iter()
            .map(|s| s.as_str().expect("name").to_string())
            .collect()
    };
    let (old_stages, new_stages) = (names("old_stages"), names("new_stages"));
    let mut expected = vec![vec![0u64; new_stages.len()]; old_stages.len()];
    let mut moved = 0;
    for (id, o) in &old {
        let n = &new[id];
        let row = old_stages.iter().position(|s| s == o).expect("old stage");
        let col = new_stages.iter().position(|s| s == n).expect("new stage");
        expected[row][col] += 1;
        moved += u64::from(o != n);
    }
    let matrix: Vec<Vec<u64>> = serde_json::from_value(impact["matrix"].clone()).expect("matrix");
    assert_eq!(matrix, expected);
    assert_eq!(impact["moved"], moved);
    assert!(moved > 0, "the revision should move some of 600 inquiries");
    assert_eq!(impact["rows"]["read"], 600);
    assert_eq!(impact["rows"]["compared"], 600);
    assert_eq!(impact["rows"]["rejected"], 0);
    // The sample lists the first moved inquiries, each with a reason.
    let sample = impact["sample"].as_array().expect("sample");
    assert_eq!(sample.len(), 10);
    for m in sample {
        let id = m["id"].as_str().expect("id");
        assert_eq!(m["old_stage"], old[id].as_str());
        assert_eq!(m["new_stage"], new[id].as_str());
        assert!(!m["reasons"].as_array().expect("reasons").is_empty());
    }
}

#[test]
fn the_impact_report_as_text_and_markdown() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = generate_inquiries(dir.path(), 120, 42);
    let input = input.to_string_lossy().into_owned();
    for (format, name) in [("text", "impact_text"), ("markdown", "impact_markdown")] {
        let out = qualify(&[
            "diff",
            OLD,
            NEW,
            "--against",
            &input,
            "--as-of",
            AS_OF,
            "--format",
            format,
            "--show",
            "4",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out).replace(&input, "inquiries.csv");
        let impact = &text[text.find("mpact on").expect("impact section") - 1..];
        insta::assert_snapshot!(name, impact);
    }
}

#[test]
fn gates_fail_with_exit_4() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = generate_inquiries(dir.path(), 200, 3);
    let input = input.to_string_lossy().into_owned();
    let run = |extra: &[&str]| {
        let mut args = vec!["diff", OLD, NEW, "--against", &input, "--as-of", AS_OF];
        args.extend_from_slice(extra);
        qualify(&args)
    };
    let out = run(&["--fail-if-moved", "0"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("gate failed: "), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("more than `--fail-if-moved 0`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(run(&["--fail-if-moved", "100"]).status.code(), Some(0));
    let out = run(&["--fail-if-stage-changes", "sales ready"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("enter or leave stage `sales ready`"),
        "{}",
        stderr(&out)
    );
    let out = run(&["--fail-if-stage-changes", "sales redy"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("neither revision has a stage `sales redy`"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("did you mean `sales ready`?"),
        "{}",
        stderr(&out)
    );
    assert_eq!(run(&["--fail-if-moved", "150"]).status.code(), Some(2));
    // A stage nobody enters or leaves passes the gate.
    let json = impact_json(&input, &[]);
    let impact = &json["impact"];
    let stages: Vec<String> = serde_json::from_value(impact["old_stages"].clone()).expect("stages");
    let matrix: Vec<Vec<u64>> = serde_json::from_value(impact["matrix"].clone()).expect("matrix");
    for (k, stage) in stages.iter().enumerate() {
        let entering: u64 = (0..matrix.len())
            .filter(|&o| o != k)
            .map(|o| matrix[o][k])
            .sum();
        let leaving: u64 = (0..matrix.len())
            .filter(|&n| n != k)
            .map(|n| matrix[k][n])
            .sum();
        let expected = if entering + leaving > 0 { 4 } else { 0 };
        assert_eq!(
            run(&["--fail-if-stage-changes", stage]).status.code(),
            Some(expected),
            "{stage}"
        );
    }
}

#[test]
fn a_column_one_revision_needs_is_an_error_naming_that_revision() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = generate_inquiries(dir.path(), 5, 1);
    let input = input.to_string_lossy().into_owned();
    let text = std::fs::read_to_string(crate::support::root().join(NEW)).expect("read");
    let needs_industry = dir.path().join("next.lead");
    std::fs::write(
        &needs_industry,
        text.replace(
            "  state           text\n",
            "  state           text\n  industry        text\n",
        ),
    )
    .expect("write");
    let needs = needs_industry.to_string_lossy().into_owned();
    let out = qualify(&["diff", OLD, &needs, "--against", &input, "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!(
            "error: the new revision (`{needs}`) cannot be scored: the input has no column `industry` (for field `industry`)"
        )),
        "{}",
        stderr(&out)
    );
    let out = qualify(&["diff", &needs, OLD, "--against", &input, "--as-of", AS_OF]);
    assert!(
        stderr(&out).contains("error: the old revision"),
        "{}",
        stderr(&out)
    );
    // Optional in the new revision: simply missing, and the old one never reads it.
    std::fs::write(
        &needs_industry,
        text.replace(
            "  state           text\n",
            "  state           text\n  industry        text optional\n",
        ),
    )
    .expect("write");
    let out = qualify(&["diff", OLD, &needs, "--against", &input, "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn rejected_rows_are_counted_and_the_counts_add_up() {
    let rejects = tempfile::tempdir().expect("temp dir");
    let rejects = rejects.path().join("rejects.csv");
    let out = qualify(&[
        "diff",
        OLD,
        NEW,
        "--against",
        "tests/data/northwind-small.csv",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--rejects",
        &rejects.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let rows = &json["impact"]["rows"];
    assert_eq!(rows["read"], 6);
    assert_eq!(rows["compared"], 3);
    assert_eq!(rows["rejected"], 3);
    let matrix: Vec<Vec<u64>> =
        serde_json::from_value(json["impact"]["matrix"].clone()).expect("matrix");
    assert_eq!(matrix.iter().flatten().sum::<u64>(), 3);
    assert!(
        stderr(&out).contains("3 of 6 rows rejected"),
        "{}",
        stderr(&out)
    );
    let written = std::fs::read_to_string(&rejects).expect("rejects written");
    assert_eq!(written.lines().count(), 4, "{written}");
    assert!(
        written.contains("(rejected by both revisions)"),
        "{written}"
    );
}

/// The README shows the markdown report of the Northwind revision against the
/// generated inquiries; it must be what the command prints today.
#[test]
fn the_readme_example_is_current() {
    let out = qualify(&[
        "diff",
        OLD,
        NEW,
        "--against",
        "examples/northwind-inquiries.csv",
        "--as-of",
        AS_OF,
        "--format",
        "markdown",
        "--show",
        "5",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let readme = std::fs::read_to_string(crate::support::root().join("README.md")).expect("README");
    // The README shows the markdown as printed, headings included.
    let shown = stdout(&out);
    assert!(
        readme.contains(shown.trim()),
        "README.md is out of date; its `qualify diff` example should read:\n{shown}"
    );
}

#[test]
fn a_row_only_one_revision_rejects_is_not_compared_and_says_which() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(crate::support::root().join(OLD)).expect("read");
    let any_source = dir.path().join("any-source.lead");
    std::fs::write(
        &any_source,
        text.replace(
            "source          one of \"web\", \"inbound call\", \"event\", \"direct mail\", \"teleprospecting\"",
            "source          text",
        ),
    )
    .expect("write");
    let rejects = dir.path().join("rejects.csv");
    let out = qualify(&[
        "diff",
        OLD,
        &any_source.to_string_lossy(),
        "--against",
        "tests/data/northwind-small.csv",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--rejects",
        &rejects.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let rows = &json["impact"]["rows"];
    assert_eq!(rows["read"], 6);
    assert_eq!(rows["compared"], 3);
    assert_eq!(rows["rejected"], 3);
    assert_eq!(rows["rejected_by_old_only"], 1);
    assert_eq!(rows["rejected_by_new_only"], 0);
    let written = std::fs::read_to_string(&rejects).expect("rejects written");
    assert!(
        written.contains("fax,\"not one of \"\"web\"\", \"\"inbound call\"\", \"\"event\"\", \"\"direct mail\"\", \"\"teleprospecting\"\" (rejected by the old revision)\""),
        "{written}"
    );
}
