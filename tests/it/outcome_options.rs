//! The outcome options `backtest` and `diff --against` share: a wins-only
//! export (`--won-if-present`, `--absent lost`) and open outcomes (`--open`).
//! Every row read is backtested, open or rejected, and the counts add up.

use crate::support::{qualify, stderr, stdout};

const DEFINITION: &str = "tests/data/backtest-small.lead";
const INQUIRIES: &str = "tests/data/backtest-small.csv";

/// Wins only: one row per deal with its won date, one still pending; no row
/// for inquiries 3, 6, 7, 8, 10, 11, 12 (13 is rejected for its `demo`).
const DEALS: &str =
    "id,won_date\n1,2018-01-01\n2,2018-02-01\n4,2018-03-01\n5,pending\n9,2018-04-01\n";

fn backtest(extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let dir = tempfile::tempdir().expect("temp dir");
    let deals = dir.path().join("deals.csv");
    std::fs::write(&deals, DEALS).expect("write");
    let deals = deals.to_string_lossy().into_owned();
    let mut args = vec![
        "backtest",
        DEFINITION,
        INQUIRIES,
        "--outcomes",
        &deals,
        "--on",
        "id",
        "--outcome",
        "won_date",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = qualify(&args);
    let json =
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out.status.code(), json)
}

#[test]
fn a_wins_only_export_counts_absent_inquiries_as_lost_and_open_ones_apart() {
    let (code, json) = backtest(&["--won-if-present", "--absent", "lost", "--open", "pending"]);
    let run = &json["run"];
    assert_eq!(code, Some(3), "inquiry 13 is rejected for its `demo`");
    assert_eq!(run["rows_read"], 13);
    assert_eq!(run["rejected"], 1);
    assert_eq!(run["open"], 1, "inquiry 5 is pending");
    assert_eq!(run["absent_as_lost"], 7);
    assert_eq!(json["backtest"]["inquiries"], 11);
    assert_eq!(
        json["backtest"]["converted"], 4,
        "1, 2, 4 and 9 have a won date"
    );
    let (read, used, open, rejected) = (
        run["rows_read"].as_u64(),
        json["backtest"]["inquiries"].as_u64(),
        run["open"].as_u64(),
        run["rejected"].as_u64(),
    );
    assert_eq!(
        read,
        Some(used.unwrap_or(0) + open.unwrap_or(0) + rejected.unwrap_or(0))
    );
}

#[test]
fn without_absent_lost_the_inquiries_with_no_deal_are_rejected_and_say_how_to_count_them() {
    let (code, json) = backtest(&["--won-if-present"]);
    let run = &json["run"];
    assert_eq!(code, Some(3));
    assert_eq!(run["rejected"], 8, "7 without a deal row and 13");
    assert_eq!(run["join"]["inquiries_without_outcome"], 7);
    assert_eq!(
        json["backtest"]["inquiries"], 5,
        "4 won, and `pending` is a value: won"
    );
    let reasons: Vec<&str> = run["first_rejects"]
        .as_array()
        .expect("rejects")
        .iter()
        .filter_map(|r| r["reason"].as_str())
        .collect();
    assert!(
        reasons.iter().any(|r| r.contains("--absent lost")),
        "{reasons:?}"
    );
}

#[test]
fn won_dates_without_won_if_present_are_rejected_as_unknown_values() {
    let (_, json) = backtest(&["--absent", "lost"]);
    let first = &json["run"]["first_rejects"][0];
    assert_eq!(first["value"], "2018-01-01");
    assert!(first["reason"]
        .as_str()
        .unwrap_or("")
        .contains("--won-if-present"));
}

/// A definition with a date to split on, and 40 dated inquiries (one undated):
/// the first 20 up to 2024-06-30, the other 19 after it.
fn dated(dir: &std::path::Path) -> (String, String) {
    let definition = dir.join("dated.lead");
    std::fs::write(
        &definition,
        "definition \"dated\"\nfields {\n  id       text\n  created  date  optional\n  demo     yes/no\n  visits   number\n}\ncriterion \"asked for a demo\" +30 when demo\ncriterion \"came back\" +10 when visits >= 3\nstage \"hot\" when score >= 30\nstage \"cold\" otherwise\n",
    )
    .expect("write");
    let mut csv = String::from("id,created,demo,visits,won\n");
    for i in 0..40 {
        let created = match i {
            39 => String::new(),
            i if i < 20 => format!("2024-05-{:02}", i + 1),
            i => format!("2024-07-{:02}", i - 19),
        };
        let demo = if i % 3 == 0 { "yes" } else { "no" };
        let won = if (i % 3 == 0) != (i % 7 == 0) {
            "yes"
        } else {
            "no"
        };
        csv.push_str(&format!("{i},{created},{demo},{},{won}\n", i % 5));
    }
    let input = dir.join("dated.csv");
    std::fs::write(&input, csv).expect("write");
    (
        definition.to_string_lossy().into_owned(),
        input.to_string_lossy().into_owned(),
    )
}

#[test]
fn suggest_learns_on_earlier_inquiries_and_judges_on_later_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (definition, input) = dated(dir.path());
    let out = qualify(&[
        "backtest",
        &definition,
        &input,
        "--outcome",
        "won",
        "--suggest",
        "--held-out-after",
        "2024-06-30",
        "--by",
        "created",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let s = &json["suggestion"];
    assert_eq!(s["training_rows"], 20);
    assert_eq!(s["held_out_rows"], 19);
    assert_eq!(s["undated_rows"], 1);
    assert_eq!(
        s["split"],
        "learned on `created` up to 2024-06-30, judged on the later ones"
    );
    assert_eq!(s["after"]["inquiries"], 19, "judged on the later rows only");
}

#[test]
fn the_time_split_needs_a_date_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (definition, input) = dated(dir.path());
    let run = |by: &str| {
        qualify(&[
            "backtest",
            &definition,
            &input,
            "--outcome",
            "won",
            "--suggest",
            "--held-out-after",
            "2024-06-30",
            "--by",
            by,
        ])
    };
    let out = run("visits");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`visits` is a number, not a date"),
        "{}",
        stderr(&out)
    );
    let out = run("creatd");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `created`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn time_to_conversion_per_stage_counts_days_from_a_date_field_to_the_won_date() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (definition, _) = dated(dir.path());
    // Hot (a demo): won 10 and 30 days after; cold: won 7 days after, and one
    // win without a creation date.
    let input = dir.path().join("won.csv");
    std::fs::write(
        &input,
        "id,created,demo,visits,won_on\n\
         1,2024-05-01,yes,0,2024-05-11\n\
         2,2024-05-01,yes,0,2024-05-31 09:30:00\n\
         3,2024-05-01,yes,0,\n\
         4,2024-05-01,no,0,2024-05-08\n\
         5,,no,0,2024-05-08\n\
         6,2024-05-01,no,0,\n",
    )
    .expect("write");
    let out = qualify(&[
        "backtest",
        &definition,
        &input.to_string_lossy(),
        "--outcome",
        "won_on",
        "--won-if-present",
        "--from",
        "created",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let t = &json["time_to_conversion"];
    assert_eq!(t["from"], "created");
    assert_eq!(t["undated"], 1);
    assert_eq!(t["stages"][0]["stage"], "hot");
    assert_eq!(t["stages"][0]["converted"], 2);
    assert_eq!(t["stages"][0]["median_days"], 20.0);
    assert_eq!(t["stages"][1]["median_days"], 7.0);
    assert_eq!(json["backtest"]["converted"], 4);
    let out = qualify(&[
        "backtest",
        &definition,
        &input.to_string_lossy(),
        "--outcome",
        "won_on",
        "--won-if-present",
        "--from",
        "visits",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`--from visits`: `visits` is a number, not a date"));
}

#[test]
fn backtest_without_an_outcome_column_is_a_usage_error() {
    let out = qualify(&["backtest", DEFINITION, INQUIRIES]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("needs `--outcome COLUMN`"),
        "{}",
        stderr(&out)
    );
    // The outcome options need `--outcome`.
    let out = qualify(&["backtest", DEFINITION, INQUIRIES, "--won-if-present"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// The text report and the HTML page say how many rows were left open, so
/// their counts add up too.
#[test]
fn the_text_report_and_the_html_page_count_the_open_and_absent_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let deals = dir.path().join("deals.csv");
    std::fs::write(&deals, DEALS).expect("write");
    let html = dir.path().join("report.html");
    let out = qualify(&[
        "backtest",
        DEFINITION,
        INQUIRIES,
        "--outcomes",
        &deals.to_string_lossy(),
        "--on",
        "id",
        "--outcome",
        "won_date",
        "--won-if-present",
        "--absent",
        "lost",
        "--open",
        "pending",
        "--html",
        &html.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("rows: 13 read, 11 backtested (7 with no outcome row, counted as not converted), 1 still open (left out), 1 rejected"),
        "{text}"
    );
    let page = std::fs::read_to_string(&html).expect("the page");
    assert!(
        page.contains("13 rows read, 11 backtested, 1 still open (left out), 1 rejected"),
        "{page}"
    );
}
