//! Hostile inquiry files (tests/data/hostile/): every row where its line is,
//! JSON read as written and read alike by `score` and `explain --inquiry`,
//! quotes never closed, `--keep` names with commas, headers of another file.

use crate::support::{qualify, stderr, stdout};
use std::path::Path;

const HOSTILE: &str = "tests/data/hostile";

/// `qualify score DEF INPUT --as-of 2026-01-01 --rejects REJECTS EXTRA...`
/// in a fresh folder: its output, results and rejects file (empty when none).
fn score(def: &str, input: &Path, extra: &[&str]) -> (std::process::Output, String) {
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("rejects.csv");
    let mut args = vec![
        "score",
        def,
        input.to_str().unwrap(),
        "--as-of",
        "2026-01-01",
        "--rejects",
        rejects.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = qualify(&args);
    let rejected = std::fs::read_to_string(&rejects).unwrap_or_default();
    (out, rejected)
}

/// The rejects file's rows as (line, row, column, reason).
fn rejects(text: &str) -> Vec<(String, String, String, String)> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].into(), r[1].into(), r[2].into(), r[4].into())
        })
        .collect()
}

fn data(case: &str, file: &str) -> String {
    format!("{HOSTILE}/{case}/{file}")
}

fn root_path(relative: &str) -> std::path::PathBuf {
    crate::support::root().join(relative)
}

#[test]
fn rejects_are_on_their_line_whatever_the_line_ends() {
    let def = data("05-cr-only-line-numbers", "def.lead");
    let cr_only = std::fs::read(root_path(&data("05-cr-only-line-numbers", "in.csv"))).unwrap();
    assert!(
        !cr_only.contains(&b'\n'),
        "the reproducer has CR line ends only"
    );
    let lf: Vec<u8> = cr_only
        .iter()
        .map(|&b| if b == b'\r' { b'\n' } else { b })
        .collect();
    let crlf = String::from_utf8(lf.clone()).unwrap().replace('\n', "\r\n");
    // Each line end of another kind: CR, LF, CRLF, CR.
    let mixed = "id,name,n,ok\r1,a,6,yes\n2,b,x,no\r\n3,c,y,no\r";
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("cr", cr_only),
        ("lf", lf),
        ("crlf", crlf.into_bytes()),
        ("mixed", mixed.as_bytes().to_vec()),
    ] {
        let path = dir.path().join(format!("{name}.csv"));
        std::fs::write(&path, bytes).unwrap();
        let (out, rejected) = score(&def, &path, &[]);
        assert_eq!(out.status.code(), Some(3), "{name}: {}", stderr(&out));
        let lines: Vec<(String, String)> = rejects(&rejected)
            .into_iter()
            .map(|(line, row, ..)| (line, row))
            .collect();
        assert_eq!(
            lines,
            [("3".into(), "2".into()), ("4".into(), "3".into())],
            "{name}"
        );
    }
}

#[test]
fn a_jsonl_key_given_twice_rejects_the_line_naming_the_key() {
    let case = "06-jsonl-exact-duplicate-keys";
    let (out, rejected) = score(
        &data(case, "def.lead"),
        &root_path(&data(case, "in.jsonl")),
        &[],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("4 rows read, 0 scored, 4 rejected"),
        "{}",
        stderr(&out)
    );
    let got: Vec<(String, String)> = rejects(&rejected)
        .into_iter()
        .map(|(_, _, column, reason)| (column, reason))
        .collect();
    let same = "name the same column (ignoring case and surrounding spaces)";
    assert_eq!(
        got,
        [
            ("n".into(), "the key `n` appears twice".into()),
            ("n".into(), "the key `n` appears twice".into()),
            ("id".into(), "the key `id` appears twice".into()),
            ("n".into(), format!("the keys `N` and `n` {same}")),
        ]
    );
}

#[test]
fn jsonl_numbers_are_kept_as_written_and_unread_keys_never_reject() {
    let case = "07-jsonl-numbers";
    let (out, rejected) = score(
        &data(case, "def.lead"),
        &root_path(&data(case, "in.jsonl")),
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}\n{rejected}", stderr(&out));
    let ids: Vec<String> = stdout(&out)
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        ["12.50", "1e2", "123456789012345678901234567", "-0", "x"]
    );
}

#[test]
fn a_number_too_large_is_a_reject_only_where_a_field_reads_it() {
    let case = "07-jsonl-numbers";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    // On the first line, a value nothing reads must not stop the run.
    std::fs::write(
        &path,
        "{\"id\":\"a\",\"n\":1,\"unrelated\":1e400}\n{\"id\":\"b\",\"n\":1e400}\n{\"id\":\"c\",\"n\":\"-1e999\"}\n",
    )
    .unwrap();
    let (out, rejected) = score(&data(case, "def.lead"), &path, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("3 rows read, 1 scored, 2 rejected"));
    for (line, _, column, reason) in rejects(&rejected) {
        assert_eq!(column, "n", "line {line}");
        assert!(
            reason.starts_with("too large a number"),
            "line {line}: {reason}"
        );
    }
}

/// What `score` makes of one JSONL line: the values, or the reason it is
/// rejected.
fn as_scored(
    model: &qualify::model::Model,
    line: &str,
) -> Result<Vec<qualify::model::Value>, String> {
    use qualify::input::{InputOptions, InquiryReader, RowResult};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one.jsonl");
    std::fs::write(&path, format!("{line}\n")).unwrap();
    let mut reader =
        InquiryReader::open(path.to_str().unwrap(), &InputOptions::default(), model, &[]).unwrap();
    let row = reader.rows().next().expect("one row").unwrap();
    match row {
        RowResult::Row(inquiry) => Ok(inquiry.values),
        RowResult::Reject(r) => Err(r.reason),
    }
}

fn model_of(path: &str) -> qualify::model::Model {
    let text = std::fs::read_to_string(root_path(path)).unwrap();
    qualify::load::load_str(path, &text).model.unwrap()
}

mod explain_reads_as_score_does {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn on_the_reproducer() {
        let case = "24-explain-inquiry-vs-jsonl";
        let model = model_of(&data(case, "def.lead"));
        let line = std::fs::read_to_string(root_path(&data(case, "in.jsonl"))).unwrap();
        let scored = as_scored(&model, line.trim()).expect("score reads it");
        let explained = qualify::explain::inquiry::parse_inquiry(&model, line.trim())
            .expect("explain reads it")
            .values;
        assert_eq!(explained, scored);
        assert_eq!(
            explained[3],
            qualify::model::Value::Bool(true),
            "`\"ok\": 1` is yes"
        );
        // Two keys for `n`: neither path takes a guess.
        let clash = r#"{"id":"1","n":1,"N":20}"#;
        let why = as_scored(&model, clash).unwrap_err();
        assert_eq!(
            qualify::explain::inquiry::parse_inquiry(&model, clash).err(),
            Some(why)
        );
    }

    /// A JSON value in the vocabulary that upsets readers the most.
    fn value() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "1",
            "0",
            "6",
            "12.50",
            "1e2",
            "1e400",
            "-0",
            "true",
            "false",
            "null",
            "\"yes\"",
            "\"N\"",
            "\" 7 \"",
            "\"x\"",
            "\"\"",
            "[1]",
            "{\"n\": 1}",
            "\"\\u00e9\"",
        ])
    }

    /// Keys: the fields' columns in several spellings, and keys nothing reads.
    fn key() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "id",
            "n",
            "N",
            " n ",
            "ok",
            "OK",
            "name",
            "unrelated",
            "Name ",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Whatever the object, `explain --inquiry` reads the values `score`
        /// reads from the same object as a JSONL line, or refuses it for the
        /// same reason. (`id` is always given: explain alone lets a required
        /// field be missing, on purpose.)
        #[test]
        fn on_any_object(
            id in value(),
            entries in prop::collection::vec((key(), value()), 0..6),
        ) {
            let model = model_of(&data("24-explain-inquiry-vs-jsonl", "def.lead"));
            let mut object = format!("{{\"id\": {id}");
            for (k, v) in &entries {
                object.push_str(&format!(", {}: {v}", serde_json::to_string(k).unwrap()));
            }
            object.push('}');
            let scored = as_scored(&model, &object);
            let explained = qualify::explain::inquiry::parse_inquiry(&model, &object)
                .map(|i| i.values);
            match (&scored, &explained) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b, "{}", object),
                (Err(why), Err(message)) => prop_assert!(
                    message.contains(why.as_str()) || why == "a value is required",
                    "{}: score says {:?}, explain {:?}", object, why, message
                ),
                _ => prop_assert!(
                    matches!(&scored, Err(why) if why == "a value is required"),
                    "{}: score {:?}, explain {:?}", object, scored, explained
                ),
            }
        }
    }
}

#[test]
fn an_unclosed_quote_is_told_where_it_opens_and_the_rows_add_up() {
    let case = "23-misleading-messages";
    let (out, rejected) = score(
        &data(case, "def.lead"),
        &root_path(&data(case, "unterminated.csv")),
        &[],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 row read, 0 scored, 1 rejected"),
        "{}",
        stderr(&out)
    );
    let got = rejects(&rejected);
    assert_eq!(got.len(), 1, "{rejected}");
    let (line, row, column, reason) = &got[0];
    assert_eq!(
        (line.as_str(), row.as_str(), column.as_str()),
        ("2", "1", "name")
    );
    assert!(
        reason.starts_with("the quote that opens column `name` on line 2 is never closed"),
        "{reason}"
    );
    assert!(!reason.contains("cells"), "{reason}");
}

#[test]
fn rows_before_an_unclosed_quote_are_scored() {
    let case = "23-misleading-messages";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late.csv");
    std::fs::write(
        &path,
        "id,name,n,ok\r\n1,a,6,yes\r\n2,b,7,no\r\n3,c,8,\"no\r\n",
    )
    .unwrap();
    let (out, rejected) = score(&data(case, "def.lead"), &path, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("3 rows read, 2 scored, 1 rejected"));
    let got = rejects(&rejected);
    assert_eq!((got[0].0.as_str(), got[0].2.as_str()), ("4", "ok"));
}

#[test]
fn a_quote_never_closed_in_the_header_stops_the_run() {
    let case = "23-misleading-messages";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("header.csv");
    std::fs::write(&path, "id,\"name,n,ok\n1,a,6,yes\n").unwrap();
    let (out, _) = score(&data(case, "def.lead"), &path, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the quote that opens a cell on line 1 is never closed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_keep_column_with_a_comma_is_named_in_quotes_as_the_help_says() {
    let case = "25-keep-column-with-comma";
    let (def, input) = (data(case, "def.lead"), root_path(&data(case, "in.csv")));
    // Typed plainly, the name is split at its comma; the help says how to
    // write it instead, in words a shell takes as they are.
    let (out, _) = score(&def, &input, &["--keep", "City, State"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let advice = "did you mean `City, State`? write it `--keep '\"City, State\"'`";
    assert!(err.contains(advice), "{err}");
    // The suggestion, as the shell passes it on, works.
    let (out, _) = score(&def, &input, &["--keep", "\"City, State\""]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "id,score,stage,disqualified,matched,\"City, State\"\n1,15,hot,,big; okc,\"Austin, TX\"\n"
    );
    // With others, in one list or repeated.
    for keep in [
        &["--keep", "name, \"City, State\""][..],
        &["--keep", "name", "--keep", "\"City, State\""],
    ] {
        let (out, _) = score(&def, &input, keep);
        assert_eq!(out.status.code(), Some(0), "{keep:?}: {}", stderr(&out));
        assert!(
            stdout(&out).ends_with(",a,\"Austin, TX\"\n"),
            "{}",
            stdout(&out)
        );
    }
    // A quote left open is a usage error saying so.
    let (out, _) = score(&def, &input, &["--keep", "name,\"City, State"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("never closed"), "{}", stderr(&out));
}

#[test]
fn a_file_with_another_header_names_every_missing_column_and_every_column_there() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.csv");
    let header: Vec<String> = (1..=15).map(|i| format!("col{i}")).collect();
    std::fs::write(
        &path,
        format!("{}\n{}\n", header.join(","), "x,".repeat(14) + "x"),
    )
    .unwrap();
    let out = qualify(&[
        "score",
        "rules/northwind.lead",
        path.to_str().unwrap(),
        "--as-of",
        "2026-11-23",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let model = model_of("rules/northwind.lead");
    let required: Vec<&qualify::model::Field> =
        model.fields.iter().filter(|f| !f.optional).collect();
    assert!(required.len() > 1);
    let first = err.lines().next().unwrap();
    assert!(
        first.starts_with(&format!(
            "error: the input has none of the columns of {} required fields: ",
            required.len()
        )),
        "{err}"
    );
    for field in required {
        assert!(
            first.contains(&format!("`{}`", field.column)),
            "{}: {err}",
            field.column
        );
    }
    let help = err.lines().nth(1).unwrap();
    for column in &header {
        assert!(help.contains(&format!("`{column}`")), "{column}: {err}");
    }
}

mod one_of_cells_fold_as_the_model_folds {
    use super::*;
    use proptest::prelude::*;
    use qualify::model::{Field, Type, Value};
    use qualify::semantics::text::fold as fold_text;

    fn one_of(values: &[String]) -> Field {
        Field {
            name: "city".into(),
            ty: Type::Text,
            one_of: Some(values.to_vec()),
            optional: true,
            column: "city".into(),
            format: None,
            placeholders: Vec::new(),
            span: Default::default(),
        }
    }

    #[test]
    fn a_greek_final_sigma_is_accepted_in_score_and_explain() {
        let dir = tempfile::tempdir().unwrap();
        let def = dir.path().join("greek.lead");
        std::fs::write(
            &def,
            "fields {\n  city one of \"ΟΔΟΣ\", \"Athens\"\n}\ncriterion \"road\" +1 when city = \"οδος\"\nstage \"all\" otherwise\n",
        )
        .unwrap();
        let def = def.to_str().unwrap();
        let out = qualify(&["check", def]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let input = dir.path().join("in.csv");
        std::fs::write(&input, "city\nΟΔΟΣ\nοδος\n Οδος \nATHENS\n").unwrap();
        let (out, rejected) = score(def, &input, &[]);
        assert_eq!(out.status.code(), Some(0), "{}\n{rejected}", stderr(&out));
        assert_eq!(
            stdout(&out),
            "row,score,stage,disqualified,matched\n1,1,all,,road\n2,1,all,,road\n3,1,all,,road\n4,0,all,,\n"
        );
        let out = qualify(&["explain", def, "--inquiry", r#"{"city": "ΟΔΟΣ"}"#]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).contains("score 1"), "{}", stdout(&out));
    }

    /// Letters whose case folding is not one character to one: final and
    /// medial sigma, dotted and dotless i, sharp s, a combining accent,
    /// full-width letters, and plain ASCII around them.
    fn text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "Σ", "σ", "ς", "ΟΔΟΣ", "İ", "ı", "I", "i", "ß", "ẞ", "SS", "ss", "e\u{301}", "é", "É",
            "\u{301}", "Ａ", "ａ", "A", "a", "K", "\u{212a}", " ", "\u{a0}", "x",
        ]);
        prop::collection::vec(pieces, 1..5).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

        /// A cell is accepted for a `one of` field exactly when the model's
        /// folding says it equals a listed value (the folding `check` applies
        /// to literals and every comparison applies when scoring).
        #[test]
        fn a_cell_is_accepted_exactly_when_it_folds_to_a_listed_value(
            listed in prop::collection::vec(text(), 1..4),
            cell in text(),
            pick in any::<prop::sample::Index>(),
            upper in any::<bool>(),
        ) {
            let field = one_of(&listed);
            // Half the time the cell is a listed value in another case, so
            // acceptance is tried as often as refusal.
            let cell = if upper {
                let v = pick.get(&listed);
                if cell.len() % 2 == 0 { v.to_uppercase() } else { v.to_lowercase() }
            } else {
                cell
            };
            let decoded = qualify::input::parse_cell(&field, &cell);
            if cell.trim().is_empty() {
                prop_assert_eq!(decoded, Ok(Value::Missing));
            } else {
                let listed_equal = listed.iter().any(|v| fold_text(v) == fold_text(&cell));
                prop_assert_eq!(decoded.is_ok(), listed_equal, "{:?} in {:?}", cell, listed);
            }
        }
    }
}
