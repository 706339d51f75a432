//! Numbers at the edges, as a user meets them: products and sums too large to
//! represent are missing in every engine and every output (never `inf` or
//! `NaN`), `at least N` means the same for any N, big and tiny numbers print
//! short and exactly, a tiny half-life shows every digit, and `backtest`
//! refuses edges and outcome lists that mean nothing, finishes whatever the
//! scores, and does not write a proposal that fails its own examples.
//!
//! The reproducers are in `tests/data/hostile/NN-name/`.

use crate::support::{qualify, root, stderr, stdout};
use serde_json::Value as Json;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const AS_OF: &str = "2026-01-01";

fn case(name: &str, file: &str) -> String {
    format!("tests/data/hostile/{name}/{file}")
}

/// Neither text nor JSON may hold a number no reader takes back.
fn assert_no_infinity_or_nan(what: &str, text: &str) {
    for bad in ["inf", "NaN"] {
        assert!(!text.contains(bad), "{what} holds `{bad}`:\n{text}");
    }
}

/// `score` of `def` over `input` in `format`, with `--engine engine`.
fn score(def: &str, input: &str, format: &str, engine: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "score", def, input, "--as-of", AS_OF, "-o", "-", "--format", format, "--engine", engine,
    ];
    args.extend_from_slice(extra);
    let out = qualify(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

/// Scored by the compiled program, checked to be what the reference
/// evaluator writes, byte for byte.
fn score_both(def: &str, input: &str, format: &str, extra: &[&str]) -> String {
    let program = score(def, input, format, "program", extra);
    let reference = score(def, input, format, "reference", extra);
    assert_eq!(program, reference, "{def}: the engines disagree");
    program
}

fn explain_json(def: &str, input: &str) -> Json {
    let out = qualify(&[
        "explain", def, input, "--row", "1", "--as-of", AS_OF, "--format", "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert_no_infinity_or_nan("explain --format json", &text);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn explain_text(def: &str, input: &str) -> String {
    let out = qualify(&["explain", def, input, "--row", "1", "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

/// A definition and an input written to a temporary folder.
fn files(definition: &str, csv: &str) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let def = dir.path().join("def.lead");
    let input = dir.path().join("in.csv");
    std::fs::write(&def, definition).expect("write definition");
    std::fs::write(&input, csv).expect("write input");
    let path = |p: std::path::PathBuf| p.to_string_lossy().into_owned();
    (dir, path(def), path(input))
}

/// 1e300 written out, as the language writes numbers.
fn e300() -> String {
    format!("1{}", "0".repeat(300))
}

#[test]
fn a_per_unit_product_too_large_to_represent_earns_nothing_in_every_engine() {
    // `+2 per x` and `-2 per x` with x = 1e308: both products overflow. They
    // were +inf and -inf, and the score NaN.
    let (def, input) = (case("01-inf-nan", "def.lead"), case("01-inf-nan", "in.csv"));
    let csv = score_both(&def, &input, "csv", &["--points"]);
    assert_no_infinity_or_nan("CSV results", &csv);
    assert_eq!(
        csv,
        "row,score,stage,disqualified,matched,points: b,points: c\n1,0,hi,,,0,0\n"
    );
    let jsonl = score_both(&def, &input, "jsonl", &[]);
    assert_no_infinity_or_nan("JSONL results", &jsonl);
    let row: Json = serde_json::from_str(jsonl.trim()).expect("valid JSON");
    assert_eq!(
        (
            row["score"].as_f64(),
            row["matched"].as_array().map(Vec::len)
        ),
        (Some(0.0), Some(0))
    );

    let e = explain_json(&def, &input);
    assert_eq!(e["score"], 0);
    for c in e["criteria"].as_array().expect("criteria") {
        assert_eq!(
            (c["held"].as_str(), &c["matched"], &c["points"]),
            (Some("unknown"), &Json::Bool(false), &Json::from(0))
        );
        let note = c["note"].as_str().unwrap_or_default();
        assert!(
            note.contains("× 1e308 is too large to represent: missing, so it earns nothing"),
            "{note}"
        );
    }
    assert_no_infinity_or_nan("explain", &explain_text(&def, &input));
}

#[test]
fn a_capped_product_too_large_to_represent_is_the_cap() {
    let (_dir, def, input) = files(
        "fields {\n  x number optional\n}\ncriterion \"pages\" +2 per x, at most 10\nstage \"s\" otherwise\n",
        "x\n1e308\n-1e308\n",
    );
    let csv = score_both(&def, &input, "csv", &[]);
    assert_eq!(
        csv,
        "row,score,stage,disqualified,matched\n1,10,s,,pages\n2,-10,s,,pages\n"
    );
    let text = explain_text(&def, &input);
    assert!(
        text.contains("2 × 1e308 is too large to represent, capped at +10"),
        "{text}"
    );
}

#[test]
fn a_score_too_large_to_represent_is_missing_in_every_engine_and_output() {
    // Two criteria of 1e308 points each: the sum overflows. It was `inf`, and
    // `score > 5` held.
    let (def, input) = (
        case("01-inf-nan", "def2.lead"),
        case("01-inf-nan", "in2.csv"),
    );
    let csv = score_both(&def, &input, "csv", &[]);
    assert_no_infinity_or_nan("CSV results", &csv);
    assert_eq!(csv, "row,score,stage,disqualified,matched\n1,,lo,,a; b\n");
    let jsonl = score_both(&def, &input, "jsonl", &["--points", "--explain"]);
    assert_no_infinity_or_nan("JSONL results", &jsonl);
    let row: Json = serde_json::from_str(jsonl.trim()).expect("valid JSON");
    assert_eq!(row["score"], Json::Null);
    assert_eq!(row["stage"], "lo");
    assert_eq!(row["points: a"].as_f64(), Some(1e308));

    let e = explain_json(&def, &input);
    assert_eq!(e["score"], Json::Null);
    assert_eq!(e["stages"][0]["held"], "unknown");
    assert_eq!(
        e["stages"][0]["facts"][0]["text"],
        "score is missing, too large to represent"
    );
    let text = explain_text(&def, &input);
    assert!(
        text.contains("\nscore missing (too large to represent)\n"),
        "{text}"
    );
    assert!(text.contains("+1e308"), "points print short: {text}");
}

#[test]
fn a_group_whose_sum_overflows_is_missing_however_it_is_capped() {
    let big = format!("+1{}", "0".repeat(308));
    let definition = format!(
        "fields {{\n  x number optional\n}}\ngroup fit, at most 40 {{\n  criterion \"a\" {big} when x > 0\n  criterion \"b\" {big} when x > 1\n}}\ncriterion \"c\" +5 when x > 0\nstage \"hot\" when fit >= 40\nstage \"warm\" when score is missing\nstage \"cold\" otherwise\n"
    );
    let (_dir, def, input) = files(&definition, "x\n5\n1\n");
    let csv = score_both(&def, &input, "csv", &[]);
    assert_eq!(
        csv,
        "row,score,fit,stage,disqualified,matched\n1,,,warm,,a; b; c\n2,45,40,hot,,a; c\n"
    );
}

#[test]
fn at_least_more_than_32_bits_means_the_same_to_every_engine() {
    // 4294967297 = 2^32 + 1 was cut to 1 by the compiler: "c" matched in
    // `score` and not in `explain`.
    let (def, input) = (
        case("03-at-least-u32", "def.lead"),
        case("03-at-least-u32", "in.csv"),
    );
    let csv = score_both(&def, &input, "csv", &[]);
    assert_eq!(csv, "row,score,stage,disqualified,matched\n1,0,s,,\n");
    let e = explain_json(&def, &input);
    assert_eq!(
        (e["criteria"][0]["held"].as_str(), &e["score"]),
        (Some("no"), &Json::from(0))
    );
}

/// Run `qualify args`, killing it if it has not finished in a minute (a hang
/// guard, no speed claim: the run takes milliseconds).
fn qualify_or_hang(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the qualify binary runs");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("`qualify {}` hung", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

#[test]
fn backtest_finishes_when_scores_overflow() {
    // The score of row 1 was NaN, and the ROC walk over it never ended.
    let name = "14-backtest-hang-nan-score";
    let out = qualify_or_hang(&[
        "backtest",
        &case(name, "def.lead"),
        &case(name, "in.csv"),
        "--outcome",
        "won",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert_no_infinity_or_nan("backtest JSON", &text);
    let j: Json = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(j["backtest"]["inquiries"], 2);
}

#[test]
fn backtest_counts_inquiries_without_a_score_in_a_band_of_their_own() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "x,won\n5,yes\n5,no\n0,no\n-3,yes\n").expect("write");
    let out = qualify(&[
        "backtest",
        &case("01-inf-nan", "def2.lead"),
        &input.to_string_lossy(),
        "--outcome",
        "won",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let j: Json = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let bands = j["backtest"]["bands"].as_array().expect("bands");
    let counted: u64 = bands.iter().filter_map(|b| b["inquiries"].as_u64()).sum();
    assert_eq!(counted, 4, "every inquiry is in a band: {bands:?}");
    let last = bands.last().expect("a band");
    assert_eq!(
        (last["label"].as_str(), last["inquiries"].as_u64()),
        (Some("missing (too large)"), Some(2))
    );
    assert_eq!(last["lowest"], Json::Null);
}

fn band_edges_run(edges: &str) -> Output {
    let name = "21-backtest-band-edges-nan";
    // `=`: an edge may start with `-`.
    let edges = format!("--band-edges={edges}");
    qualify(&[
        "backtest",
        &case(name, "def.lead"),
        &case(name, "in.csv"),
        "--outcome",
        "outcome",
        "--as-of",
        AS_OF,
        &edges,
    ])
}

#[test]
fn band_edges_that_are_not_finite_numbers_are_usage_errors() {
    // They were accepted: bands "to below NaN", "below inf".
    for edges in ["NaN", "5,NaN", "1e400", "-inf"] {
        let out = band_edges_run(edges);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{edges}: {err}");
        assert!(
            err.contains("--band-edges") && err.contains("finite"),
            "{edges}: {err}"
        );
        assert!(stdout(&out).is_empty());
    }
    let out = band_edges_run("5,10");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("5 to below 10"));
}

#[test]
fn an_empty_won_value_is_a_usage_error_not_the_defaults() {
    let name = "21-backtest-band-edges-nan";
    for won in ["", " ", "yes,"] {
        let out = qualify(&[
            "backtest",
            &case(name, "def.lead"),
            &case(name, "in.csv"),
            "--outcome",
            "outcome",
            "--won",
            won,
        ]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{won:?}: {err}");
        assert!(
            err.contains("--won") && err.contains("cannot be empty"),
            "{err}"
        );
    }
}

/// What `backtest --suggest --write EXTRA` does to a copy of the
/// reproducer's definition: the text before and after, the backtest's
/// output, and `check` of the file afterwards.
fn suggest_write(extra: &[&str]) -> (String, String, Output, Output) {
    let name = "22-suggest-write-breaks-examples";
    let original =
        std::fs::read_to_string(root().join(case(name, "def.lead"))).expect("read definition");
    let dir = tempfile::tempdir().expect("temp dir");
    let def = dir.path().join("work.lead");
    std::fs::write(&def, &original).expect("write");
    let def = def.to_string_lossy().into_owned();
    let input = case(name, "in.csv");
    let mut args = vec![
        "backtest",
        &def,
        &input,
        "--outcome",
        "won",
        "--as-of",
        "2026-11-23",
        "--suggest",
        "--write",
    ];
    args.extend_from_slice(extra);
    let out = qualify(&args);
    let after = std::fs::read_to_string(&def).expect("read back");
    let check = qualify(&["check", &def, "--as-of", "2026-11-23"]);
    (original, after, out, check)
}

#[test]
fn suggest_write_refuses_a_proposal_whose_examples_fail() {
    // It wrote it and exited 0; `check` then failed.
    let (original, after, out, check) = suggest_write(&[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(after, original, "nothing is written");
    assert!(err.contains("was not written"), "{err}");
    assert!(
        err.contains("example \"four pages\" does not hold: expected score 4"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    // The report was still printed, and the untouched file still checks.
    assert!(stdout(&out).contains("(proposed)"));
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

#[test]
fn suggest_write_force_writes_it_all_the_same() {
    let (original, after, out, check) = suggest_write(&["--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_ne!(after, original);
    assert!(stderr(&out).contains("wrote the proposal"));
    // Forced, the examples fail `check`, as the report said they would.
    assert_eq!(check.status.code(), Some(1), "{}", stdout(&check));
}

#[test]
fn big_scores_print_short_and_exact_in_every_output() {
    let definition = format!(
        "fields {{\n  x number optional\n}}\ncriterion \"a\" +{} when x > 0\nstage \"s\" otherwise\n",
        e300()
    );
    let (dir, def, input) = files(&definition, "x,won\n1,yes\n0,no\n");
    // Results: CSV and JSONL, the score and the points.
    let csv = score_both(&def, &input, "csv", &["--points"]);
    assert_eq!(
        csv,
        "row,score,stage,disqualified,matched,points: a\n1,1e300,s,,a,1e300\n2,0,s,,,0\n"
    );
    let jsonl = score_both(&def, &input, "jsonl", &[]);
    let row: Json = serde_json::from_str(jsonl.lines().next().unwrap_or("")).expect("JSON");
    assert_eq!(row["score"].as_f64(), Some(1e300));
    assert!(jsonl.len() < 200, "{jsonl}");
    // explain, text and JSON.
    let text = explain_text(&def, &input);
    assert!(
        text.contains("\nscore 1e300\n") && text.len() < 400,
        "{text}"
    );
    assert_eq!(explain_json(&def, &input)["score"].as_f64(), Some(1e300));
    // backtest: the band labels.
    let out = qualify(&[
        "backtest",
        &def,
        &input,
        "--outcome",
        "won",
        "--as-of",
        AS_OF,
    ]);
    let report = stdout(&out);
    assert!(report.lines().any(|l| l.starts_with("1e300 ")), "{report}");
    assert!(!report.contains(&"0".repeat(30)), "{report}");
    // test: a failed expectation.
    let with_example = dir.path().join("example.lead");
    std::fs::write(
        &with_example,
        format!("{definition}example \"e\" {{\n  x: 1\n  expect score 5\n}}\n"),
    )
    .expect("write");
    let out = qualify(&["test", &with_example.to_string_lossy(), "--as-of", AS_OF]);
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(said.contains("expected score 5, got score 1e300"), "{said}");
}

#[test]
fn scores_that_move_by_a_huge_amount_print_short_in_diff() {
    let old = "fields {\n  x number optional\n}\ncriterion \"a\" +1 when x > 0\nstage \"hot\" when score > 100\nstage \"cold\" otherwise\n";
    let new = old.replace("+1 when", &format!("+{} when", e300()));
    let (dir, old_path, input) = files(old, "x\n1\n");
    let new_path = dir.path().join("new.lead");
    std::fs::write(&new_path, new).expect("write");
    let out = qualify(&[
        "diff",
        &old_path,
        &new_path.to_string_lossy(),
        "--against",
        &input,
        "--as-of",
        AS_OF,
    ]);
    let text = stdout(&out);
    assert!(text.contains("(score 1 → 1e300)"), "{text}");
}

#[test]
fn a_tiny_half_life_shows_every_digit() {
    // `halving every 0.000001 days` was shown as "every 0 days".
    let definition = "fields {\n  d date optional\n}\ncriterion \"c\" +30 when d is present, halving every 0.000001 days since d\nstage \"hot\" when score > 1\nstage \"cold\" otherwise\n";
    let (_dir, def, input) = files(definition, "d\n2025-12-31\n");
    let text = explain_text(&def, &input);
    assert!(
        text.contains("halving every 0.000001 days since d"),
        "{text}"
    );
    let out = qualify(&["compile", "--listing", &def]);
    assert!(
        stdout(&out).contains("halving every 0.000001 days since d"),
        "{}",
        stdout(&out)
    );
    // fmt keeps it as written (and checks that the result means the same).
    let out = qualify(&["fmt", &def]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let formatted = std::fs::read_to_string(&def).expect("read back");
    assert!(
        formatted.contains("halving every 0.000001 days since d"),
        "{formatted}"
    );
    let new = definition.replace("0.000001", "0.000002");
    let new_path = format!("{def}.new.lead");
    std::fs::write(&new_path, new).expect("write");
    let out = qualify(&["diff", &def, &new_path]);
    let text = stdout(&out);
    assert!(
        text.contains("- halving every 0.000001 days since d"),
        "{text}"
    );
    assert!(
        text.contains("+ halving every 0.000002 days since d"),
        "{text}"
    );
}
