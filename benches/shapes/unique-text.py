"""benches/shapes/unique-text.lead written by hand with Polars (see peer.py)."""
import polars as pl
from peer import args, folded, points, scan, stage

data, out = args()
email, notes, website, company = (folded(c) for c in ["email", "notes", "website", "company"])
disqualified = (
    pl.when(email.str.ends_with("@rival.example")).then(pl.lit("competitor"))
    .when(notes.str.contains("do not contact", literal=True)).then(pl.lit("opted out"))
)
score = (
    points(email.str.ends_with(".edu"), -10)
    + points(email.str.ends_with("@gmail.com") | email.str.ends_with("@yahoo.com"), -5)
    + points(email.str.ends_with(".example"), 10)
    + points(notes.str.contains("demo", literal=True), 20)
    + points(notes.str.contains("pricing", literal=True), 10)
    + points(website.str.starts_with("https://"), 3)
    + points(company.str.ends_with("gmbh"), 5)
    + points(company.str.starts_with("dental"), 8)
    + points(folded("title").is_in(["ceo", "cto", "founder", "owner"]), 15)
)
(
    scan(data, {c: pl.String for c in ["email", "notes", "website", "company", "title"]})
    .select(pl.col("id"), score.alias("score"), disqualified.alias("disqualified"))
    .with_columns(stage=pl.when(pl.col("disqualified").is_not_null()).then(pl.lit("disqualified"))
                  .otherwise(stage(pl.col("score"), (30, "sales ready"), otherwise="nurture")))
    .select("id", "score", "stage", "disqualified")
    .sink_csv(out)
)
