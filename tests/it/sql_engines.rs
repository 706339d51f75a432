//! `compile --to sql` on real engines: every case is scored by `qualify
//! score` and by the generated query on DuckDB, PostgreSQL and Spark, and
//! every output column must agree, row by row (rows in = rows out; a
//! rejected row has score's reason and no results).
//!
//! Cases: every definition in `rules/` (and the other shipped definitions
//! with examples) with its examples and shipped inquiries, and random
//! definitions and inquiries from the property-test generator
//! ([`crate::arbitrary`]); each as a table of text cells (as a CSV loads)
//! and, when every cell is valid, as a typed table too. All cases of an
//! engine run in one Python process. Numbers the engine returns are printed
//! by `qualify::number::format_number` and compared with score's text: the
//! query returns the exact float, `score` prints it. On DuckDB every other
//! case is compiled with `--numbers text` instead,
//! and its text is compared as it is, and one more case holds that text to
//! `score`'s on thousands of hard numbers ([`numbers_case`]).

use crate::arbitrary;
use crate::support::{python_with, qualify, root};
use chrono::NaiveDate;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use qualify::model::{date_from_days, Model, Type, Value};
use serde_json::{json, Value as Json};
use std::path::Path;

/// One table and one definition.
struct Case {
    name: String,
    definition: String,
    as_of: NaiveDate,
    header: Vec<String>,
    /// Cells as a CSV holds them (`None`: an empty cell).
    cells: Vec<Vec<Option<String>>>,
    /// The same rows typed (per column: text, number, yesno, date), when
    /// every cell could be.
    typed: Option<(Vec<&'static str>, Vec<Vec<Json>>)>,
    /// Compiled with `--numbers text`: numbers come back as `score`'s text
    /// and are compared as they are.
    text_numbers: bool,
    /// For a definition with an events block: the events table (header and
    /// text cells), given to `score --events` and loaded as table `ev`.
    events: Option<Table>,
}

/// A table of text cells: its header and rows (`None`: an empty cell).
type Table = (Vec<String>, Vec<Vec<Option<String>>>);

/// What `score` said about one input row.
#[derive(Debug)]
enum Expected {
    Scored(Vec<String>),
    Rejected(String),
}

fn kind(ty: Type) -> &'static str {
    match ty {
        Type::Text => "text",
        Type::Number => "number",
        Type::YesNo => "yesno",
        Type::Date => "date",
    }
}

/// A value as a cell of an export, in one of the spellings the reader
/// accepts (`variant` picks), for a field with an optional date format.
fn cell(value: &Value, format: Option<&str>, variant: usize) -> Option<String> {
    match value {
        Value::Missing => [None, Some("  ".to_string())][variant % 2].clone(),
        Value::Text(t) => Some(t.clone()),
        Value::Number(n) => Some(if variant.is_multiple_of(3) {
            format!("{n:e}")
        } else {
            format!("{n}")
        }),
        Value::Bool(b) => {
            let words = if *b {
                ["yes", "TRUE", "y", "1", "Yes"]
            } else {
                ["no", "false", "N", "0", "No"]
            };
            Some(words[variant % words.len()].to_string())
        }
        Value::Date(d) => Some(match format {
            Some(f) => date_from_days(*d).format(f).to_string(),
            None if variant % 4 == 1 => format!("{}T10:30:00", date_from_days(*d)),
            None => date_from_days(*d).to_string(),
        }),
    }
}

/// The typed cell of a value (dates as ISO text, cast by the loader).
fn typed(value: &Value) -> Json {
    match value {
        Value::Missing => Json::Null,
        Value::Text(t) => json!(t),
        Value::Number(n) => json!(n),
        Value::Bool(b) => json!(b),
        Value::Date(d) => json!(date_from_days(*d).to_string()),
    }
}

/// A case from field values (one `Vec<Value>` per row), with `bad` cells
/// replacing some values by text the reader rejects.
fn case_from_values(
    name: String,
    definition: String,
    model: &Model,
    rows: &[Vec<Value>],
    bad: &[(usize, usize, &str)],
    as_of: NaiveDate,
    salt: usize,
) -> Case {
    let header: Vec<String> = model.fields.iter().map(|f| f.column.clone()).collect();
    let mut cells: Vec<Vec<Option<String>>> = rows
        .iter()
        .enumerate()
        .map(|(r, values)| {
            values
                .iter()
                .zip(&model.fields)
                .enumerate()
                .map(|(f, (v, field))| cell(v, field.format.as_deref(), r + f + salt))
                .collect()
        })
        .collect();
    for &(r, f, text) in bad {
        if r < cells.len() && f < header.len() {
            cells[r][f] = Some(text.to_string());
        }
    }
    // Random cases load a typed table for one in three (each costs the
    // engine a query plan); shipped examples always.
    let typed = (bad.is_empty() && salt.is_multiple_of(3)).then(|| {
        (
            model.fields.iter().map(|f| kind(f.ty)).collect(),
            rows.iter()
                .map(|values| values.iter().map(typed).collect())
                .collect(),
        )
    });
    Case {
        name,
        definition,
        as_of,
        header,
        cells,
        typed,
        text_numbers: false,
        events: None,
    }
}

fn write_csv(path: &Path, header: &[String], cells: &[Vec<Option<String>>]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(header).unwrap();
    for row in cells {
        w.write_record(row.iter().map(|c| c.as_deref().unwrap_or("")))
            .unwrap();
    }
    w.flush().unwrap();
}

/// `score`'s answer for every row of `case`, in input order, and its columns.
fn expected(case: &Case, dir: &Path, k: usize) -> (Vec<String>, Vec<Expected>) {
    let def = dir.join(format!("case{k}.lead"));
    let input = dir.join(format!("case{k}.csv"));
    let out = dir.join(format!("case{k}.out.csv"));
    let rejects = dir.join(format!("case{k}.rejects.csv"));
    std::fs::write(&def, &case.definition).unwrap();
    write_csv(&input, &case.header, &case.cells);
    let as_of = case.as_of.to_string();
    let events = dir.join(format!("case{k}.events.csv"));
    let mut args = vec![
        "score",
        def.to_str().unwrap(),
        input.to_str().unwrap(),
        "--as-of",
        &as_of,
        "--points",
        "-o",
        out.to_str().unwrap(),
        "--rejects",
        rejects.to_str().unwrap(),
    ];
    if let Some((header, cells)) = &case.events {
        write_csv(&events, header, cells);
        args.extend(["--events", events.to_str().unwrap()]);
    }
    let run = qualify(&args);
    assert!(
        matches!(run.status.code(), Some(0 | 3)),
        "{}: score failed: {}",
        case.name,
        String::from_utf8_lossy(&run.stderr)
    );
    let mut results = csv::Reader::from_path(&out).unwrap();
    let header: Vec<String> = results
        .headers()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    let mut scored = results
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>());
    let mut reasons = std::collections::HashMap::new();
    if rejects.exists() {
        let mut r = csv::Reader::from_path(&rejects).unwrap();
        for rec in r.records() {
            let rec = rec.unwrap();
            reasons.insert(rec[1].parse::<usize>().unwrap(), rec[4].to_string());
        }
    }
    let rows = (1..=case.cells.len())
        .map(|row| match reasons.remove(&row) {
            Some(reason) => Expected::Rejected(reason),
            None => Expected::Scored(scored.next().expect("a result per scored row")),
        })
        .collect();
    (header, rows)
}

/// An engine's value as score writes it.
fn as_text(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::Object(f) => {
            let text = f["f"].as_str().expect("a float as text");
            let n: f64 = text
                .parse()
                .unwrap_or_else(|_| panic!("not a float: {text}"));
            qualify::number::format_number(n)
        }
        Json::Number(n) => n.to_string(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn sql_for(case: &Case, dialect: &str) -> Result<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let def = dir.path().join("d.lead");
    std::fs::write(&def, &case.definition).unwrap();
    let as_of = case.as_of.to_string();
    let run = qualify(&[
        "compile",
        def.to_str().unwrap(),
        "--to",
        "sql",
        "--dialect",
        dialect,
        "--table",
        "t",
        "--as-of",
        &as_of,
        "--points",
        "--numbers",
        if case.text_numbers { "text" } else { "double" },
        "--events-table",
        "ev",
    ]);
    if run.status.success() {
        Ok(String::from_utf8(run.stdout).unwrap())
    } else {
        Err(String::from_utf8_lossy(&run.stderr).into_owned())
    }
}

/// Runs every case on `engine` and fails on the first disagreement, naming
/// the definition, the row and both answers.
fn agree(engine: &str, dialect: &str, python: &Path, cases: &[Case]) {
    let dir = tempfile::tempdir().unwrap();
    let mut jobs = Vec::new();
    let mut expectations = Vec::new();
    let mut answers = Vec::new();
    for (k, case) in cases.iter().enumerate() {
        let (header, rows) = expected(case, dir.path(), k);
        answers.push(rows);
        let sql = sql_for(case, dialect).unwrap_or_else(|e| {
            panic!(
                "{}: compile --to sql refused:\n{e}\n{}",
                case.name, case.definition
            )
        });
        let text_rows: Vec<Vec<Json>> = case
            .cells
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| c.as_ref().map_or(Json::Null, |s| json!(s)))
                    .collect()
            })
            .collect();
        let mut job = json!({
            "sql": sql,
            "columns": case.header,
            "types": vec!["text"; case.header.len()],
            "rows": text_rows,
        });
        if let Some((header, cells)) = &case.events {
            job["events"] = json!({"columns": header, "rows": cells});
        }
        jobs.push(job);
        expectations.push((k, "text", header.clone()));
        if let Some((types, rows)) = &case.typed {
            jobs.push(json!({"sql": sql, "columns": case.header, "types": types, "rows": rows}));
            expectations.push((k, "typed", header.clone()));
        }
    }
    let cases_path = dir.path().join("cases.json");
    let out_path = dir.path().join("results.json");
    std::fs::write(&cases_path, serde_json::to_vec(&jobs).unwrap()).unwrap();
    let run = std::process::Command::new(python)
        .arg(root().join("tests/it/sql_run.py"))
        .args([
            engine,
            cases_path.to_str().unwrap(),
            out_path.to_str().unwrap(),
        ])
        .output()
        .expect("python runs");
    assert!(
        run.status.success(),
        "{engine}: the runner failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let results: Vec<Json> =
        serde_json::from_slice(&std::fs::read(&out_path).unwrap()).expect("results as JSON");
    assert_eq!(results.len(), jobs.len());
    let mut checked_rows = 0;
    for ((k, table, header), result) in expectations.iter().zip(&results) {
        let case = &cases[*k];
        let rows = &answers[*k];
        let context = || {
            format!(
                "{engine}, {table} table, case {}:\n{}\n",
                case.name, case.definition
            )
        };
        let got = match result.get("rows").and_then(Json::as_array) {
            Some(rows) => rows,
            None => panic!("{}the query failed: {}", context(), result["error"]),
        };
        assert_eq!(
            got.len(),
            rows.len(),
            "{}rows in must be rows out",
            context()
        );
        let got = in_input_order(case, got);
        for (i, (want, got)) in rows.iter().zip(got).enumerate() {
            let got: Vec<String> = got.as_array().unwrap().iter().map(as_text).collect();
            let (rejected, results) = got.split_last().unwrap();
            let input = &case.cells[i];
            match want {
                Expected::Scored(want) => {
                    assert!(
                        rejected.is_empty() && results == want.as_slice(),
                        "{}row {} {:?}\n  score: {:?}\n  sql:   {:?} rejected {:?}\n  columns {:?}",
                        context(),
                        i + 1,
                        input,
                        want,
                        results,
                        rejected,
                        header
                    );
                }
                Expected::Rejected(reason) => {
                    assert!(
                        rejected == reason && results[1..].iter().all(String::is_empty),
                        "{}row {} {:?}\n  score rejects it: {reason}\n  sql: {:?} rejected {:?}",
                        context(),
                        i + 1,
                        input,
                        results,
                        rejected
                    );
                }
            }
            checked_rows += 1;
        }
    }
    eprintln!(
        "{engine}: {} tables, {checked_rows} rows agree with score",
        results.len()
    );
}

/// The engine's rows in input order: an engine may hand rows out in
/// another order than it numbered them. Rows are put back by their label
/// (the row number, or the id when every id is present and distinct);
/// otherwise they stay as they came.
fn in_input_order<'a>(case: &Case, got: &'a [Json]) -> Vec<&'a Json> {
    let model = qualify::load::load_str("case.lead", &case.definition)
        .model
        .expect("the case checks");
    let position: Vec<Option<usize>> = match model.id_field() {
        None => got
            .iter()
            .map(|r| r[0].as_u64().map(|n| n as usize - 1))
            .collect(),
        Some(f) => {
            let column = &model.fields[f].column;
            let at = case
                .header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(column));
            let ids: Vec<Option<&String>> = case
                .cells
                .iter()
                .map(|r| at.and_then(|a| r[a].as_ref()))
                .collect();
            got.iter()
                .map(|r| {
                    let label = r[0].as_str()?;
                    let mut found = ids
                        .iter()
                        .enumerate()
                        .filter(|(_, id)| id.map(String::as_str) == Some(label));
                    match (found.next(), found.next()) {
                        (Some((i, _)), None) => Some(i),
                        _ => None,
                    }
                })
                .collect()
        }
    };
    let mut ordered: Vec<Option<&Json>> = vec![None; got.len()];
    for (row, pos) in got.iter().zip(&position) {
        match pos {
            Some(p) if *p < ordered.len() && ordered[*p].is_none() => ordered[*p] = Some(row),
            _ => return got.iter().collect(),
        }
    }
    ordered
        .into_iter()
        .map(|r| r.expect("every position filled"))
        .collect()
}

/// The shipped definitions: each with its examples (grouped by as-of
/// date) and, where one ships, its inquiry file.
fn shipped_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut files = crate::support::rules_files();
    files.extend([
        "tests/data/explain/grid.lead".to_string(),
        "tests/data/newcomer/one-of-each.lead".to_string(),
    ]);
    let default_as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    for file in files {
        let path = root().join(&file);
        let text = std::fs::read_to_string(&path).unwrap();
        let suite = qualify::cli::common::load_suite(path.to_str().unwrap()).unwrap();
        let model = suite
            .definition
            .model
            .clone()
            .expect("a shipped definition checks");
        // Aggregates of events have no SQL yet: `compile --to sql` refuses
        // them by name (tests/it/events.rs), so there is nothing to compare.
        if !model.aggregates.is_empty() {
            continue;
        }
        let mut by_date: std::collections::BTreeMap<NaiveDate, Vec<Vec<Value>>> =
            Default::default();
        for (example, _) in suite.examples() {
            by_date
                .entry(example.as_of.unwrap_or(default_as_of))
                .or_default()
                .push(example.values.clone());
        }
        for (as_of, rows) in by_date {
            // Examples set only some fields: required ones left missing are
            // rejected alike by both, which the comparison covers too.
            cases.push(case_from_values(
                format!("{file} examples as of {as_of}"),
                text.clone(),
                &model,
                &rows,
                &[],
                as_of,
                0,
            ));
        }
        let inquiries = match file.as_str() {
            "rules/northwind.lead" | "rules/northwind-full.lead" => {
                Some("examples/northwind-inquiries.csv")
            }
            "rules/x-education.lead" | "rules/x-education-2027.lead" => {
                Some("tests/data/x-education-sample.csv")
            }
            _ => None,
        };
        if let Some(inquiries) = inquiries {
            let mut reader = csv::Reader::from_path(root().join(inquiries)).unwrap();
            let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
            let cells = reader
                .records()
                .map(|r| {
                    r.unwrap()
                        .iter()
                        .map(|c| (!c.is_empty()).then(|| c.to_string()))
                        .collect()
                })
                .collect();
            cases.push(Case {
                name: format!("{file} on {inquiries}"),
                definition: text.clone(),
                as_of: default_as_of,
                header,
                cells,
                typed: None,
                text_numbers: false,
                events: None,
            });
        }
    }
    cases
}

/// `count` random definitions, each with a few random inquiries (some with
/// cells the reader rejects), from a fixed seed.
fn random_cases(count: usize, seed: u8) -> Vec<Case> {
    let config = Config::default();
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    );
    let strategy = (
        arbitrary::definition(),
        proptest::collection::vec(arbitrary::inquiry(), 1..7),
        arbitrary::as_of(),
        proptest::collection::vec((0usize..7, 0usize..8, 0usize..6), 0..2),
    );
    let bad_text = ["abc", "maybe", "2026-02-30", "zzz", "1e400", "05/13/2026"];
    // QUALIFY_SQL_CASE=K keeps random case K alone (to study a failure).
    let only: Option<usize> = std::env::var("QUALIFY_SQL_CASE")
        .ok()
        .and_then(|k| k.parse().ok());
    (0..count)
        .map(|k| {
            let (definition, rows, as_of, bad) = strategy.new_tree(&mut runner).unwrap().current();
            let model = qualify::load::load_str("random.lead", &definition)
                .model
                .expect("the generator writes valid definitions");
            let bad: Vec<(usize, usize, &str)> = bad
                .into_iter()
                .map(|(r, f, t)| (r, f, bad_text[t]))
                .collect();
            case_from_values(
                format!("random #{k} (seed {seed})"),
                definition,
                &model,
                &rows,
                &bad,
                date_from_days(as_of),
                k,
            )
        })
        .enumerate()
        .filter(|(k, _)| only.is_none_or(|o| o == *k))
        .map(|(_, case)| case)
        .collect()
}

#[test]
fn duckdb_gives_what_score_gives() {
    let Some(python) = python_with("sql_engines::duckdb", &["duckdb"]) else {
        return;
    };
    let mut cases = if std::env::var_os("QUALIFY_SQL_CASE").is_some() {
        Vec::new()
    } else {
        shipped_cases()
    };
    cases.extend(random_cases(320, 18));
    let mut cases = half_as_text(cases);
    cases.push(numbers_case());
    cases.push(shipped_events_case());
    cases.extend(random_event_cases(60, 21));
    agree("duckdb", "duckdb", &python, &cases);
}

/// The DuckDB query folds text of old enough characters with DuckDB's own
/// `lower` (src/sql/text.rs): it must lowercase every one of them as Rust
/// does. `İ` is replaced before `lower` (Rust makes it two characters).
#[test]
fn duckdb_lower_is_rusts_where_the_query_trusts_it() {
    let Some(python) = python_with("sql_engines::duckdb_lower", &["duckdb"]) else {
        return;
    };
    let pairs: Vec<(String, String)> = (1..=0x10FFFFu32)
        .filter_map(char::from_u32)
        .filter(|&c| {
            c != 'İ' && qualify::sql::engine_lower_trusted(qualify::sql::Dialect::DuckDb, c)
        })
        .map(|c| (c.to_string(), c.to_lowercase().collect()))
        .collect();
    assert!(
        pairs.len() > 100_000,
        "Unicode 13 assigns more: {}",
        pairs.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pairs.json");
    std::fs::write(&path, serde_json::to_string(&pairs).unwrap()).unwrap();
    let script = r#"
import duckdb, json, sys
pairs = json.load(open(sys.argv[1], encoding="utf-8"))
con = duckdb.connect()
chars = [c for c, _ in pairs]
got = con.execute("SELECT lower(c) FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS u(c, i) ORDER BY i", [chars]).fetchall()
bad = [(hex(ord(c)), want, g[0]) for (c, want), g in zip(pairs, got) if g[0] != want]
print(len(got), bad[:20])
sys.exit(1 if bad or len(got) != len(pairs) else 0)
"#;
    let out = std::process::Command::new(&python)
        .args(["-c", script])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "DuckDB's lower differs from Rust's where the query trusts it: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn postgres_gives_what_score_gives() {
    let Some(python) = python_with("sql_engines::postgres", &["psycopg"]) else {
        return;
    };
    if std::env::var_os("QUALIFY_PGHOST").is_none() {
        if std::env::var_os("CI").is_some() {
            panic!("sql_engines::postgres: QUALIFY_PGHOST is unset and CI is set; .ci/run starts PostgreSQL with .ci/postgres");
        }
        eprintln!("note: sql_engines::postgres skipped: no server (QUALIFY_PGHOST unset; `source .ci/postgres` starts one)");
        return;
    }
    let mut cases = if std::env::var_os("QUALIFY_SQL_CASE").is_some() {
        Vec::new()
    } else {
        shipped_cases()
    };
    cases.extend(random_cases(320, 19));
    cases.push(shipped_events_case());
    cases.extend(random_event_cases(60, 22));
    agree("postgres", "postgres", &python, &cases);
}

/// Spark SQL in local mode (one session for every case; it takes a while to
/// start): the shipped definitions and a small random sample.
#[test]
fn spark_gives_what_score_gives() {
    let Some(python) = python_with("sql_engines::spark", &["pyspark"]) else {
        return;
    };
    let java = std::process::Command::new("java").arg("-version").output();
    if !java.is_ok_and(|o| o.status.success()) {
        if std::env::var_os("CI").is_some() {
            panic!("sql_engines::spark: no Java, and CI is set; Spark needs Java 17");
        }
        eprintln!("note: sql_engines::spark skipped: no Java (Spark needs Java 17)");
        return;
    }
    let mut cases = if std::env::var_os("QUALIFY_SQL_CASE").is_some() {
        Vec::new()
    } else {
        shipped_cases()
    };
    // Spark plans the deeper random definitions slowly (minutes each, on two
    // cores), so CI runs a few; QUALIFY_SPARK_RANDOM=30 runs more.
    let random: usize = std::env::var("QUALIFY_SPARK_RANDOM")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(4);
    cases.extend(random_cases(random, 20));
    cases.push(shipped_events_case());
    // Random definitions with events plan slowly on Spark (minutes each);
    // DuckDB and PostgreSQL run 60. QUALIFY_SPARK_EVENTS=N runs some here.
    let random_events: usize = std::env::var("QUALIFY_SPARK_EVENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    cases.extend(random_event_cases(random_events, 23));
    agree("spark", "spark", &python, &cases);
}

/// Every other case compiled with `--numbers text`, so both forms of
/// numbers meet every kind of definition.
fn half_as_text(cases: Vec<Case>) -> Vec<Case> {
    cases
        .into_iter()
        .enumerate()
        .map(|(k, case)| Case {
            text_numbers: k % 2 == 1,
            ..case
        })
        .collect()
}

/// A definition whose score is its one number (`+1 per x`), over numbers
/// that are hard to print as `score` prints them: ties at the hundredths
/// (`0.125`, `2.675`, just below its tie), numbers that round to zero
/// hundredths, and numbers from 1e15 on, among them ties between two
/// shortest forms, which engines break to even and Rust upwards. The text
/// of `--numbers text` must be `score`'s, byte for byte.
// The literals are written at their exact values (`…327.25` is a float; its
// shortest forms `…327.2` and `…327.3` tie), not at their shortest.
#[allow(clippy::excessive_precision)]
fn numbers_case() -> Case {
    let mut values: Vec<f64> = vec![
        0.125,
        0.375,
        0.625,
        -0.125,
        2.675,
        1.005,
        0.015,
        0.005,
        0.0049999999999999996,
        0.001,
        -0.001,
        0.0009765625,
        99.995,
        -99.995,
        40.8,
        23.81,
        1e15,
        -1e15,
        1.5e15,
        999999999999999.9,
        1679242297300327.25,
        1679242297300327.75,
        1000000000000001.25,
        1e300,
        -1e300,
        2e23,
        1.7976931348623157e308,
        5e-324,
        2.5e-7,
        1e-310,
        4503599627370496.5,
        9007199254740993.0,
    ];
    // A fixed xorshift: the same numbers every run.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for k in 0..3000 {
        let r = next();
        let v = match k % 6 {
            0 => f64::from_bits(r),
            1 => (r % 2_000_000) as f64 / 8.0 - 125_000.0,
            2 => 1e15 + (r % 8_000_000_000_000_000) as f64 / 8.0,
            3 => (r >> 11) as f64 / 2f64.powi((next() % 80) as i32),
            4 => (r % 10_000_000) as f64 / 100.0,
            _ => ((r % 1000) as f64 - 500.0) * 10f64.powi((next() % 40) as i32 - 20),
        };
        if v.is_finite() {
            values.push(if next() % 3 == 0 { -v } else { v });
        }
    }
    // The case must hold ties between two shortest forms, or the tie rule
    // goes untested: where the ties-to-even shortest form (ryu's, as the
    // engines print) differs from Rust's.
    let ties = values
        .iter()
        .filter(|v| {
            let even: f64 = ryu::Buffer::new().format(**v).parse().unwrap();
            even == **v && ryu_digits(**v) != rust_digits(**v)
        })
        .count();
    assert!(ties >= 20, "only {ties} ties between shortest forms");
    Case {
        name: "numbers as score writes them".into(),
        definition: "definition \"numbers\"\n\nfields {\n  x number\n}\n\ncriterion \"x\" +1 per x\n\nstage \"all\" otherwise\n".into(),
        as_of: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        header: vec!["x".into()],
        cells: values.iter().map(|v| vec![Some(format!("{v:e}"))]).collect(),
        typed: None,
        text_numbers: true,
        events: None,
    }
}

/// The significant digits of a float's shortest form, ties to even.
fn ryu_digits(v: f64) -> String {
    significant(ryu::Buffer::new().format(v.abs()))
}

/// The significant digits of Rust's shortest form.
fn rust_digits(v: f64) -> String {
    significant(&format!("{:e}", v.abs()))
}

fn significant(text: &str) -> String {
    let mantissa = text.split(['e', 'E']).next().unwrap_or("");
    mantissa
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .trim_start_matches('0')
        .trim_end_matches('0')
        .to_string()
}

/// A CSV file as a header and text cells (an empty cell is `None`).
fn read_table(path: &Path) -> Table {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let cells = r
        .records()
        .map(|rec| {
            rec.unwrap()
                .iter()
                .map(|c| (!c.is_empty()).then(|| c.to_string()))
                .collect()
        })
        .collect();
    (header, cells)
}

/// The shipped definition that reads events, on its shipped leads and
/// activity export.
fn shipped_events_case() -> Case {
    let (header, cells) = read_table(&root().join("examples/recycle-leads.csv"));
    Case {
        name: "rules/recycle-cadence.lead on its samples".into(),
        definition: std::fs::read_to_string(root().join("rules/recycle-cadence.lead")).unwrap(),
        as_of: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        header,
        cells,
        typed: None,
        text_numbers: false,
        events: Some(read_table(&root().join("examples/activity-events.csv"))),
    }
}

/// Random definitions with aggregates of events ([`arbitrary::definition_with_events`]),
/// leads whose ids repeat and differ in case and spaces, and events for
/// those leads, for leads not in the table, and with bad cells.
fn random_event_cases(count: usize, seed: u8) -> Vec<Case> {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    );
    let strategy = (
        arbitrary::definition_with_events(),
        proptest::collection::vec(arbitrary::inquiry_with_id(), 1..6),
        proptest::collection::vec(
            (
                arbitrary::events(),
                proptest::sample::select(vec!["L1", " l1", "L2", "l3", "L9"]),
            ),
            0..4,
        ),
        arbitrary::as_of(),
        0usize..4,
    );
    let bad_text = ["not a date", "maybe", "2026-02-30", "zzz"];
    (0..count)
        .map(|k| {
            let (definition, rows, events, as_of, bad) =
                strategy.new_tree(&mut runner).unwrap().current();
            let model = qualify::load::load_str("random.lead", &definition)
                .model
                .expect("the generator writes valid definitions");
            let block = model.events.as_ref().expect("an events block");
            let header: Vec<String> = block.fields.iter().map(|f| f.column.clone()).collect();
            let mut cells: Vec<Vec<Option<String>>> = Vec::new();
            for (list, lead) in &events {
                for event in list {
                    let mut row: Vec<Option<String>> = event
                        .iter()
                        .zip(&block.fields)
                        .enumerate()
                        .map(|(f, (v, field))| cell(v, field.format.as_deref(), cells.len() + f))
                        .collect();
                    row[block.lead] = Some(lead.to_string());
                    cells.push(row);
                }
            }
            // A bad cell in one event (a rejected event counts for nothing).
            if let Some(row) = cells.get_mut(bad) {
                row[block.at] = Some(bad_text[bad].to_string());
            }
            let mut case = case_from_values(
                format!("random events #{k} (seed {seed})"),
                definition,
                &model,
                &rows,
                &[],
                date_from_days(as_of),
                k,
            );
            case.typed = None;
            case.events = Some((header, cells));
            case
        })
        .collect()
}
