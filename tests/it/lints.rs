//! Lints: each fires on a suspicious definition (snapshot of what the user
//! sees) and stays quiet on a near miss that is fine. The plain cases are
//! files under `tests/cases/lint/` ([`lint_cases`]); the ones here need code
//! (a count, a comment moved, a command run).

use crate::case_files::cases;
use qualify::diagnostic::Code;
use qualify::load::load_str;
use qualify::report::diagnostics::render_human;

/// Fields shared by the cases; `phone` and `seen` are optional.
const FIELDS: &str = r#"definition "lint cases"
fields {
  id         text
  employees  number
  kind       one of "a", "b", "c"
  email      text
  phone      text    optional
  seen       date    optional
}
"#;

/// The definition: shared fields, `rules`, and a catch-all stage.
fn definition(rules: &str) -> String {
    format!("{FIELDS}{rules}\nstage \"rest\" otherwise\n")
}

/// Warnings with `code` for `rules`, rendered as a user sees them. The
/// definition must have no error.
fn warnings(rules: &str, code: Code) -> String {
    let text = definition(rules);
    let loaded = load_str("test.lead", &text);
    assert!(loaded.model.is_some(), "{:?}", loaded.diagnostics);
    loaded
        .located()
        .iter()
        .filter(|d| d.diagnostic.code == code)
        .map(|d| render_human(d, false, 100))
        .collect()
}

fn count(rules: &str, code: Code) -> usize {
    let loaded = load_str("test.lead", &definition(rules));
    assert!(loaded.model.is_some(), "{:?}", loaded.diagnostics);
    loaded.diagnostics.iter().filter(|d| d.code == code).count()
}

// The rules used by most cases refer to every field, so `unused` stays quiet.
const USE_ALL: &str = r#"criterion "uses" +1 when email contains "@" and phone is present and seen is present and kind = "a" and employees > 0"#;

/// The cases under `tests/cases/lint/`: each file is a definition with no
/// error that ends with `# expect: warning CODE` (the lint fires: snapshot of
/// what the user sees) or `# expect: no CODE` (a near miss that is fine).
#[test]
fn lint_cases() {
    let all = cases("lint");
    assert!(all.len() >= 20, "the corpus lost cases: {}", all.len());
    // A near miss names a code some case makes fire, so a misspelt code in
    // `# expect: no CODE` fails instead of passing for nothing.
    let fired: Vec<&str> = all
        .iter()
        .flat_map(|c| &c.expect)
        .filter_map(|e| e.strip_prefix("warning "))
        .collect();
    for case in &all {
        let name = &case.name;
        let text = String::from_utf8(case.body.clone()).expect("UTF-8");
        let loaded = load_str(&case.file_name(), &text);
        assert!(loaded.model.is_some(), "{name}: {:?}", loaded.diagnostics);
        for expect in &case.expect {
            let (fires, code) = match expect.split_once(' ') {
                Some(("warning", code)) => (true, code),
                Some(("no", code)) => {
                    assert!(fired.contains(&code), "{name}: no case fires `{code}`");
                    (false, code)
                }
                _ => panic!("{name}: `# expect: {expect}` is not `warning CODE` or `no CODE`"),
            };
            let code = format!("qualify::{code}");
            let shown: String = loaded
                .located()
                .iter()
                .filter(|d| d.diagnostic.code.as_str() == code)
                .map(|d| render_human(d, false, 100))
                .collect();
            if fires {
                assert!(!shown.is_empty(), "{name}: expected a {code} warning");
                insta::assert_snapshot!(name.as_str(), shown);
            } else {
                assert!(shown.is_empty(), "{name}: {shown}");
            }
        }
    }
}

// ---------------------------------------------------------------- no-effect
#[test]
fn no_effect_when_no_stage_uses_the_score() {
    let rules = format!(
        "{USE_ALL}\ncriterion \"big\" +30 when employees > 100\nstage \"a kind\" when kind = \"a\""
    );
    let shown = warnings(&rules, Code::NoEffect);
    assert!(!shown.is_empty());
    insta::assert_snapshot!("no_effect_when_no_stage_uses_the_score", shown);
}
#[test]
fn no_effect_near_miss_referred_to_by_a_stage() {
    let rules = format!(
        "{USE_ALL}\ncriterion \"big\" +30 when employees > 100\nstage \"big\" when matched \"big\""
    );
    assert_eq!(
        count(&rules, Code::NoEffect),
        1,
        "only `uses` has no effect"
    );
}

// ------------------------------------------------------------------ unused
#[test]
fn unused_field_and_list() {
    let rules = "let small = [\"a\"]\ncriterion \"label\" when employees > 3\nstage \"scored\" when kind = \"a\"";
    let shown = warnings(rules, Code::Unused);
    // A criterion without points still tags inquiries: never unused.
    assert!(!shown.contains("earns no points"), "{shown}");
    insta::assert_snapshot!("unused_field_and_list", shown);
}
#[test]
fn unused_near_miss_everything_used() {
    let rules = format!(
        "let kinds = [\"a\"]\ncriterion \"label\" when kind in kinds\n{USE_ALL}\nstage \"labelled\" when matched \"label\" and score >= 1"
    );
    assert_eq!(
        count(&rules, Code::Unused),
        0,
        "{}",
        warnings(&rules, Code::Unused)
    );
}

// ------------------------------------------------------------- silencing
#[test]
fn allow_comment_on_the_line_silences_that_code_only() {
    let rules = format!(
        "{USE_ALL}\ncriterion \"odd\" +5 when employees > 500 and employees < 100  # allow: never-holds\nstage \"scored\" when score >= 1"
    );
    assert_eq!(count(&rules, Code::NeverHolds), 0);
    let other = rules.replace("allow: never-holds", "allow: unused");
    assert_eq!(count(&other, Code::NeverHolds), 1);
}

#[test]
fn allow_comment_on_the_line_above_silences() {
    let rules = format!(
        "{USE_ALL}\n# kept on purpose while sales decides. allow: unreachable-stage\nstage \"huge\" when employees > 200\nstage \"scored\" when score >= 1"
    );
    let covered = format!("stage \"big\" when employees > 100\n{rules}");
    assert_eq!(count(&covered, Code::UnreachableStage), 0);
    // Two lines above is too far.
    let far = covered.replace("allow: unreachable-stage\n", "allow: unreachable-stage\n\n");
    assert_eq!(count(&far, Code::UnreachableStage), 1);
}

#[test]
fn allow_comment_on_the_last_line_of_a_long_stage_silences() {
    let rules = format!(
        "{USE_ALL}\nstage \"big\" when employees > 100\nstage \"huge\" when employees > 200\n            and kind = \"a\"  # allow: unreachable-stage\nstage \"scored\" when score >= 1"
    );
    assert_eq!(count(&rules, Code::UnreachableStage), 0);
}

#[test]
fn undecidable_conditions_give_no_warning() {
    // Regexes, text tests and arithmetic are opaque: nothing is claimed.
    let rules = format!(
        "{USE_ALL}\ncriterion \"r\" +1 when email matches /^a/ and not (email matches /^b/)\n\
         criterion \"t\" +1 when employees * 2 > 10 and employees < 3\nstage \"scored\" when score >= 1"
    );
    let loaded = load_str("test.lead", &definition(&rules));
    let codes: Vec<Code> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert!(
        !codes.contains(&Code::NeverHolds) && !codes.contains(&Code::AlwaysHolds),
        "{codes:?}"
    );
}

#[test]
fn the_shipped_northwind_definition_is_lint_clean() {
    let text = std::fs::read_to_string(crate::support::root().join("rules/northwind.lead"))
        .expect("rules/northwind.lead");
    let loaded = load_str("rules/northwind.lead", &text);
    assert!(loaded.model.is_some());
    assert_eq!(loaded.warning_count(), 0, "{:?}", loaded.diagnostics);
}

#[test]
fn no_effect_when_points_cannot_cross_a_threshold() {
    // Every other total is a multiple of 20, so +1 never crosses 30 or 60.
    let rules = "criterion \"a\" +20 when employees > 10\ncriterion \"b\" +20 when kind = \"a\"\n\
                 criterion \"c\" +20 when email contains \"@\" and phone is present and seen is present\n\
                 criterion \"tiny\" +1 when employees > 3\n\
                 stage \"hot\" when score >= 60\nstage \"warm\" when score >= 30";
    let shown = warnings(rules, Code::NoEffect);
    assert!(shown.contains("\"tiny\""), "{shown}");
    assert!(!shown.contains("\"a\" can"), "{shown}");
    insta::assert_snapshot!("no_effect_when_points_cannot_cross_a_threshold", shown);
}

#[test]
fn no_effect_near_miss_points_can_cross() {
    // 20 + 20 + 10 = 50; with "tiny" +10 it reaches 60.
    let rules = "criterion \"a\" +20 when employees > 10\ncriterion \"b\" +20 when kind = \"a\"\n\
                 criterion \"c\" +10 when email contains \"@\" and phone is present and seen is present\n\
                 criterion \"tiny\" +10 when employees > 3\n\
                 stage \"hot\" when score >= 60\nstage \"warm\" when score >= 30";
    assert_eq!(
        count(rules, Code::NoEffect),
        0,
        "{}",
        warnings(rules, Code::NoEffect)
    );
}

#[test]
fn deny_warnings_turns_a_warning_into_a_failure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("odd.lead");
    let rules = format!("{USE_ALL}\ncriterion \"odd\" +5 when employees > 500 and employees < 100\nstage \"scored\" when score >= 1");
    std::fs::write(&path, definition(&rules)).expect("write");
    let p = path.to_string_lossy().to_string();
    let plain = crate::support::qualify(&["check", "--as-of", "2026-11-23", &p]);
    assert_eq!(plain.status.code(), Some(0));
    assert!(crate::support::stdout(&plain).contains("0 errors, 1 warning"));
    let denied =
        crate::support::qualify(&["check", "--deny", "warnings", "--as-of", "2026-11-23", &p]);
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn a_deep_lattice_of_matched_criteria_is_analysed_in_bounded_time() {
    // Each criterion refers to the two before it: reading `matched` through
    // naively would visit 2^40 conditions. The analysis gives up instead.
    let mut rules = String::from(
        "criterion \"c0\" +1 when employees > 1\ncriterion \"c1\" +1 when employees > 2\n",
    );
    for i in 2..40 {
        rules.push_str(&format!(
            "criterion \"c{i}\" +1 when matched \"c{}\" or matched \"c{}\"\n",
            i - 1,
            i - 2
        ));
    }
    rules.push_str(&format!(
        "{USE_ALL}\nstage \"top\" when matched \"c39\"\nstage \"scored\" when score >= 1"
    ));
    let loaded = load_str("test.lead", &definition(&rules));
    assert!(loaded.model.is_some());
}
