//! The `definition` target: any bytes as a definition file.
//!
//! In: bytes. Out: a panic when a property fails:
//! - loading (parse, check, lint) never panics, and every diagnostic renders
//!   (human, JSON, GitHub) without panicking;
//! - a model comes only with no error (the model is complete or absent);
//! - a definition that checks cleanly compiles, and its examples run;
//! - `fmt` of it checks cleanly too, means the same (the same syntax tree,
//!   spans ignored, as `tests/it/fmt_props.rs` compares meaning; the same
//!   warnings; the same example results) and is idempotent.

use qualify::diagnostic::Diagnostic;
use qualify::load::{example_failures, load, load_str, Loaded};
use qualify::report::diagnostics::{render_github, render_human, to_json};

/// The date examples without their own `as of` run at: fixed, so that a
/// failure reproduces on any day.
const AS_OF: i32 = 20_780; // 2026-11-23

pub fn check(bytes: &[u8]) {
    let loaded = load("fuzz.lead", bytes.to_vec());
    render_all(&loaded);
    let Some(model) = &loaded.model else {
        return;
    };
    assert_eq!(
        loaded.error_count(),
        0,
        "a model came with errors: {:?}",
        messages(&loaded.diagnostics)
    );
    let program = qualify::compile::compile(model);
    let _ = program.listing();
    let examples = failures(&loaded);

    let text = loaded.source.text.as_str();
    let once = match qualify::fmt::format_text("fuzz.lead", text) {
        Ok(once) => once,
        Err(e) => panic!("fmt refused a definition that checks cleanly: {e:?}"),
    };
    let formatted = load_str("fuzz.lead", &once);
    assert!(
        formatted.model.is_some() && formatted.error_count() == 0,
        "fmt(x) does not check cleanly: {:?}\n--- fmt(x):\n{once}",
        messages(&formatted.diagnostics)
    );
    assert!(
        formatted.ast == loaded.ast,
        "fmt(x) means something else than x\n--- fmt(x):\n{once}"
    );
    assert_eq!(
        messages(&formatted.diagnostics),
        messages(&loaded.diagnostics),
        "fmt(x) has other warnings than x\n--- fmt(x):\n{once}"
    );
    assert_eq!(
        failures(&formatted),
        examples,
        "fmt(x)'s examples give other results than x's\n--- fmt(x):\n{once}"
    );
    let twice = match qualify::fmt::format_text("fuzz.lead", &once) {
        Ok(twice) => twice,
        Err(e) => panic!("fmt refused its own output: {e:?}\n--- fmt(x):\n{once}"),
    };
    assert!(
        twice == once,
        "fmt is not idempotent\n--- fmt(x):\n{once}\n--- fmt(fmt(x)):\n{twice}"
    );
}

/// Every diagnostic rendered every way a command prints it.
fn render_all(loaded: &Loaded) {
    for located in loaded.located() {
        let _ = render_human(&located, false, 80);
        let _ = render_github(&located);
        let _ = serde_json::to_string(&to_json(&located));
    }
}

/// Code and message of each diagnostic, in order (spans differ after fmt).
fn messages(diagnostics: &[Diagnostic]) -> Vec<(String, String)> {
    diagnostics
        .iter()
        .map(|d| (format!("{:?}", d.code), d.message.clone()))
        .collect()
}

/// The examples' failures, as messages.
fn failures(loaded: &Loaded) -> Vec<String> {
    let Some(model) = &loaded.model else {
        return Vec::new();
    };
    let failures = example_failures(model, &model.examples, AS_OF);
    failures
        .iter()
        .map(|d| format!("{}: {}", d.message, d.label))
        .collect()
}
