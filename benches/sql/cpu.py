"""Time DuckDB queries by CPU time, for benches/compare.sh.

Usage: python3 cpu.py ROUNDS QUERY.sql...
Each file is a `COPY (query) TO ...` as compare.sh writes them; the query
inside is run into a temporary table (no file written), on one DuckDB thread,
ROUNDS times, the files taking turns so that the machine's other load falls
on all of them alike. Prints each file's median CPU time (user + system) and
its ratio to the first file's. One thread and CPU time, because on a shared
machine the wall time of a parallel query moves with the other load.
"""
import re
import resource
import statistics
import sys

import duckdb


def inner(sql):
    sql = sql.strip().rstrip(";")
    match = re.match(r"(?s)^(?:--[^\n]*\n|\s)*COPY \((.*)\) TO '[^']*' \(HEADER\)$", sql)
    return match.group(1) if match else sql


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


rounds, files = int(sys.argv[1]), sys.argv[2:]
queries = {f: inner(open(f).read()) for f in files}
con = duckdb.connect()
con.execute("PRAGMA threads=1")
times = {f: [] for f in files}
for _ in range(rounds):
    for f, q in queries.items():
        start = cpu()
        con.execute(f"CREATE OR REPLACE TEMP TABLE result AS {q}")
        times[f].append(cpu() - start)
first = statistics.median(times[files[0]])
for f in files:
    m = statistics.median(times[f])
    print(f"  {f.rsplit('/', 1)[-1]:28s} {m:6.2f} s CPU (median of {rounds}, 1 thread)  {m / first:5.2f}x")
