//! Where `qualify score`'s time goes, stage by stage, on one thread, and the
//! least time a run could take on N cores if formatting and writing the
//! results cost nothing. benches/compare.sh prints it beside the read
//! floor, so the floor target can be checked against what is possible.
//!
//! Usage: time-budget DEFINITION FILE AS-OF [CORES]
//!
//! Three passes over FILE, one thread each, through the library's own code:
//! 1. read: every row read (csv-core over the mapped file, cells copied into
//!    the row), nothing else;
//! 2. read + decode: every row also decoded into typed values;
//! 3. evaluate: rows read and decoded a batch at a time, as a run does, and
//!    only the compiled program's evaluation of each batch timed.
//!
//! The bound is (read + decode + evaluate) / CORES: formatting and writing
//! the results, and handing chunks between threads, are left out, so a real
//! run is always slower than it. Every stage in it is work a run cannot skip.

use qualify::eval::engine::Engine;
use qualify::eval::program::Fast;
use qualify::input::{InputOptions, InquiryReader, RawRow};
use qualify::model::{days_from_date, Model, Value};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: time-budget DEFINITION FILE AS-OF [CORES]");
        std::process::exit(2);
    }
    let (definition, file) = (&args[1], &args[2]);
    let as_of = chrono::NaiveDate::parse_from_str(&args[3], "%Y-%m-%d").expect("AS-OF is a date");
    let cores: f64 = args
        .get(4)
        .map_or(2.0, |c| c.parse().expect("CORES is a number"));
    let text = std::fs::read_to_string(definition).expect("the definition reads");
    let model = qualify::load::load_str(definition, &text)
        .model
        .expect("the definition checks");
    let open = || {
        InquiryReader::open(file, &InputOptions::default(), &model, &[]).expect("the file opens")
    };

    let start = Instant::now();
    let (mut reader, mut raw) = (open(), RawRow::default());
    let mut rows = 0u64;
    while reader.read_raw(&mut raw).expect("the file reads") {
        rows += 1;
    }
    let read = start.elapsed();

    let start = Instant::now();
    let mut reader = open();
    let mut values = Vec::new();
    let mut decoded = 0u64;
    while reader.read_raw(&mut raw).expect("the file reads") {
        decoded += u64::from(reader.decoder().decode(&raw, &mut values).is_ok());
    }
    let decode = start.elapsed().saturating_sub(read);

    let evaluate = evaluation_time(&model, open(), days_from_date(as_of));

    let secs = Duration::as_secs_f64;
    println!(
        "{rows} rows ({decoded} decoded), one thread: read {:.3} s, decode {:.3} s, evaluate {:.3} s",
        secs(&read),
        secs(&decode),
        secs(&evaluate)
    );
    println!(
        "least possible on {cores} cores (read + decode + evaluate, perfectly shared): {:.3} s",
        (secs(&read) + secs(&decode) + secs(&evaluate)) / cores
    );
}

/// Time the compiled program alone: rows are read and decoded a chunk at a
/// time (outside the timing), then the chunk is evaluated as a run does.
fn evaluation_time(model: &Model, mut reader: InquiryReader, as_of: i32) -> Duration {
    const CHUNK: usize = qualify::driver::CHUNK_ROWS;
    let program = qualify::compile::compile(model);
    let engine = Fast {
        program: &program,
        as_of,
    };
    let mut scratch = engine.scratch();
    let mut chunk: Vec<Vec<Value>> = vec![Vec::new(); CHUNK];
    let mut raw = RawRow::default();
    let (mut total, mut checksum) = (Duration::ZERO, 0.0);
    loop {
        let mut len = 0;
        while len < CHUNK && reader.read_raw(&mut raw).expect("the file reads") {
            if reader.decoder().decode(&raw, &mut chunk[len]).is_ok() {
                len += 1;
            }
        }
        if len == 0 {
            break;
        }
        let rows: Vec<&[Value]> = chunk[..len].iter().map(Vec::as_slice).collect();
        let start = Instant::now();
        engine.evaluate_each(&rows, &mut scratch, &mut |_, o| {
            checksum += o.score.unwrap_or(0.0)
        });
        total += start.elapsed();
    }
    // Printed so the evaluation cannot be optimised away.
    eprintln!("(score checksum {checksum:.1})");
    total
}
