//! Regularised logistic regression: feature rows and outcomes in, one weight
//! per feature (and an intercept) out.
//!
//! Newton's method on the penalised log-likelihood, features standardised so
//! the ridge penalty treats a yes/no criterion and a per-minute one alike.
//! Sums run in row order and the linear solve is plain Gaussian elimination,
//! so the same rows always give the same weights.

/// The fitted model, in the features' own units.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub intercept: f64,
    /// Change in log-odds per unit of each feature.
    pub weights: Vec<f64>,
    /// The standard error of each weight: the square root of the diagonal
    /// of the inverse penalised information at the fit (0 for a feature
    /// that never varies).
    pub std_errors: Vec<f64>,
}

/// Fit `P(y) = σ(b + Σ wⱼxⱼ)` with an L2 penalty `lambda/2 · Σ wⱼ²` on the
/// standardised weights (the intercept is not penalised). A feature that never
/// varies gets weight 0.
pub fn fit_logistic(rows: &[Vec<f64>], y: &[bool], lambda: f64) -> Fit {
    let k = rows.first().map_or(0, Vec::len);
    let n = rows.len().max(1) as f64;
    let mut mean = vec![0.0; k];
    for r in rows {
        for (m, x) in mean.iter_mut().zip(r) {
            *m += x / n;
        }
    }
    let mut sd = vec![0.0; k];
    for r in rows {
        for j in 0..k {
            sd[j] += (r[j] - mean[j]).powi(2) / n;
        }
    }
    let sd: Vec<f64> = sd.into_iter().map(f64::sqrt).collect();
    let varies: Vec<bool> = sd.iter().map(|s| *s > 1e-12).collect();
    let z = |r: &[f64], j: usize| {
        if varies[j] {
            (r[j] - mean[j]) / sd[j]
        } else {
            0.0
        }
    };
    // beta[0] is the intercept, beta[1 + j] the standardised weight of feature j.
    let mut beta = vec![0.0; k + 1];
    let mut information = Vec::new();
    for _ in 0..100 {
        let mut grad = vec![0.0; k + 1];
        let mut hess = vec![vec![0.0; k + 1]; k + 1];
        let mut xi = vec![0.0; k + 1];
        for (r, &yi) in rows.iter().zip(y) {
            xi[0] = 1.0;
            for j in 0..k {
                xi[j + 1] = z(r, j);
            }
            let eta: f64 = xi.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-eta).exp());
            let resid = f64::from(u8::from(yi)) - p;
            let w = p * (1.0 - p);
            for a in 0..=k {
                grad[a] += xi[a] * resid;
                for b in 0..=k {
                    hess[a][b] += w * xi[a] * xi[b];
                }
            }
        }
        for j in 1..=k {
            grad[j] -= lambda * beta[j];
            // A constant feature still gets a diagonal so the system is solvable.
            hess[j][j] += lambda.max(1e-9);
        }
        hess[0][0] += 1e-9;
        information = hess.clone();
        let Some(step) = solve(hess, grad) else { break };
        let largest = step.iter().fold(0.0f64, |m, s| m.max(s.abs()));
        for (b, s) in beta.iter_mut().zip(&step) {
            *b += s;
        }
        if largest < 1e-9 {
            break;
        }
    }
    let weights: Vec<f64> = (0..k)
        .map(|j| if varies[j] { beta[j + 1] / sd[j] } else { 0.0 })
        .collect();
    let intercept = beta[0]
        - (0..k)
            .filter(|&j| varies[j])
            .map(|j| beta[j + 1] * mean[j] / sd[j])
            .sum::<f64>();
    // The inverse information's diagonal, one column at a time.
    let std_errors = (0..k)
        .map(|j| {
            let mut unit = vec![0.0; k + 1];
            unit[j + 1] = 1.0;
            let column = match varies[j] {
                true => solve(information.clone(), unit),
                false => None,
            };
            column.map_or(0.0, |c| c[j + 1].max(0.0).sqrt() / sd[j])
        })
        .collect();
    Fit {
        intercept,
        weights,
        std_errors,
    }
}

/// Solve `a · x = b` by Gaussian elimination with partial pivoting; `None` when
/// `a` is singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-300 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..n {
            let f = a[row][col] / a[col][col];
            if f != 0.0 {
                let (upper, lower) = a.split_at_mut(row);
                for (target, source) in lower[0][col..].iter_mut().zip(&upper[col][col..]) {
                    *target -= f * source;
                }
                b[row] -= f * b[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|c| a[row][c] * x[c]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_the_log_odds_of_a_single_yes_no_feature() {
        // x = 1: 8 of 10 convert (log-odds ln 4); x = 0: 2 of 10 (ln 1/4).
        let mut rows = Vec::new();
        let mut y = Vec::new();
        for (x, conv) in [(1.0, 8), (0.0, 2)] {
            for i in 0..10 {
                rows.push(vec![x]);
                y.push(i < conv);
            }
        }
        let fit = fit_logistic(&rows, &y, 0.0);
        assert!((fit.weights[0] - 16f64.ln()).abs() < 1e-6, "{fit:?}");
        // The textbook standard error of a log odds ratio: √(1/8 + 1/2 + 1/2 + 1/8).
        assert!((fit.std_errors[0] - 1.25f64.sqrt()).abs() < 1e-6, "{fit:?}");
        assert!((fit.intercept - 0.25f64.ln()).abs() < 1e-6, "{fit:?}");
    }

    #[test]
    fn ridge_keeps_a_perfect_separator_finite_and_signs_right() {
        let rows = vec![
            vec![1.0, 0.0],
            vec![1.0, 1.0],
            vec![0.0, 0.0],
            vec![0.0, 1.0],
        ];
        let y = vec![true, true, false, false];
        let fit = fit_logistic(&rows, &y, 1.0);
        assert!(
            fit.weights[0] > 1.0 && fit.weights[0].is_finite(),
            "{fit:?}"
        );
        assert!(fit.weights[1].abs() < 1e-9, "{fit:?}");
    }

    #[test]
    fn a_constant_feature_gets_no_weight() {
        let rows = vec![vec![3.0], vec![3.0], vec![3.0]];
        let fit = fit_logistic(&rows, &[true, false, false], 1.0);
        assert_eq!(fit.weights, vec![0.0]);
        assert_eq!(fit.std_errors, vec![0.0]);
    }
}
