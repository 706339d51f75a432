//! What the SQL target refuses, and the tables it writes out, checked
//! without an engine (tests/it/sql_engines.rs runs the queries).

use super::*;

fn model(text: &str) -> Model {
    crate::load::load_str("t.lead", text)
        .model
        .expect("the definition checks")
}

fn options(dialect: Dialect) -> SqlOptions {
    SqlOptions {
        dialect,
        source: Source::Table("t".into()),
        view: None,
        as_of: None,
        points: false,
        text_numbers: false,
        events: None,
    }
}

const FIELDS: &str = "fields {\n  title text\n  signed date optional format \"%d/%m/%Y\"\n}\n";

fn refusals(rules: &str, dialect: Dialect) -> Vec<String> {
    let m = model(&format!("{FIELDS}{rules}\nstage \"rest\" otherwise\n"));
    match to_sql(&m, &options(dialect)) {
        Ok(_) => Vec::new(),
        Err(r) => r.into_iter().map(|r| r.message).collect(),
    }
}

#[test]
fn every_character_rust_lowercases_is_in_the_translate_table() {
    let (from, to) = text::lowercase_table();
    let table: std::collections::HashMap<char, char> = from.chars().zip(to.chars()).collect();
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let lower: String = c.to_lowercase().collect();
        if c == 'İ' {
            continue;
        }
        let mut chars = lower.chars();
        let (one, more) = (chars.next(), chars.next());
        assert!(
            more.is_none(),
            "{c:?} lowercases to more than one character"
        );
        if one != Some(c) {
            assert_eq!(table.get(&c).copied(), one, "{c:?}");
        }
    }
}

#[test]
fn patterns_engines_read_differently_are_refused_by_name() {
    for dialect in [Dialect::DuckDb, Dialect::Postgres, Dialect::Spark] {
        let word = refusals("criterion \"w\" +1 when title matches /\\bowner/", dialect);
        assert!(
            word.len() == 1 && word[0].contains("word boundary"),
            "{word:?}"
        );
        assert!(word[0].contains(dialect.name()), "{word:?}");
        let line = refusals("criterion \"l\" +1 when title matches /(?m)^dr/", dialect);
        assert!(line[0].contains("line anchor"), "{line:?}");
        assert!(refusals(
            "criterion \"ok\" +1 when title matches /^dr|owner$/",
            dialect
        )
        .is_empty());
    }
    let long = "criterion \"r\" +1 when title matches /a{300}/";
    assert!(refusals(long, Dialect::Postgres)[0].contains("255"));
    assert!(refusals(long, Dialect::DuckDb).is_empty());
}

#[test]
fn date_formats_beyond_year_month_day_are_refused() {
    let m = model("fields {\n  d date format \"%b %d %Y\"\n}\nstage \"rest\" otherwise\n");
    let err = to_sql(&m, &options(Dialect::DuckDb)).unwrap_err();
    assert!(err[0].message.contains("%b"), "{}", err[0].message);
    assert_eq!(
        err[0].diagnostic().code.as_str(),
        "qualify::sql-unsupported"
    );
    assert!(refusals(
        "criterion \"s\" +1 when signed is present",
        Dialect::Postgres
    )
    .is_empty());
}

#[test]
fn a_csv_file_is_read_by_duckdb_only() {
    let m = model(&format!("{FIELDS}stage \"rest\" otherwise\n"));
    let mut o = options(Dialect::Postgres);
    o.source = Source::Csv("x.csv".into());
    assert!(to_sql(&m, &o).unwrap_err()[0].message.contains("--csv"));
    o.dialect = Dialect::DuckDb;
    let sql = to_sql(&m, &o).unwrap();
    assert!(sql.contains("read_csv('x.csv', all_varchar = true)"));
}

#[test]
fn the_query_names_score_columns_and_a_view_wraps_it() {
    let m = model(&format!(
        "{FIELDS}group fit {{\n  criterion \"a\" +1 when title = \"x\"\n}}\nstage \"rest\" otherwise\n"
    ));
    let mut o = options(Dialect::DuckDb);
    o.view = Some("scored".into());
    o.points = true;
    let sql = to_sql(&m, &o).unwrap();
    assert!(sql.starts_with("CREATE OR REPLACE VIEW scored AS\nWITH"));
    for column in [
        "\"row\"",
        "\"score\"",
        "\"fit\"",
        "\"stage\"",
        "\"disqualified\"",
        "\"matched\"",
        "\"points: a\"",
        "\"rejected\"",
    ] {
        assert!(sql.contains(&format!(" AS {column}")), "{column}");
    }
}
