//! `qualify compile --listing`: the program a definition compiles to, as a
//! reviewer reads it.

use crate::support::{qualify, stderr, stdout};

#[test]
fn listing_of_the_northwind_definition() {
    let out = qualify(&["compile", "rules/northwind.lead", "--listing"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn regexes_over_one_field_share_a_set_and_constants_fold() {
    let dir = tempfile::tempdir().unwrap();
    let def = dir.path().join("d.lead");
    std::fs::write(
        &def,
        r#"fields {
  title text
  size number
}
criterion "boss" +10 when title matches /owner|chief/ and 2 * 5 > 3
criterion "tech" +5 when title matches /engineer/ or size > 10 * 10
criterion "both" when matched "boss" and title matches /owner|chief/
stage "hot" when score >= 10
stage "cold" otherwise
"#,
    )
    .unwrap();
    let out = qualify(&["compile", def.to_str().unwrap(), "--listing"]);
    let text = stdout(&out);
    assert!(text.contains("2 regexes (2 run as sets)"), "{text}");
    assert!(
        text.contains("regex set 0 over title: /owner|chief/ /engineer/"),
        "{text}"
    );
    assert!(text.contains("const 100"), "{text}");
    assert!(!text.contains("const 5\n"), "{text}");
    assert!(text.contains("matches /owner|chief/   (used 2×)"), "{text}");
    let plain = stdout(&qualify(&[
        "compile",
        def.to_str().unwrap(),
        "--listing",
        "--no-optimize",
    ]));
    assert!(plain.contains("0 run as sets"), "{plain}");
    assert!(plain.contains("const 5"), "{plain}");
}

#[test]
fn a_definition_with_errors_is_not_compiled() {
    let dir = tempfile::tempdir().unwrap();
    let def = dir.path().join("bad.lead");
    std::fs::write(&def, "fields {\n  x number\n}\nstage \"s\" when y > 1\n").unwrap();
    let out = qualify(&["compile", def.to_str().unwrap(), "--listing"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("nothing was compiled"));
}

/// `compile --to sql`: a construct the dialect cannot express is an error
/// naming it (exit 1, `qualify::sql-unsupported`), and no query is printed.
#[test]
fn sql_refuses_what_a_dialect_cannot_express_and_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let def = dir.path().join("d.lead");
    std::fs::write(
        &def,
        "fields {\n  title text\n}\ncriterion \"boss\" +10 when title matches /\\bowner/\nstage \"rest\" otherwise\n",
    )
    .unwrap();
    let d = def.to_str().unwrap();
    let out = qualify(&[
        "compile",
        d,
        "--to",
        "sql",
        "--dialect",
        "postgres",
        "--table",
        "t",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(err.contains("qualify::sql-unsupported"), "{err}");
    assert!(
        err.contains("word boundary") && err.contains("postgres"),
        "{err}"
    );
}

/// `--numbers text` needs an engine that prints a float's shortest digits:
/// refused on PostgreSQL and Spark, naming the option and the engine; the
/// same definition compiles with `--numbers double`, and on DuckDB.
#[test]
fn numbers_as_text_are_refused_where_floats_print_longer() {
    let compile = |dialect: &str, numbers: &str| {
        northwind_sql(&["--dialect", dialect, "--table", "t", "--numbers", numbers])
    };
    for dialect in ["postgres", "spark"] {
        let out = compile(dialect, "text");
        assert_eq!(out.status.code(), Some(1));
        assert!(stdout(&out).is_empty());
        let err = stderr(&out);
        assert!(err.contains("qualify::sql-unsupported"), "{err}");
        assert!(
            err.contains("--numbers text") && err.contains(dialect),
            "{err}"
        );
        let out = compile(dialect, "double");
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let duckdb = compile("duckdb", "text");
    assert!(duckdb.status.success(), "{}", stderr(&duckdb));
    assert!(stdout(&duckdb).contains("q_nc0"));
}

/// `qualify compile rules/northwind.lead --to sql` with `options`.
fn northwind_sql(options: &[&str]) -> std::process::Output {
    let mut args = vec!["compile", "rules/northwind.lead", "--to", "sql"];
    args.extend_from_slice(options);
    qualify(&args)
}

/// The query goes to `-o FILE`, never over an input; a missing `--dialect`
/// or source is a usage error.
#[test]
fn sql_is_written_to_a_file_that_is_not_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("q.sql");
    let o = out_file.to_str().unwrap();
    let ok = northwind_sql(&[
        "--dialect",
        "duckdb",
        "--table",
        "inquiries",
        "--view",
        "scored",
        "-o",
        o,
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let sql = std::fs::read_to_string(&out_file).unwrap();
    assert!(
        sql.starts_with("CREATE OR REPLACE VIEW scored AS\nWITH"),
        "{}",
        &sql[..80]
    );
    assert!(sql.contains("FROM inquiries"));

    let over = northwind_sql(&[
        "--dialect",
        "duckdb",
        "--table",
        "t",
        "-o",
        "rules/northwind.lead",
    ]);
    assert_eq!(over.status.code(), Some(2));
    assert!(
        stderr(&over).contains("give `-o` another path"),
        "{}",
        stderr(&over)
    );
    let csv = northwind_sql(&[
        "--dialect",
        "duckdb",
        "--csv",
        "examples/northwind-inquiries.csv",
        "-o",
        "examples/northwind-inquiries.csv",
    ]);
    assert_eq!(csv.status.code(), Some(2));

    let no_dialect = northwind_sql(&["--table", "t"]);
    assert_eq!(no_dialect.status.code(), Some(2));
    assert!(stderr(&no_dialect).contains("--dialect"));
    let no_source = northwind_sql(&["--dialect", "spark"]);
    assert_eq!(no_source.status.code(), Some(2));
    assert!(stderr(&no_source).contains("--table"));
}
