"""What the hand-written Polars peers (benches/shapes/NAME.py) share.

Each peer is run as `python NAME.py DATA.csv OUT.csv`: it scans DATA lazily,
scores every row as benches/shapes/NAME.lead does and writes the columns
`qualify score` writes that it computes (id, score, stage, ...) with
`sink_csv`. benches/shapes.sh times it; benches/sql/agree.py checks it.
"""
import datetime
import sys

import polars as pl

AS_OF = datetime.date(2026, 11, 23)  # the as-of date the scripts pass to qualify
YES = ["yes", "true", "y", "1"]


def args():
    """DATA and OUT from the command line."""
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} DATA.csv OUT.csv")
    return sys.argv[1], sys.argv[2]


def scan(path, schema):
    """The file, lazily; `schema` gives the type of each column a rule reads."""
    return pl.scan_csv(path, schema_overrides=schema)


def folded(name):
    """A text column as the definition compares it: trimmed, lowercase."""
    return pl.col(name).str.strip_chars().str.to_lowercase()


def yes(name):
    """A yes/no column read as a boolean."""
    return pl.col(name).str.to_lowercase().is_in(YES)


def points(condition, amount):
    """`amount` when `condition` is true; 0 when false or missing."""
    return pl.when(condition).then(amount).otherwise(0)


def days_since(name):
    """Whole days from a date column to the as-of date (missing stays missing)."""
    return (pl.lit(AS_OF) - pl.col(name)).dt.total_days()


def stage(score, *stages, otherwise):
    """The first (threshold, name) the score reaches, else `otherwise`."""
    (first, name), rest = stages[0], stages[1:]
    chain = pl.when(score >= first).then(pl.lit(name))
    for threshold, name in rest:
        chain = chain.when(score >= threshold).then(pl.lit(name))
    return chain.otherwise(pl.lit(otherwise))
