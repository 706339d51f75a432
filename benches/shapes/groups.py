"""benches/shapes/groups.lead written by hand with Polars (see peer.py).
Decay: points × 0.5^(days / half-life), a future date counting as today."""
import polars as pl
from peer import args, days_since, folded, points, scan, yes

data, out = args()
c = pl.col
leader = folded("title").is_in(["ceo", "cto", "founder", "owner"]).fill_null(False)
has_budget = (c("budget") >= 50000).fill_null(False)
demo = c("demo_date").is_not_null()
trial = yes("trial")
gone_quiet = (days_since("last_seen") > 60).fill_null(False)
fit = (
    points(leader, 20) + points(c("employees").is_between(50, 2000), 15)
    + points(has_budget, 15) + points(folded("plan").is_in(["pro", "team", "enterprise"]), 10)
).clip(upper_bound=40)


def faded(amount, date, half_life):
    return amount * pl.lit(0.5).pow(days_since(date).clip(lower_bound=0) / half_life)


interest = (
    points(demo, faded(30, "demo_date", 30))
    + faded((2 * c("visits")).clip(upper_bound=20), "last_seen", 14).fill_null(0)
    + points(trial, 10)
    + points(gone_quiet, -20)
    - (3 * c("calls")).clip(upper_bound=12)
).clip(-15, 50)
bant = (leader.cast(pl.Int32) + has_budget.cast(pl.Int32) + demo.cast(pl.Int32)
        + trial.cast(pl.Int32)) >= 3
engaged = ((c("visits") >= 30).cast(pl.Int32) + (c("calls") >= 6).cast(pl.Int32)
           + yes("newsletter").cast(pl.Int32) + demo.cast(pl.Int32)) >= 2
no_budget = (folded("notes") == "no budget").fill_null(False)
(
    scan(data, {"title": pl.String, "plan": pl.String, "source": pl.String,
                "employees": pl.Float64, "budget": pl.Float64, "visits": pl.Float64,
                "calls": pl.Float64, "last_seen": pl.Date, "demo_date": pl.Date,
                "trial": pl.String, "newsletter": pl.String, "notes": pl.String})
    .select(
        c("id"), fit.alias("fit"), interest.alias("interest"),
        (points(folded("source").is_in(["referral", "partner"]), 5)
         + points(yes("newsletter"), 2) + points(engaged, 5)).alias("outside"),
        (bant & ~gone_quiet).alias("qualified_fit"), no_budget.alias("no_budget"),
    )
    .with_columns(score=c("fit") + c("interest") + c("outside"))
    .select(
        "id", "score", "fit", "interest",
        pl.when(c("no_budget")).then(pl.lit("disqualified"))
        .when((c("score") >= 60) & c("qualified_fit")).then(pl.lit("sales ready"))
        .when((c("fit") >= 35) & (c("interest") < 10)).then(pl.lit("fit but cold"))
        .when(c("score") >= 30).then(pl.lit("marketing qualified"))
        .otherwise(pl.lit("nurture")).alias("stage"),
        pl.when(c("no_budget")).then(pl.lit("no budget")).alias("disqualified"),
    )
    .sink_csv(out)
)
