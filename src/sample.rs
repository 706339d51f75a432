//! Realistic, deterministic inquiry files for examples and benchmarks.
//!
//! In: a row count, a seed and an as-of date. Out: a CSV export of 25 columns
//! the way a CRM writes it (ids, dates, enums, free-text titles and notes with
//! commas and quotes, numbers with empty cells), whose columns feed
//! `rules/northwind.lead`; the columns it does not use are noise the scorer
//! must skip. Same arguments, same bytes.

use chrono::NaiveDate;
use std::io::Write;

pub mod events;
pub mod shapes;

/// The header, in order.
pub const COLUMNS: [&str; 25] = [
    "Inquiry ID",
    "Created",
    "source",
    "Campaign",
    "email",
    "First Name",
    "Last Name",
    "job_title",
    "Company",
    "company_size",
    "Annual Budget (USD)",
    "timeline",
    "state",
    "City",
    "demo_requested",
    "pages_viewed",
    "last_activity",
    "handed_off",
    "call_attempts",
    "email_attempts",
    "Lead Owner",
    "Product Interest",
    "Phone",
    "Website",
    "Notes",
];

/// splitmix64: a tiny, well-known generator; enough for sample data.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const SOURCES: [&str; 5] = [
    "web",
    "inbound call",
    "event",
    "direct mail",
    "teleprospecting",
];
const TIMELINES: [&str; 4] = ["now", "this quarter", "this year", "unknown"];
const STATES: [&str; 12] = [
    "OH", "PA", "MI", "IN", "NY", "CA", "TX", "IL", "WI", "KY", "oh", " Pa ",
];
const TITLES: [&str; 16] = [
    "Practice Owner",
    "Dentist",
    "Office Manager",
    "Dental Hygienist",
    "Director of Operations",
    "Chief Dental Officer",
    "VP, Clinical Services",
    "Front Desk",
    "Dental Student",
    "Orthodontist",
    "Purchasing Manager",
    "Associate Dentist",
    "IT Administrator",
    "Owner / Dentist",
    "Treatment Coordinator",
    "",
];
const FIRST: [&str; 10] = [
    "Ann", "Bob", "Chidi", "Dana", "Eve", "Farid", "Grace", "Hiro", "Ines", "José",
];
const LAST: [&str; 10] = [
    "Smith", "Okafor", "Nguyen", "Müller", "Garcia", "O'Brien", "Kowalski", "Rossi", "Tanaka",
    "Berg",
];
const COMPANIES: [&str; 8] = [
    "Bright Smiles Dental",
    "Lakeview Family Dentistry",
    "Smith, Jones & Partners",
    "Dental Care \"Plus\"",
    "Northside Orthodontics",
    "Riverside Oral Surgery, LLC",
    "City Dental Group",
    "Rival Imaging Inc",
];
const CITIES: [&str; 6] = [
    "Columbus",
    "Pittsburgh",
    "Detroit",
    "Indianapolis",
    "Albany",
    "Austin",
];
const CAMPAIGNS: [&str; 5] = [
    "2026-Q3 webinar",
    "CBCT launch",
    "ADA expo",
    "spring mailer",
    "",
];
const OWNERS: [&str; 4] = ["k.lee", "m.ortiz", "j.park", ""];
const PRODUCTS: [&str; 4] = ["CBCT", "intraoral scanner", "panoramic x-ray", "software"];
const NOTES: [&str; 6] = [
    "",
    "asked about financing, wants a quote",
    "called twice; left voicemail",
    "met at booth 12, \"very interested\"",
    "budget approved for next year",
    "multi-line note:\nfollow up after holidays",
];

/// Write a header and `rows` inquiries to `out`. Dates fall in the 120 days
/// before `as_of`. `bad_percent` of rows get one bad cell (for reject demos).
pub fn write_inquiries<W: Write>(
    out: W,
    rows: u64,
    seed: u64,
    as_of: NaiveDate,
    bad_percent: u64,
) -> csv::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(COLUMNS)?;
    let mut rng = Rng(seed);
    let day = |rng: &mut Rng, back: u64| {
        (as_of - chrono::Duration::days(rng.below(back) as i64))
            .format("%Y-%m-%d")
            .to_string()
    };
    for i in 0..rows {
        let first = rng.pick(&FIRST);
        let last = rng.pick(&LAST);
        let company = rng.pick(&COMPANIES);
        let email_domain = if rng.chance(3) {
            "rivalimaging.com"
        } else {
            "example.com"
        };
        let mut record: Vec<String> = vec![
            format!("NW-{:07}", i + 1),
            format!(
                "{}T{:02}:{:02}:00Z",
                day(&mut rng, 365),
                rng.below(24),
                rng.below(60)
            ),
            rng.pick(&SOURCES).to_string(),
            rng.pick(&CAMPAIGNS).to_string(),
            format!("{}.{}@{email_domain}", first.to_lowercase(), i),
            first.to_string(),
            last.to_string(),
            rng.pick(&TITLES).to_string(),
            company.to_string(),
            if rng.chance(20) {
                String::new()
            } else {
                (1 + rng.below(400)).to_string()
            },
            if rng.chance(35) {
                String::new()
            } else {
                (rng.below(60) * 1000).to_string()
            },
            rng.pick(&TIMELINES).to_string(),
            rng.pick(&STATES).to_string(),
            rng.pick(&CITIES).to_string(),
            rng.pick(&["yes", "no", "Yes", "N", "true", "0"])
                .to_string(),
            rng.below(15).to_string(),
            day(&mut rng, 120),
            if rng.chance(25) {
                day(&mut rng, 40)
            } else {
                String::new()
            },
            rng.below(7).to_string(),
            rng.below(4).to_string(),
            rng.pick(&OWNERS).to_string(),
            rng.pick(&PRODUCTS).to_string(),
            format!("+1 {}-555-{:04}", 200 + rng.below(700), rng.below(10000)),
            format!(
                "https://www.{}.example",
                company.len() * 7 + i as usize % 97
            ),
            rng.pick(&NOTES).to_string(),
        ];
        if bad_percent > 0 && rng.chance(bad_percent) {
            match rng.below(3) {
                0 => record[10] = "n/a".into(),
                1 => record[11] = "soon".into(),
                _ => record[16] = "31/02/2026".into(),
            }
        }
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}
