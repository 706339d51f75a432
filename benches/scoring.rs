//! Criterion benches (kept short: the machine is shared):
//! - check + compile of each definition in rules/;
//! - evaluation per inquiry on pre-read rows, compiled program vs reference, on
//!   rules/northwind.lead (9 criteria) and rules/northwind-full.lead (33
//!   criteria), the latter also against the same rules hand-written in Rust
//!   (benches/handwritten/northwind_full.rs) and written as GoRules ZEN
//!   expressions (benches/zen/northwind_full.rs), both checked to agree with
//!   the program before timing;
//! - scoring a whole generated file of 100k rows (read, decode, evaluate, write).
//!
//! `cargo bench -p qualify-benches --bench scoring -- evaluate` runs the per-inquiry group only.

use criterion::{criterion_group, BatchSize, Criterion, Throughput};
use qualify::driver::{score_all, Sinks};
use qualify::eval::engine::{Engine, Reference};
use qualify::eval::program::Fast;
use qualify::input::{InputOptions, InquiryReader, RowResult};
use qualify::model::{days_from_date, Model, Value};
use qualify::output::results::{OutputFormat, ResultLayout};
use std::time::Duration;

#[path = "handwritten/northwind_full.rs"]
mod handwritten;
#[path = "zen/northwind_full.rs"]
mod zen;

fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date")
}

fn northwind() -> Model {
    definition("rules/northwind.lead")
}

fn definition(path: &str) -> Model {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    qualify::load::load_str(path, &text)
        .model
        .unwrap_or_else(|| panic!("{path} checks"))
}

/// The generated sample, read and decoded once for `model`.
fn pre_read(model: &Model, file: &tempfile::NamedTempFile) -> Vec<Vec<Value>> {
    let path = file.path().to_string_lossy().into_owned();
    let mut reader =
        InquiryReader::open(&path, &InputOptions::default(), model, &[]).expect("the sample opens");
    reader
        .rows()
        .filter_map(|r| match r {
            Ok(RowResult::Row(i)) => Some(i.values),
            _ => None,
        })
        .collect()
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
        let shown = path.to_string_lossy();
        if !shown.ends_with(".lead") || shown.ends_with(qualify::suite::EXAMPLES_SUFFIX) {
            continue; // rules/revisions/, or examples only: no definition to compile
        }
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

/// Compiled program vs reference evaluator (vs hand-written Rust for
/// northwind-full) per inquiry, on rows read and decoded beforehand.
fn per_inquiry(c: &mut Criterion) {
    let file = generated(10_000);
    let as_of = days_from_date(as_of());
    let mut group = c.benchmark_group("evaluate");
    for name in ["northwind", "northwind-full"] {
        let model = definition(&format!("rules/{name}.lead"));
        let rows = pre_read(&model, &file);
        let program = qualify::compile::compile(&model);
        let fast = Fast {
            program: &program,
            as_of,
        };
        let reference = Reference {
            model: &model,
            as_of,
        };
        group.throughput(Throughput::Elements(rows.len() as u64));
        bench_engine(&mut group, &format!("{name}/program"), &fast, &rows);
        bench_engine(&mut group, &format!("{name}/reference"), &reference, &rows);
        if name == "northwind-full" {
            let rules = handwritten::Rules::new(as_of);
            hand_written_agrees(&model, &rules, &fast, &rows);
            group.bench_function(format!("{name}/hand-written"), |b| {
                let mut buffers = handwritten::Buffers::default();
                b.iter(|| {
                    let mut total = 0.0;
                    for r in &rows {
                        total += rules.evaluate(r, &mut buffers).score;
                    }
                    total
                })
            });
            let zen = zen::ZenRules::new();
            let contexts: Vec<_> = rows
                .iter()
                .map(|r| zen::ZenRules::context(r, as_of))
                .collect();
            zen_agrees(&zen, &contexts, &fast, &rows);
            group.bench_function(format!("{name}/zen-expression"), |b| {
                b.iter(|| {
                    let mut held = 0usize;
                    for context in &contexts {
                        zen.run(context, |_, answer| {
                            held += usize::from(answer == zen_expression::Variable::Bool(true));
                        });
                    }
                    held
                })
            });
        }
    }
    group.finish();
}

/// The ZEN baseline evaluates the same criteria only if it gives the
/// program's matched criteria, varying points and disqualification on every row.
fn zen_agrees(
    zen: &zen::ZenRules,
    contexts: &[zen_expression::Variable],
    fast: &Fast,
    rows: &[Vec<Value>],
) {
    let mut scratch = fast.scratch();
    for (i, (row, context)) in rows.iter().zip(contexts).enumerate() {
        let outcome = fast.evaluate(row, &mut scratch);
        let verdict = zen.verdict(context);
        let what = format!("ZEN, row {}", i + 1);
        assert_eq!(outcome.matched, verdict.matched, "{what}: matched");
        assert_eq!(
            outcome.disqualified, verdict.disqualified,
            "{what}: disqualified"
        );
        for (c, &points) in verdict.varying_points.iter().enumerate() {
            if points != 0.0 {
                let exact = outcome.points[c];
                assert!(
                    (points - exact).abs() <= 1e-9 * exact.abs().max(1.0),
                    "{what}: points of criterion {c}: {points} vs {exact}"
                );
            }
        }
    }
}

/// Time one engine over the pre-read rows (the summed score keeps the work
/// from being optimised away).
fn bench_engine<E: Engine>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    label: &str,
    engine: &E,
    rows: &[Vec<Value>],
) {
    // As a batch run calls it: all the rows in one call, which the compiled
    // program works through a batch at a time.
    let rows: Vec<&[Value]> = rows.iter().map(Vec::as_slice).collect();
    group.bench_function(label, |b| {
        let mut scratch = engine.scratch();
        b.iter(|| {
            let mut total = 0.0;
            engine.evaluate_each(&rows, &mut scratch, &mut |_, o| {
                total += o.score.unwrap_or(0.0)
            });
            total
        })
    });
}

/// The hand-written baseline is only a fair yardstick if it computes the same
/// thing: check it against the compiled program on every pre-read row and
/// against the reference evaluator on every example of the definition (which
/// between them make every rule both hold and not hold), before any timing.
fn hand_written_agrees(
    model: &Model,
    rules: &handwritten::Rules,
    fast: &Fast,
    rows: &[Vec<Value>],
) {
    let fields: Vec<&str> = model.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        fields,
        handwritten::FIELDS,
        "fields changed: update the hand-written rules"
    );
    let criteria: Vec<&str> = model.criteria.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        criteria,
        handwritten::CRITERIA,
        "criteria changed: update the hand-written rules"
    );
    let stages: Vec<&str> = model.stage_names().collect();
    assert_eq!(
        stages,
        handwritten::STAGES,
        "stages changed: update the hand-written rules"
    );
    let reasons: Vec<&str> = model
        .disqualifiers
        .iter()
        .map(|d| d.reason.as_str())
        .collect();
    assert_eq!(
        reasons,
        handwritten::REASONS,
        "disqualifiers changed: update the hand-written rules"
    );

    let same =
        |what: &str, outcome: &qualify::semantics::Outcome, verdict: &handwritten::Verdict| {
            assert_eq!(
                outcome.score.map(f64::to_bits),
                Some(verdict.score.to_bits()),
                "{what}: score"
            );
            assert_eq!(
                outcome.group_scores,
                [Some(verdict.fit), Some(verdict.interest)],
                "{what}: sub-scores"
            );
            assert_eq!(outcome.points, verdict.points, "{what}: points");
            assert_eq!(outcome.matched, verdict.matched, "{what}: matched");
            assert_eq!(
                outcome.disqualified, verdict.disqualified,
                "{what}: disqualified"
            );
            assert_eq!(outcome.stage, verdict.stage, "{what}: stage");
        };
    let mut buffers = handwritten::Buffers::default();
    let mut scratch = fast.scratch();
    let mut stages_seen = [0usize; handwritten::STAGES.len()];
    let mut matched_seen = [0usize; handwritten::CRITERIA.len()];
    for (i, row) in rows.iter().enumerate() {
        let verdict = rules.evaluate(row, &mut buffers);
        same(
            &format!("row {}", i + 1),
            fast.evaluate(row, &mut scratch),
            &verdict,
        );
        stages_seen[verdict.stage] += 1;
        for (seen, m) in matched_seen.iter_mut().zip(verdict.matched) {
            *seen += usize::from(m);
        }
    }
    // The rows must exercise the rules, or agreeing on them says little.
    for (stage, seen) in handwritten::STAGES.iter().zip(stages_seen) {
        assert!(seen > 0, "no generated row reaches stage {stage:?}");
    }
    for (criterion, seen) in handwritten::CRITERIA.iter().zip(matched_seen) {
        assert!(
            seen > 0 && seen < rows.len(),
            "{criterion:?} matches {seen} of {} rows",
            rows.len()
        );
    }

    let text = std::fs::read("rules/northwind-full.examples.lead").expect("the examples file");
    let companion = qualify::suite::load_examples(model, "northwind-full.examples.lead", text);
    assert_eq!(companion.error_count(), 0, "the examples file checks");
    for example in model.examples.iter().chain(&companion.examples) {
        let as_of = example
            .as_of
            .map(days_from_date)
            .expect("every example states its date");
        let outcome = qualify::eval::reference::evaluate(model, &example.values, as_of);
        let verdict = handwritten::Rules::new(as_of).evaluate(&example.values, &mut buffers);
        same(&example.name, &outcome, &verdict);
    }
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
qualify_benches::main!(benches);
