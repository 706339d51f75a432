//! Per-unit criteria by dose: how conversion changes with the units a
//! per-unit criterion counts, not only whether it matched.
//!
//! In: one per-unit criterion's units per inquiry (earned points over its
//! points per unit, so after its cap) and whether each converted. Out: a
//! [`Dose`]: conversion with a Wilson interval for no units, then for
//! `bands` equal-sized bands by rank of the inquiries with units (ties share
//! a band), and the trend: the slope of a logistic fit of conversion on the
//! units.

use super::calibration::{fit, Logistic};
use super::intervals::{wilson, Interval};
use super::stats::{quantile_bands, rate};
use crate::number::format_number;
use serde::Serialize;

/// One inquiry's units and whether it converted.
type Unit = (f64, bool);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dose {
    pub criterion: String,
    /// No units first, then bands of units, fewest first.
    pub bands: Vec<DoseBand>,
    /// Conversion on the units, over every inquiry (0 units included).
    pub trend: Option<Logistic>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DoseBand {
    /// `0`, `1 to 4.5`, …
    pub units: String,
    pub inquiries: u64,
    pub converted: u64,
    pub conversion_rate: Option<f64>,
    pub interval: Option<Interval>,
}

impl Dose {
    /// The trend in words: which way conversion goes as the units grow.
    pub fn trend_words(&self) -> String {
        let Some(t) = self.trend else {
            return "no trend can be fitted".into();
        };
        let slope = format!(
            "logistic slope {:+.4} per unit, 95% interval {:+.4} to {:+.4}",
            t.slope, t.slope_interval.low, t.slope_interval.high
        );
        if t.slope_interval.low > 0.0 {
            format!("conversion rises with the units ({slope})")
        } else if t.slope_interval.high < 0.0 {
            format!("conversion falls as the units grow ({slope})")
        } else {
            format!("no clear trend with the units ({slope})")
        }
    }
}

fn band(units: String, rows: &[(f64, bool)]) -> DoseBand {
    let n = rows.len() as u64;
    let c = rows.iter().filter(|r| r.1).count() as u64;
    DoseBand {
        units,
        inquiries: n,
        converted: c,
        conversion_rate: rate(c, n),
        interval: wilson(c, n),
    }
}

/// The dose table of `criterion` from each inquiry's `(units, converted)`.
pub fn dose(criterion: &str, rows: &[(f64, bool)], bands: usize) -> Dose {
    let (none, some): (Vec<Unit>, Vec<Unit>) = rows
        .iter()
        .copied()
        .filter(|r| r.0.is_finite())
        .partition(|r| r.0 == 0.0);
    let mut out = vec![band("0".into(), &none)];
    let units: Vec<f64> = some.iter().map(|r| r.0).collect();
    let index = quantile_bands(&units, bands);
    for b in 0..bands {
        let members: Vec<(f64, bool)> = some
            .iter()
            .zip(&index)
            .filter(|(_, &i)| i == b)
            .map(|(r, _)| *r)
            .collect();
        if members.is_empty() {
            continue;
        }
        let lo = members.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
        let hi = members
            .iter()
            .map(|r| r.0)
            .fold(f64::NEG_INFINITY, f64::max);
        let label = if lo == hi {
            format_number(lo)
        } else {
            format!("{} to {}", format_number(lo), format_number(hi))
        };
        out.push(band(label, &members));
    }
    out.retain(|b| b.inquiries > 0);
    Dose {
        criterion: criterion.to_string(),
        bands: out,
        trend: fit(rows),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_units_first_then_bands_by_rank_and_the_trend() {
        // Conversion rises with the units: 0 → 1 of 4, 1–2 → 2 of 4, 5–9 → 4 of 4,
        // four times over (enough for a clear trend).
        let rows = [
            (0.0, false),
            (0.0, false),
            (0.0, true),
            (0.0, false),
            (1.0, false),
            (1.0, true),
            (2.0, true),
            (2.0, false),
            (5.0, true),
            (6.0, true),
            (9.0, true),
            (9.0, true),
        ]
        .repeat(4);
        let d = dose("reads the site", &rows, 2);
        let summary: Vec<(&str, u64, u64)> = d
            .bands
            .iter()
            .map(|b| (b.units.as_str(), b.inquiries, b.converted))
            .collect();
        assert_eq!(
            summary,
            vec![("0", 16, 4), ("1 to 2", 16, 8), ("5 to 9", 16, 16)]
        );
        assert!(
            d.trend_words().starts_with("conversion rises"),
            "{}",
            d.trend_words()
        );
        let falling: Vec<(f64, bool)> = rows.iter().map(|&(u, c)| (u, !c)).collect();
        assert!(dose("x", &falling, 2)
            .trend_words()
            .starts_with("conversion falls"));
    }
}
