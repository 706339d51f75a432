//! Helpers shared by the integration tests.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The repository root (where `rules/` and `tests/` live).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run the `qualify` binary with `args` from the repository root.
pub fn qualify(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("the qualify binary runs")
}

/// `qualify score rules/northwind.lead INPUT --as-of 2026-11-23 EXTRA...`:
/// the run most score tests make, on their own input and options.
pub fn score_northwind(input: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "score",
        "rules/northwind.lead",
        input,
        "--as-of",
        "2026-11-23",
    ];
    args.extend_from_slice(extra);
    qualify(&args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every definition shipped in `rules/` (not their `NAME.examples.lead` files).
pub fn rules_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("rules"))
        .expect("rules/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "lead"))
        .filter(|p| {
            !p.to_string_lossy()
                .ends_with(qualify::suite::EXAMPLES_SUFFIX)
        })
        .map(|p| {
            format!(
                "rules/{}",
                p.file_name().unwrap_or_default().to_string_lossy()
            )
        })
        .collect();
    files.sort();
    files
}

/// A Python interpreter that can import every module in `modules` (DuckDB,
/// numpy…): `QUALIFY_PYTHON`, else the venv `.ci/venv` makes at
/// `target/ci-venv`, else `python3`. `None` (after a note) when none can,
/// outside CI; under CI (the `CI` variable, set by `.ci/run`) a panic, so CI
/// never passes by skipping the check.
pub fn python_with(test: &str, modules: &[&str]) -> Option<PathBuf> {
    let venv = root().join("target/ci-venv/bin/python");
    let candidates = std::env::var_os("QUALIFY_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([venv, PathBuf::from("python3")]);
    let script = format!("import {}", modules.join(", "));
    for python in candidates {
        let imports = Command::new(&python)
            .args(["-c", &script])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if imports {
            return Some(python);
        }
    }
    let wanted = modules.join(", ");
    if std::env::var_os("CI").is_some() {
        panic!("{test}: no Python can import {wanted}, and CI is set; run `bash .ci/venv` (as .ci/run does) or set QUALIFY_PYTHON");
    }
    eprintln!(
        "note: {test} skipped: no Python can import {wanted} (CI unset); `bash .ci/venv` makes one"
    );
    None
}

/// `rules/northwind.lead`, checked once per test binary.
pub fn northwind_model() -> &'static qualify::model::Model {
    static MODEL: std::sync::OnceLock<qualify::model::Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        let text = std::fs::read_to_string(root().join("rules/northwind.lead")).unwrap();
        qualify::load::load_str("rules/northwind.lead", &text)
            .model
            .expect("northwind checks")
    })
}
