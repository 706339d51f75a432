//! `gen-shape NAME ROWS [--seed N] [--as-of DATE]`: write the shape NAME's
//! deterministic CSV to stdout (see `qualify::sample::shapes`); its
//! definition is `benches/shapes/NAME.lead`. `gen-shape --list` prints the
//! shapes, one a line: name, then what it stands for.
//! `cargo run --release --example gen-shape -- narrow-few 5`.

use qualify::sample::shapes::{shape, write_shape, SHAPES};
use std::io::Write;

const USAGE: &str = "usage: gen-shape NAME ROWS [--seed N] [--as-of YYYY-MM-DD] | gen-shape --list";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--list") {
        for s in &SHAPES {
            println!("{}\t{}", s.name, s.about);
        }
        return;
    }
    let fail = |why: &str| -> ! {
        eprintln!("{why}\n{USAGE}");
        std::process::exit(2)
    };
    let Some(found) = args.first().and_then(|n| shape(n)) else {
        let names: Vec<_> = SHAPES.iter().map(|s| s.name).collect();
        fail(&format!(
            "the first argument is a shape: {}",
            names.join(", ")
        ))
    };
    let mut rows: u64 = 10_000;
    let mut seed: u64 = 42;
    let mut as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let mut i = 1;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        let mut step = 2;
        let ok = match args[i].as_str() {
            "--seed" => value.parse().map(|v| seed = v).is_ok(),
            "--as-of" => chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d")
                .map(|d| as_of = d)
                .is_ok(),
            other => {
                step = 1;
                other.replace('_', "").parse().map(|v| rows = v).is_ok()
            }
        };
        if !ok {
            fail(&format!("cannot read {:?}", args[i]));
        }
        i += step;
    }
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    if let Err(e) = write_shape(found, out, rows, seed, as_of) {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
    let _ = std::io::stdout().flush();
}
