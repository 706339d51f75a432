//! The peers benches/compare.sh times against `qualify score`: each
//! `benches/sql/NAME.sql` (hand-written), `NAME-floor.sql` (the least an
//! exact query must do) and `NAME.py` (hand-written Polars) must give
//! `score`'s answers for `rules/NAME.lead`, or
//! the benchmark would compare queries doing different work. Run here on the
//! shipped inquiries and on edge cases generated ones lack (padded and
//! mixed-case text and yes/no, negative counts, dates on each criterion's
//! line, titles starting "IT"), with the script the benchmark uses to compare
//! (`benches/sql/agree.py`), so a query that drifts fails a test rather than
//! a benchmark run nobody reads.

use crate::support::{python_with, qualify, root, stderr};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Both files' as-of date (their comments say so).
const AS_OF: &str = "2026-11-23";

/// The inquiries every peer is checked on.
const DATA: [&str; 2] = [
    "examples/northwind-inquiries.csv",
    "tests/data/northwind-edge-inquiries.csv",
];

#[test]
fn bench_queries_give_what_score_gives() {
    let Some(python) = python_with("bench_sql", &["duckdb"]) else {
        return;
    };
    for data in DATA {
        queries_give_what_score_gives(&python, &root().join(data));
    }
}

fn queries_give_what_score_gives(python: &Path, data: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let mut queries: Vec<_> = std::fs::read_dir(root().join("benches/sql"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    queries.sort();
    assert!(
        queries.len() >= 3,
        "expected the hand-written and floor queries"
    );
    for query in queries {
        let stem = query.file_stem().unwrap().to_str().unwrap();
        let name = stem.trim_end_matches("-floor");
        let scored = score(name, data, &dir.path().join(format!("{stem}-score.csv")));
        let duck = dir.path().join(format!("{stem}-duckdb.csv"));
        let sql = std::fs::read_to_string(&query)
            .unwrap()
            .replace("@DATA@", data.to_str().unwrap())
            .replace("@OUT@", duck.to_str().unwrap());
        let run = Command::new(python)
            .args(["-c", "import duckdb, sys; duckdb.sql(sys.stdin.read())"])
            .stdin(std::fs::File::open(write(&dir, stem, &sql)).unwrap())
            .output()
            .unwrap();
        assert!(run.status.success(), "{stem}: {}", stderr(&run));
        agree(python, &scored, &duck, "duckdb", stem, data);
    }
}

/// The Polars peers: one per definition in `rules/` that has DuckDB SQL.
#[test]
fn polars_peers_give_what_score_gives() {
    let Some(python) = python_with("bench_polars", &["polars"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (data, name) in DATA
        .iter()
        .flat_map(|data| ["northwind", "northwind-full"].map(|name| (root().join(data), name)))
    {
        let peer = root().join(format!("benches/sql/{name}.py"));
        assert!(peer.is_file(), "{name} has a Polars peer");
        let scored = score(name, &data, &dir.path().join(format!("{name}-score.csv")));
        let theirs = dir.path().join(format!("{name}-polars.csv"));
        let run = Command::new(&python)
            .arg(&peer)
            .args([&data, &theirs])
            .output()
            .unwrap();
        assert!(run.status.success(), "{name}.py: {}", stderr(&run));
        agree(
            &python,
            &scored,
            &theirs,
            "polars",
            &format!("{name}.py"),
            &data,
        );
    }
}

/// `qualify score` of `rules/NAME.lead` over `data` into `out`.
fn score(name: &str, data: &Path, out: &Path) -> PathBuf {
    let definition = root().join(format!("rules/{name}.lead"));
    let run = qualify(&[
        "score",
        definition.to_str().unwrap(),
        data.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{name}: {}", stderr(&run));
    out.to_path_buf()
}

/// Assert `theirs`, the output of `peer` (named `what`), gives `ours` on
/// every row (`benches/sql/agree.py`, as the benchmarks check).
fn agree(python: &Path, ours: &Path, theirs: &Path, peer: &str, what: &str, data: &Path) {
    let agree = Command::new(python)
        .arg(root().join("benches/sql/agree.py"))
        .args([ours, theirs])
        .arg(peer)
        .output()
        .unwrap();
    assert!(
        agree.status.success(),
        "{what} does not give score's answers on {}: {}{}",
        data.display(),
        String::from_utf8_lossy(&agree.stdout),
        stderr(&agree)
    );
}

fn write(dir: &tempfile::TempDir, stem: &str, sql: &str) -> PathBuf {
    let path = dir.path().join(format!("{stem}.sql"));
    std::fs::write(&path, sql).unwrap();
    path
}
