//! `gen-inquiries ROWS [--seed N] [--as-of DATE] [--bad-percent P]`: write a
//! realistic, deterministic inquiry CSV for `rules/northwind.lead` to stdout
//! (see `qualify::sample`). Made `examples/northwind-inquiries.csv` and the
//! benchmarks' files. An example rather than a binary, so that `cargo install`
//! puts only `qualify` on the PATH:
//! `cargo run --release --example gen-inquiries -- 5`.

use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut rows: u64 = 10_000;
    let mut seed: u64 = 42;
    let mut as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let mut bad: u64 = 0;
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        let mut step = 2;
        let ok = match args[i].as_str() {
            "--seed" => value.parse().map(|v| seed = v).is_ok(),
            "--bad-percent" => value.parse().map(|v| bad = v).is_ok(),
            "--as-of" => chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d")
                .map(|d| as_of = d)
                .is_ok(),
            other => {
                step = 1;
                other.replace('_', "").parse().map(|v| rows = v).is_ok()
            }
        };
        if !ok {
            eprintln!(
                "usage: gen-inquiries ROWS [--seed N] [--as-of YYYY-MM-DD] [--bad-percent P]"
            );
            std::process::exit(2);
        }
        i += step;
    }
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    if let Err(e) = qualify::sample::write_inquiries(out, rows, seed, as_of, bad) {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
    let _ = std::io::stdout().flush();
}
