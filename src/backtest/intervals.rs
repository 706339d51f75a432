//! Uncertainty of the figures a review reads: plain numbers in, intervals out.
//!
//! - [`wilson`]: the Wilson score interval of a conversion rate.
//! - [`auc_delong`]: the area under the ROC curve with DeLong's standard
//!   error and a 95% interval.
//! - [`paired_auc_delong`]: two scores of the same inquiries (before and
//!   after a revision): both AUCs and DeLong's paired interval for their
//!   difference, which accounts for the scores being correlated.
//!
//! Scores are compared after [`tie_key`]: two scores that agree to the
//! millionth tie, so `0.1 + 0.2` and `0.3` are the same score whatever the
//! float sum's last bit. Points are decimals, and no definition tells
//! scores apart by less than a millionth of a point.
//!
//! Every interval is at 95% (z = 1.959964, the normal's 97.5th percentile). DeLong's intervals are the normal
//! approximation, clipped to [0, 1] for an AUC (as R's pROC does).

/// z of a two-sided 95% interval: the normal distribution's 97.5th
/// percentile (1.96 rounded), as scipy and R use it.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// The Wilson score interval of `converted` out of `n`; `None` when `n` is 0.
pub fn wilson(converted: u64, n: u64) -> Option<Interval> {
    if n == 0 {
        return None;
    }
    let (k, n) = (converted.min(n) as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

/// Newcombe's hybrid score interval (his method 10) of the difference of two
/// rates, `a` of `n` minus `b` of `m`, from their Wilson intervals; `None`
/// when either group is empty.
pub fn rate_difference(a: u64, n: u64, b: u64, m: u64) -> Option<Interval> {
    let (w1, w2) = (wilson(a, n)?, wilson(b, m)?);
    let (p1, p2) = (a as f64 / n as f64, b as f64 / m as f64);
    let d = p1 - p2;
    Some(Interval {
        low: d - ((p1 - w1.low).powi(2) + (w2.high - p2).powi(2)).sqrt(),
        high: d + ((w1.high - p1).powi(2) + (p2 - w2.low).powi(2)).sqrt(),
    })
}

/// The value a score is compared by: rounded to the millionth (scores
/// beyond ±1e12 as they are; a NaN sorts as itself).
pub fn tie_key(score: f64) -> f64 {
    if score.abs() < 1e12 {
        (score * 1e6).round() / 1e6 + 0.0
    } else {
        score
    }
}

/// An AUC with its DeLong standard error and 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Auc {
    pub auc: f64,
    pub se: f64,
    pub interval: Interval,
}

/// Before and after, on the same inquiries.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PairedAuc {
    pub before: Auc,
    pub after: Auc,
    /// `after − before`.
    pub difference: f64,
    pub se: f64,
    pub interval: Interval,
}

/// DeLong's placement values of one score: for each converted inquiry, the
/// share of unconverted ones it outranks (ties one half), and for each
/// unconverted one, the share of converted ones that outrank it.
struct Placements {
    positives: Vec<f64>,
    negatives: Vec<f64>,
}

fn placements(scores: &[f64], converted: &[bool]) -> Option<Placements> {
    let key = |i: usize| tie_key(scores[i]);
    let mut pos: Vec<f64> = (0..scores.len())
        .filter(|&i| converted[i])
        .map(key)
        .collect();
    let mut neg: Vec<f64> = (0..scores.len())
        .filter(|&i| !converted[i])
        .map(key)
        .collect();
    if pos.is_empty() || neg.is_empty() {
        return None;
    }
    pos.sort_by(f64::total_cmp);
    neg.sort_by(f64::total_cmp);
    let (m, n) = (pos.len() as f64, neg.len() as f64);
    // (strictly below, equal) in a sorted list, by binary search.
    let below_and_equal = |sorted: &[f64], x: f64| {
        let lo = sorted.partition_point(|s| s.total_cmp(&x).is_lt());
        let hi = sorted.partition_point(|s| s.total_cmp(&x).is_le());
        (lo as f64, (hi - lo) as f64)
    };
    let positives = (0..scores.len())
        .filter(|&i| converted[i])
        .map(|i| {
            let (below, equal) = below_and_equal(&neg, key(i));
            (below + equal / 2.0) / n
        })
        .collect();
    let negatives = (0..scores.len())
        .filter(|&i| !converted[i])
        .map(|i| {
            let (below, equal) = below_and_equal(&pos, key(i));
            (m - below - equal + equal / 2.0) / m
        })
        .collect();
    Some(Placements {
        positives,
        negatives,
    })
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Sample covariance (n − 1); 0 for fewer than two values.
fn covariance(a: &[f64], b: &[f64]) -> f64 {
    if a.len() < 2 {
        return 0.0;
    }
    let (ma, mb) = (mean(a), mean(b));
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - ma) * (y - mb))
        .sum::<f64>()
        / (a.len() - 1) as f64
}

fn auc_of(p: &Placements) -> Auc {
    let auc = mean(&p.positives);
    let variance = covariance(&p.positives, &p.positives) / p.positives.len() as f64
        + covariance(&p.negatives, &p.negatives) / p.negatives.len() as f64;
    let se = variance.max(0.0).sqrt();
    Auc {
        auc,
        se,
        interval: Interval {
            low: (auc - Z95 * se).max(0.0),
            high: (auc + Z95 * se).min(1.0),
        },
    }
}

/// The AUC of `scores` for telling `converted` inquiries from the rest, with
/// DeLong's interval; `None` when either class is empty.
pub fn auc_delong(scores: &[f64], converted: &[bool]) -> Option<Auc> {
    placements(scores, converted).map(|p| auc_of(&p))
}

/// Both AUCs of two scores of the same inquiries and DeLong's paired
/// interval of `after − before`; `None` when either class is empty.
pub fn paired_auc_delong(before: &[f64], after: &[f64], converted: &[bool]) -> Option<PairedAuc> {
    let (a, b) = (
        placements(before, converted)?,
        placements(after, converted)?,
    );
    let (m, n) = (a.positives.len() as f64, a.negatives.len() as f64);
    let variance = (covariance(&a.positives, &a.positives)
        + covariance(&b.positives, &b.positives)
        - 2.0 * covariance(&a.positives, &b.positives))
        / m
        + (covariance(&a.negatives, &a.negatives) + covariance(&b.negatives, &b.negatives)
            - 2.0 * covariance(&a.negatives, &b.negatives))
            / n;
    let (before, after) = (auc_of(&a), auc_of(&b));
    let difference = after.auc - before.auc;
    let se = variance.max(0.0).sqrt();
    Some(PairedAuc {
        before,
        after,
        difference,
        se,
        interval: Interval {
            low: difference - Z95 * se,
            high: difference + Z95 * se,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-4
    }

    /// Published values (Newcombe 1998, table I, method 3).
    #[test]
    fn wilson_matches_newcombes_table() {
        let i = wilson(81, 263).expect("n > 0");
        assert!(close(i.low, 0.2553) && close(i.high, 0.3662), "{i:?}");
        let i = wilson(15, 148).expect("n > 0");
        assert!(close(i.low, 0.0624) && close(i.high, 0.1605), "{i:?}");
        let i = wilson(0, 20).expect("n > 0");
        assert!(i.low == 0.0 && close(i.high, 0.1611), "{i:?}");
        let i = wilson(1, 29).expect("n > 0");
        assert!(close(i.low, 0.0061) && close(i.high, 0.1718), "{i:?}");
        assert_eq!(wilson(0, 0), None);
    }

    /// Newcombe 1998, table II, example (a): 56/70 − 48/80, method 10:
    /// 0.0524 to 0.3339.
    #[test]
    fn rate_difference_matches_newcombes_example() {
        let i = rate_difference(56, 70, 48, 80).expect("both groups");
        assert!(close(i.low, 0.0524) && close(i.high, 0.3339), "{i:?}");
        assert_eq!(rate_difference(1, 0, 1, 2), None);
    }

    #[test]
    fn scores_equal_to_the_millionth_tie() {
        assert_eq!(tie_key(0.1 + 0.2), tie_key(0.3));
        assert_ne!(tie_key(0.3), tie_key(0.300002));
        assert_eq!(tie_key(-0.0).to_bits(), 0.0f64.to_bits());
        // Converted 0.1 + 0.2, not converted 0.3: a tie, so one half.
        let auc = auc_delong(&[0.1 + 0.2, 0.3], &[true, false]).expect("both classes");
        assert_eq!(auc.auc, 0.5);
    }

    /// Worked by hand: converted 3, 2; not converted 2, 1.
    /// Placements of the converted: 3 → 1, 2 → (1 + ½)/2 = 0.75; of the
    /// unconverted: 2 → (1 + ½)/2 = 0.75, 1 → 1. AUC = 0.875; variance =
    /// var(1, 0.75)/2 + var(0.75, 1)/2 = 0.03125/2 + 0.03125/2 = 0.03125.
    #[test]
    fn delong_by_hand() {
        let auc = auc_delong(&[3.0, 2.0, 2.0, 1.0], &[true, true, false, false]).expect("classes");
        assert_eq!(auc.auc, 0.875);
        assert!(close(auc.se, 0.03125f64.sqrt()), "{auc:?}");
        assert_eq!(auc.interval.high, 1.0);
        assert_eq!(auc_delong(&[1.0, 2.0], &[true, true]), None);
    }

    #[test]
    fn the_paired_difference_of_a_score_with_itself_is_exactly_nothing() {
        let scores = [5.0, 3.0, 4.0, 1.0, 2.0, 2.0];
        let converted = [true, true, false, false, true, false];
        let p = paired_auc_delong(&scores, &scores, &converted).expect("classes");
        assert_eq!(p.difference, 0.0);
        assert_eq!(p.se, 0.0);
        // A better score, perfectly separating: the difference is positive.
        let better = [9.0, 8.0, 1.0, 1.0, 7.0, 2.0];
        let p = paired_auc_delong(&scores, &better, &converted).expect("classes");
        assert_eq!(p.after.auc, 1.0);
        assert!(p.difference > 0.0 && p.interval.low < p.difference);
    }
}
