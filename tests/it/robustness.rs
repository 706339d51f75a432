//! No input makes the checker panic or overflow its stack: every bad definition
//! gets a diagnostic. Runs on the test harness's own (small) thread stacks on
//! purpose, since that is where a stack overflow would show first.

use proptest::prelude::*;
use qualify::load::{load, load_str, Loaded};

const HEADER: &str =
    "definition \"Robust\"\nfields {\n  id text\n  budget number optional\n  state text\n}\n";
const STAGES: &str = "stage \"nurture\" otherwise\n";

fn codes(l: &Loaded) -> Vec<&'static str> {
    l.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn ten_thousand_nested_parentheses_are_refused_politely() {
    let text = format!(
        "{HEADER}criterion \"deep\" +1 when {}budget > 1{}\n{STAGES}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let loaded = load_str("deep.lead", &text);
    assert_eq!(codes(&loaded), vec!["qualify::too-deep"]);
}

#[test]
fn long_chains_of_not_and_minus_are_refused_politely() {
    for prefix in ["not ", "- "] {
        let cond = format!("{}budget > 1", prefix.repeat(10_000));
        let text = format!("{HEADER}criterion \"x\" +1 when {cond}\n{STAGES}");
        let loaded = load_str("chain.lead", &text);
        assert_eq!(codes(&loaded), vec!["qualify::too-deep"], "{prefix:?}");
    }
}

#[test]
fn ten_thousand_additions_in_one_condition_do_not_overflow() {
    let sum = vec!["budget"; 10_000].join(" + ");
    let text = format!("{HEADER}criterion \"x\" +1 when {sum} > 1\n{STAGES}");
    let loaded = load_str("sum.lead", &text);
    // Either accepted or refused with a diagnostic; what matters is no crash.
    assert!(loaded.model.is_some() || loaded.error_count() > 0);
}

#[test]
fn a_line_of_a_hundred_thousand_characters_is_read() {
    let values: Vec<String> = (0..12_000).map(|i| format!("\"S{i}\"")).collect();
    let text = format!(
        "{HEADER}let states = [{}]\ncriterion \"listed\" +1 when state in states\n{STAGES}",
        values.join(", ")
    );
    assert!(text.lines().any(|l| l.len() > 100_000));
    let loaded = load_str("long.lead", &text);
    assert_eq!(loaded.error_count(), 0, "{:?}", codes(&loaded));
    assert!(loaded.model.is_some());
}

#[test]
fn a_ten_megabyte_definition_is_checked() {
    let mut text = String::from(HEADER);
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "criterion \"criterion number {i}\" +{} when budget >= {} and state in [\"OH\", \"PA\"]  # why {i}\n",
            i % 20 + 1,
            i * 10
        ));
        i += 1;
    }
    text.push_str(STAGES);
    let loaded = load_str("big.lead", &text);
    assert_eq!(codes(&loaded), Vec::<&str>::new());
    assert_eq!(loaded.model.map(|m| m.criteria.len()), Some(i));
}

/// Words and symbols of the language, so random sequences reach deep into the parser.
const TOKENS: &[&str] = &[
    "definition",
    "version",
    "fields",
    "{",
    "}",
    "id",
    "text",
    "number",
    "yes/no",
    "date",
    "one of",
    "optional",
    "from",
    "format",
    "let",
    "=",
    "[",
    "]",
    "(",
    ")",
    ",",
    "disqualify",
    "criterion",
    "group",
    "at most",
    "stage",
    "when",
    "otherwise",
    "example",
    "expect",
    "matched",
    "at least",
    "of",
    "per",
    "halving every",
    "days since",
    "business days since",
    "and",
    "or",
    "not",
    "<",
    ">=",
    "!=",
    "between",
    "in",
    "not in",
    "contains",
    "starts with",
    "ends with",
    "matches",
    "/a|b/",
    "/(/",
    "is missing",
    "is present",
    "score",
    "budget",
    "state",
    "\"x\"",
    "\"",
    "+5",
    "-3",
    "10",
    "1e400",
    "2026-02-30",
    "2026-11-05",
    "yes",
    "no",
    ":",
    "#",
    "\n",
    "\u{feff}",
    "é",
    "holidays",
    "as of",
    "disqualified",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..80).prop_map(|t| t.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let loaded = load("random.lead", bytes);
        prop_assert!(loaded.model.is_some() || loaded.error_count() > 0);
    }

    #[test]
    fn random_token_sequences_never_panic(soup in token_soup()) {
        let loaded = load_str("soup.lead", &soup);
        prop_assert!(loaded.model.is_some() || loaded.error_count() > 0);
    }

    #[test]
    fn random_edits_of_a_real_definition_never_panic(
        cut in 0usize..2000, len in 0usize..40, insert in prop::sample::select(TOKENS)
    ) {
        let text = include_str!("../../rules/northwind.lead");
        let mut s: String = text.chars().take(cut).collect();
        s.push_str(insert);
        s.extend(text.chars().skip(cut + len));
        let loaded = load_str("edited.lead", &s);
        prop_assert!(loaded.model.is_some() || loaded.error_count() > 0);
    }
}
