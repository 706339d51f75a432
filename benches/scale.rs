//! How `check`, the lints and `diff` grow with the size of a definition: a
//! generated one with 10,000 criteria (and 2,000 score stages, 1,000
//! disqualifiers, 2,000 holidays, so the sweeps over stages and disqualifiers
//! and the diff of every kind have work to do). Each step runs on its own:
//! parse + check (no lints), the lints on the checked model, and the diff of
//! the definition with itself and with a copy where one criterion changed.
//! A step that went back to comparing every pair would take minutes here.
//!
//! Kept short (few samples): the machine is shared.

use criterion::{criterion_group, Criterion};
use qualify::diff::diff;
use qualify::source::SourceFile;
use std::hint::black_box;
use std::time::Duration;

const CRITERIA: usize = 10_000;

fn definition(points_of_k7: u32) -> String {
    let mut text = String::from(
        "definition \"scale\"\nfields {\n  id text\n  x number optional\n  y number optional\n  s one of \"a\", \"b\", \"c\"\n  d date optional\n}\n",
    );
    let days: Vec<String> = (0..2_000)
        .map(|i| {
            (chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date")
                + chrono::Duration::days(i))
            .to_string()
        })
        .collect();
    text += &format!("holidays [{}]\n", days.join(", "));
    text += "let near = business days since d < 30\n";
    for i in 0..1_000 {
        text += &format!("disqualify \"d{i}\" when y = {}\n", -(i as i64) - 1);
    }
    for i in 0..CRITERIA {
        let points = if i == 7 {
            points_of_k7
        } else {
            (i % 5 + 1) as u32
        };
        let cond = match i % 3 {
            0 => format!("x > {i}"),
            1 => format!("x between {i} and {} and s = \"a\"", i + 10),
            _ => format!("near and y < {i}"),
        };
        text += &format!("criterion \"k{i}\" +{points} when {cond}\n");
    }
    for i in 0..2_000 {
        text += &format!("stage \"s{i}\" when score > {}\n", 30_000 - i * 10);
    }
    text += "stage \"rest\" otherwise\n";
    text
}

fn bench(c: &mut Criterion) {
    let text = definition(1);
    let edited = definition(2);
    let parse =
        |t: &str| qualify::syntax::parse(&SourceFile::new("scale.lead", t)).expect("it parses");
    let (ast, ast_edited) = (parse(&text), parse(&edited));

    let mut group = c.benchmark_group("scale 10k criteria");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("parse + check", |b| {
        b.iter(|| {
            let ast = parse(black_box(&text));
            qualify::check::check(&ast, &text)
        })
    });
    let checked = qualify::check::check(&ast, &text);
    let Some(model) = &checked.model else {
        panic!(
            "the generated definition does not check: {:?}",
            checked.diagnostics
        );
    };
    group.bench_function("lint", |b| {
        b.iter(|| qualify::lint::lint(black_box(model), &ast, &text))
    });
    group.bench_function("diff with itself", |b| {
        b.iter(|| diff(black_box(&ast), &ast, "a", "a"))
    });
    group.bench_function("diff with one criterion changed", |b| {
        b.iter(|| diff(black_box(&ast), &ast_edited, "a", "b"))
    });
    group.finish();
}

criterion_group!(benches, bench);
qualify_benches::main!(benches);
