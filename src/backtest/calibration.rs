//! What a score means as a chance of converting: (score, converted) pairs in,
//! a logistic fit `P(converted) = 1 / (1 + e^-(a + b·score))` out, so a
//! report can set each score band's observed conversion beside the rate the
//! fit predicts for it ("what does a 60 mean?").
//!
//! The fit is maximum likelihood by Newton's method on the score scaled to
//! mean 0 and spread 1, with a very light ridge (1e-6) so that a score that
//! separates the outcomes perfectly still gives finite coefficients.

/// `P(converted) = 1 / (1 + e^-(intercept + slope · score))`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Logistic {
    pub intercept: f64,
    pub slope: f64,
    /// The slope's 95% interval (Wald, from the information at the fit).
    pub slope_interval: Interval,
}

impl Logistic {
    /// The predicted chance of converting at `score`.
    pub fn predict(&self, score: f64) -> f64 {
        let z = self.intercept + self.slope * score;
        1.0 / (1.0 + (-z).exp())
    }
}

use super::intervals::{Interval, Z95};

const RIDGE: f64 = 1e-6;

/// The fit over `scored`; `None` when either outcome is absent or every
/// score is the same (nothing to fit a slope to), or the scores are not
/// finite.
pub fn fit(scored: &[(f64, bool)]) -> Option<Logistic> {
    let n = scored.len() as f64;
    let positives = scored.iter().filter(|s| s.1).count();
    if positives == 0 || positives == scored.len() || scored.iter().any(|s| !s.0.is_finite()) {
        return None;
    }
    let mean = scored.iter().map(|s| s.0).sum::<f64>() / n;
    let spread = (scored.iter().map(|s| (s.0 - mean).powi(2)).sum::<f64>() / n).sqrt();
    if !(spread > 0.0 && spread.is_finite()) {
        return None;
    }
    let (mut a, mut b) = (0.0f64, 0.0f64);
    // The information's inverse, at the last step: the slope's variance.
    let mut slope_variance = f64::NAN;
    for _ in 0..100 {
        // Gradient and Hessian of the log-likelihood (minus the ridge).
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for &(score, converted) in scored {
            let x = (score - mean) / spread;
            let p = 1.0 / (1.0 + (-(a + b * x)).exp());
            let r = f64::from(u8::from(converted)) - p;
            let w = p * (1.0 - p);
            ga += r;
            gb += r * x;
            haa += w;
            hab += w * x;
            hbb += w * x * x;
        }
        gb -= RIDGE * b;
        let (haa, hbb) = (haa + RIDGE, hbb + RIDGE);
        let det = haa * hbb - hab * hab;
        if !(det.is_finite() && det > 0.0) {
            break;
        }
        slope_variance = haa / det;
        let (da, db) = ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det);
        a += da;
        b += db;
        if da.abs().max(db.abs()) < 1e-10 {
            break;
        }
    }
    let slope = b / spread;
    let half = Z95 * slope_variance.sqrt() / spread;
    let fit = Logistic {
        intercept: a - slope * mean,
        slope,
        slope_interval: Interval {
            low: slope - half,
            high: slope + half,
        },
    };
    (fit.intercept.is_finite() && fit.slope.is_finite() && half.is_finite()).then_some(fit)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// At the maximum likelihood of a logistic fit with an intercept, the
    /// predicted chances add up to the conversions, and the score-weighted
    /// ones to the converted inquiries' scores (the score equations).
    #[test]
    fn the_fit_solves_the_score_equations() {
        let scored: Vec<(f64, bool)> = (0..200)
            .map(|i| {
                let s = f64::from(i % 50);
                (s, (i * 7919) % 100 < 2 * (i % 50))
            })
            .collect();
        let f = fit(&scored).expect("a fit");
        let predicted: f64 = scored.iter().map(|s| f.predict(s.0)).sum();
        let converted = scored.iter().filter(|s| s.1).count() as f64;
        assert!(
            (predicted - converted).abs() < 1e-6,
            "{predicted} vs {converted}"
        );
        let weighted: f64 = scored.iter().map(|s| s.0 * f.predict(s.0)).sum();
        let observed: f64 = scored.iter().filter(|s| s.1).map(|s| s.0).sum();
        assert!(
            (weighted - observed).abs() < 1e-4,
            "{weighted} vs {observed}"
        );
        assert!(f.slope > 0.0, "{f:?}");
    }

    #[test]
    fn no_fit_without_both_outcomes_or_a_spread_of_scores() {
        assert_eq!(fit(&[(1.0, true), (2.0, true)]), None);
        assert_eq!(fit(&[(1.0, true), (1.0, false)]), None);
        assert_eq!(fit(&[]), None);
        // Perfect separation still gives finite coefficients, the right way.
        let f = fit(&[(0.0, false), (1.0, false), (2.0, true), (3.0, true)]).expect("a fit");
        assert!(f.predict(3.0) > 0.99 && f.predict(0.0) < 0.01, "{f:?}");
    }
}
