//! No input makes the checker panic or overflow its stack: every bad definition
//! gets an error diagnostic that renders, and a definition gets a model exactly
//! when it has no error ([`judged`]). Every check runs on a thread with a small
//! stack of a fixed size ([`on_small_stack`], what a spawned thread gets by
//! default), since that is where a stack overflow would show first, whatever
//! RUST_MIN_STACK the harness was given.

use proptest::prelude::*;
use qualify::load::{load, load_str, Loaded};
use qualify::report::diagnostics::render_human;

/// The stack every check here runs on: Rust's default for a spawned thread.
const SMALL_STACK: usize = 2 * 1024 * 1024;

/// `f`'s result, computed on a new thread with a [`SMALL_STACK`]; a panic in
/// `f` (a stack overflow aborts the whole process instead) fails the caller.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let worker = std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(f)
        .expect("a thread");
    match worker.join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Load `bytes` named `name` on a small stack and check what every input
/// must give ([`judged`]); the codes of its errors (warnings left out).
fn load_judged(name: &'static str, bytes: Vec<u8>) -> Vec<&'static str> {
    on_small_stack(move || {
        let loaded = load(name, bytes);
        judged(&loaded);
        let errors = loaded.diagnostics.iter().filter(|d| d.is_error());
        errors.map(|d| d.code.as_str()).collect()
    })
}

/// What the checker promises for any input: a model exactly when there is no
/// error, so a definition it refuses always says why; and every diagnostic
/// renders for people (its span lies in the text).
fn judged(l: &Loaded) {
    assert_eq!(
        l.model.is_some(),
        l.error_count() == 0,
        "a model must come exactly when there is no error: {:?}",
        codes(l)
    );
    for d in l.located() {
        let shown = render_human(&d, false, 100);
        // render_human falls back to `CODE: MESSAGE` when miette cannot
        // render the diagnostic (a span outside the text).
        let fallback = format!("{}: {}\n", d.diagnostic.code, d.diagnostic.message);
        assert_ne!(shown, fallback, "the diagnostic does not render");
    }
}

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
    assert_eq!(load_judged("deep.lead", text.into()), ["qualify::too-deep"]);
}

#[test]
fn long_chains_of_not_and_minus_are_refused_politely() {
    for prefix in ["not ", "- "] {
        let cond = format!("{}budget > 1", prefix.repeat(10_000));
        let text = format!("{HEADER}criterion \"x\" +1 when {cond}\n{STAGES}");
        let codes = load_judged("chain.lead", text.into());
        assert_eq!(codes, ["qualify::too-deep"], "{prefix:?}");
    }
}

#[test]
fn ten_thousand_additions_in_one_condition_do_not_overflow() {
    let sum = vec!["budget"; 10_000].join(" + ");
    let text = format!("{HEADER}criterion \"x\" +1 when {sum} > 1\n{STAGES}");
    // A sum is a left-leaning tree, 10,000 deep: refused like deep nesting.
    assert_eq!(load_judged("sum.lead", text.into()), ["qualify::too-deep"]);
}

#[test]
fn a_line_of_a_hundred_thousand_characters_is_read() {
    let values: Vec<String> = (0..12_000).map(|i| format!("\"S{i}\"")).collect();
    let text = format!(
        "{HEADER}let states = [{}]\ncriterion \"listed\" +1 when state in states\n{STAGES}",
        values.join(", ")
    );
    assert!(text.lines().any(|l| l.len() > 100_000));
    assert_eq!(load_judged("long.lead", text.into()), Vec::<&str>::new());
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
    let criteria = on_small_stack(move || {
        let loaded = load_str("big.lead", &text);
        judged(&loaded);
        assert_eq!(loaded.error_count(), 0, "{:?}", codes(&loaded));
        loaded.model.map(|m| m.criteria.len())
    });
    assert_eq!(criteria, Some(i));
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
        load_judged("random.lead", bytes);
    }

    /// Random text, not only random bytes (which are seldom UTF-8, so seldom
    /// reach the parser).
    #[test]
    fn random_text_never_panics(text in ".{0,200}") {
        load_judged("text.lead", text.into());
    }

    #[test]
    fn random_token_sequences_never_panic(soup in token_soup()) {
        load_judged("soup.lead", soup.into());
    }

    #[test]
    fn random_edits_of_a_real_definition_never_panic(
        cut in any::<prop::sample::Index>(), len in 0usize..40, insert in prop::sample::select(TOKENS)
    ) {
        let text = include_str!("../../rules/northwind.lead");
        // Anywhere in the file, not only near its start.
        let cut = cut.index(text.chars().count());
        let mut s: String = text.chars().take(cut).collect();
        s.push_str(insert);
        s.extend(text.chars().skip(cut + len));
        load_judged("edited.lead", s.into());
    }
}
