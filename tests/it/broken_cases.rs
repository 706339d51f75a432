//! The corpus of broken definitions under `tests/cases/check/`: one file per kind
//! of diagnostic. Each case asserts, as data, the code and the exact place of
//! its first diagnostic, and snapshots the rendered report a user sees.

use qualify::load::{add_example_failures, load};
use qualify::report::diagnostics::{render_human, to_json};
use std::path::Path;

/// (case file, code of the first diagnostic, line, column, end line, end column).
const CASES: &[(&str, &str, usize, usize, usize, usize)] = &[
    ("comment-only", "empty-definition", 1, 1, 1, 1),
    ("cycle", "cycle", 16, 1, 16, 34),
    ("duplicate-criterion", "duplicate", 17, 11, 17, 23),
    ("duplicate-field", "duplicate", 10, 3, 10, 9),
    ("empty", "empty-definition", 1, 1, 1, 1),
    ("example-failed", "example-failed", 20, 3, 20, 29),
    (
        "example-unknown-field",
        "example-unknown-field",
        19,
        3,
        19,
        9,
    ),
    ("example-wrong-type", "example-wrong-type", 19, 11, 19, 17),
    ("invalid-date-format", "invalid-date-format", 13, 31, 13, 41),
    ("invalid-date", "invalid-date", 16, 44, 16, 54),
    ("invalid-number", "invalid-number", 16, 35, 16, 436),
    ("invalid-regex", "invalid-regex", 16, 55, 16, 69),
    ("invalid-utf8", "invalid-utf8", 1, 20, 1, 21),
    ("missing-fields", "missing-fields", 1, 1, 1, 1),
    ("missing-otherwise", "missing-otherwise", 18, 1, 18, 37),
    ("not-in-one-of", "not-in-one-of", 16, 43, 16, 49),
    ("per-unit-not-number", "per-unit-not-number", 16, 31, 16, 36),
    ("reserved-stage-name", "reserved-name", 17, 7, 17, 21),
    ("score-outside-stage", "score-outside-stage", 16, 26, 16, 31),
    (
        "stage-after-otherwise",
        "stage-after-otherwise",
        18,
        1,
        18,
        37,
    ),
    ("syntax-missing-brace", "syntax", 6, 1, 6, 10),
    ("syntax-missing-condition", "syntax", 18, 1, 18, 6),
    ("syntax-unclosed-string", "syntax", 16, 11, 16, 12),
    ("syntax-wrong-operator", "syntax", 16, 41, 16, 42),
    ("too-deep", "too-deep", 16, 90, 16, 91),
    (
        "type-mismatch-condition-not-yes-no",
        "type-mismatch",
        16,
        33,
        16,
        39,
    ),
    (
        "type-mismatch-date-vs-number",
        "type-mismatch",
        16,
        44,
        16,
        46,
    ),
    (
        "type-mismatch-text-vs-number",
        "type-mismatch",
        16,
        39,
        16,
        40,
    ),
    ("unknown-criterion", "unknown-criterion", 17, 37, 17, 50),
    ("unknown-field", "unknown-field", 16, 33, 16, 40),
    ("unknown-group", "unknown-group", 20, 26, 20, 30),
    ("unknown-list", "unknown-list", 17, 39, 17, 47),
    ("whitespace-only", "empty-definition", 1, 1, 1, 1),
];

/// Examples in the corpus are run at a fixed date so snapshots never change.
const AS_OF: i32 = 20_415; // 2025-11-23

fn case_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/check"))
}

fn load_case(name: &str) -> qualify::load::Loaded {
    let bytes = std::fs::read(case_dir().join(format!("{name}.lead"))).expect("case file exists");
    let mut loaded = load(&format!("{name}.lead"), bytes);
    add_example_failures(&mut loaded, AS_OF);
    loaded
}

/// The errors only: lints (warnings) have their own corpus, and the cases here
/// declare more fields than each uses.
fn errors_of(loaded: &qualify::load::Loaded) -> Vec<qualify::diagnostic::Located> {
    loaded
        .located()
        .into_iter()
        .filter(|d| d.diagnostic.is_error())
        .collect()
}

#[test]
fn every_case_reports_its_code_at_its_place() {
    for &(name, code, line, column, end_line, end_column) in CASES {
        let loaded = load_case(name);
        assert!(
            loaded.model.is_none() || loaded.error_count() > 0,
            "{name}: no error"
        );
        let first = errors_of(&loaded).into_iter().next().map(|d| to_json(&d));
        let first = first.unwrap_or_else(|| panic!("{name}: no diagnostic"));
        assert_eq!(
            (
                first.code,
                first.line,
                first.column,
                first.end_line,
                first.end_column
            ),
            (
                format!("qualify::{code}").as_str(),
                line,
                column,
                end_line,
                end_column
            ),
            "{name}: {}",
            first.message
        );
        assert!(first.help.is_some(), "{name}: every error has a help line");
    }
}

#[test]
fn every_case_file_is_in_the_table() {
    let mut files: Vec<String> = std::fs::read_dir(case_dir())
        .expect("case dir")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".lead")
                .map(str::to_string)
        })
        .collect();
    files.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.0.to_string()).collect();
    listed.sort();
    assert_eq!(files, listed);
}

#[test]
fn rendered_reports() {
    for &(name, ..) in CASES {
        let loaded = load_case(name);
        let rendered: String = errors_of(&loaded)
            .iter()
            .filter(|d| d.diagnostic.is_error())
            .map(|d| render_human(d, false, 100))
            .collect();
        insta::assert_snapshot!(name, rendered);
    }
}
