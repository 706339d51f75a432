"""Compare `qualify score` output with DuckDB's, row by row, for benches/compare.sh.

Usage: python3 agree.py QUALIFY.csv PEER.csv [PEER-NAME]
PEER.csv is DuckDB's (or another peer's, named by PEER-NAME: polars, ...).
Joins on the first column (id); compares every column both files have: scores
within 0.006 (qualify prints two decimals), everything else exactly, with an
empty cell equal to NULL. The peer must write score and stage, and as many
rows as qualify. Prints one line; exit 1 when any row differs.
"""
import sys

import duckdb

ours, theirs = sys.argv[1], sys.argv[2]
peer = sys.argv[3] if len(sys.argv) > 3 else "duckdb"
read = "read_csv('{}', header = true, all_varchar = true)"
q_cols = [r[0] for r in duckdb.sql(f"DESCRIBE SELECT * FROM {read.format(ours)}").fetchall()]
d_cols = [r[0] for r in duckdb.sql(f"DESCRIBE SELECT * FROM {read.format(theirs)}").fetchall()]
key = q_cols[0]
shared = [c for c in d_cols if c in q_cols and c != key]
numeric = {"score", "fit", "interest"}
tests = []
for c in shared:
    if c in numeric:
        tests.append((c, f'abs(CAST(q."{c}" AS DOUBLE) - CAST(d."{c}" AS DOUBLE)) > 0.006'))
    else:
        tests.append((c, f"coalesce(q.\"{c}\", '') <> coalesce(d.\"{c}\", '')"))
missing = [c for c in ("score", "stage") if c not in shared]
if missing:
    sys.exit(f"qualify vs {peer}: {theirs} has no column {', '.join(missing)}  <-- NOT THE SAME")
counts = ", ".join(f"count(*) FILTER (WHERE {t})" for _, t in tests)
row = duckdb.sql(
    f"""SELECT count(*), count(d."{d_cols[0]}"), {counts}
        FROM {read.format(ours)} q
        LEFT JOIN {read.format(theirs)} d ON q."{key}" = d."{d_cols[0]}" """
).fetchall()[0]
rows, joined, diffs = row[0], row[1], row[2:]
peer_rows = duckdb.sql(f"SELECT count(*) FROM {read.format(theirs)}").fetchall()[0][0]
detail = ", ".join(f"{c} {n}" for (c, _), n in zip(tests, diffs))
ok = rows == joined == peer_rows and not any(diffs)
print(
    f"qualify vs {peer}, {rows} rows ({rows - joined} missing from {peer}, {peer} has {peer_rows}): "
    f"rows differing by column: {detail}" + ("" if ok else "  <-- NOT THE SAME")
)
sys.exit(0 if ok else 1)
