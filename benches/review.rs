//! How long `qualify fmt` and the lints take on the shipped definition and on
//! a large generated one (200 criteria, 20 stages): both run on every save in
//! an editor and on every CI run, so they should stay well under a second.

use criterion::{criterion_group, Criterion};
use std::hint::black_box;

fn northwind() -> String {
    std::fs::read_to_string("rules/northwind.lead").expect("rules/northwind.lead")
}

/// A long definition in a messy layout.
fn large() -> String {
    let mut text = String::from(
        "definition \"large\"\nfields {\n id text\n n number\n m number optional\n k one of \"a\", \"b\", \"c\"\n d date optional\n}\n",
    );
    for i in 0..200 {
        text.push_str(&format!(
            "criterion \"c{i}\" +{} when n > {i} and (k = \"a\" or m < {}) and days since d < {}\n",
            i % 7 + 1,
            i * 3,
            i + 10
        ));
    }
    for i in 0..20 {
        text.push_str(&format!(
            "stage \"s{i}\" when score >= {} and matched \"c{i}\"\n",
            200 - i * 10
        ));
    }
    text.push_str("stage \"rest\" otherwise\n");
    text
}

fn bench(c: &mut Criterion) {
    for (name, text) in [("northwind", northwind()), ("large", large())] {
        c.bench_function(&format!("fmt {name}"), |b| {
            b.iter(|| qualify::fmt::format_text("x.lead", black_box(&text)))
        });
        let loaded = qualify::load::load_str("x.lead", &text);
        let (Some(model), Some(ast)) = (&loaded.model, &loaded.ast) else {
            panic!("{name} does not check: {:?}", loaded.diagnostics);
        };
        c.bench_function(&format!("lint {name}"), |b| {
            b.iter(|| qualify::lint::lint(black_box(model), ast, &text))
        });
    }
}

criterion_group!(benches, bench);
qualify_benches::main!(benches);
