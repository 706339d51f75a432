"""rules/northwind.lead written by hand with Polars, the peer of northwind.sql.

Run as `python northwind.py DATA.csv OUT.csv` (as of 2026-11-23, see
benches/shapes/peer.py); writes id, score and stage, like northwind.sql.
Business days since hand-off: Polars counts weekdays in [start, end), so the
definition's (handed_off, as of] is [handed_off + 1 day, as of + 1 day); the
definition lists no holidays. A missing value never makes a criterion hold;
"+2 per pages_viewed, at most 10" is capped both ways (never below -10), and
yes/no is folded (trimmed, lowercase) like text.
"""
import datetime
import os
import sys

import polars as pl

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "shapes"))
from peer import AS_OF, YES, args, days_since, folded, points, scan  # noqa: E402

DAY = datetime.timedelta(days=1)
c = pl.col


def business_days_since(name):
    return pl.business_day_count(c(name) + DAY, pl.lit(AS_OF + DAY))


data, out = args()
decision_maker = c("job_title").str.contains("(?i)owner|dentist|director|chief|vp").fill_null(False)
has_budget = (c("Annual Budget (USD)") >= 10000).fill_null(False)
demo = folded("demo_requested").is_in(YES).fill_null(False)
buying = folded("timeline").is_in(["now", "this quarter"]).fill_null(False)
score = (
    points(decision_maker, 20)
    + points(c("company_size").is_between(5, 200), 10)
    + points(has_budget, 15)
    + points(folded("state").is_in(["oh", "pa", "mi", "in"]), 5)
    + points(demo, 30)
    + points(buying, 20)
    + (2 * c("pages_viewed")).clip(-10, 10)  # at most 10 either way
    + points(days_since("last_activity") > 30, -15)
)
bant = (decision_maker.cast(pl.Int32) + has_budget.cast(pl.Int32) + demo.cast(pl.Int32)
        + buying.cast(pl.Int32)) >= 3
disqualified = folded("email").str.ends_with("@rivalimaging.com") | folded("job_title").str.contains(
    "student", literal=True)
returned = (c("handed_off").is_not_null() & (c("call_attempts") >= 4) & (c("email_attempts") >= 2)
            & (business_days_since("handed_off") >= 10))
(
    scan(data, {"Inquiry ID": pl.String, "email": pl.String, "job_title": pl.String,
                "company_size": pl.Float64, "Annual Budget (USD)": pl.Float64,
                "timeline": pl.String, "state": pl.String, "demo_requested": pl.String,
                "pages_viewed": pl.Float64, "last_activity": pl.Date, "handed_off": pl.Date,
                "call_attempts": pl.Float64, "email_attempts": pl.Float64})
    .select(c("Inquiry ID").alias("id"), score.alias("score"), bant.alias("bant"),
            disqualified.alias("out"), returned.alias("returned"))
    .select(
        "id", "score",
        pl.when(c("out")).then(pl.lit("disqualified"))
        .when(c("returned")).then(pl.lit("return to marketing"))
        .when((c("score") >= 60) & c("bant")).then(pl.lit("sales ready"))
        .when(c("score") >= 30).then(pl.lit("marketing qualified"))
        .otherwise(pl.lit("nurture")).alias("stage"),
    )
    .sink_csv(out)
)
