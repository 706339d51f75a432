//! Counting days for `days since` and `business days since`, in constant time
//! (plus a binary search over the holidays).

/// Days since 1970-01-01, which was a Thursday.
type Day = i32;

/// Weekdays (Monday to Friday) in `(-∞, day]`, up to a constant.
fn weekdays_through(day: Day) -> i64 {
    // Shift so that a multiple of 7 is a Monday.
    let s = day as i64 + 3;
    let weeks = s.div_euclid(7);
    let r = s.rem_euclid(7); // 0 = Monday … 6 = Sunday
    5 * weeks + (r + 1).min(5)
}

pub fn is_weekday(day: Day) -> bool {
    (day as i64 + 3).rem_euclid(7) < 5
}

/// Business days in `(from, to]`: Monday to Friday, less `holidays` (sorted,
/// weekdays only). Negative when `to` is before `from`.
pub fn business_days_between(from: Day, to: Day, weekday_holidays: &[Day]) -> i64 {
    if to < from {
        return -business_days_between(to, from, weekday_holidays);
    }
    let upto = |d: Day| weekday_holidays.partition_point(|&h| h <= d) as i64;
    weekdays_through(to) - weekdays_through(from) - (upto(to) - upto(from))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::days_from_date;
    use chrono::{Datelike, NaiveDate};

    fn naive_count(from: NaiveDate, to: NaiveDate, holidays: &[NaiveDate]) -> i64 {
        let mut n = 0;
        let mut d = from.succ_opt().unwrap();
        while d <= to {
            if d.weekday().num_days_from_monday() < 5 && !holidays.contains(&d) {
                n += 1;
            }
            d = d.succ_opt().unwrap();
        }
        n
    }

    #[test]
    fn agrees_with_walking_the_calendar() {
        let holidays = [
            NaiveDate::from_ymd_opt(2026, 12, 25).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 26).unwrap(), // a Saturday: ignored
            NaiveDate::from_ymd_opt(1969, 12, 31).unwrap(),
        ];
        let mut weekday_holidays: Vec<i32> = holidays
            .iter()
            .map(|&d| days_from_date(d))
            .filter(|&d| is_weekday(d))
            .collect();
        weekday_holidays.sort();
        let base = NaiveDate::from_ymd_opt(1969, 12, 1).unwrap();
        for start in (0..60).step_by(3) {
            for len in 0..40 {
                let from = base + chrono::Duration::days(start);
                let to = from + chrono::Duration::days(len);
                let expected = naive_count(from, to, &holidays);
                let got = business_days_between(
                    days_from_date(from),
                    days_from_date(to),
                    &weekday_holidays,
                );
                assert_eq!(got, expected, "{from} → {to}");
            }
        }
        let from = NaiveDate::from_ymd_opt(2026, 12, 20).unwrap();
        let to = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let got =
            business_days_between(days_from_date(from), days_from_date(to), &weekday_holidays);
        assert_eq!(got, naive_count(from, to, &holidays));
        let back =
            business_days_between(days_from_date(to), days_from_date(from), &weekday_holidays);
        assert_eq!(back, -got);
    }
}
