//! `qualify score` as a user runs it: output columns, rejects, exit codes,
//! input formats, atomic output.

use crate::support::{qualify, root, score_northwind, stderr, stdout};
use std::process::{Command, Stdio};

const SMALL: &str = "tests/data/northwind-small.csv";

fn score(extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "score",
        "rules/northwind.lead",
        SMALL,
        "--as-of",
        "2026-11-23",
    ];
    args.extend_from_slice(extra);
    qualify(&args)
}

/// The names of the files in `dir`, sorted.
fn file_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn scores_a_crlf_bom_csv_and_sets_rejects_aside() {
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("r.csv");
    let out = score(&["--rejects", rejects.to_str().unwrap(), "--keep", " NOTES "]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "id,score,stage,disqualified,matched,NOTES\n\
         N-1,106,sales ready,,decision maker; right size; has budget; close by; asked for a demo; buying this quarter; reading up; BANT,\"likes us, a lot\"\n\
         N-2,-15,disqualified,competitor,gone quiet,\n\
         N-5,10,return to marketing,,right size; close by; reading up; gone quiet,\n"
    );
    let rejected = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(
        rejected,
        "line,row,column,value,reason,raw\n\
         4,3,source,fax,\"not one of \"\"web\"\", \"\"inbound call\"\", \"\"event\"\", \"\"direct mail\"\", \"\"teleprospecting\"\"\",\"N-3,fax,c@x.com,Dentist,5,1000,now,PA,yes,2,2026-11-20,,0,0,\"\n\
         5,4,Annual Budget (USD),abc,not a number,\"N-4,web,d@x.com,Dentist,5,abc,now,PA,yes,2,2026-11-20,,0,0,\"\n\
         7,6,,,\"the row has 3 cells, the header has 15\",\"N-6,web,f@x.com\"\n"
    );
    let summary = stderr(&out);
    assert!(
        summary.contains("as of 2026-11-23: 6 rows read, 3 scored, 3 rejected"),
        "{summary}"
    );
    assert!(
        summary.contains("stages: return to marketing: 1, sales ready: 1, marketing qualified: 0, nurture: 0, disqualified: 1"),
        "{summary}"
    );
}

#[test]
fn jsonl_output_has_the_same_keys_with_arrays_and_nulls() {
    let dir = tempfile::tempdir().unwrap();
    let out = score(&[
        "--format",
        "jsonl",
        "--points",
        "--rejects",
        dir.path().join("r.csv").to_str().unwrap(),
    ]);
    let text = stdout(&out);
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["id"], "N-1");
    assert_eq!(first["score"], 106);
    assert_eq!(first["disqualified"], serde_json::Value::Null);
    assert_eq!(first["matched"][0], "decision maker");
    assert_eq!(first["points: reading up"], 6);
    let second: serde_json::Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    assert_eq!(second["disqualified"], "competitor");
    assert_eq!(second["stage"], "disqualified");
}

#[test]
fn jsonl_input_is_read_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"Inquiry ID":"J-1","source":"web","email":"a@b.c","timeline":"now","state":"OH","demo_requested":true,"pages_viewed":2,"last_activity":"2026-11-20","call_attempts":0,"email_attempts":0}"#,
            "\n\n",
            r#"{"Inquiry ID":"J-2","source":"web","email":"a@b.c","timeline":"now","state":"OH","demo_requested":"maybe","pages_viewed":2,"last_activity":"2026-11-20","call_attempts":0,"email_attempts":0}"#,
            "\nnot json\n"
        ),
    )
    .unwrap();
    let rejects = dir.path().join("r.csv");
    let out = qualify(&[
        "score",
        "rules/northwind.lead",
        input.to_str().unwrap(),
        "--as-of",
        "2026-11-23",
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        stdout(&out),
        "id,score,stage,disqualified,matched\nJ-1,59,marketing qualified,,close by; asked for a demo; buying this quarter; reading up\n"
    );
    let rejected = std::fs::read_to_string(&rejects).unwrap();
    let lines: Vec<&str> = rejected.lines().collect();
    assert!(
        lines[1].starts_with("3,2,demo_requested,maybe,\"not yes/no"),
        "{rejected}"
    );
    assert!(lines[2].starts_with("4,3,,,not valid JSON"), "{rejected}");
}

#[test]
fn a_jsonl_line_cut_short_is_rejected_with_the_position_within_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let good = r#"{"Inquiry ID":"J-1","email":"a@b.c","timeline":"now","state":"OH","demo_requested":true,"pages_viewed":3,"last_activity":"2026-11-01","call_attempts":1,"email_attempts":0,"source":"web"}"#;
    std::fs::write(&input, format!("{good}\r\n{{\"Inquiry ID\":\"J-2\"\r\n")).unwrap();
    let rejects = dir.path().join("r.csv");
    let out = score_northwind(
        input.to_str().unwrap(),
        &["--rejects", rejects.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(3));
    let rejected = std::fs::read_to_string(&rejects).unwrap();
    // Column 19 is the end of `{"Inquiry ID":"J-2"`: the line end is not
    // counted as part of the object.
    assert!(
        rejected.contains("not valid JSON (EOF while parsing an object at line 1 column 19)"),
        "{rejected}"
    );
}

#[test]
fn a_missing_required_column_stops_before_any_row_naming_the_closest_header() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    // The example file's header with one column misspelled.
    let example = std::fs::read_to_string(root().join("examples/northwind-inquiries.csv")).unwrap();
    let header = example.lines().next().unwrap().replace("source", "sorce");
    std::fs::write(&input, format!("{header}\n")).unwrap();
    let out = qualify(&["score", "rules/northwind.lead", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: the input has no column `source` (for field `source`)\n  help: did you mean `sorce`?\n"
    );
}

#[test]
fn a_file_read_with_the_wrong_delimiter_gets_the_right_one_suggested() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "Inquiry ID;source;email\nX;web;a@b.c\n").unwrap();
    let out = qualify(&["score", "rules/northwind.lead", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    // Every required column is missing, `Inquiry ID` first.
    assert!(
        err.starts_with(
            "error: the input has none of the columns of 10 required fields: `Inquiry ID` (for field `id`), `source`, "
        ),
        "{err}"
    );
    assert!(
        err.ends_with("\n  help: the header reads as one column, so the file is probably not comma-separated: try `--delimiter ';'`\n"),
        "{err}"
    );
}

#[test]
fn output_is_renamed_into_place_and_rejects_default_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("scored.csv");
    let out = score(&["-o", output.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        file_names(dir.path()),
        ["scored.csv", "scored.csv.rejects.csv"]
    );
    assert!(std::fs::read_to_string(&output)
        .unwrap()
        .starts_with("id,score,stage"));
}

#[test]
fn max_rejects_stops_early_and_writes_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("scored.csv");
    let out = score(&["-o", output.to_str().unwrap(), "--max-rejects", "1"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(!output.exists());
    let summary = stderr(&out);
    assert!(
        summary.contains("at row 3 after 1 rejected row (--max-rejects)"),
        "{summary}"
    );
    assert!(summary.contains("nothing was replaced"), "{summary}");
    // Nor the rejects file: the stopped run's rejects are kept apart.
    assert!(!dir.path().join("scored.csv.rejects.csv").exists());
    assert!(dir.path().join("scored.csv.rejects.stopped.csv").exists());
    // Counts per stage would cover only part of the rows read: none are given.
    assert!(!summary.contains("stages:"), "{summary}");
}

#[test]
fn stdin_is_read_with_a_dash() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args([
            "score",
            "rules/northwind.lead",
            "-",
            "--as-of",
            "2026-11-23",
            "--rejects",
        ])
        .arg(dir.path().join("r.csv"))
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let data = std::fs::read(root().join(SMALL)).unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&data).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(stdout(&out).lines().count(), 4);
    assert!(stderr(&out).contains("scored `stdin`"));
}

#[test]
fn a_definition_with_errors_scores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let def = dir.path().join("bad.lead");
    std::fs::write(
        &def,
        "fields {\n  x number\n}\ncriterion \"a\" +1 when y > 2\nstage \"s\" otherwise\n",
    )
    .unwrap();
    let out = qualify(&["score", def.to_str().unwrap(), SMALL]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown field `y`"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    use std::io::{BufRead, BufReader};
    // More output than a pipe holds, so qualify is still writing when the
    // reader goes away, as with `qualify score ... | head -1`.
    let mut child = Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args([
            "score",
            "rules/northwind.lead",
            "examples/northwind-inquiries.csv",
            "--as-of",
            "2026-11-23",
            "--keep",
            "Notes,Company,Website,Phone",
        ])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qualify starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("a header line");
    // The reader (and with it the pipe) is dropped here.
    let out = child.wait_with_output().expect("qualify ends");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(first.starts_with("id,score,stage"), "{first}");
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("the output was closed"), "{err}");
    assert!(!err.contains("panicked") && !err.contains("error"), "{err}");
}

/// `-o /dev/null` once renamed a regular file over the device; a named pipe
/// stands in for it here, so a regression cannot break the machine's
/// /dev/null. The pipe must still be a pipe afterwards, the results must
/// arrive through it, and the rejects must not be put beside it.
#[cfg(unix)]
#[test]
fn a_pipe_or_device_as_output_is_written_in_place_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("results.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args(["score", "--as-of", "2026-11-23", "-o"])
        .arg(&fifo)
        .arg(root().join("rules/northwind.lead"))
        .arg(root().join(SMALL))
        .current_dir(dir.path())
        .output()
        .unwrap();
    let results = reader.join().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(results.starts_with("id,score,stage"), "{results}");
    assert_eq!(results.lines().count(), 4, "{results}");
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the pipe was replaced by {kind:?}");
    // No temporary file left beside the pipe; rejects go where stdout's would.
    assert_eq!(
        file_names(dir.path()),
        ["qualify-rejects.csv", "results.fifo"]
    );
}

#[test]
fn an_id_is_written_as_its_cell_reads_whatever_its_type() {
    let dir = tempfile::tempdir().unwrap();
    let definition = dir.path().join("ids.lead");
    std::fs::write(
        &definition,
        "definition \"ids\"\n\
         fields {\n  id number\n  name text optional\n}\n\
         criterion \"named\" +1 when name is present\n\
         stage \"any\" otherwise\n",
    )
    .unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "id,name\n 0042 ,Ann\n7.50,\n").unwrap();
    let out = qualify(&[
        "score",
        definition.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Trimmed, but not re-formatted as the number it decodes to.
    assert_eq!(
        stdout(&out),
        "id,score,stage,disqualified,matched\n0042,1,any,,named\n7.50,0,any,,\n"
    );
    // A text id is trimmed the same way.
    let text_ids = std::fs::read_to_string(&definition)
        .unwrap()
        .replace("id number", "id text");
    std::fs::write(&definition, text_ids).unwrap();
    let out = qualify(&[
        "score",
        definition.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert_eq!(
        stdout(&out),
        "id,score,stage,disqualified,matched\n0042,1,any,,named\n7.50,0,any,,\n"
    );
}
