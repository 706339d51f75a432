"""benches/shapes/arithmetic-heavy.lead written by hand with Polars (see peer.py).
Division by zero is missing, min and max of a missing value are missing, and
round halves away from zero, as in the definition."""
import polars as pl
from peer import args, points, scan, stage

data, out = args()
c = pl.col


def ratio(a, b):
    return pl.when(b != 0).then(a / b)


def both(a, b, value):
    return pl.when(a.is_not_null() & b.is_not_null()).then(value)


discount = c("discount").fill_null(0)
score = (
    points(ratio(c("revenue"), c("employees")) > 500, 10)
    + points(ratio(c("budget"), c("revenue")) * 100 >= 10, 10)
    + points(c("calls") + c("emails_sent") >= 20, 5)
    + points(c("calls") * 2 > c("emails_sent"), 5)
    + (c("budget") / 1000).round(0, mode="half_away_from_zero").clip(-25, 25).fill_null(0)
    + (2 * (c("visits") / 5).floor()).clip(upper_bound=16)
    + points(both(c("budget"), c("revenue"), pl.max_horizontal(c("budget"), c("revenue") / 10))
             >= 100000, 8)
    + points(pl.min_horizontal("calls", "visits") < 2, -4)
    + (-discount).clip(lower_bound=-15)
    + points(1000 * (1 - discount / 100) > 700, 6)
    + points((c("visits") * 3 + c("calls") * 5 - c("emails_sent").fill_null(0)) / 10 >= 12, 7)
    + points(c("employees").fill_null(0) < 10, -6)
)
numbers = ["employees", "revenue", "budget", "visits", "calls", "emails_sent", "discount"]
(
    scan(data, {n: pl.Float64 for n in numbers})
    .select(c("id"), score.alias("score"))
    .with_columns(stage=stage(c("score"), (40, "priority"), (15, "standard"), otherwise="low"))
    .sink_csv(out)
)
