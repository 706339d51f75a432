"""benches/shapes/regex-heavy.lead written by hand with Polars (see peer.py).
Patterns are case-insensitive and match anywhere, as in the definition."""
import polars as pl
from peer import args, points, scan, stage


def matches(name, pattern):
    return pl.col(name).str.contains("(?i)" + pattern)


data, out = args()
disqualified = pl.when(matches("email", r"@rival\.")).then(pl.lit("competitor"))
score = (
    points(matches("title", r"^\s*(ceo|cto|founder|owner)\s*$"), 20)
    + points(matches("title", r"\b(vp|head|director)\b"), 10)
    + points(matches("title", r"student|intern"), -10)
    + points(matches("email", r"\.edu$"), -5)
    + points(matches("email", r"^[a-z]+\.[a-z]+[0-9]{3,}@"), 2)
    + points(matches("notes", r"\bdemo\b"), 15)
    + points(matches("notes", r"pric(e|ing)|budget"), 10)
    + points(matches("notes", r"do not contact|voicemail"), -10)
    + points(matches("phone", r"^\+49 "), 5)
    + points(matches("website", r"\.de$"), 5)
    + points(matches("company", r"(gmbh|ltd)$"), 3)
)
(
    scan(data, {c: pl.String for c in ["email", "notes", "website", "company", "title", "phone"]})
    .select(pl.col("id"), score.alias("score"), disqualified.alias("disqualified"))
    .with_columns(stage=pl.when(pl.col("disqualified").is_not_null()).then(pl.lit("disqualified"))
                  .otherwise(stage(pl.col("score"), (30, "sales ready"), otherwise="nurture")))
    .select("id", "score", "stage", "disqualified")
    .sink_csv(out)
)
