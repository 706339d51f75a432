//! A lead export and its activity export, generated together, for
//! `rules/recycle-cadence.lead` at any size.
//!
//! In: a lead count, an event count, a seed and an as-of date. Out: a leads
//! CSV (`Lead ID,Handed Off,Created,Owner`) and an events CSV (`Lead
//! ID,Activity Type,Timestamp,page`), exactly the rows asked for (headers
//! aside), and [`Planted`]: what was put in on purpose, so a test can check
//! that the scorer rejects exactly the bad rows and its counts add up. Same
//! arguments, same bytes.
//!
//! The activity is shaped like a CRM's: after hand-off, calls and emails on
//! business days (the recycle cadence), sometimes a reply; page views in
//! bursts on a few days (some on pricing pages); now and then a webinar or a
//! form. Some leads have no events and a few have many. The events file is
//! unsorted (leads interleave, each lead's events in no order), has exact
//! duplicate rows, ids in other case or with spaces, events dated after the
//! as-of date, events of lead ids the leads file lacks, and bad rows (an
//! unknown type, an unreadable or empty date, an empty lead id). The leads
//! file is in another order than the events and has bad rows too (an empty
//! id, an impossible date); those leads have no events.

use super::Rng;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::io::Write;

/// The leads file's header.
pub const LEAD_COLUMNS: [&str; 4] = ["Lead ID", "Handed Off", "Created", "Owner"];
/// The events file's header.
pub const EVENT_COLUMNS: [&str; 4] = ["Lead ID", "Activity Type", "Timestamp", "page"];

/// What the generator planted: the counts the scorer's summary must show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Planted {
    /// Lead rows written, and the lines (header is line 1) of the bad ones.
    pub leads: u64,
    pub bad_lead_lines: Vec<u64>,
    /// Event rows written, and the lines of the bad ones (the first
    /// [`LINES_KEPT`]) and how many there are.
    pub events: u64,
    pub bad_event_lines: Vec<u64>,
    pub bad_events: u64,
    /// Good events of ids not in the leads file.
    pub unknown_lead_events: u64,
    /// Good events of known leads dated after the as-of date.
    pub after_as_of: u64,
    /// Rows that repeat the row before them for the same lead.
    pub duplicates: u64,
}

/// How many bad event lines [`Planted`] lists.
pub const LINES_KEPT: usize = 1000;

/// Leads whose events are interleaved at once: the events file's disorder.
const POOL: usize = 4096;

const OWNERS: [&str; 6] = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fumi"];
const PAGES: [&str; 9] = [
    "/pricing",
    "/pricing/team",
    "/blog/recycling-leads",
    "/docs/getting-started",
    "/",
    "/customers",
    "/pricing",
    "/blog/cadence",
    "/docs/api",
];

/// Why an event row is there: what the scorer must make of it.
#[derive(Clone, Copy, PartialEq)]
enum Class {
    Good,
    Bad,
    Unknown,
}

#[derive(Clone)]
struct Event {
    lead: String,
    kind: &'static str,
    at: String,
    page: &'static str,
    class: Class,
    after: bool,
    duplicate: bool,
}

/// One lead's profile, drawn from its own generator so the quota pass and
/// the writing pass agree.
struct Lead {
    bad: Option<u8>,
    created: NaiveDate,
    handed_off: Option<NaiveDate>,
    weight: u64,
}

fn lead_rng(seed: u64, i: u64) -> Rng {
    let mut r = Rng(seed ^ i.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    r.next();
    r
}

fn profile(rng: &mut Rng, as_of: NaiveDate) -> Lead {
    let bad = rng.chance(1).then(|| rng.below(5) as u8).filter(|b| *b < 2);
    let created = as_of - Duration::days(10 + rng.below(150) as i64);
    let handed_off = rng
        .chance(60)
        .then(|| business_day(created + Duration::days(rng.below(5) as i64)));
    // Most leads have a few events, some none, a few very many.
    let weight = match rng.below(100) {
        0..=14 => 0,
        15..=89 => 1 + rng.below(4),
        90..=98 => 5 + rng.below(20),
        _ => 30 + rng.below(60),
    };
    Lead {
        bad,
        created,
        handed_off,
        weight: if bad.is_some() { 0 } else { weight },
    }
}

fn is_business(d: NaiveDate) -> bool {
    let holiday = (d.month(), d.day()) == (11, 26) || (d.month(), d.day()) == (12, 25);
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !holiday
}

fn business_day(mut d: NaiveDate) -> NaiveDate {
    while !is_business(d) {
        d += Duration::days(1);
    }
    d
}

/// `n` business days after `d`.
fn business_after(mut d: NaiveDate, n: u64) -> NaiveDate {
    for _ in 0..n {
        d = business_day(d + Duration::days(1));
    }
    d
}

fn id(i: u64) -> String {
    format!("L-{:07}", i + 1)
}

/// Write `leads` lead rows to `leads_out` and `events` event rows to
/// `events_out` (headers first); what was planted.
pub fn write_events<L: Write, E: Write>(
    leads_out: L,
    events_out: E,
    leads: u64,
    events: u64,
    seed: u64,
    as_of: NaiveDate,
) -> csv::Result<Planted> {
    let mut planted = Planted {
        leads,
        events,
        ..Planted::default()
    };
    let total: u128 = (0..leads)
        .map(|i| u128::from(profile(&mut lead_rng(seed, i), as_of).weight))
        .sum();
    write_leads(leads_out, leads, seed, as_of, &mut planted)?;

    let mut w = writer(events_out);
    w.write_record(EVENT_COLUMNS)?;
    let mut pick = Rng(seed ^ 0xA076_1D64_78BD_642F);
    let mut pool: Vec<Vec<Event>> = Vec::new();
    let (mut next, mut cumulative, mut line) = (0u64, 0u128, 1u64);
    let quota_to = |c: u128| (u128::from(events) * c).checked_div(total).unwrap_or(0) as u64;
    loop {
        while pool.len() < POOL && next < leads {
            let mut rng = lead_rng(seed, next);
            let lead = profile(&mut rng, as_of);
            let before = quota_to(cumulative);
            cumulative += u128::from(lead.weight);
            let quota = quota_to(cumulative) - before;
            if quota > 0 {
                pool.push(lead_events(next, &lead, quota, &mut rng, as_of));
            }
            next += 1;
        }
        if pool.is_empty() {
            break;
        }
        let slot = pick.below(pool.len() as u64) as usize;
        let Some(e) = pool[slot].pop() else {
            pool.swap_remove(slot);
            continue;
        };
        if pool[slot].is_empty() {
            pool.swap_remove(slot);
        }
        line += 1;
        planted.duplicates += u64::from(e.duplicate);
        match e.class {
            Class::Bad => {
                planted.bad_events += 1;
                if planted.bad_event_lines.len() < LINES_KEPT {
                    planted.bad_event_lines.push(line);
                }
            }
            Class::Unknown => planted.unknown_lead_events += 1,
            Class::Good => planted.after_as_of += u64::from(e.after),
        }
        w.write_record([e.lead.as_str(), e.kind, e.at.as_str(), e.page])?;
    }
    w.flush()?;
    Ok(planted)
}

fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// The leads, in an order of their own (a step through the ids coprime
/// with their count), bad rows where their profile says.
fn write_leads<W: Write>(
    out: W,
    leads: u64,
    seed: u64,
    as_of: NaiveDate,
    planted: &mut Planted,
) -> csv::Result<()> {
    let mut w = writer(out);
    w.write_record(LEAD_COLUMNS)?;
    let mut step = 1_000_003 % leads.max(1);
    while gcd(step, leads) != 1 && leads > 1 {
        step += 1;
    }
    let offset = seed % leads.max(1);
    for k in 0..leads {
        let i = (k * step + offset) % leads;
        let mut rng = lead_rng(seed, i);
        let lead = profile(&mut rng, as_of);
        let handed = lead.handed_off.map(|d| d.to_string()).unwrap_or_default();
        let (lead_id, handed) = match lead.bad {
            Some(0) => (String::new(), handed),
            Some(_) => (id(i), "2026-02-30".to_string()),
            None => (id(i), handed),
        };
        if lead.bad.is_some() {
            planted.bad_lead_lines.push(k + 2);
        }
        let created = lead.created.to_string();
        w.write_record([
            lead_id.as_str(),
            handed.as_str(),
            created.as_str(),
            OWNERS[(i % OWNERS.len() as u64) as usize],
        ])?;
    }
    w.flush()?;
    Ok(())
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Exactly `quota` events of lead `i`, in no order.
fn lead_events(i: u64, lead: &Lead, quota: u64, rng: &mut Rng, as_of: NaiveDate) -> Vec<Event> {
    let mut days: Vec<(&'static str, NaiveDate, &'static str)> = Vec::new();
    if let Some(h) = lead.handed_off {
        // The cadence: 4 calls and 2 emails over 10 business days, each
        // sometimes skipped or a day late; now and then a reply.
        for (kind, n) in [
            ("call", 1),
            ("call", 3),
            ("email", 3),
            ("call", 6),
            ("email", 8),
            ("call", 10),
        ] {
            if rng.chance(85) {
                days.push((kind, business_after(h, n + rng.below(2)), ""));
            }
        }
        if rng.chance(15) {
            days.push(("reply", business_after(h, 1 + rng.below(12)), ""));
        }
    }
    let span = (as_of - lead.created).num_days().max(1) as u64 + 14;
    while (days.len() as u64) < quota {
        // A burst of page views on a day or two.
        let day = lead.created + Duration::days(rng.below(span) as i64);
        for k in 0..1 + rng.below(6) {
            days.push((
                "page view",
                day + Duration::days((k / 3) as i64),
                rng.pick(&PAGES),
            ));
        }
        if rng.chance(8) {
            days.push(("form", day, ""));
        }
        if rng.chance(5) {
            days.push(("webinar", day + Duration::days(1), ""));
        }
    }
    // No order: shuffle, then keep the quota.
    for k in (1..days.len()).rev() {
        days.swap(k, rng.below(k as u64 + 1) as usize);
    }
    days.truncate(quota as usize);
    let mut out: Vec<Event> = Vec::with_capacity(days.len());
    for (kind, day, page) in days {
        let mut e = Event {
            lead: id(i),
            kind,
            at: if rng.chance(70) {
                format!("{day}T{:02}:{:02}:00", 8 + rng.below(10), rng.below(60))
            } else {
                day.to_string()
            },
            page,
            class: Class::Good,
            after: day > as_of,
            duplicate: false,
        };
        match rng.below(1000) {
            0 => (e.kind, e.class) = ("meeting", Class::Bad),
            1 => {
                (e.at, e.class) = (
                    format!("{}-13-0{}", day.year(), 1 + rng.below(9)),
                    Class::Bad,
                )
            }
            2 => (e.at, e.class) = (String::new(), Class::Bad),
            3 => (e.lead, e.class) = (String::new(), Class::Bad),
            4..=6 => (e.lead, e.class) = (format!("X-{:07}", i + 1), Class::Unknown),
            7..=9 => e.lead = e.lead.to_lowercase(),
            10..=11 => e.lead = format!(" {} ", e.lead),
            12..=14 => e.kind = if kind == "call" { "Call" } else { kind },
            _ => {}
        }
        // An exact duplicate: the export wrote the row twice.
        match out.last() {
            Some(prev) if rng.chance(1) => out.push(Event {
                duplicate: true,
                ..prev.clone()
            }),
            _ => out.push(e),
        }
    }
    out
}
