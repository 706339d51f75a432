"""benches/shapes/date-heavy.lead written by hand with Polars (see peer.py).
Business days since D: Polars counts weekdays in [start, end) less holidays,
so (D, as of] is [D + 1 day, as of + 1 day)."""
import datetime

import polars as pl
from peer import AS_OF, args, days_since, points, scan, stage

HOLIDAYS = [datetime.date.fromisoformat(d) for d in [
    "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-25", "2026-10-03",
    "2026-11-26", "2026-12-25"]]
DAY = datetime.timedelta(days=1)


def business_days_since(name):
    return pl.business_day_count(pl.col(name) + DAY, pl.lit(AS_OF + DAY), holidays=HOLIDAYS)


data, out = args()
latest = pl.when(pl.col("last_seen").is_not_null() & pl.col("first_contact").is_not_null()).then(
    pl.max_horizontal("last_seen", "first_contact"))
score = (
    points(days_since("created") < 90, 10)
    + points(days_since("created") > 540, -5)
    + points(business_days_since("first_contact") <= 20, 10)
    + points(pl.col("first_contact") >= pl.col("created"), 5)
    + points(days_since("last_seen") <= 30, 15)
    + points(days_since("last_seen") > 90, -10)
    + points(business_days_since("last_seen") >= 40, -5)
    + points(pl.col("demo_date").is_between(AS_OF, datetime.date(2026, 12, 23)), 20)
    + points(days_since("demo_date").is_between(1, 60), 5)
    + points(days_since("renewal").is_between(-90, 0), 15)
    + points(pl.col("renewal") < AS_OF, -15)
    + points((pl.lit(AS_OF) - latest).dt.total_days() < 14, 5)
)
dates = ["created", "first_contact", "last_seen", "demo_date", "renewal"]
(
    scan(data, {c: pl.Date for c in dates})
    .select(pl.col("id"), score.alias("score"))
    .with_columns(stage=stage(pl.col("score"), (25, "active"), (0, "watch"), otherwise="dormant"))
    .sink_csv(out)
)
