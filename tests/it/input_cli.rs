//! How inquiry files are read, whatever the command: JSONL keys matched line
//! by line, columns named by options, ambiguous headers, input options.

use crate::support::{qualify, score_northwind, stderr, stdout};
use std::path::Path;

const DEF: &str = "rules/northwind.lead";
const INQUIRIES: &str = "examples/northwind-inquiries.csv";
const AS_OF: &str = "2026-11-23";

/// The first `n` rows of the example inquiries, as header and string cells.
fn example_rows(n: usize) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(crate::support::root().join(INQUIRIES)).unwrap();
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .take(n)
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Write `rows` as JSONL, leaving out the keys in `omit` from the first line
/// only (as exporters leave out null keys).
fn write_jsonl(path: &Path, header: &[String], rows: &[Vec<String>], omit: &[&str]) {
    let mut text = String::new();
    for (i, row) in rows.iter().enumerate() {
        let object: serde_json::Map<String, serde_json::Value> = header
            .iter()
            .zip(row)
            .filter(|(k, _)| i > 0 || !omit.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        text.push_str(&serde_json::Value::Object(object).to_string());
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

/// Write `rows` as CSV, with the cells of `omit` emptied on the first row.
fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>], omit: &[&str]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(header).unwrap();
    for (i, row) in rows.iter().enumerate() {
        let cells = header.iter().zip(row).map(|(k, v)| {
            if i == 0 && omit.contains(&k.as_str()) {
                ""
            } else {
                v.as_str()
            }
        });
        w.write_record(cells).unwrap();
    }
    w.flush().unwrap();
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn jsonl_keys_absent_from_the_first_line_are_read_on_every_later_line() {
    let dir = tempfile::tempdir().unwrap();
    let (header, rows) = example_rows(10);
    let omit = ["Annual Budget (USD)", "job_title"];
    let (jsonl, csv) = (dir.path().join("in.jsonl"), dir.path().join("in.csv"));
    write_jsonl(&jsonl, &header, &rows, &omit);
    write_csv(&csv, &header, &rows, &omit);
    let from_jsonl = score_northwind(path_str(&jsonl), &[]);
    let from_csv = score_northwind(path_str(&csv), &[]);
    assert_eq!(from_jsonl.status.code(), Some(0), "{}", stderr(&from_jsonl));
    assert_eq!(stdout(&from_jsonl).lines().count(), 11);
    // An absent key reads as the empty CSV cell would.
    assert_eq!(stdout(&from_jsonl), stdout(&from_csv));
}

#[test]
fn a_required_key_absent_from_the_first_jsonl_line_rejects_only_that_line() {
    let dir = tempfile::tempdir().unwrap();
    let (header, rows) = example_rows(3);
    let jsonl = dir.path().join("in.jsonl");
    write_jsonl(&jsonl, &header, &rows, &["state"]);
    let rejects = dir.path().join("r.csv");
    let out = qualify(&[
        "score",
        DEF,
        path_str(&jsonl),
        "--as-of",
        AS_OF,
        "--rejects",
        path_str(&rejects),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 3, "{}", stdout(&out));
    let rejected = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        rejected
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("1,1,state,,a value is required,"),
        "{rejected}"
    );
}

#[test]
fn a_first_jsonl_line_with_no_keys_is_a_rejected_row_not_a_missing_header() {
    let dir = tempfile::tempdir().unwrap();
    let (header, rows) = example_rows(2);
    let jsonl = dir.path().join("in.jsonl");
    write_jsonl(&jsonl, &header, &rows, &[]);
    let text = std::fs::read_to_string(&jsonl).unwrap();
    std::fs::write(&jsonl, format!("{{}}\n{text}")).unwrap();
    let rejects = dir.path().join("r.csv");
    let out = qualify(&[
        "score",
        DEF,
        path_str(&jsonl),
        "--as-of",
        AS_OF,
        "--rejects",
        path_str(&rejects),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("3 rows read, 2 scored, 1 rejected"));
    let rejected = std::fs::read_to_string(&rejects).unwrap();
    assert!(rejected.contains("a value is required"), "{rejected}");
}

#[test]
fn two_jsonl_keys_naming_one_column_reject_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let (header, rows) = example_rows(2);
    let jsonl = dir.path().join("in.jsonl");
    write_jsonl(&jsonl, &header, &rows, &[]);
    let text = std::fs::read_to_string(&jsonl)
        .unwrap()
        .replacen("{", "{\"EMAIL \":\"x@y.z\",", 1);
    std::fs::write(&jsonl, text).unwrap();
    let rejects = dir.path().join("r.csv");
    let out = qualify(&[
        "score",
        DEF,
        path_str(&jsonl),
        "--as-of",
        AS_OF,
        "--rejects",
        path_str(&rejects),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let rejected = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        rejected.contains("the keys `EMAIL ` and `email` name the same column"),
        "{rejected}"
    );
}

#[test]
fn explain_row_and_diff_against_read_keys_absent_from_the_first_jsonl_line() {
    let dir = tempfile::tempdir().unwrap();
    let (mut header, mut rows) = example_rows(10);
    // A column only the new revision reads, absent from the first line.
    header.push("industry".into());
    for (i, row) in rows.iter_mut().enumerate() {
        row.push(if i % 2 == 0 { "dental imaging" } else { "" }.into());
    }
    let omit = [
        "Annual Budget (USD)",
        "job_title",
        "company_size",
        "industry",
    ];
    let (jsonl, csv) = (dir.path().join("in.jsonl"), dir.path().join("in.csv"));
    write_jsonl(&jsonl, &header, &rows, &omit);
    write_csv(&csv, &header, &rows, &omit);
    for row in ["2", "5", "9"] {
        let explain = |input: &Path| {
            let args = ["explain", DEF, path_str(input), "--row", row];
            stdout(&qualify(&[&args[..], &["--as-of", AS_OF]].concat()))
        };
        assert_eq!(explain(&jsonl), explain(&csv), "row {row}");
    }
    // The new revision reads `industry`, which the old one does not.
    let new = dir.path().join("next.lead");
    let text = std::fs::read_to_string(crate::support::root().join(DEF)).unwrap();
    std::fs::write(
        &new,
        text.replace(
            "  state           text\n",
            "  state           text\n  industry        text optional\n",
        )
        .replace(
            "criterion \"close by\"",
            "criterion \"imaging\" +7 when industry contains \"imaging\"\ncriterion \"close by\"",
        ),
    )
    .unwrap();
    let diff = |input: &Path| {
        let out = qualify(&[
            "diff",
            DEF,
            path_str(&new),
            "--against",
            path_str(input),
            "--as-of",
            AS_OF,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out).replace(path_str(input), "INPUT")
    };
    let from_csv = diff(&csv);
    assert!(
        from_csv.contains("\"imaging\"       -      4  added"),
        "{from_csv}"
    );
    assert_eq!(diff(&jsonl), from_csv);
}

#[test]
fn a_keep_column_that_is_absent_is_named_as_asked_for_by_keep() {
    let out = score_northwind(INQUIRIES, &["--keep", "Note"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: the input has no column `Note` (asked for by --keep)\n  help: did you mean `Notes`?\n"
    );
}

#[test]
fn an_empty_name_in_keep_is_a_usage_error() {
    for keep in ["", "Notes,", " "] {
        let out = score_northwind(INQUIRIES, &["--keep", keep]);
        assert_eq!(out.status.code(), Some(2), "--keep {keep:?}");
        let err = stderr(&out);
        assert!(
            err.starts_with("error: --keep names an empty column\n"),
            "--keep {keep:?}: {err}"
        );
        assert!(!err.contains("field"), "{err}");
    }
}

#[test]
fn the_backtest_on_column_absent_from_the_inquiries_is_named_as_asked_for_by_on() {
    let dir = tempfile::tempdir().unwrap();
    let outcomes = dir.path().join("outcomes.csv");
    std::fs::write(&outcomes, "Lead,stage\n1,Won\n").unwrap();
    let out = qualify(&[
        "backtest",
        "tests/data/backtest-small.lead",
        "tests/data/backtest-small.csv",
        "--outcome",
        "stage",
        "--outcomes",
        path_str(&outcomes),
        "--on",
        "Lead",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("the input has no column `Lead` (asked for by --on)"),
        "{err}"
    );
    assert!(!err.contains("for field"), "{err}");
}

#[test]
fn a_field_matching_two_columns_is_an_error_before_any_row() {
    let dir = tempfile::tempdir().unwrap();
    let (header, rows) = example_rows(2);
    let input = dir.path().join("in.csv");
    let mut header = header;
    header.push("EMAIL ".into());
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|mut r| {
            r.push("other@x.com".into());
            r
        })
        .collect();
    write_csv(&input, &header, &rows, &[]);
    let out = score_northwind(path_str(&input), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: field `email` matches 2 columns: `email` and `EMAIL ` (ignoring case and surrounding spaces)\n  \
         help: columns are matched ignoring case and surrounding spaces, so these name the same column; rename or remove all but one\n"
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn duplicate_columns_no_field_reads_are_no_error() {
    let dir = tempfile::tempdir().unwrap();
    let (mut header, rows) = example_rows(2);
    header.push("NOTES".into());
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|mut r| {
            r.push(String::new());
            r
        })
        .collect();
    let input = dir.path().join("in.csv");
    write_csv(&input, &header, &rows, &[]);
    let out = score_northwind(path_str(&input), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Kept through, the same two columns are ambiguous.
    let out = qualify(&[
        "score",
        DEF,
        path_str(&input),
        "--as-of",
        AS_OF,
        "--keep",
        "notes",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: --keep `notes` matches 2 columns: `Notes` and `NOTES`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn as_of_must_have_a_four_digit_year() {
    for date in [
        "26-11-23",
        "+2026-11-23",
        "2026-1-5",
        "02026-11-23",
        "2026-02-30",
    ] {
        for command in ["score", "check"] {
            let args: Vec<&str> = match command {
                "score" => vec!["score", DEF, INQUIRIES, "--as-of", date],
                _ => vec!["check", DEF, "--as-of", date],
            };
            let out = qualify(&args);
            assert_eq!(out.status.code(), Some(2), "{command} --as-of {date}");
            assert!(
                stderr(&out).contains(&format!(
                    "`{date}` is not a date; write it as YYYY-MM-DD, e.g. 2026-11-23"
                )),
                "{}",
                stderr(&out)
            );
        }
    }
    let out = qualify(&["score", DEF, INQUIRIES, "--as-of", "2026-11-23"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn empty_stdin_is_called_stdin() {
    use std::process::{Command, Stdio};
    for format in ["csv", "jsonl"] {
        let out = Command::new(env!("CARGO_BIN_EXE_qualify"))
            .args(["score", DEF, "-", "--input-format", format])
            .current_dir(crate::support::root())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(err.starts_with("error: stdin is empty"), "{format}: {err}");
    }
}

#[test]
fn a_delimiter_that_cannot_be_one_says_why() {
    for delimiter in ["§", "\"", ";;"] {
        let out = qualify(&["score", DEF, INQUIRIES, "--delimiter", delimiter]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains(&format!(
                "`{delimiter}` cannot be the delimiter: it must be a single ASCII character other than the quote `\"`, CR or LF"
            )),
            "{}",
            stderr(&out)
        );
    }
}
