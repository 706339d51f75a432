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
