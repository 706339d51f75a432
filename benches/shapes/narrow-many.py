"""benches/shapes/narrow-many.lead written by hand with Polars (see peer.py).
The 60 criteria are written as the tables a data engineer would loop over."""
import polars as pl
from peer import args, days_since, folded, points, scan, stage, yes

data, out = args()
rules = [points(pl.col("visits") > k, 1) for k in range(0, 40, 2)]
rules += [points(pl.col("employees") >= k, 2)
          for k in [10, 25, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000]]
rules += [points(pl.col("revenue") > k, 3)
          for k in [10000, 50000, 100000, 250000, 500000, 750000, 1000000, 1500000]]
rules += [points(folded("title") == t, p) for t, p in
          [("ceo", 4), ("cto", 4), ("founder", 4), ("owner", 4), ("vp sales", 4),
           ("intern", -5), ("student", -5)]]
rules.append(points(yes("newsletter"), 2))
rules += [points(folded("country") == c, 2)
          for c in ["germany", "france", "united states", "canada", "japan", "india"]]
rules += [points(folded("plan") == p, n) for p, n in [("pro", 3), ("team", 5), ("enterprise", 8)]]
rules += [
    points(days_since("signed_up") > 365, 2),
    points(days_since("last_seen") <= 14, 5),
    points(days_since("last_seen") > 60, -5),
]
assert len(rules) == 60
(
    scan(data, {"title": pl.String, "country": pl.String, "plan": pl.String,
                "employees": pl.Float64, "revenue": pl.Float64, "visits": pl.Float64,
                "signed_up": pl.Date, "last_seen": pl.Date, "newsletter": pl.String})
    .select(pl.col("id"), pl.sum_horizontal(rules).alias("score"))
    .with_columns(stage=stage(pl.col("score"), (60, "hot"), (30, "warm"), otherwise="cold"))
    .sink_csv(out)
)
