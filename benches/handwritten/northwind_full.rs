//! `rules/northwind-full.lead` written by hand as plain Rust if-chains: the
//! baseline of the target "at least half the speed of the same rules
//! hand-written in Rust" (docs/benchmarks.md).
//!
//! In: one inquiry's decoded values (field order of the definition, as
//! `InquiryReader` gives them), the as-of date. Out: score, sub-scores, matched
//! criteria, disqualification and stage, like the engines' `Outcome`.
//!
//! Written the way a careful programmer would, not the way the compiler works:
//! each text cell used by `contains`/`starts with`/`ends with`/a pattern is
//! lowercased once into a reused buffer; `=` and `in` on text compare
//! trimmed, ASCII-case-insensitively (with a Unicode fallback); patterns made of
//! plain alternatives are `contains` chains on the lowercased text (the same
//! result as the case-insensitive regex for everything but exotic Unicode case
//! folds such as `ſ`; the bench asserts agreement on every generated row).
//! Missing values follow the definition's three-valued logic: the definition
//! uses no `not`, so a condition is definitely true exactly when every part of
//! an `and` (some part of an `or`) is definitely true, and an unknown
//! comparison can be read as false. Points add up in the same order as
//! `qualify::semantics::score::total_score`, so scores are bit-identical.

use qualify::model::Value;

/// Field positions in `rules/northwind-full.lead` (checked by [`FIELDS`]).
mod f {
    pub const CREATED: usize = 1;
    pub const SOURCE: usize = 2;
    pub const CAMPAIGN: usize = 3;
    pub const EMAIL: usize = 4;
    pub const JOB_TITLE: usize = 5;
    pub const COMPANY: usize = 6;
    pub const COMPANY_SIZE: usize = 7;
    pub const BUDGET: usize = 8;
    pub const TIMELINE: usize = 9;
    pub const STATE: usize = 10;
    pub const CITY: usize = 11;
    pub const DEMO_REQUESTED: usize = 12;
    pub const PAGES_VIEWED: usize = 13;
    pub const LAST_ACTIVITY: usize = 14;
    pub const HANDED_OFF: usize = 15;
    pub const CALL_ATTEMPTS: usize = 16;
    pub const EMAIL_ATTEMPTS: usize = 17;
    pub const OWNER: usize = 18;
    pub const PRODUCT: usize = 19;
    pub const NOTES: usize = 20;
}

/// The definition's fields in order; the bench asserts the model has exactly these.
pub const FIELDS: [&str; 21] = [
    "id",
    "created",
    "source",
    "campaign",
    "email",
    "job_title",
    "company",
    "company_size",
    "budget",
    "timeline",
    "state",
    "city",
    "demo_requested",
    "pages_viewed",
    "last_activity",
    "handed_off",
    "call_attempts",
    "email_attempts",
    "owner",
    "product",
    "notes",
];

/// The criteria in definition order; the bench asserts the model has exactly these.
pub const CRITERIA: [&str; 33] = [
    // fit
    "decision maker",
    "clinical champion",
    "purchasing",
    "IT contact",
    "right size",
    "large group",
    "solo practice",
    "has budget",
    "budget depth",
    "budget per chair",
    "close by",
    "neighbouring state",
    "near a showroom",
    "specialist practice",
    "group practice",
    // interest
    "asked for a demo",
    "buying this quarter",
    "buying this year",
    "reading up",
    "deep research",
    "wants CBCT",
    "software only",
    "called us",
    "met us at a show",
    "came to a webinar",
    "active this week",
    "talked money",
    // outside groups
    "gone quiet",
    "long gone",
    "chased in vain",
    "old inquiry",
    "BANT",
    "unassigned",
];
const FIT: std::ops::Range<usize> = 0..15;
const INTEREST: std::ops::Range<usize> = 15..27;
const BANT: usize = 31;
const UNASSIGNED: usize = 32;

/// Stage names in order, then `disqualified` (as `Model::stage_names`).
pub const STAGES: [&str; 7] = [
    "return to marketing",
    "sales ready, unassigned",
    "sales ready",
    "marketing qualified",
    "inside sales",
    "nurture",
    "disqualified",
];

/// Disqualification reasons in order.
pub const REASONS: [&str; 4] = [
    "competitor",
    "student",
    "internal test",
    "already a customer",
];

/// What the hand-written rules say about one inquiry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    pub score: f64,
    pub fit: f64,
    pub interest: f64,
    pub points: [f64; 33],
    pub matched: [bool; 33],
    pub disqualified: Option<usize>,
    pub stage: usize,
}

/// Lowercased copies of the text cells searched with `contains` and patterns,
/// reused from row to row.
#[derive(Default)]
pub struct Buffers {
    email: String,
    title: String,
    company: String,
    campaign: String,
    notes: String,
}

pub struct Rules {
    as_of: i32,
    /// The definition's holidays (all on weekdays), as days since 1970-01-01,
    /// sorted: what `business days since` leaves out.
    holidays: Vec<i32>,
}

/// `holidays [...]` of the definition.
const HOLIDAYS: [(i32, u32, u32); 5] = [
    (2026, 11, 26),
    (2026, 11, 27),
    (2026, 12, 24),
    (2026, 12, 25),
    (2027, 1, 1),
];

fn text(values: &[Value], i: usize) -> Option<&str> {
    match &values[i] {
        Value::Text(t) => Some(t),
        _ => None,
    }
}

fn number(values: &[Value], i: usize) -> Option<f64> {
    match values[i] {
        Value::Number(n) => Some(n),
        _ => None,
    }
}

fn date(values: &[Value], i: usize) -> Option<i32> {
    match values[i] {
        Value::Date(d) => Some(d),
        _ => None,
    }
}

/// Trimmed and lowercased into `buf`; `false` when the value is missing.
fn fold_into(values: &[Value], i: usize, buf: &mut String) -> bool {
    buf.clear();
    match text(values, i) {
        Some(t) => {
            let t = t.trim();
            if t.is_ascii() {
                buf.push_str(t);
                buf.make_ascii_lowercase();
            } else {
                buf.extend(t.chars().flat_map(char::to_lowercase));
            }
            true
        }
        None => false,
    }
}

/// The cell trimmed; `""` when missing (a present text cell is never blank,
/// and `""` equals no literal).
fn trimmed(values: &[Value], i: usize) -> &str {
    text(values, i).map_or("", str::trim)
}

/// Trimmed text `t` equals `lower` (written in lowercase), ignoring case.
fn is(t: &str, lower: &str) -> bool {
    if t.is_ascii() {
        t.eq_ignore_ascii_case(lower)
    } else {
        t.to_lowercase() == lower
    }
}

/// Arithmetic as the language defines it: a result that is not finite is missing.
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Points per unit, clamped to the cap either way (`per_unit_points`).
fn per_unit(points: f64, amount: f64, cap: f64) -> f64 {
    (points * amount).clamp(-cap, cap)
}

impl Rules {
    /// The rules for a run as of `as_of` (days since 1970-01-01).
    pub fn new(as_of: i32) -> Self {
        let holidays = HOLIDAYS
            .iter()
            .filter_map(|&(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d))
            .map(qualify::model::days_from_date)
            .collect();
        Rules { as_of, holidays }
    }

    pub fn evaluate(&self, v: &[Value], buf: &mut Buffers) -> Verdict {
        let has_title = fold_into(v, f::JOB_TITLE, &mut buf.title);
        let has_company = fold_into(v, f::COMPANY, &mut buf.company);
        let has_email = fold_into(v, f::EMAIL, &mut buf.email);
        let has_campaign = fold_into(v, f::CAMPAIGN, &mut buf.campaign);
        let has_notes = fold_into(v, f::NOTES, &mut buf.notes);
        let title = buf.title.as_str();
        let company = buf.company.as_str();
        let notes = buf.notes.as_str();

        let size = number(v, f::COMPANY_SIZE);
        let budget = number(v, f::BUDGET);
        let pages = number(v, f::PAGES_VIEWED);
        let last = date(v, f::LAST_ACTIVITY);
        let handed_off = date(v, f::HANDED_OFF);
        let calls = number(v, f::CALL_ATTEMPTS);
        let emails = number(v, f::EMAIL_ATTEMPTS);
        let days_since_last = last.map(|d| self.as_of - d);

        let mut t = Tally {
            points: [0.0; 33],
            matched: [false; 33],
        };

        // ---------------------------------------------------------------- fit
        t.fixed(
            0,
            20.0,
            has_title
                && (title.contains("owner")
                    || title.contains("dentist")
                    || title.contains("director")
                    || title.contains("chief")
                    || title.contains("vp")),
        );
        t.fixed(
            1,
            8.0,
            has_title
                && (title.contains("hygienist")
                    || title.contains("orthodontist")
                    || title.contains("coordinator")),
        );
        t.fixed(2, 10.0, has_title && title.contains("purchasing"));
        t.fixed(3, -5.0, has_title && title.starts_with("it "));
        t.fixed(4, 10.0, size.is_some_and(|s| (5.0..=200.0).contains(&s)));
        t.fixed(5, 5.0, size.is_some_and(|s| s > 200.0));
        t.fixed(6, -5.0, size.is_some_and(|s| s < 3.0));
        t.fixed(7, 15.0, budget.is_some_and(|b| b >= 10000.0));
        // budget depth: +1 per (budget - 10000) / 10000, at most 5 when budget > 10000
        if let Some(b) = budget.filter(|&b| b > 10000.0) {
            let amount = finite(b - 10000.0).and_then(|d| finite(d / 10000.0));
            t.per_unit(8, 1.0, amount, 5.0);
        }
        let per_chair = match (budget, size) {
            (Some(b), Some(s)) if s != 0.0 => finite(b / s),
            _ => None,
        };
        t.fixed(9, 5.0, per_chair.is_some_and(|x| x >= 2000.0));
        let state = trimmed(v, f::STATE);
        t.fixed(
            10,
            5.0,
            ["oh", "pa", "mi", "in"].iter().any(|l| is(state, l)),
        );
        t.fixed(
            11,
            2.0,
            ["ny", "ky", "wi", "il"].iter().any(|l| is(state, l)),
        );
        let city = trimmed(v, f::CITY);
        let showrooms = ["columbus", "pittsburgh", "detroit", "indianapolis"];
        t.fixed(12, 3.0, showrooms.iter().any(|l| is(city, l)));
        t.fixed(
            13,
            5.0,
            has_company && (company.contains("orthodontic") || company.contains("oral surgery")),
        );
        t.fixed(
            14,
            5.0,
            has_company
                && (company.contains("group")
                    || company.contains("partners")
                    || company.contains("llc")),
        );

        // ---------------------------------------------------------------- interest
        // asked for a demo: +25, halving every 45 days since last_activity
        if matches!(v[f::DEMO_REQUESTED], Value::Bool(true)) {
            if let Some(days) = days_since_last {
                t.matched[15] = true;
                t.points[15] = 25.0 * 0.5f64.powf(days.max(0) as f64 / 45.0);
            }
        }
        let timeline = trimmed(v, f::TIMELINE);
        t.fixed(
            16,
            20.0,
            is(timeline, "now") || is(timeline, "this quarter"),
        );
        t.fixed(17, 5.0, is(timeline, "this year"));
        t.per_unit(18, 2.0, pages, 10.0);
        t.fixed(19, 5.0, pages.is_some_and(|p| p >= 12.0));
        let product = trimmed(v, f::PRODUCT);
        t.fixed(20, 10.0, is(product, "cbct"));
        t.fixed(21, -5.0, is(product, "software"));
        let source = trimmed(v, f::SOURCE);
        t.fixed(22, 10.0, is(source, "inbound call"));
        t.fixed(
            23,
            5.0,
            is(source, "event") || has_campaign && buf.campaign == "ada expo",
        );
        t.fixed(24, 5.0, has_campaign && buf.campaign.contains("webinar"));
        t.fixed(25, 10.0, days_since_last.is_some_and(|d| d <= 7));
        t.fixed(
            26,
            5.0,
            has_notes
                && (notes.contains("financing")
                    || notes.contains("quote")
                    || notes.contains("budget approved")),
        );

        // ---------------------------------------------------------------- outside groups
        t.fixed(27, -15.0, days_since_last.is_some_and(|d| d > 30));
        t.fixed(28, -10.0, days_since_last.is_some_and(|d| d > 90));
        // chased in vain: -1 per call_attempts + email_attempts, at most 8 when unanswered
        let unanswered = handed_off.is_some() && days_since_last.is_some_and(|d| d > 14);
        if unanswered {
            let amount = calls.zip(emails).and_then(|(c, e)| finite(c + e));
            t.per_unit(29, -1.0, amount, 8.0);
        }
        let created = date(v, f::CREATED);
        t.fixed(30, -5.0, created.is_some_and(|d| self.as_of - d > 180));
        let bant = [t.matched[7], t.matched[0], t.matched[15], t.matched[16]]
            .iter()
            .filter(|&&m| m)
            .count()
            >= 3;
        t.matched[BANT] = bant;
        t.matched[UNASSIGNED] = text(v, f::OWNER).is_none();

        // ---------------------------------------------------------------- scores
        let mut fit = 0.0;
        for p in &t.points[FIT] {
            fit += p;
        }
        let fit = fit.min(50.0);
        let mut interest = 0.0;
        for p in &t.points[INTEREST] {
            interest += p;
        }
        let interest = interest.min(60.0);
        let mut score = 0.0;
        score += fit;
        score += interest;
        for p in &t.points[INTEREST.end..] {
            score += p;
        }

        // ---------------------------------------------------------------- verdict
        let disqualified = if has_email && buf.email.ends_with("@rivalimaging.com")
            || has_company && company.contains("rival imaging")
        {
            Some(0)
        } else if has_title && title.contains("student") {
            Some(1)
        } else if has_email && buf.email.ends_with("@northwind-imaging.com") {
            Some(2)
        } else if has_notes && notes.contains("existing customer") {
            Some(3)
        } else {
            None
        };
        let sales_ready = bant && fit >= 30.0 && interest >= 30.0;
        let stage = if disqualified.is_some() {
            6
        } else if handed_off.is_some_and(|h| {
            calls.is_some_and(|c| c >= 4.0)
                && emails.is_some_and(|e| e >= 2.0)
                && qualify::semantics::time::business_days_between(h, self.as_of, &self.holidays)
                    >= 10
        }) {
            0
        } else if sales_ready && t.matched[UNASSIGNED] {
            1
        } else if sales_ready {
            2
        } else if score >= 45.0 || (fit >= 30.0 && interest >= 15.0) {
            3
        } else if interest >= 30.0 {
            4
        } else {
            5
        };
        Verdict {
            score,
            fit,
            interest,
            points: t.points,
            matched: t.matched,
            disqualified,
            stage,
        }
    }
}

/// Points and matches per criterion, in definition order.
struct Tally {
    points: [f64; 33],
    matched: [bool; 33],
}

impl Tally {
    /// A fixed-points criterion: `pts` when its condition definitely holds.
    fn fixed(&mut self, i: usize, pts: f64, holds: bool) {
        if holds {
            self.matched[i] = true;
            self.points[i] = pts;
        }
    }

    /// A points-per-unit criterion (gate already applied): matched when it
    /// earns points other than zero; a missing amount earns nothing.
    fn per_unit(&mut self, i: usize, pts: f64, amount: Option<f64>, cap: f64) {
        if let Some(amount) = amount {
            let p = per_unit(pts, amount, cap);
            self.matched[i] = p != 0.0;
            self.points[i] = p;
        }
    }
}
