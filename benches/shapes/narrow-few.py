"""benches/shapes/narrow-few.lead written by hand with Polars (see peer.py)."""
import polars as pl
from peer import args, folded, points, scan, stage, yes

data, out = args()
score = (
    points(folded("title").is_in(["ceo", "cto", "founder", "owner", "vp sales"]), 20)
    + points(folded("country").is_in(["germany", "france", "netherlands"]), 10)
    + points(pl.col("employees").is_between(50, 1000), 15)
    + points(pl.col("visits") >= 20, 10)
    + points(yes("newsletter"), 5)
)
(
    scan(data, {"title": pl.String, "country": pl.String, "employees": pl.Float64,
                "visits": pl.Float64, "newsletter": pl.String})
    .select(pl.col("id"), score.alias("score"))
    .with_columns(stage=stage(pl.col("score"), (40, "hot"), (20, "warm"), otherwise="cold"))
    .sink_csv(out)
)
