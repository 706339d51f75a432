"""Independent check of `qualify diff --against --outcome`'s review figures.

Usage: check_review.py INQUIRIES.csv OUTCOME OLD_SCORED.csv NEW_SCORED.csv REVIEW.json

Recomputes from `qualify score`'s results of each revision (id, score,
stage) and the inquiries' outcome column, with numpy and scipy only:
migration cells (count, converted, rate), Wilson intervals (scipy's
binomtest), the AUC of each score (scipy's Mann-Whitney U), DeLong's
standard errors and the paired difference's interval from the full
pairwise comparison matrix (not the sorted placements qualify uses), and
precision and recall of "this stage or a better one". Exits non-zero on
the first figure that differs.
"""

import csv
import json
import sys

import numpy as np
from scipy import stats

TOL = 1e-9


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def close(a, b, what, tol=TOL):
    if a is None or b is None:
        assert a is None and b is None, f"{what}: {a} != {b}"
        return
    assert abs(a - b) <= tol, f"{what}: qualify {a}, independent {b}"


def wilson(k, n):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return ci.low, ci.high


def delong(x_pos, x_neg):
    """Placements from the full comparison matrix: psi(pos, neg)."""
    psi = (x_pos[:, None] > x_neg[None, :]) + 0.5 * (x_pos[:, None] == x_neg[None, :])
    return psi.mean(axis=1), psi.mean(axis=0)


def main():
    inquiries, outcome, old_path, new_path, review_path = sys.argv[1:6]
    won = {"yes", "true", "y", "1", "won", "converted"}
    converted = {r["Prospect ID"]: r[outcome].strip().lower() in won for r in read(inquiries)}
    old = {r["id"]: r for r in read(old_path)}
    new = {r["id"]: r for r in read(new_path)}
    review = json.load(open(review_path, encoding="utf-8"))["impact"]["review"]
    ids = [i for i in old if i in new]
    assert review["judged"] == len(ids), (review["judged"], len(ids))
    assert review["converted"] == sum(converted[i] for i in ids)

    cells = {}
    for i in ids:
        key = (old[i]["stage"], new[i]["stage"])
        n, c = cells.get(key, (0, 0))
        cells[key] = (n + 1, c + converted[i])
    assert len(review["cells"]) == len(cells), (review["cells"], cells)
    for cell in review["cells"]:
        n, c = cells[(cell["old_stage"], cell["new_stage"])]
        assert (cell["inquiries"], cell["converted"]) == (n, c), (cell, n, c)
        close(cell["conversion_rate"], c / n, "cell rate")
        low, high = wilson(c, n)
        close(cell["interval"]["low"], low, "wilson low", 1e-9)
        close(cell["interval"]["high"], high, "wilson high", 1e-9)

    # Scores as `score` writes them (rounded to the hundredth) rank as the
    # exact ones do on this sample: no two differ by less than a hundredth.
    y = np.array([converted[i] for i in ids])
    s_old = np.array([float(old[i]["score"]) for i in ids])
    s_new = np.array([float(new[i]["score"]) for i in ids])
    aucs, v10s, v01s = [], [], []
    for s in (s_old, s_new):
        u = stats.mannwhitneyu(s[y], s[~y], alternative="two-sided").statistic
        aucs.append(u / (y.sum() * (~y).sum()))
        v10, v01 = delong(s[y], s[~y])
        v10s.append(v10)
        v01s.append(v01)
    a = review["auc"]
    close(a["before"]["auc"], aucs[0], "AUC before", 1e-9)
    close(a["after"]["auc"], aucs[1], "AUC after", 1e-9)
    m, n = y.sum(), (~y).sum()
    s10 = np.cov(np.vstack(v10s))
    s01 = np.cov(np.vstack(v01s))
    for k, side in enumerate(("before", "after")):
        se = np.sqrt(s10[k, k] / m + s01[k, k] / n)
        close(a[side]["se"], se, f"DeLong se {side}", 1e-9)
    var = (s10[0, 0] + s10[1, 1] - 2 * s10[0, 1]) / m + (s01[0, 0] + s01[1, 1] - 2 * s01[0, 1]) / n
    close(a["difference"], aucs[1] - aucs[0], "AUC difference", 1e-9)
    close(a["se"], np.sqrt(var), "paired se", 1e-9)
    close(a["interval"]["low"], aucs[1] - aucs[0] - stats.norm.ppf(0.975) * np.sqrt(var), "paired low", 1e-9)

    for side, scored in (("old_stages", old), ("new_stages", new)):
        total = sum(converted[i] for i in ids)
        cum_n = cum_c = 0
        for row in review[side]:
            members = [i for i in ids if scored[i]["stage"] == row["name"]]
            c = sum(converted[i] for i in members)
            assert (row["inquiries"], row["converted"]) == (len(members), c), row
            if row["at_or_above"] is None:
                continue
            cum_n, cum_c = cum_n + len(members), cum_c + c
            close(row["at_or_above"]["precision"], cum_c / cum_n if cum_n else None, "precision")
            close(row["at_or_above"]["recall"], cum_c / total, "recall")
    print(f"ok: {len(cells)} cells, AUC {aucs[0]:.4f} -> {aucs[1]:.4f}, checked independently")


if __name__ == "__main__":
    main()
