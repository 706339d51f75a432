//! `gen-events LEADS EVENTS LEADS_CSV EVENTS_CSV [--seed N] [--as-of DATE]`:
//! write a lead export and its activity export for
//! `rules/recycle-cadence.lead` (see `qualify::sample::events`), the same
//! bytes for the same arguments; print what was planted (bad rows,
//! duplicates, unknown ids, events after the as-of date) on stderr.
//! `cargo run --release --example gen-events -- 1000 20000 leads.csv events.csv`.

use qualify::sample::events::write_events;
use std::fs::File;
use std::io::BufWriter;

const USAGE: &str =
    "usage: gen-events LEADS EVENTS LEADS_CSV EVENTS_CSV [--seed N] [--as-of YYYY-MM-DD]";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let fail = |why: &str| -> ! {
        eprintln!("{why}\n{USAGE}");
        std::process::exit(2)
    };
    let mut seed: u64 = 42;
    let mut as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        let ok = match args[i].as_str() {
            "--seed" => value.parse().map(|v| seed = v).is_ok(),
            "--as-of" => chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d")
                .map(|d| as_of = d)
                .is_ok(),
            other => {
                positional.push(other.to_string());
                i += 1;
                continue;
            }
        };
        if !ok {
            fail(&format!("cannot read {:?}", args[i]));
        }
        i += 2;
    }
    let [leads, events, leads_path, events_path] = positional.as_slice() else {
        fail("four arguments: the lead and event counts, then the two files")
    };
    let count = |s: &str| -> u64 {
        s.replace('_', "")
            .parse()
            .unwrap_or_else(|_| fail(&format!("not a count: {s:?}")))
    };
    let open = |p: &str| {
        File::create(p)
            .map(|f| BufWriter::with_capacity(1 << 16, f))
            .unwrap_or_else(|e| fail(&format!("cannot write {p}: {e}")))
    };
    match write_events(
        open(leads_path),
        open(events_path),
        count(leads),
        count(events),
        seed,
        as_of,
    ) {
        Ok(p) => eprintln!(
            "{} leads ({} bad), {} events ({} bad, {} of unknown leads, {} after {as_of}, {} duplicates)",
            p.leads,
            p.bad_lead_lines.len(),
            p.events,
            p.bad_events,
            p.unknown_lead_events,
            p.after_as_of,
            p.duplicates
        ),
        Err(e) => fail(&format!("error: {e}")),
    }
}
