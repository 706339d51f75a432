//! Placeholders (`missing when`, `missing values`): a cell that folds to one is
//! missing, whatever the field's type, in every command; nothing else changes.

use crate::support::{qualify, stderr, stdout};
use proptest::prelude::*;
use qualify::input::parse_cell;
use qualify::model::{Field, Type, Value};
use qualify::semantics::text::fold;

fn field(ty: Type, one_of: Option<Vec<String>>, placeholders: Vec<String>) -> Field {
    Field {
        name: "f".into(),
        ty,
        one_of,
        optional: true,
        column: "f".into(),
        format: None,
        placeholders,
        span: Default::default(),
    }
}

/// Cells and placeholders drawn from one pool, so they often meet: case and
/// space variants, numbers written two ways, non-ASCII folds.
fn pool() -> Vec<&'static str> {
    vec![
        "Select",
        "select",
        " SELECT ",
        "N/A",
        "n/a",
        "-1",
        "-1.0",
        " -1",
        "0",
        "yes",
        "no",
        "2026-11-05",
        "0000-00-00",
        "ΣΑΣ",
        "σας",
        "Straße",
        "a",
        "b",
        "",
        "  ",
        "x y",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The one rule: a placeholder cell is missing; any other cell decodes
    /// exactly as it does for the field without placeholders (value or error).
    #[test]
    fn a_placeholder_is_missing_and_nothing_else_changes(
        ty in prop::sample::select(vec![Type::Text, Type::Number, Type::YesNo, Type::Date]),
        listed in any::<bool>(),
        placeholders in prop::collection::vec(prop::sample::select(pool()), 0..4),
        cell in prop::sample::select(pool()),
    ) {
        let one_of = (listed && ty == Type::Text).then(|| vec!["a".to_string(), "Select".to_string()]);
        let placeholders: Vec<String> = placeholders.iter().map(|p| p.to_string()).collect();
        let with = field(ty, one_of.clone(), placeholders.clone());
        let without = field(ty, one_of, Vec::new());
        // On a number field, also a number equal to a placeholder that is one.
        let number = |t: &str| t.trim().parse::<f64>().ok().filter(|n| n.is_finite());
        let same_number = |p: &String| ty == Type::Number && number(p).is_some() && number(p) == number(cell);
        let is_placeholder = placeholders.iter().any(|p| fold(p) == fold(cell) || same_number(p));
        let got = parse_cell(&with, cell);
        if is_placeholder {
            prop_assert_eq!(got, Ok(Value::Missing));
        } else {
            prop_assert_eq!(got, parse_cell(&without, cell));
        }
    }
}

const DEFINITION: &str = r#"definition "placeholders"
missing values ["Select", "N/A"]
fields {
  id          text
  occupation  one of "Student", "Working Professional"  optional
  visits      number  optional  missing when "-1"
  city        text    optional
  country     text    missing when "unknown"
}
criterion "pro"   +10 when occupation = "Working Professional"
criterion "known"  +5 when occupation is present
criterion "came"   +2 per visits, at most 10
criterion "city"   +1 when city is present
stage "good" when score >= 10
stage "rest" otherwise
"#;

/// The same definition with no placeholders: it reads blanks only.
fn without_placeholders() -> String {
    DEFINITION
        .replace("missing values [\"Select\", \"N/A\"]\n", "")
        .replace("  missing when \"-1\"", "")
        .replace("  missing when \"unknown\"", "")
}

const ROWS: &str = "id,occupation,visits,city,country
1,Select,-1,N/A,fr
2,select, 3 ,Paris,n/a
3,Student,-1.0,,de
4,Working Professional,2, n/a ,es
5,SELECT,,Lyon,it
";

#[test]
fn score_reads_placeholders_as_blank_cells() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p.to_string_lossy().to_string()
    };
    let with = write("with.lead", DEFINITION);
    let without = write("without.lead", &without_placeholders());
    let rows = write("rows.csv", ROWS);
    // The placeholders blanked by hand, except row 2's required `country`
    // (`n/a`), which the second run cannot take: it is left out of both.
    let blanked = write(
        "blanked.csv",
        "id,occupation,visits,city,country\n1,,,,fr\n3,Student,,,de\n4,Working Professional,2,,es\n5,,,Lyon,it\n",
    );
    let run = |def: &str, input: &str, out: &str| {
        let out_path = dir.path().join(out);
        let o = qualify(&[
            "score",
            def,
            input,
            "--as-of",
            "2026-11-23",
            "-o",
            out_path.to_str().unwrap(),
        ]);
        let results = std::fs::read_to_string(&out_path).unwrap_or_default();
        (o, results)
    };
    let (o, with_results) = run(&with, &rows, "a.csv");
    // Row 2: its required country is a placeholder, so it is rejected, and
    // the reason says why an answer counts as none.
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let rejects = std::fs::read_to_string(dir.path().join("a.csv.rejects.csv")).expect("rejects");
    assert!(
        rejects.contains("a value is required (\"\"n/a\"\" is a placeholder, read as missing)"),
        "{rejects}"
    );
    let (o, blank_results) = run(&without, &blanked, "b.csv");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(with_results, blank_results);
    // `Select` is not one of the listed values, yet no row was rejected for it.
    assert!(!rejects.contains("not one of"), "{rejects}");
    // `-1.0` is the number -1: on a number field it is the placeholder too.
    assert!(with_results.contains("\n3,5,"), "{with_results}");
}

#[test]
fn explain_and_examples_read_placeholders_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let def = dir.path().join("d.lead");
    let text = format!(
        "{DEFINITION}example \"an untouched drop-down is no answer\" {{\n  id: \"x\", occupation: \"Select\", visits: 2, country: \"fr\"\n  expect score 4\n  expect not matched \"known\"\n}}\n"
    );
    std::fs::write(&def, text).expect("write");
    let def = def.to_string_lossy().to_string();
    let check = qualify(&["check", &def]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let explain = qualify(&[
        "explain",
        &def,
        "--inquiry",
        r#"{"id": "x", "occupation": "N/A", "visits": "-1", "country": "fr"}"#,
        "--as-of",
        "2026-11-23",
    ]);
    let text = stdout(&explain);
    assert_eq!(explain.status.code(), Some(0), "{text}{}", stderr(&explain));
    assert!(text.contains("occupation is missing"), "{text}");
    assert!(text.contains("visits is missing"), "{text}");
}

#[test]
fn check_reports_a_second_list_and_a_placeholder_listed_twice() {
    let text = DEFINITION
        .replace("missing when \"-1\"", "missing when \"-1\", \" -1 \"")
        .replace("fields {", "missing values [\"-\"]\nfields {");
    let loaded = qualify::load::load_str("d.lead", &text);
    let messages: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert_eq!(
        messages,
        [
            "qualify::duplicate `missing values` is declared twice",
            "qualify::duplicate \" -1 \" is listed twice",
        ]
    );
}

#[test]
fn fmt_aligns_the_option_and_keeps_the_list() {
    let messy = "missing values [ \"Select\",\"N/A\" ]\nfields {\n  id text\n  visits number optional missing when \"-1\" , \"never\"\n}\ncriterion \"c\" +1 when visits > 1\nstage \"s\" otherwise\n";
    let formatted = qualify::fmt::format_text("d.lead", messy).expect("formats");
    assert_eq!(
        formatted,
        "missing values [\"Select\", \"N/A\"]\nfields {\n  id      text\n  visits  number  optional  missing when \"-1\", \"never\"\n}\ncriterion \"c\" +1 when visits > 1\nstage \"s\" otherwise\n"
    );
    assert_eq!(
        qualify::fmt::format_text("d.lead", &formatted).expect("formats"),
        formatted
    );
}

#[test]
fn diff_names_a_changed_placeholder_and_its_impact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join("old.lead");
    let new = dir.path().join("new.lead");
    std::fs::write(&old, DEFINITION).expect("write");
    std::fs::write(
        &new,
        DEFINITION
            .replace("[\"Select\", \"N/A\"]", "[\"Select\", \"N/A\", \"Paris\"]")
            .replace("\"-1\"", "\"-1\", \"2\""),
    )
    .expect("write");
    let rows = dir.path().join("rows.csv");
    std::fs::write(&rows, ROWS).expect("write");
    let (old, new, rows) = (
        old.to_string_lossy(),
        new.to_string_lossy(),
        rows.to_string_lossy(),
    );
    let out = qualify(&["diff", &old, &new, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let text = json.to_string();
    assert!(text.contains("\"kind\":\"placeholder\""), "{text}");
    assert!(text.contains("paris"), "{text}");
    assert!(text.contains("missing when"), "{text}");
    // Row 2 (Paris) loses its city point, row 4 (2 visits) its 4 visit points.
    let out = qualify(&[
        "diff",
        &old,
        &new,
        "--against",
        &rows,
        "--as-of",
        "2026-11-23",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // Row 4's 2 visits now count as none (row 3's -1.0 is missing in both);
    // row 2 (Paris) is rejected by both.
    let came = &json["impact"]["criteria"][0];
    assert_eq!(
        (&came["name"], &came["old_matches"], &came["new_matches"]),
        (&"came".into(), &1.into(), &0.into()),
        "{json}"
    );
}

#[test]
fn backtest_counts_placeholders_as_missing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let def = dir.path().join("d.lead");
    std::fs::write(&def, DEFINITION).expect("write");
    let rows = dir.path().join("rows.csv");
    let with_outcome: String = ROWS
        .lines()
        .enumerate()
        .map(|(i, l)| {
            format!(
                "{l},{}\n",
                if i == 0 {
                    "won"
                } else if i % 2 == 0 {
                    "yes"
                } else {
                    "no"
                }
            )
        })
        .collect();
    std::fs::write(&rows, with_outcome).expect("write");
    let rejects = dir.path().join("rejects.csv");
    let out = qualify(&[
        "backtest",
        &def.to_string_lossy(),
        &rows.to_string_lossy(),
        "--outcome",
        "won",
        "--as-of",
        "2026-11-23",
        "--format",
        "json",
        "--rejects",
        &rejects.to_string_lossy(),
    ]);
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    let missing = |field: &str| {
        json["backtest"]["missing"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|m| m["field"] == field)
            .map(|m| m["missing"].clone())
    };
    // Rows 1, 3, 4, 5 are scored (row 2's required country is a placeholder).
    // occupation: Select (1), SELECT (5); visits: -1 (1), -1.0 (3), blank
    // (5); city: N/A (1), blank (3), ` n/a ` (4).
    assert_eq!(missing("occupation"), Some(2.into()), "{json}");
    assert_eq!(missing("visits"), Some(3.into()), "{json}");
    assert_eq!(missing("city"), Some(3.into()), "{json}");
}
