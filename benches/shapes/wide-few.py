"""benches/shapes/wide-few.lead written by hand with Polars (see peer.py)."""
import polars as pl
from peer import args, days_since, folded, points, scan, stage

data, out = args()
score = (
    points(folded("title").is_in(["ceo", "cto", "founder", "owner", "vp sales"]), 20)
    + points(folded("country").is_in(["germany", "france", "netherlands"]), 10)
    + points(pl.col("employees").is_between(50, 1000), 15)
    + points(pl.col("visits") >= 20, 10)
    + points(days_since("signed_up") < 180, 5)
)
(
    scan(data, {"title": pl.String, "country": pl.String, "employees": pl.Float64,
                "visits": pl.Float64, "signed_up": pl.Date})
    .select(pl.col("id"), score.alias("score"))
    .with_columns(stage=stage(pl.col("score"), (40, "hot"), (20, "warm"), otherwise="cold"))
    .sink_csv(out)
)
