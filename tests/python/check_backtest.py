"""Independent check of `qualify backtest`'s intervals and calibration.

Usage: check_backtest.py INQUIRIES.csv OUTCOME SCORED.csv BACKTEST.json

From `qualify score`'s results (id, score, stage) and the inquiries' outcome
column, with numpy and scipy only: the AUC (scipy's Mann-Whitney U) and
DeLong's interval from the full pairwise comparison matrix, the Wilson
interval of the overall rate, of every stage and of every score band
(scipy's binomtest), and the calibration: a logistic fit of conversion on
the score by scipy's optimiser, and each band's mean predicted chance.
The dose table of "reads the site" (+1 per minute on the site, at most 20)
is rebuilt from the inquiries' `Total Time Spent on Website`: no units,
then five bands by rank (a unit count's band is floor(5 × below / n), ties
together), with Wilson intervals, and the trend's logistic slope and its
Wald interval.
Exits non-zero on the first figure that differs.
"""

import csv
import json
import sys

import numpy as np
from scipy import optimize, special, stats

Z = stats.norm.ppf(0.975)


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def close(a, b, what, tol=1e-9):
    assert abs(a - b) <= tol, f"{what}: qualify {a}, independent {b}"


def wilson(row_interval, k, n, what):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    close(row_interval["low"], ci.low, what + " low")
    close(row_interval["high"], ci.high, what + " high")


def main():
    inquiries, outcome, scored_path, backtest_path = sys.argv[1:5]
    won = {"yes", "true", "y", "1", "won", "converted"}
    converted = {r["Prospect ID"]: r[outcome].strip().lower() in won for r in read(inquiries)}
    scored = read(scored_path)
    b = json.load(open(backtest_path, encoding="utf-8"))["backtest"]
    y = np.array([converted[r["id"]] for r in scored])
    s = np.array([float(r["score"]) for r in scored])
    assert b["inquiries"] == len(y) and b["converted"] == int(y.sum())
    wilson(b["conversion_interval"], int(y.sum()), len(y), "overall")

    pos, neg = s[y], s[~y]
    auc = stats.mannwhitneyu(pos, neg).statistic / (len(pos) * len(neg))
    close(b["auc"], auc, "AUC")
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    se = np.sqrt(psi.mean(axis=1).var(ddof=1) / len(pos) + psi.mean(axis=0).var(ddof=1) / len(neg))
    close(b["auc_interval"]["low"], max(0.0, auc - Z * se), "AUC low")
    close(b["auc_interval"]["high"], min(1.0, auc + Z * se), "AUC high")

    for row in b["stages"]:
        members = [converted[r["id"]] for r in scored if r["stage"] == row["name"]]
        assert row["inquiries"] == len(members), row
        wilson(row["interval"], sum(members), len(members), f"stage {row['name']}")

    # Calibration: maximum likelihood of P = expit(a + b * score). Scores as
    # `score` writes them are rounded to the hundredth: the fit on them is
    # compared to a thousandth.
    def nll(beta):
        z = beta[0] + beta[1] * s
        return np.sum(np.logaddexp(0, z) - y * z)

    fit = optimize.minimize(nll, x0=[0.0, 0.0], method="BFGS", options={"gtol": 1e-10}).x
    cal = b["calibration"]
    close(cal["intercept"], fit[0], "calibration intercept", 1e-3)
    close(cal["slope"], fit[1], "calibration slope", 1e-4)
    for band in b["bands"]:
        if band["lowest"] is None:
            continue
        inside = (s >= band["lowest"] - 0.005) & (s <= band["highest"] + 0.005)
        assert inside.sum() == band["inquiries"], band
        k = int(y[inside].sum())
        assert k == band["converted"], band
        wilson(band["interval"], k, int(inside.sum()), f"band {band['label']}")
        predicted = special.expit(fit[0] + fit[1] * s[inside]).mean()
        close(band["predicted"], predicted, f"band {band['label']} predicted", 1e-3)
    check_dose(b, inquiries, outcome, converted, scored)
    print(f"ok: AUC {auc:.4f} ± {Z * se:.4f}, {len(b['bands'])} bands calibrated, checked independently")


def fit_slope(x, y):
    def nll(beta):
        z = beta[0] + beta[1] * x
        return np.sum(np.logaddexp(0, z) - y * z)

    return optimize.minimize(nll, x0=[0.0, 0.0], method="BFGS", options={"gtol": 1e-10}).x


def check_dose(b, inquiries, outcome, converted, scored):
    dose = next(d for d in b["doses"] if d["criterion"] == "reads the site")
    ids = {r["id"] for r in scored}
    rows = [r for r in read(inquiries) if r["Prospect ID"] in ids]
    units = np.array([min(float(r["Total Time Spent on Website"]) / 60, 20) for r in rows])
    y = np.array([converted[r["Prospect ID"]] for r in rows])
    bands = dose["bands"]
    zero = units == 0
    assert bands[0]["units"] == "0" and bands[0]["inquiries"] == int(zero.sum()), bands[0]
    assert bands[0]["converted"] == int(y[zero].sum())
    some, ys = units[~zero], y[~zero]
    order = np.sort(some)
    index = np.minimum(np.searchsorted(order, some, side="left") * 5 // len(some), 4)
    expected = [(int((index == k).sum()), int(ys[index == k].sum())) for k in range(5) if (index == k).any()]
    got = [(band["inquiries"], band["converted"]) for band in bands[1:]]
    assert got == expected, (got, expected)
    for band in bands:
        wilson(band["interval"], band["converted"], band["inquiries"], f"dose {band['units']}")
    beta = fit_slope(units, y)
    close(dose["trend"]["slope"], beta[1], "dose slope", 1e-4)
    # Wald interval: the inverse information X'WX at the fit.
    x = np.column_stack([np.ones_like(units), units])
    p = special.expit(x @ beta)
    se = np.sqrt(np.linalg.inv(x.T @ (x * (p * (1 - p))[:, None]))[1, 1])
    close(dose["trend"]["slope_interval"]["low"], beta[1] - Z * se, "dose slope low", 1e-4)
    close(dose["trend"]["slope_interval"]["high"], beta[1] + Z * se, "dose slope high", 1e-4)


if __name__ == "__main__":
    main()
