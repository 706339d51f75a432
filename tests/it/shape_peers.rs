//! The shape corpus (`qualify::sample::shapes`, `benches/shapes/`): every
//! shape's definition checks clean and passes its examples, and its two
//! hand-written peers (DuckDB SQL and Polars) give `qualify score`'s id,
//! score and stage on every row of a generated file, so the peers
//! `benches/shapes.sh` times cannot silently drift from the definitions.

use crate::support::{python_with, qualify, root, stderr, stdout};
use qualify::sample::shapes::{write_shape, SHAPES};
use std::path::Path;
use std::process::Command;

fn shape_file(name: &str, ext: &str) -> String {
    format!("benches/shapes/{name}.{ext}")
}

#[test]
fn every_shape_has_a_clean_definition_and_both_peers() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("benches/shapes"))
        .expect("benches/shapes exists")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".lead").map(str::to_string)
        })
        .collect();
    on_disk.sort();
    let mut known: Vec<String> = SHAPES.iter().map(|s| s.name.to_string()).collect();
    known.sort();
    assert_eq!(
        on_disk, known,
        "benches/shapes/*.lead are the shapes, no more"
    );
    for shape in &SHAPES {
        let lead = shape_file(shape.name, "lead");
        for ext in ["sql", "py"] {
            assert!(
                root().join(shape_file(shape.name, ext)).is_file(),
                "{} has a .{ext} peer",
                shape.name
            );
        }
        for args in [
            vec!["check", "--deny", "warnings", &lead],
            vec!["fmt", "--check", &lead],
            vec!["test", &lead],
        ] {
            let out = qualify(&args);
            assert!(
                out.status.success(),
                "qualify {args:?}:\n{}{}",
                stdout(&out),
                stderr(&out)
            );
        }
    }
}

fn run(what: &str, command: &mut Command) {
    let out = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn duckdb_and_polars_peers_agree_with_score_on_every_shape() {
    let test = "duckdb_and_polars_peers_agree_with_score_on_every_shape";
    let Some(python) = python_with(test, &["duckdb", "polars"]) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
    for shape in &SHAPES {
        let data = dir.path().join(format!("{}.csv", shape.name));
        let file = std::fs::File::create(&data).expect("the data file opens");
        write_shape(shape, std::io::BufWriter::new(file), 3000, 11, as_of).expect("written");
        let data = data.to_string_lossy().into_owned();
        let ours = dir.path().join(format!("{}.qualify.csv", shape.name));
        let ours = ours.to_string_lossy().into_owned();
        let lead = shape_file(shape.name, "lead");
        let scored = qualify(&["score", &lead, &data, "--as-of", "2026-11-23", "-o", &ours]);
        assert!(
            scored.status.success(),
            "score {}: {}",
            shape.name,
            stderr(&scored)
        );

        let duck = dir.path().join(format!("{}.duckdb.csv", shape.name));
        let sql = std::fs::read_to_string(root().join(shape_file(shape.name, "sql")))
            .expect("the SQL reads")
            .replace("@DATA@", &data)
            .replace("@OUT@", &duck.to_string_lossy());
        let script = dir.path().join(format!("{}.sql", shape.name));
        std::fs::write(&script, sql).expect("written");
        let run_sql = format!(
            "import duckdb; duckdb.sql(open({:?}).read())",
            script.to_string_lossy()
        );
        run(
            &format!("duckdb on {}", shape.name),
            Command::new(&python).args(["-c", &run_sql]),
        );

        let pola = dir.path().join(format!("{}.polars.csv", shape.name));
        run(
            &format!("polars on {}", shape.name),
            Command::new(&python)
                .arg(root().join(shape_file(shape.name, "py")))
                .arg(&data)
                .arg(&pola),
        );
        for (peer, output) in [("duckdb", &duck), ("polars", &pola)] {
            run(
                &format!("{peer} agrees with score on {}", shape.name),
                Command::new(&python)
                    .arg(root().join("benches/sql/agree.py"))
                    .arg(&ours)
                    .arg(output)
                    .arg(peer),
            );
        }
        assert!(Path::new(&ours).is_file());
    }
}
