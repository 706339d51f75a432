//! Numbers as text: the one formatter of computed numbers (scores, points,
//! sub-scores) and the one way points are signed.
//!
//! In: an `f64`. Out: its text, appended to a `String` ([`push_number`], the
//! fast path every result row takes) or returned ([`format_number`], which
//! calls it), and points with their sign ([`signed`], [`push_signed`]).
//! Depends on nothing else in the crate, so every stage can print numbers the
//! same way.

use std::fmt::Write as _;

/// From this size on, numbers print with an exponent: whole numbers below it
/// have at most 15 digits, all of them exact.
pub const EXPONENT_FROM: f64 = 1e15;

/// A computed number (score, points, sub-score) as results print it: whole
/// numbers without a trailing `.0`, others with at most two decimals. Numbers
/// that two decimals cannot show — from 1e15 in size, and those so close to
/// zero that two decimals would say 0 — print in the shortest form that reads
/// back exactly, with an exponent (`1e300`, `-2.5e-7`). A number that is not
/// finite never reaches an output (it is missing); should one, it prints as
/// `missing` rather than as `inf` or `NaN`.
pub fn format_number(n: f64) -> String {
    let mut out = String::new();
    push_number(&mut out, n);
    out
}

/// A computed number appended to `out`, as [`format_number`] returns it, without allocating:
/// integers without `.0`, others with at most two decimals, and those two
/// decimals cannot show (from 1e15 in size, or too close to zero) in the
/// shortest exact form with an exponent.
pub fn push_number(out: &mut String, n: f64) {
    if n == n.trunc() && n.abs() < EXPONENT_FROM {
        out.push_str(itoa::Buffer::new().format(n as i64));
    } else if let Some(cents) = cents_clear_of_a_tie(n) {
        // The common decayed score: rounded to cents without the exact
        // float formatter, with the same digits.
        if cents < 0 {
            out.push('-');
        }
        let c = cents.unsigned_abs();
        out.push_str(itoa::Buffer::new().format(c / 100));
        match c % 100 {
            0 => {}
            f if f % 10 == 0 => {
                out.push('.');
                out.push(char::from(b'0' + (f / 10) as u8));
            }
            f => {
                out.push('.');
                out.push(char::from(b'0' + (f / 10) as u8));
                out.push(char::from(b'0' + (f % 10) as u8));
            }
        }
    } else if !n.is_finite() {
        out.push_str("missing");
    } else if n.abs() >= EXPONENT_FROM {
        let _ = write!(out, "{n:e}");
    } else {
        let start = out.len();
        let _ = write!(out, "{n:.2}");
        while out.len() > start && out.ends_with('0') {
            out.pop();
        }
        if out.ends_with('.') {
            out.pop();
        }
        if matches!(&out[start..], "0" | "-0") {
            // Not zero (zero is whole), but too small for two decimals.
            out.truncate(start);
            let _ = write!(out, "{n:e}");
        }
    }
}

/// `n` in hundredths, rounded to nearest, when that rounding cannot differ
/// from the exact decimal rounding `{:.2}` does: `n * 100` is off from the
/// exact product by under 1e-7 below 1e9, so unless its fractional part is
/// that close to one half, both round the same way. `None` (use `{:.2}`)
/// near a tie, for large values and for results that round to zero (where
/// `{:.2}` may print a sign that is then dropped).
fn cents_clear_of_a_tie(n: f64) -> Option<i64> {
    let x = n * 100.0;
    // NaN fails `x.abs() < 1e9` too.
    let small = x.abs() < 1e9;
    if !small || ((x - x.trunc()).abs() - 0.5).abs() < 1e-6 {
        return None;
    }
    let cents = x.round() as i64;
    (cents != 0).then_some(cents)
}

/// Points with their sign, the way the language writes them: `+20`, `-7.5`,
/// `+0` (a definition writes zero points `+0`). `digits` writes the number
/// itself: [`format_number`] for points earned, `model::format_exact` or
/// `model::format_literal` for points as written. A number that is not finite
/// gets no sign (`missing`).
pub fn signed(points: f64, digits: impl Fn(f64) -> String) -> String {
    let digits = digits(points);
    if points >= 0.0 && !digits.starts_with('-') {
        format!("+{digits}")
    } else {
        digits
    }
}

/// [`signed`] with [`format_number`]'s digits, appended to `out` without
/// allocating (`score --explain` writes it for every matched criterion of
/// every row).
pub fn push_signed(out: &mut String, points: f64) {
    if points >= 0.0 {
        out.push('+');
    }
    push_number(out, points);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What results print, one number at a time: whole numbers bare, two
    /// decimals at most, an exponent where two decimals cannot show the
    /// number, `missing` for what is not finite.
    #[test]
    fn numbers_print_as_results_show_them() {
        for (n, shown) in [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-15.0, "-15"),
            (7.5, "7.5"),
            (2.345, "2.35"),
            (-0.001, "-1e-3"),
            (0.004999, "4.999e-3"),
            (0.005, "0.01"),
            (-0.005, "-0.01"),
            (5e-324, "5e-324"),
            (1e16, "1e16"),
            (1e15, "1e15"),
            (-1e15, "-1e15"),
            (999_999_999_999_999.0, "999999999999999"),
            (999_999_999_999_999.9, "999999999999999.88"),
            (1.5e15, "1.5e15"),
            (1e300, "1e300"),
            (-1e300, "-1e300"),
            (f64::MAX, "1.7976931348623157e308"),
            (123456.789, "123456.79"),
            (0.1 + 0.2, "0.3"),
            (f64::INFINITY, "missing"),
            (f64::NAN, "missing"),
        ] {
            assert_eq!(format_number(n), shown, "{n:e}");
            let mut pushed = String::from("x");
            push_number(&mut pushed, n);
            assert_eq!(pushed, format!("x{shown}"), "appends: {n:e}");
        }
    }

    #[test]
    fn points_are_signed_the_way_the_language_writes_them() {
        assert_eq!(signed(20.0, format_number), "+20");
        assert_eq!(signed(-7.5, format_number), "-7.5");
        assert_eq!(signed(0.0, format_number), "+0");
        assert_eq!(signed(-0.0, format_number), "+0");
        assert_eq!(signed(f64::NAN, format_number), "missing");
        assert_eq!(signed(0.001, |n| format!("{n}")), "+0.001");
        for n in [20.0, -7.5, 0.0, -0.0, 1e300, 0.004] {
            let mut pushed = String::new();
            push_signed(&mut pushed, n);
            assert_eq!(pushed, signed(n, format_number), "{n:e}");
        }
    }

    /// The cents shortcut prints what the exact `{:.2}` path prints, on
    /// decayed points like the ones a run writes, on values near and at
    /// ties (0.125, 2.675...), and on a spread of others.
    fn slow(n: f64) -> String {
        if n.abs() >= 1e15 {
            return format!("{n:e}");
        }
        let mut s = format!("{n:.2}");
        while s.ends_with('0') && s.contains('.') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
        if s == "0" || s == "-0" {
            // Too small for two decimals (whole numbers are skipped below).
            s = format!("{n:e}");
        }
        s
    }

    #[test]
    fn cents_shortcut_prints_what_the_exact_formatter_prints() {
        let mut values = vec![0.125, -0.125, 2.675, 1.005, 0.005, -0.005, 0.015, 99.995];
        for d in 0..400 {
            values.push(25.0 * 0.5f64.powf(f64::from(d) / 45.0));
            values.push(-8.0 * 0.5f64.powf(f64::from(d) / 7.0) + 13.0);
        }
        let mut x = 0.37f64;
        for _ in 0..20_000 {
            // A fixed pseudo-random walk over magnitudes from 1e-4 to 1e8.
            x = (x * 7919.0 + 0.618).fract();
            values.push((x - 0.5) * 10f64.powi((x * 12.0) as i32 - 4));
        }
        for k in 0..2000 {
            values.push(f64::from(k) / 200.0 + 1e-9);
            values.push(f64::from(k) / 200.0);
        }
        for n in values {
            if n == n.trunc() {
                continue;
            }
            let mut s = String::new();
            push_number(&mut s, n);
            assert_eq!(s, slow(n), "{n:e}");
        }
    }
}
