//! Criterion benches of `qualify diff` (kept short: the machine is shared):
//! - comparing the two Northwind revisions by meaning (parse, check, diff);
//! - the impact of the revision on 20k generated inquiries (one pass, both
//!   revisions decoded and scored by the reference evaluator).

use criterion::{criterion_group, Criterion, Throughput};
use qualify::diff::impact::{measure, Revisions};
use qualify::diff::{diff, DefinitionDiff};
use qualify::input::{InputOptions, InquiryReader};
use qualify::load::{load_str, Loaded};
use qualify::model::days_from_date;
use std::time::Duration;

const OLD: &str = "rules/northwind.lead";
const NEW: &str = "rules/revisions/northwind-next.lead";

fn load(path: &str) -> Loaded {
    let text = std::fs::read_to_string(path).expect("a rules file");
    load_str(path, &text)
}

fn definitions(c: &mut Criterion) {
    let (old, new) = (
        std::fs::read_to_string(OLD).expect("old"),
        std::fs::read_to_string(NEW).expect("new"),
    );
    c.bench_function("diff/northwind revision", |b| {
        b.iter(|| {
            let (o, n) = (load_str(OLD, &old), load_str(NEW, &new));
            let (Some(o), Some(n)) = (o.ast, n.ast) else {
                panic!("both parse")
            };
            diff(&o, &n, OLD, NEW).summary.total()
        })
    });
}

fn against(c: &mut Criterion) {
    const ROWS: u64 = 20_000;
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
    let file = tempfile::NamedTempFile::new().expect("a temp file");
    qualify::sample::write_inquiries(file.reopen().expect("reopen"), ROWS, 42, as_of, 0)
        .expect("sample written");
    let path = file.path().to_string_lossy().into_owned();
    let (old, new) = (load(OLD), load(NEW));
    let (Some(old_model), Some(new_model)) = (&old.model, &new.model) else {
        panic!("both check")
    };
    let d: DefinitionDiff = diff(
        old.ast.as_ref().expect("parses"),
        new.ast.as_ref().expect("parses"),
        OLD,
        NEW,
    );
    let mut group = c.benchmark_group("diff --against");
    group.throughput(Throughput::Elements(ROWS));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("20k generated inquiries", |b| {
        b.iter(|| {
            let mut reader = InquiryReader::open(&path, &InputOptions::default(), old_model, &[])
                .expect("opens");
            let new_decoder = reader.decoder_for(new_model).expect("columns");
            let revisions = Revisions {
                old: old_model,
                new: new_model,
                diff: &d,
                as_of: days_from_date(as_of),
                as_of_label: as_of.to_string(),
                show: 10,
                max_rejects: None,
                old_events: None,
                new_events: None,
            };
            measure(reader, &new_decoder, &path, &revisions, None, &mut |_| {
                Ok(())
            })
            .expect("measured")
            .moved
        })
    });
    group.finish();
}

criterion_group!(benches, definitions, against);
qualify_benches::main!(benches);
