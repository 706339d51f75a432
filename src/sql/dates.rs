//! Dates in SQL: a trimmed text cell in, its year, month and day (integers)
//! and then its day number (days since 1970-01-01) out, as the scorer reads
//! dates ([`crate::input`]: ISO 8601, perhaps followed by a time, or the
//! field's chrono `format`).
//!
//! The day number is plain integer arithmetic (days from the civil date), so
//! every engine gives the same number without its own date functions, and
//! `days since` and `business days since` are arithmetic on it.

use super::dialect::Dialect;

/// Years are shifted by this many 400-year eras so that every division is
/// of non-negative integers (floor and truncation agree).
const ERAS: i64 = 700;

/// chrono's year range.
const MIN_YEAR: i64 = -262_144;
const MAX_YEAR: i64 = 262_143;

/// How the groups of a date's regex map to year, month and day.
#[derive(Debug, Clone)]
pub struct DatePattern {
    pub regex: String,
    /// Capture group (1-based) of year, month and day.
    pub year: usize,
    pub month: usize,
    pub day: usize,
}

/// A regex class of Rust's white space, as chrono skips it.
fn space(dialect: Dialect) -> String {
    let ws: String = super::text::white_space()
        .chars()
        .map(|c| super::regex::range(dialect, c as u32, c as u32))
        .collect();
    format!("[{ws}]*")
}

const YEAR: &str = "([+-][0-9]{1,6}|[0-9]{1,4})";
const TWO: &str = "([0-9]{1,2})";

/// The ISO form `YYYY-MM-DD`, as chrono's `NaiveDate::from_str` reads it
/// (white space allowed before each number and dash).
pub fn iso(dialect: Dialect) -> DatePattern {
    let s = space(dialect);
    let (a, z) = dialect.regex_anchors();
    DatePattern {
        regex: format!("{a}{s}{YEAR}{s}-{s}{TWO}{s}-{s}{TWO}{s}{z}"),
        year: 1,
        month: 2,
        day: 3,
    }
}

/// A declared chrono format, or why the SQL cannot read it the same way.
pub fn declared(dialect: Dialect, format: &str) -> Result<DatePattern, String> {
    let s = space(dialect);
    let (a, z) = dialect.regex_anchors();
    let mut regex = String::from(a);
    let (mut year, mut month, mut day, mut group) = (0, 0, 0, 0);
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            let spec = chars.next().unwrap_or('%');
            let slot = match spec {
                'Y' => &mut year,
                'm' => &mut month,
                'd' | 'e' => &mut day,
                '%' => {
                    regex.push_str(&dialect.regex_char('%' as u32));
                    continue;
                }
                other => {
                    return Err(format!(
                        "the format `{format}` uses %{other}; the SQL reads %Y, %m, %d and %e only"
                    ))
                }
            };
            if *slot != 0 {
                return Err(format!("the format `{format}` gives a part twice"));
            }
            group += 1;
            *slot = group;
            regex.push_str(&s);
            regex.push_str(if spec == 'Y' { YEAR } else { TWO });
        } else if c.is_whitespace() {
            regex.push_str(&s);
        } else {
            regex.push_str(&dialect.regex_char(c as u32));
        }
    }
    regex.push_str(z);
    if year == 0 || month == 0 || day == 0 {
        return Err(format!(
            "the format `{format}` does not give year, month and day"
        ));
    }
    Ok(DatePattern {
        regex,
        year,
        month,
        day,
    })
}

/// The day number of `y`-`m`-`d` (integer SQL expressions, each used
/// several times: columns), NULL when that day does not exist.
pub fn day_number(dialect: Dialect, y: &str, m: &str, d: &str) -> String {
    let div = |a: &str, b: &str| dialect.int_div(a, b);
    let leap = format!("(({y} % 4 = 0 AND {y} % 100 <> 0) OR {y} % 400 = 0)");
    let days_in_month = format!(
        "(CASE WHEN {m} = 2 THEN (CASE WHEN {leap} THEN 29 ELSE 28 END) \
         WHEN {m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END)"
    );
    let shifted = format!(
        "(CAST({y} AS BIGINT) + {} - (CASE WHEN {m} <= 2 THEN 1 ELSE 0 END))",
        ERAS * 400
    );
    let era = div(&shifted, "400");
    let yoe = format!("({shifted} - {era} * 400)");
    let mp = format!("(CASE WHEN {m} > 2 THEN {m} - 3 ELSE {m} + 9 END)");
    let doy = format!("({} + {d} - 1)", div(&format!("(153 * {mp} + 2)"), "5"));
    let doe = format!(
        "({yoe} * 365 + {} - {} + {doy})",
        div(&yoe, "4"),
        div(&yoe, "100")
    );
    format!(
        "(CASE WHEN {y} BETWEEN {MIN_YEAR} AND {MAX_YEAR} AND {m} BETWEEN 1 AND 12 \
         AND {d} BETWEEN 1 AND {days_in_month} \
         THEN CAST({era} * 146097 + {doe} - 719468 - {} AS INTEGER) END)",
        ERAS * 146_097
    )
}

/// Weekdays up to `day` (an integer day number), up to a constant: the
/// scorer's `weekdays_through`, shifted so every division is non-negative.
pub fn weekdays_through(dialect: Dialect, day: &str) -> String {
    let s = format!("(CAST({day} AS BIGINT) + 3 + {})", 7 * ERAS * 146_097);
    let weeks = dialect.int_div(&s, "7");
    let r = format!("({s} % 7)");
    format!("(5 * {weeks} + (CASE WHEN {r} + 1 < 5 THEN {r} + 1 ELSE 5 END))")
}
