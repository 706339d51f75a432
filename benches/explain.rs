//! Criterion benches for the review tools (kept short: the machine is shared):
//! - one inquiry explained (trace of every rule) vs only scored (reference);
//! - the `why` of an outcome, as `score --explain` writes it per row;
//! - every example of rules/northwind.lead run on both engines (`qualify test`).

use criterion::{criterion_group, Criterion};
use qualify::eval::reference;
use qualify::explain::explain;
use qualify::explain::why::WhyColumn;
use qualify::model::{days_from_date, Model, Value};
use std::time::Duration;

fn northwind() -> (Model, String) {
    let text = std::fs::read_to_string("rules/northwind.lead").expect("rules/northwind.lead");
    let model = qualify::load::load_str("northwind.lead", &text)
        .model
        .expect("northwind checks");
    (model, text)
}

fn as_of() -> i32 {
    days_from_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date"))
}

fn inquiry(model: &Model) -> Vec<Value> {
    let json = r#"{"id": "N-1042", "email": "ann@smile.com", "job_title": "Practice owner",
        "demo_requested": "yes", "budget": 7500, "timeline": "now", "state": "OH",
        "pages_viewed": 7, "last_activity": "2026-10-01"}"#;
    qualify::explain::inquiry::parse_inquiry(model, json)
        .expect("the inquiry reads")
        .values
}

fn one_inquiry(c: &mut Criterion) {
    let (model, text) = northwind();
    let values = inquiry(&model);
    let day = as_of();
    let mut group = c.benchmark_group("one inquiry");
    group.bench_function("explained", |b| {
        b.iter(|| explain(&model, &text, &values, day))
    });
    group.bench_function("scored (reference)", |b| {
        b.iter(|| reference::evaluate(&model, &values, day))
    });
    let outcome = reference::evaluate(&model, &values, day);
    let why = WhyColumn::new(&model);
    let mut out = String::new();
    group.bench_function("why column", |b| {
        b.iter(|| {
            why.write(&outcome, &mut out);
            out.len()
        })
    });
    group.finish();
}

fn examples(c: &mut Criterion) {
    let (model, _) = northwind();
    let definition = qualify::load::load_str(
        "northwind.lead",
        &std::fs::read_to_string("rules/northwind.lead").expect("the definition"),
    );
    let companion = qualify::suite::load_examples(
        &model,
        "northwind.examples.lead",
        std::fs::read("rules/northwind.examples.lead").expect("the examples"),
    );
    let suite = qualify::suite::Suite {
        definition,
        companion: Some(companion),
    };
    c.bench_function("test: northwind examples on both engines", |b| {
        b.iter(|| qualify::testing::run_suite(&model, &suite, as_of()).failed())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    targets = one_inquiry, examples
}
qualify_benches::main!(benches);
