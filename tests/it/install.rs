//! What `cargo install --path .` puts on the PATH: `qualify` and nothing
//! else. The inquiry generator the benchmarks use is an example, and the
//! scripts that run it look for it where cargo builds examples.

use crate::support::root;

/// `(kind, name)` of every target of the package, as cargo sees them.
fn targets() -> Vec<(String, String)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let mut targets = Vec::new();
    for target in meta["packages"][0]["targets"].as_array().expect("targets") {
        let name = target["name"].as_str().unwrap_or_default().to_owned();
        for kind in target["kind"].as_array().expect("kinds") {
            targets.push((kind.as_str().unwrap_or_default().to_owned(), name.clone()));
        }
    }
    targets
}

#[test]
fn cargo_install_puts_only_qualify_on_the_path() {
    let targets = targets();
    let bins: Vec<&str> = targets
        .iter()
        .filter(|(kind, _)| kind == "bin")
        .map(|(_, name)| name.as_str())
        .collect();
    assert_eq!(bins, ["qualify"]);
    assert!(
        targets
            .iter()
            .any(|(k, n)| k == "example" && n == "gen-inquiries"),
        "{targets:?}"
    );
}

/// Every program `benches/compare.sh` runs from `target/release/` is one
/// cargo builds there: a binary at the top, an example under `examples/`.
#[test]
fn the_benchmark_script_runs_programs_cargo_builds() {
    let script = std::fs::read_to_string(root().join("benches/compare.sh")).expect("compare.sh");
    let targets = targets();
    let mut runs = 0;
    for word in script.split_whitespace() {
        let Some(path) = word.strip_prefix("./target/release/") else {
            continue;
        };
        runs += 1;
        let (kind, name) = match path.strip_prefix("examples/") {
            Some(name) => ("example", name),
            None => ("bin", path),
        };
        assert!(
            targets.iter().any(|(k, n)| k == kind && n == name),
            "compare.sh runs ./target/release/{path}, which is no {kind} of the package"
        );
    }
    assert!(runs >= 5, "{runs}");
}
