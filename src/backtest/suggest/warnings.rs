//! Warnings on learned signs: the training rows' features, outcomes and the
//! fit in, a sentence per criterion whose learned sign contradicts the sign
//! the definition gives it or its own matched/not-matched direction out.
//!
//! Such a contradiction is usually confounding: another criterion matches
//! the same inquiries and takes the effect in the joint fit. The warning
//! names the criterion whose feature correlates most with this one's on the
//! training rows (|Pearson r|), so the reviewer reads the two together.

use crate::backtest::intervals::Interval;

/// One criterion with points, as the fit saw it.
pub struct Learned<'a> {
    pub name: &'a str,
    /// As written.
    pub points: f64,
    /// Learned log-odds per unit, and its 95% interval.
    pub weight: f64,
    pub interval: Interval,
}

/// The warnings, in criterion order. `rows[i][k]` is criterion `k`'s
/// feature on training row `i`; `y[i]` whether it converted.
pub fn sign_warnings(learned: &[Learned], rows: &[Vec<f64>], y: &[bool]) -> Vec<String> {
    let mut out = Vec::new();
    for (k, l) in learned.iter().enumerate() {
        if l.weight == 0.0 {
            continue;
        }
        let mut against = Vec::new();
        if l.points != 0.0 && (l.points > 0.0) != (l.weight > 0.0) {
            against.push(format!(
                "the definition gives it {}",
                crate::number::signed(l.points, crate::number::format_number)
            ));
        }
        let rates = direction(rows, y, k);
        let in_words = |(m, n): (f64, f64)| {
            format!(
                "it converts {:.1}% when matched against {:.1}% when not",
                m * 100.0,
                n * 100.0
            )
        };
        // Against its own direction: another criterion takes the effect.
        let confounded = rates.is_some_and(|(m, n)| m != n && (m > n) != (l.weight > 0.0));
        if let (true, Some(r)) = (confounded, rates) {
            against.push(in_words(r));
        }
        if against.is_empty() {
            continue;
        }
        let clear = if l.interval.low > 0.0 || l.interval.high < 0.0 {
            ""
        } else {
            "; its interval includes 0, so the learned sign itself is not clear"
        };
        let mut line = format!(
            "\"{}\": learned {:+.3} log-odds (95% interval {:+.3} to {:+.3}), but {}{clear}",
            l.name,
            l.weight,
            l.interval.low,
            l.interval.high,
            against.join(" and ")
        );
        match (confounded, rates) {
            (true, _) => {
                if let Some((j, r)) = most_overlapping(rows, k) {
                    line.push_str(&format!(
                        "; it overlaps most with \"{}\" (correlation {r:+.2}), which likely takes its effect in the joint fit",
                        learned[j].name
                    ));
                }
            }
            (false, Some(r)) if r.0 != r.1 => line.push_str(&format!(
                "; the outcomes agree with the learned sign ({}): the definition's sign looks wrong",
                in_words(r)
            )),
            _ => {}
        }
        out.push(line);
    }
    out
}

/// Conversion when feature `k` is non-zero (matched) and when it is zero.
fn direction(rows: &[Vec<f64>], y: &[bool], k: usize) -> Option<(f64, f64)> {
    let mut counts = [[0u64; 2]; 2];
    for (r, &c) in rows.iter().zip(y) {
        let slot = &mut counts[usize::from(r[k] != 0.0)];
        slot[0] += 1;
        slot[1] += u64::from(c);
    }
    let rate = |[n, c]: [u64; 2]| (n > 0).then(|| c as f64 / n as f64);
    Some((rate(counts[1])?, rate(counts[0])?))
}

/// The other feature most correlated with feature `k`, and the correlation.
fn most_overlapping(rows: &[Vec<f64>], k: usize) -> Option<(usize, f64)> {
    let width = rows.first().map_or(0, Vec::len);
    (0..width)
        .filter(|&j| j != k)
        .filter_map(|j| Some((j, correlation(rows, k, j)?)))
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()).then(b.0.cmp(&a.0)))
}

fn correlation(rows: &[Vec<f64>], a: usize, b: usize) -> Option<f64> {
    let n = rows.len() as f64;
    let mean = |j: usize| rows.iter().map(|r| r[j]).sum::<f64>() / n;
    let (ma, mb) = (mean(a), mean(b));
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for r in rows {
        let (x, y) = (r[a] - ma, r[b] - mb);
        sab += x * y;
        saa += x * x;
        sbb += y * y;
    }
    let r = sab / (saa * sbb).sqrt();
    r.is_finite().then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn learned<'a>(name: &'a str, points: f64, weight: f64) -> Learned<'a> {
        Learned {
            name,
            points,
            weight,
            interval: Interval {
                low: weight - 0.5,
                high: weight + 0.5,
            },
        }
    }

    #[test]
    fn a_sign_against_the_definition_and_the_direction_names_the_overlap() {
        // "a" converts better when matched, but "b" matches the same rows
        // and takes the effect; "c" is unrelated noise.
        let rows = vec![
            vec![1.0, 1.0, 0.0],
            vec![1.0, 1.0, 1.0],
            vec![1.0, 0.0, 0.0],
            vec![0.0, 0.0, 1.0],
            vec![0.0, 0.0, 0.0],
        ];
        let y = [true, true, false, false, false];
        let warnings = sign_warnings(
            &[
                learned("a", 10.0, -1.0),
                learned("b", 5.0, 2.0),
                learned("c", 1.0, 0.1),
            ],
            &rows,
            &y,
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let w = &warnings[0];
        assert!(
            w.starts_with("\"a\": learned -1.000 log-odds (95% interval -1.500 to -0.500)"),
            "{w}"
        );
        assert!(w.contains("the definition gives it +10"), "{w}");
        assert!(
            w.contains("converts 66.7% when matched against 0.0% when not"),
            "{w}"
        );
        assert!(w.contains("overlaps most with \"b\""), "{w}");
    }

    #[test]
    fn a_sign_only_against_the_definition_says_the_outcomes_agree_with_the_fit() {
        let rows = vec![vec![1.0], vec![1.0], vec![0.0]];
        let warnings = sign_warnings(&[learned("a", -5.0, 1.0)], &rows, &[true, false, false]);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("but the definition gives it -5"),
            "{warnings:?}"
        );
        assert!(
            warnings[0].ends_with("the definition's sign looks wrong"),
            "{warnings:?}"
        );
        assert!(!warnings[0].contains("overlaps"), "{warnings:?}");
    }

    #[test]
    fn agreeing_signs_raise_nothing() {
        let rows = vec![vec![1.0], vec![0.0]];
        assert!(sign_warnings(&[learned("a", 3.0, 1.0)], &rows, &[true, false]).is_empty());
    }
}
