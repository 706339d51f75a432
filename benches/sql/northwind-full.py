"""rules/northwind-full.lead written by hand with Polars, the peer of northwind-full.sql.

Run as `python northwind-full.py DATA.csv OUT.csv` (as of 2026-11-23, see
benches/shapes/peer.py); writes the columns `qualify score` writes (id, score,
fit, interest, stage, disqualified, matched), like northwind-full.sql.
Exact, not an approximation: text folded (trimmed, lowercase) once, up front,
and so are the literals it is compared with (`starts with "it "` is
`starts with "it"`); patterns case-insensitive on the value as read; a missing
value never makes a criterion hold; division by zero is missing (Polars would
give inf or NaN); points per unit capped both ways; a demo decays
25 x 0.5^(days / 45) with a future date counting as today; business days since
hand-off are the weekdays in (handed_off, as of] less the holidays, which for
Polars' [start, end) count is [handed_off + 1 day, as of + 1 day).
"""
import datetime
import os
import sys

import polars as pl

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "shapes"))
from peer import AS_OF, YES, args, days_since, folded, points, scan  # noqa: E402

HOLIDAYS = [datetime.date.fromisoformat(d) for d in [
    "2026-11-26", "2026-11-27", "2026-12-24", "2026-12-25", "2027-01-01"]]
DAY = datetime.timedelta(days=1)
c = pl.col


def matches(name, pattern):
    return c(name).str.contains("(?i)" + pattern)


def has(name, text):
    return c(name).str.contains(text, literal=True)


def capped(amount, cap):
    """Points per unit, at most `cap` either way; a missing amount earns 0."""
    return amount.clip(-cap, cap).fill_null(0)


data, out = args()
# The fields as the definition reads them (the SQL's CTE r): text folded once.
fields = [
    c("Inquiry ID").alias("id"),
    c("Created").str.slice(0, 10).str.to_date("%Y-%m-%d").alias("created"),
    folded("source").alias("source"),
    folded("Campaign").alias("campaign"),
    folded("email").alias("email"),
    c("job_title"),
    folded("job_title").alias("title"),
    c("Company").alias("company"),
    folded("Company").alias("company_l"),
    c("company_size").alias("size"),
    c("Annual Budget (USD)").alias("budget"),
    folded("timeline").alias("timeline"),
    folded("state").alias("state"),
    folded("City").alias("city"),
    folded("demo_requested").is_in(YES).alias("demo"),
    c("pages_viewed").alias("pages"),
    c("handed_off"),
    c("call_attempts").alias("calls"),
    c("email_attempts").alias("emails"),
    c("Lead Owner").str.strip_chars().replace("", None).is_null().alias("unassigned"),
    folded("Product Interest").alias("product"),
    c("Notes").alias("notes"),
    folded("Notes").alias("notes_l"),
    days_since("last_activity").alias("quiet"),
]
size, budget, quiet = c("size"), c("budget"), c("quiet")

FIT = [
    ("decision maker", points(matches("job_title", "owner|dentist|director|chief|vp"), 20)),
    ("clinical champion", points(matches("job_title", "hygienist|orthodontist|coordinator"), 8)),
    ("purchasing", points(has("title", "purchasing"), 10)),
    # The literal is folded like the value: `starts with "it "` is `starts with "it"`.
    ("IT contact", points(c("title").str.starts_with("it"), -5)),
    ("right size", points(size.is_between(5, 200), 10)),
    ("large group", points(size > 200, 5)),
    ("solo practice", points(size < 3, -5)),
    ("has budget", points(budget >= 10000, 15)),
    ("budget depth", points(budget > 10000, capped((budget - 10000) / 10000, 5))),
    ("budget per chair", points(pl.when(size != 0).then(budget / size) >= 2000, 5)),
    ("close by", points(c("state").is_in(["oh", "pa", "mi", "in"]), 5)),
    ("neighbouring state", points(c("state").is_in(["ny", "ky", "wi", "il"]), 2)),
    ("near a showroom", points(c("city").is_in(["columbus", "pittsburgh", "detroit", "indianapolis"]), 3)),
    ("specialist practice", points(matches("company", "orthodontic|oral surgery"), 5)),
    ("group practice", points(matches("company", "group|partners|llc"), 5)),
]
INTEREST = [
    ("asked for a demo", points(c("demo") & quiet.is_not_null(),
                                25 * pl.lit(0.5).pow(quiet.clip(lower_bound=0) / 45.0))),
    ("buying this quarter", points(c("timeline").is_in(["now", "this quarter"]), 20)),
    ("buying this year", points(c("timeline") == "this year", 5)),
    ("reading up", capped(2 * c("pages"), 10)),
    ("deep research", points(c("pages") >= 12, 5)),
    ("wants CBCT", points(c("product") == "cbct", 10)),
    ("software only", points(c("product") == "software", -5)),
    ("called us", points(c("source") == "inbound call", 10)),
    ("met us at a show", points((c("source") == "event") | (c("campaign") == "ada expo"), 5)),
    ("came to a webinar", points(has("campaign", "webinar"), 5)),
    ("active this week", points(quiet <= 7, 10)),
    ("talked money", points(matches("notes", "financing|quote|budget approved"), 5)),
]
OUTSIDE = [
    ("gone quiet", points(quiet > 30, -15)),
    ("long gone", points(quiet > 90, -10)),
    ("chased in vain", points(c("handed_off").is_not_null() & (quiet > 14),
                              capped(-(c("calls") + c("emails")), 8))),
    ("old inquiry", points((pl.lit(AS_OF) - c("created")).dt.total_days() > 180, -5)),
]
CRITERIA = FIT + INTEREST + OUTSIDE
p = [f"p{i}" for i in range(len(CRITERIA))]
fit_p, interest_p, outside_p = p[:len(FIT)], p[len(FIT):len(FIT) + len(INTEREST)], p[len(FIT) + len(INTEREST):]
held = {name: c(col) != 0 for (name, _), col in zip(CRITERIA, p)}
bant = (held["has budget"].cast(pl.Int32) + held["decision maker"].cast(pl.Int32)
        + held["asked for a demo"].cast(pl.Int32) + held["buying this quarter"].cast(pl.Int32)) >= 3
disqualified = (
    pl.when(c("email").str.ends_with("@rivalimaging.com") | has("company_l", "rival imaging"))
    .then(pl.lit("competitor"))
    .when(has("title", "student")).then(pl.lit("student"))
    .when(c("email").str.ends_with("@northwind-imaging.com")).then(pl.lit("internal test"))
    .when(has("notes_l", "existing customer")).then(pl.lit("already a customer"))
)
business_days = pl.business_day_count(c("handed_off") + DAY, pl.lit(AS_OF + DAY), holidays=HOLIDAYS)
returned = (c("handed_off").is_not_null() & (c("calls") >= 4) & (c("emails") >= 2)
            & (business_days >= 10))
fit, interest, score = c("fit"), c("interest"), c("score")
ready = c("bant") & (fit >= 30) & (interest >= 30)
stage = (
    pl.when(c("disqualified").is_not_null()).then(pl.lit("disqualified"))
    .when(c("returned")).then(pl.lit("return to marketing"))
    .when(ready & c("unassigned")).then(pl.lit("sales ready, unassigned"))
    .when(ready).then(pl.lit("sales ready"))
    .when((score >= 45) | ((fit >= 30) & (interest >= 15))).then(pl.lit("marketing qualified"))
    .when(interest >= 30).then(pl.lit("inside sales"))
    .otherwise(pl.lit("nurture"))
)
matched = pl.concat_str(
    [pl.when(held[name]).then(pl.lit(name)) for name, _ in CRITERIA]
    + [pl.when(c("bant")).then(pl.lit("BANT")), pl.when(c("unassigned")).then(pl.lit("unassigned"))],
    separator="; ", ignore_nulls=True)
text = ["Inquiry ID", "Created", "source", "Campaign", "email", "job_title", "Company", "timeline",
        "state", "City", "demo_requested", "Lead Owner", "Product Interest", "Notes"]
numbers = ["company_size", "Annual Budget (USD)", "pages_viewed", "call_attempts", "email_attempts"]
(
    scan(data, {**{t: pl.String for t in text}, **{n: pl.Float64 for n in numbers},
                "last_activity": pl.Date, "handed_off": pl.Date})
    .select(fields)
    .select("id", *[e.alias(col) for (_, e), col in zip(CRITERIA, p)],
            disqualified.alias("disqualified"), returned.alias("returned"), "unassigned")
    .with_columns(fit=pl.sum_horizontal(fit_p).clip(upper_bound=50),
                  interest=pl.sum_horizontal(interest_p).clip(upper_bound=60), bant=bant)
    .with_columns(score=fit + interest + pl.sum_horizontal(outside_p))
    .select("id", "score", "fit", "interest", stage.alias("stage"), "disqualified",
            matched.alias("matched"))
    .sink_csv(out)
)
