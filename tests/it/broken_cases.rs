//! The corpus of broken definitions under `tests/cases/check/`: one file per kind
//! of diagnostic. Each file ends with its expectation, the code and the exact
//! place of its first error (`# expect: unknown-field at 16:33-16:40`, line and
//! column where it starts and ends); each case also snapshots the rendered
//! report a user sees. A new file is a new case.

use crate::case_files::{cases, Case};
use qualify::load::{add_example_failures, load};
use qualify::report::diagnostics::{render_human, to_json};

/// Examples in the corpus are run at a fixed date so snapshots never change.
const AS_OF: i32 = 20_415; // 2025-11-23

fn load_case(case: &Case) -> qualify::load::Loaded {
    let mut loaded = load(&case.file_name(), case.body.clone());
    add_example_failures(&mut loaded, AS_OF);
    loaded
}

/// `CODE at LINE:COLUMN-END_LINE:END_COLUMN`, the case's one expectation.
fn expected(case: &Case) -> (String, [usize; 4]) {
    let [line] = case.expect.as_slice() else {
        panic!("{}: one `# expect: CODE at L:C-L:C` line", case.name)
    };
    let parsed = line.split_once(" at ").and_then(|(code, place)| {
        let (from, to) = place.split_once('-')?;
        let (l, c) = from.split_once(':')?;
        let (el, ec) = to.split_once(':')?;
        let n = |s: &str| s.parse::<usize>().ok();
        Some((code.to_string(), [n(l)?, n(c)?, n(el)?, n(ec)?]))
    });
    parsed.unwrap_or_else(|| panic!("{}: cannot read `# expect: {line}`", case.name))
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
    let all = cases("check");
    assert!(all.len() >= 30, "the corpus lost cases: {}", all.len());
    for case in &all {
        let name = &case.name;
        let (code, place) = expected(case);
        let loaded = load_case(case);
        let first = errors_of(&loaded).into_iter().next().map(|d| to_json(&d));
        let first = first.unwrap_or_else(|| panic!("{name}: no error"));
        assert_eq!(
            (
                first.code,
                [first.line, first.column, first.end_line, first.end_column]
            ),
            (format!("qualify::{code}").as_str(), place),
            "{name}: {}",
            first.message
        );
        assert!(first.help.is_some(), "{name}: every error has a help line");
    }
}

#[test]
fn rendered_reports() {
    for case in cases("check") {
        let loaded = load_case(&case);
        let rendered: String = errors_of(&loaded)
            .iter()
            .filter(|d| d.diagnostic.is_error())
            .map(|d| render_human(d, false, 100))
            .collect();
        insta::assert_snapshot!(case.name.as_str(), rendered);
    }
}
