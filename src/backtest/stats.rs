//! Small statistics over (score, converted) pairs and conversion counts: rates,
//! the area under the ROC curve with ties, score bands, a two-proportion test.
//!
//! Pure functions on plain numbers, so each can be checked by hand.

use super::intervals::tie_key;

/// `part / whole`, or `None` when `whole` is zero.
pub fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Area under the ROC curve of `score` for telling converted from not converted:
/// the chance that a random converted inquiry scores above a random
/// unconverted one, ties counting one half (the Mann–Whitney statistic with
/// mid-ranks); scores are compared by [`tie_key`]. `None` when either class is empty.
pub fn roc_auc(scored: &[(f64, bool)]) -> Option<f64> {
    let positives = scored.iter().filter(|(_, c)| *c).count() as f64;
    let negatives = scored.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return None;
    }
    // Scores equal to the millionth tie, whatever the float sum's last bit.
    let mut sorted: Vec<(f64, bool)> = scored.iter().map(|&(s, c)| (tie_key(s), c)).collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Sum of the (1-based, mid-ranked) ranks of the converted inquiries.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        // A run of equal scores, in the total order the sort used, so every
        // run holds at least one score: a NaN (equal to nothing under `==`)
        // cannot stall the walk.
        let mut j = i + 1;
        while j < sorted.len() && sorted[j].0.total_cmp(&sorted[i].0).is_eq() {
            j += 1;
        }
        let mid_rank = (i + 1 + j) as f64 / 2.0;
        let converted_here = sorted[i..j].iter().filter(|(_, c)| *c).count() as f64;
        rank_sum += mid_rank * converted_here;
        i = j;
    }
    Some((rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives))
}

/// The z statistic of the difference between two conversion rates
/// (`a` of `n` against `b` of `m`), with the pooled standard error. Positive
/// when the first converts better. `None` when either group is empty or the
/// pooled rate is 0 or 1 (no difference can be seen).
pub fn two_proportion_z(a: u64, n: u64, b: u64, m: u64) -> Option<f64> {
    if n == 0 || m == 0 {
        return None;
    }
    let (n_f, m_f) = (n as f64, m as f64);
    let pooled = (a + b) as f64 / (n_f + m_f);
    let se = (pooled * (1.0 - pooled) * (1.0 / n_f + 1.0 / m_f)).sqrt();
    if se == 0.0 {
        return None;
    }
    Some((a as f64 / n_f - b as f64 / m_f) / se)
}

/// Band index (0-based, lowest scores first) of each score in `scores` for
/// `bands` equal-sized quantile bands. Equal scores always share a band: a
/// score's band is `floor(bands × below / n)`, where `below` counts the scores
/// strictly lower, so ties can leave some band numbers unused.
pub fn quantile_bands(scores: &[f64], bands: usize) -> Vec<usize> {
    let n = scores.len();
    if n == 0 || bands == 0 {
        return vec![0; n];
    }
    let mut sorted: Vec<f64> = scores.to_vec();
    sorted.sort_by(f64::total_cmp);
    scores
        .iter()
        .map(|s| {
            let below = sorted.partition_point(|x| x.total_cmp(s).is_lt());
            (below * bands / n).min(bands - 1)
        })
        .collect()
}

/// Band index of `score` among fixed lower bounds `edges` (ascending): 0 is
/// below the first edge, `i` is from `edges[i-1]` up to (not including) `edges[i]`.
pub fn fixed_band(score: f64, edges: &[f64]) -> usize {
    edges.partition_point(|e| *e <= score)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_counts_ties_as_one_half() {
        // Converted: 3, 2; not converted: 2, 1. Pairs (c, n): (3,2) win, (3,1) win,
        // (2,2) tie, (2,1) win → 3.5 of 4.
        let auc = roc_auc(&[(3.0, true), (2.0, true), (2.0, false), (1.0, false)]);
        assert_eq!(auc, Some(0.875));
    }

    #[test]
    fn auc_is_one_half_when_the_score_is_constant_and_none_without_a_class() {
        assert_eq!(
            roc_auc(&[(5.0, true), (5.0, false), (5.0, false)]),
            Some(0.5)
        );
        assert_eq!(roc_auc(&[(5.0, true), (1.0, true)]), None);
        assert_eq!(roc_auc(&[]), None);
    }

    #[test]
    fn auc_is_zero_when_the_score_points_the_wrong_way() {
        assert_eq!(roc_auc(&[(1.0, true), (2.0, false)]), Some(0.0));
    }

    /// The walk over runs of equal scores ends whatever the scores: a NaN is
    /// a run of its own (this looped forever when runs were found with `==`).
    #[test]
    fn auc_ends_on_any_scores_nan_and_infinities_included() {
        let scored = [
            (f64::NAN, true),
            (1.0, false),
            (f64::NAN, false),
            (f64::INFINITY, true),
            (f64::NEG_INFINITY, false),
        ];
        let auc = roc_auc(&scored).expect("both classes");
        assert!((0.0..=1.0).contains(&auc), "{auc}");
        assert_eq!(quantile_bands(&[f64::NAN, 1.0, f64::NAN], 2).len(), 3);
        assert!(fixed_band(f64::NAN, &[1.0, 2.0]) <= 2);
    }

    #[test]
    fn quantile_bands_keep_ties_together() {
        let scores = [0.0, 0.0, 0.0, 0.0, 10.0, 20.0, 30.0, 40.0];
        // Four zeros share band 0; 10 has 4 below → band 4*4/8 = 2; 20 → 2; 30 → 3; 40 → 3.
        assert_eq!(quantile_bands(&scores, 4), vec![0, 0, 0, 0, 2, 2, 3, 3]);
    }

    #[test]
    fn fixed_bands_are_half_open_from_each_edge() {
        let edges = [25.0, 50.0];
        assert_eq!(fixed_band(-3.0, &edges), 0);
        assert_eq!(fixed_band(24.9, &edges), 0);
        assert_eq!(fixed_band(25.0, &edges), 1);
        assert_eq!(fixed_band(50.0, &edges), 2);
    }

    #[test]
    fn z_is_positive_when_the_first_group_converts_better() {
        // 30/50 vs 20/50: pooled 0.5, se = sqrt(0.25 * 0.04) = 0.1, z = 0.2 / 0.1.
        let z = two_proportion_z(30, 50, 20, 50).unwrap_or(f64::NAN);
        assert!((z - 2.0).abs() < 1e-12, "{z}");
        assert_eq!(two_proportion_z(0, 10, 0, 5), None);
        assert_eq!(two_proportion_z(1, 0, 0, 5), None);
    }
}
