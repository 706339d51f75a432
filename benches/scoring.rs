//! Criterion benches (kept short: the machine is shared):
//! - check + compile of each definition in rules/;
//! - evaluation per inquiry on pre-read rows, compiled program vs reference;
//! - scoring a whole generated file of 100k rows (read, decode, evaluate, write).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use qualify::batch::{score_all, Sinks};
use qualify::eval::engine::{Engine, Reference};
use qualify::eval::program::Fast;
use qualify::io::results::{OutputFormat, ResultLayout};
use qualify::io::{InputOptions, InquiryReader, RowResult};
use qualify::model::{days_from_date, Model, Value};
use std::time::Duration;

fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date")
}

fn northwind() -> Model {
    let text = std::fs::read_to_string("rules/northwind.lead").expect("rules/northwind.lead");
    qualify::load::load_str("northwind.lead", &text)
        .model
        .expect("northwind checks")
}

fn generated(rows: u64) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().expect("a temp file");
    qualify::sample::write_inquiries(file.reopen().expect("reopen"), rows, 42, as_of(), 0)
        .expect("sample written");
    file
}

fn check_and_compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("check+compile");
    for entry in std::fs::read_dir("rules").expect("rules/") {
        let path = entry.expect("an entry").path();
        let text = std::fs::read_to_string(&path).expect("a rules file");
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        group.bench_function(&name, |b| {
            b.iter(|| {
                let loaded = qualify::load::load_str(&name, &text);
                loaded
                    .model
                    .map(|m| qualify::compile::compile(&m).nodes.len())
            })
        });
    }
    group.finish();
}

fn per_inquiry(c: &mut Criterion) {
    let model = northwind();
    let file = generated(10_000);
    let path = file.path().to_string_lossy().into_owned();
    let mut reader = InquiryReader::open(&path, &InputOptions::default(), &model, &[])
        .expect("the sample opens");
    let rows: Vec<Vec<Value>> = reader
        .rows()
        .filter_map(|r| match r {
            Ok(RowResult::Row(i)) => Some(i.values),
            _ => None,
        })
        .collect();
    let as_of = days_from_date(as_of());
    let program = qualify::compile::compile(&model);
    let fast = Fast {
        program: &program,
        as_of,
    };
    let reference = Reference {
        model: &model,
        as_of,
    };
    let mut group = c.benchmark_group("evaluate");
    group.throughput(Throughput::Elements(rows.len() as u64));
    group.bench_function("program", |b| {
        let mut scratch = fast.scratch();
        b.iter(|| {
            let mut total = 0.0;
            for r in &rows {
                total += fast.evaluate(r, &mut scratch).score;
            }
            total
        })
    });
    group.bench_function("reference", |b| {
        let mut scratch = reference.scratch();
        b.iter(|| {
            let mut total = 0.0;
            for r in &rows {
                total += reference.evaluate(r, &mut scratch).score;
            }
            total
        })
    });
    group.finish();
}

fn whole_file(c: &mut Criterion) {
    let model = northwind();
    let file = generated(100_000);
    let path = file.path().to_string_lossy().into_owned();
    let as_of = days_from_date(as_of());
    let program = qualify::compile::compile(&model);
    let fast = Fast {
        program: &program,
        as_of,
    };
    let layout = ResultLayout::new(&model, OutputFormat::Csv, vec![], false);
    let mut group = c.benchmark_group("score file");
    group.throughput(Throughput::Elements(100_000));
    group.bench_function("100k rows", |b| {
        b.iter_batched(
            || {
                InquiryReader::open(&path, &InputOptions::default(), &model, &[])
                    .expect("the sample opens")
            },
            |reader| {
                let mut sink = std::io::sink();
                score_all(
                    reader,
                    &fast,
                    &layout,
                    None,
                    Sinks {
                        output: &mut sink,
                        reject: &mut |_| Ok(()),
                        progress: &|_, _| {},
                    },
                )
                .expect("scored")
                .scored
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn short() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = short();
    targets = check_and_compile, per_inquiry, whole_file
}
criterion_main!(benches);
