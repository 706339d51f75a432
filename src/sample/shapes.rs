//! The shape corpus: generated files of the shapes a definition can take,
//! so that speed is measured on more than the Northwind definitions.
//!
//! In: a shape's name, a row count, a seed and an as-of date. Out: a CSV of
//! that shape's columns (header first), the same bytes for the same
//! arguments. Each shape pairs a file layout (narrow, wide, free text, a CRM
//! export) with a definition kept in the repository,
//! `benches/shapes/NAME.lead`, and its hand-written peers beside it
//! (`NAME.sql` for DuckDB, `NAME.py` for Polars). Together the shapes span
//! few and many criteria, narrow and wide files, unique and repeated text,
//! patterns, dates, arithmetic, and groups with caps, floors, decay and
//! `at least N of`.

use super::Rng;
use chrono::NaiveDate;
use std::io::Write;

/// One shape: its name (also the stem of its files under `benches/shapes/`),
/// what it stands for, and the layout of its generated file.
pub struct Shape {
    pub name: &'static str,
    pub about: &'static str,
    layout: &'static [Column],
}

impl Shape {
    /// The header of the shape's file, in order.
    pub fn columns(&self) -> Vec<&'static str> {
        self.layout.iter().map(|c| c.0).collect()
    }
}

/// Every shape, in the order benchmarks report them.
pub const SHAPES: [Shape; 8] = [
    Shape {
        name: "narrow-few",
        about: "10 columns, 5 criteria, repeated text",
        layout: &NARROW,
    },
    Shape {
        name: "narrow-many",
        about: "10 columns, 60 criteria",
        layout: &NARROW,
    },
    Shape {
        name: "wide-few",
        about: "80 columns, 6 used, 5 criteria",
        layout: &WIDE,
    },
    Shape {
        name: "unique-text",
        about: "unique e-mails, notes and sites; ends/starts with, contains",
        layout: &TEXT,
    },
    Shape {
        name: "regex-heavy",
        about: "10 patterns over unique and repeated text",
        layout: &TEXT,
    },
    Shape {
        name: "date-heavy",
        about: "days and business days since, date ranges, max of dates",
        layout: &CRM,
    },
    Shape {
        name: "arithmetic-heavy",
        about: "ratios, sums, round, floor, min/max, default, points per unit",
        layout: &CRM,
    },
    Shape {
        name: "groups",
        about: "sub-scores with caps and floors, decay, at least N of, matched",
        layout: &CRM,
    },
];

/// The shape of that name, if there is one.
pub fn shape(name: &str) -> Option<&'static Shape> {
    SHAPES.iter().find(|s| s.name == name)
}

/// What a generated cell holds.
enum Kind {
    /// The prefix, then the row number: unique.
    Id(&'static str),
    /// One of a few values (an empty one is a missing cell): repeated text.
    Pick(&'static [&'static str]),
    /// first.lastN@domain: unique.
    Email,
    /// Two phrases and a ticket number, sometimes empty: unique free text.
    Note,
    /// A company name with a number in it: nearly unique.
    Company,
    Website,
    Phone,
    /// A whole number from 0 to `max`; `empty` percent of cells are missing.
    Int {
        max: u64,
        empty: u64,
    },
    /// An amount with cents below `max`; `empty` percent missing.
    Money {
        max: u64,
        empty: u64,
    },
    /// A day from `back` days before the as-of date to `ahead` days after.
    Date {
        back: u64,
        ahead: u64,
        empty: u64,
    },
    /// yes/no as exports write it, in every accepted spelling.
    YesNo,
}

/// A column: its header and what its cells hold.
struct Column(&'static str, Kind);

const TITLES: &[&str] = &[
    "CEO",
    "CTO",
    "VP Sales",
    "Head of Marketing",
    "Marketing Manager",
    "Software Engineer",
    "Data Analyst",
    "Student",
    "Intern",
    "Founder",
    "Owner",
    "Director of IT",
    "Office Manager",
    "Consultant",
    "ceo",
    " Founder ",
    "",
];
const COUNTRIES: &[&str] = &[
    "Germany",
    "France",
    "United States",
    "Canada",
    "United Kingdom",
    "Japan",
    "India",
    "Brazil",
    "Spain",
    "Netherlands",
    "germany",
    "UNITED STATES",
    " France ",
];
const PLANS: &[&str] = &["free", "pro", "team", "enterprise", "Pro", "FREE"];
const SOURCES: &[&str] = &["web", "event", "referral", "partner", "ads", "Web"];
const YES_NO: &[&str] = &[
    "yes", "no", "Yes", "No", "true", "false", "y", "n", "1", "0",
];
const SHORT_NOTES: &[&str] = &[
    "",
    "wants a quote",
    "call back",
    "budget approved",
    "no budget",
    "asked for references",
];
const FIRST: &[&str] = &[
    "ann", "bob", "chidi", "dana", "eve", "farid", "grace", "hiro", "ines", "jose",
];
const LAST: &[&str] = &[
    "smith", "okafor", "nguyen", "mueller", "garcia", "obrien", "kowalski", "rossi",
];
const DOMAINS: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "acme.example",
    "globex.example",
    "initech.example",
    "hooli.example",
    "uni-hamburg.edu",
    "stanford.edu",
    "rival.example",
    "Gmail.com",
    "ACME.example",
];
const PHRASES: &[&str] = &[
    "asked for a demo",
    "wants pricing",
    "do not contact",
    "call back next week",
    "interested in the API",
    "budget approved",
    "evaluating competitors",
    "left voicemail",
    "met at the expo, \"very keen\"",
    "needs SSO, security review",
    "Requested DEMO for the team",
    "renewal due",
];
const ADJECTIVES: &[&str] = &["Bright", "Blue", "North", "Global", "Swift", "Dental"];
const NOUNS: &[&str] = &["Systems", "Labs", "Works", "Dynamics", "Care", "Logistics"];
const SUFFIXES: &[&str] = &["GmbH", "Inc", "Ltd", "LLC", "SA", "gmbh"];
const TLDS: &[&str] = &["com", "de", "io", "example"];
const WORDS: &[&str] = &["a", "bb", "ccc", "", "dd", "e"];

const NARROW: [Column; 10] = [
    Column("id", Kind::Id("N-")),
    Column("title", Kind::Pick(TITLES)),
    Column("country", Kind::Pick(COUNTRIES)),
    Column("plan", Kind::Pick(PLANS)),
    Column(
        "employees",
        Kind::Int {
            max: 5000,
            empty: 15,
        },
    ),
    Column(
        "revenue",
        Kind::Money {
            max: 2_000_000,
            empty: 20,
        },
    ),
    Column("visits", Kind::Int { max: 50, empty: 0 }),
    Column(
        "signed_up",
        Kind::Date {
            back: 700,
            ahead: 0,
            empty: 0,
        },
    ),
    Column(
        "last_seen",
        Kind::Date {
            back: 120,
            ahead: 0,
            empty: 10,
        },
    ),
    Column("newsletter", Kind::YesNo),
];

const TEXT: [Column; 10] = [
    Column("id", Kind::Id("T-")),
    Column("email", Kind::Email),
    Column("notes", Kind::Note),
    Column("website", Kind::Website),
    Column("company", Kind::Company),
    Column("title", Kind::Pick(TITLES)),
    Column("phone", Kind::Phone),
    Column("country", Kind::Pick(COUNTRIES)),
    Column("visits", Kind::Int { max: 50, empty: 0 }),
    Column(
        "created",
        Kind::Date {
            back: 365,
            ahead: 0,
            empty: 0,
        },
    ),
];

const CRM: [Column; 20] = [
    Column("id", Kind::Id("C-")),
    Column("title", Kind::Pick(TITLES)),
    Column("country", Kind::Pick(COUNTRIES)),
    Column("plan", Kind::Pick(PLANS)),
    Column("source", Kind::Pick(SOURCES)),
    Column(
        "employees",
        Kind::Int {
            max: 5000,
            empty: 15,
        },
    ),
    Column(
        "revenue",
        Kind::Money {
            max: 2_000_000,
            empty: 20,
        },
    ),
    Column(
        "budget",
        Kind::Int {
            max: 200_000,
            empty: 30,
        },
    ),
    Column("visits", Kind::Int { max: 50, empty: 0 }),
    Column("calls", Kind::Int { max: 12, empty: 0 }),
    Column("emails_sent", Kind::Int { max: 20, empty: 5 }),
    Column("discount", Kind::Money { max: 40, empty: 40 }),
    Column(
        "created",
        Kind::Date {
            back: 700,
            ahead: 0,
            empty: 0,
        },
    ),
    Column(
        "first_contact",
        Kind::Date {
            back: 365,
            ahead: 0,
            empty: 20,
        },
    ),
    Column(
        "last_seen",
        Kind::Date {
            back: 120,
            ahead: 0,
            empty: 10,
        },
    ),
    Column(
        "demo_date",
        Kind::Date {
            back: 90,
            ahead: 30,
            empty: 50,
        },
    ),
    Column(
        "renewal",
        Kind::Date {
            back: 60,
            ahead: 400,
            empty: 30,
        },
    ),
    Column("trial", Kind::YesNo),
    Column("newsletter", Kind::YesNo),
    Column("notes", Kind::Pick(SHORT_NOTES)),
];

/// Six used columns, then 74 that no rule reads (short numbers, words,
/// yes/no and amounts, as a wide CRM export pads a row).
const WIDE: [Column; 80] = {
    const FILLER: [Column; 4] = [
        Column("", Kind::Int { max: 99, empty: 10 }),
        Column("", Kind::Pick(WORDS)),
        Column("", Kind::YesNo),
        Column(
            "",
            Kind::Money {
                max: 100,
                empty: 30,
            },
        ),
    ];
    let mut columns = [const { Column("", Kind::YesNo) }; 80];
    columns[0] = Column("id", Kind::Id("W-"));
    columns[1] = Column("title", Kind::Pick(TITLES));
    columns[2] = Column("country", Kind::Pick(COUNTRIES));
    columns[3] = Column(
        "employees",
        Kind::Int {
            max: 5000,
            empty: 15,
        },
    );
    columns[4] = Column("visits", Kind::Int { max: 50, empty: 0 });
    columns[5] = Column(
        "signed_up",
        Kind::Date {
            back: 700,
            ahead: 0,
            empty: 0,
        },
    );
    let mut i = 6;
    while i < 80 {
        columns[i] = match FILLER[i % 4].1 {
            Kind::Int { max, empty } => Column(FILLER_NAMES[i - 6], Kind::Int { max, empty }),
            Kind::Money { max, empty } => Column(FILLER_NAMES[i - 6], Kind::Money { max, empty }),
            Kind::Pick(words) => Column(FILLER_NAMES[i - 6], Kind::Pick(words)),
            _ => Column(FILLER_NAMES[i - 6], Kind::YesNo),
        };
        i += 1;
    }
    columns
};

/// The 74 unused columns' headers: `extra_06` to `extra_79`.
const FILLER_NAMES: [&str; 74] = [
    "extra_06", "extra_07", "extra_08", "extra_09", "extra_10", "extra_11", "extra_12", "extra_13",
    "extra_14", "extra_15", "extra_16", "extra_17", "extra_18", "extra_19", "extra_20", "extra_21",
    "extra_22", "extra_23", "extra_24", "extra_25", "extra_26", "extra_27", "extra_28", "extra_29",
    "extra_30", "extra_31", "extra_32", "extra_33", "extra_34", "extra_35", "extra_36", "extra_37",
    "extra_38", "extra_39", "extra_40", "extra_41", "extra_42", "extra_43", "extra_44", "extra_45",
    "extra_46", "extra_47", "extra_48", "extra_49", "extra_50", "extra_51", "extra_52", "extra_53",
    "extra_54", "extra_55", "extra_56", "extra_57", "extra_58", "extra_59", "extra_60", "extra_61",
    "extra_62", "extra_63", "extra_64", "extra_65", "extra_66", "extra_67", "extra_68", "extra_69",
    "extra_70", "extra_71", "extra_72", "extra_73", "extra_74", "extra_75", "extra_76", "extra_77",
    "extra_78", "extra_79",
];

/// Write the header and `rows` rows of `shape` to `out`.
pub fn write_shape<W: Write>(
    shape: &Shape,
    out: W,
    rows: u64,
    seed: u64,
    as_of: NaiveDate,
) -> csv::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(shape.columns())?;
    let mut rng = Rng(seed);
    let mut record: Vec<String> = Vec::with_capacity(shape.layout.len());
    for row in 1..=rows {
        record.clear();
        for Column(_, kind) in shape.layout {
            record.push(cell(kind, row, as_of, &mut rng));
        }
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

fn cell(kind: &Kind, row: u64, as_of: NaiveDate, rng: &mut Rng) -> String {
    match *kind {
        Kind::Id(prefix) => format!("{prefix}{row:07}"),
        Kind::Pick(items) => rng.pick(items).to_string(),
        Kind::Email => {
            let (first, last) = (rng.pick(FIRST), rng.pick(LAST));
            format!("{first}.{last}{row}@{}", rng.pick(DOMAINS))
        }
        Kind::Note if rng.chance(15) => String::new(),
        Kind::Note => format!(
            "{}; {} (ticket {row})",
            rng.pick(PHRASES),
            rng.pick(PHRASES)
        ),
        Kind::Company => format!(
            "{} {} {} {}",
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            rng.below(10_007),
            rng.pick(SUFFIXES)
        ),
        Kind::Website if rng.chance(10) => String::new(),
        Kind::Website => format!(
            "{}://www.site{}.{}",
            if rng.chance(70) { "https" } else { "http" },
            rng.below(50_000),
            rng.pick(TLDS)
        ),
        Kind::Phone => format!(
            "+{} {:03}-{:04}",
            rng.pick(&["1", "49", "33", "44", "81"]),
            rng.below(1000),
            rng.below(10_000)
        ),
        Kind::Int { empty, .. } | Kind::Money { empty, .. } | Kind::Date { empty, .. }
            if empty > 0 && rng.chance(empty) =>
        {
            String::new()
        }
        Kind::Int { max, .. } => rng.below(max + 1).to_string(),
        Kind::Money { max, .. } => format!("{}.{:02}", rng.below(max), rng.below(100)),
        Kind::Date { back, ahead, .. } => {
            let offset = rng.below(back + ahead + 1) as i64 - back as i64;
            (as_of + chrono::Duration::days(offset))
                .format("%Y-%m-%d")
                .to_string()
        }
        Kind::YesNo => rng.pick(YES_NO).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(name: &str, rows: u64, seed: u64) -> String {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut out = Vec::new();
        write_shape(shape(name).unwrap(), &mut out, rows, seed, as_of).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_shape_is_deterministic_with_one_cell_per_column() {
        for s in &SHAPES {
            let text = generate(s.name, 200, 7);
            assert_eq!(text, generate(s.name, 200, 7), "{}", s.name);
            assert_ne!(text, generate(s.name, 200, 8), "{}", s.name);
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            let header = reader.headers().unwrap().clone();
            assert_eq!(header.iter().collect::<Vec<_>>(), s.columns(), "{}", s.name);
            let rows: Vec<_> = reader.records().map(Result::unwrap).collect();
            assert_eq!(rows.len(), 200);
            assert!(rows.iter().all(|r| r.len() == header.len()), "{}", s.name);
        }
    }

    #[test]
    fn layouts_are_as_wide_as_their_names_say() {
        assert_eq!(shape("narrow-few").unwrap().columns().len(), 10);
        let wide = shape("wide-few").unwrap().columns();
        assert_eq!(wide.len(), 80);
        let distinct: std::collections::BTreeSet<_> = wide.iter().collect();
        assert_eq!(distinct.len(), 80, "every header is distinct");
    }

    #[test]
    fn unique_text_is_unique_and_repeated_text_repeats() {
        let text = generate("unique-text", 500, 1);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<_> = reader.records().map(Result::unwrap).collect();
        let distinct = |col: usize| {
            rows.iter()
                .map(|r| r[col].to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        };
        assert_eq!(distinct(1), 500, "e-mails");
        assert!(distinct(2) > 400, "notes");
        assert!(distinct(5) <= TITLES.len(), "titles");
    }
}
