#!/usr/bin/env bash
# Whole-run comparison on one generated file, all measured in the same run:
#   qualify score (compiled program)      vs
#   the read-only floor (csv crate counting records, one thread) and `wc -l`
#   DuckDB running the same definition written by hand as SQL (if installed:
#   `pip install duckdb`). The SQL counts calendar days for "business days
#   since handed_off" (a close approximation: DuckDB has no business-day count).
# Usage: benches/compare.sh [ROWS]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
cargo build --release --quiet --bins --example count-records
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
DATA="$DIR/inquiries.csv"
./target/release/gen-inquiries "$ROWS" > "$DATA"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); file: $ROWS rows, $(du -h "$DATA" | cut -f1)"

# Run a command; print its wall time in seconds. On a shared machine the wall
# time depends on the other load; `cpu` below measures CPU time, which much less.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null 2> "$DIR/stderr"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
cpu() { # like `seconds`, but prints the CPU time (needs /usr/bin/time)
  /usr/bin/time -f '%U + %S' -o "$DIR/time" "$@" > /dev/null 2> "$DIR/stderr"
  echo "$(cat "$DIR/time")" | bc -l
}

T_WC=$(seconds wc -l "$DATA")
T_FLOOR=$(seconds ./target/release/examples/count-records "$DATA")
T_Q=$(seconds ./target/release/qualify score rules/northwind.lead "$DATA" --as-of 2026-11-23 -o "$DIR/out.csv")
T_Q1=$(seconds ./target/release/qualify score rules/northwind.lead "$DATA" --as-of 2026-11-23 --threads 1 -o "$DIR/out1.csv")
T_REF=$(seconds ./target/release/qualify score rules/northwind.lead "$DATA" --as-of 2026-11-23 --engine reference -o "$DIR/outr.csv")
cmp -s "$DIR/out.csv" "$DIR/outr.csv" && echo "program and reference outputs are identical"

if [ -x /usr/bin/time ]; then
  C_FLOOR=$(cpu ./target/release/examples/count-records "$DATA")
  C_Q=$(cpu ./target/release/qualify score rules/northwind.lead "$DATA" --as-of 2026-11-23 -o "$DIR/out.csv")
  C_Q1=$(cpu ./target/release/qualify score rules/northwind.lead "$DATA" --as-of 2026-11-23 --threads 1 -o "$DIR/out1.csv")
  printf 'CPU time (user+sys): read floor %.2f s, qualify %.2f s (%.2fx), qualify --threads 1 %.2f s\n' \
    "$C_FLOOR" "$C_Q" "$(echo "$C_Q / $C_FLOOR" | bc -l)" "$C_Q1"
fi
rate() { echo "scale=0; $ROWS / $1" | bc -l; }
printf '%-34s %8.2f s %12s rows/s\n' "wc -l" "$T_WC" "$(rate "$T_WC")"
printf '%-34s %8.2f s %12s rows/s\n' "csv crate read floor (1 thread)" "$T_FLOOR" "$(rate "$T_FLOOR")"
printf '%-34s %8.2f s %12s rows/s\n' "qualify score (all cores)" "$T_Q" "$(rate "$T_Q")"
printf '%-34s %8.2f s %12s rows/s\n' "qualify score --threads 1" "$T_Q1" "$(rate "$T_Q1")"
printf '%-34s %8.2f s %12s rows/s\n' "qualify score --engine reference" "$T_REF" "$(rate "$T_REF")"
printf 'qualify / read floor time ratio: %.2f (below 1 is faster than just reading)\n' "$(echo "$T_Q / $T_FLOOR" | bc -l)"

if python3 -c 'import duckdb' 2>/dev/null; then
  cat > "$DIR/score.py" <<PY
import duckdb
duckdb.sql("""
COPY (
WITH t AS (
  SELECT *,
    (job_title IS NOT NULL AND regexp_matches(job_title, '(?i)owner|dentist|director|chief|vp')) AS c_dm,
    (company_size BETWEEN 5 AND 200) AS c_size,
    ("Annual Budget (USD)" >= 10000) AS c_budget,
    (lower(trim(state)) IN ('oh','pa','mi','in')) AS c_close,
    (lower(demo_requested) IN ('yes','true','y','1')) AS c_demo,
    (lower(trim(timeline)) IN ('now','this quarter')) AS c_buy,
    (DATE '2026-11-23' - CAST(last_activity AS DATE) > 30) AS c_quiet
  FROM read_csv('$DATA', header=true, all_varchar=false)
), s AS (
  SELECT *,
    (coalesce(c_budget,false)::int + coalesce(c_dm,false)::int + coalesce(c_demo,false)::int + coalesce(c_buy,false)::int) >= 3 AS c_bant,
    CASE WHEN c_dm THEN 20 ELSE 0 END + CASE WHEN c_size THEN 10 ELSE 0 END + CASE WHEN c_budget THEN 15 ELSE 0 END
    + CASE WHEN c_close THEN 5 ELSE 0 END + CASE WHEN c_demo THEN 30 ELSE 0 END + CASE WHEN c_buy THEN 20 ELSE 0 END
    + least(2 * pages_viewed, 10) + CASE WHEN c_quiet THEN -15 ELSE 0 END AS score
  FROM t
)
SELECT "Inquiry ID" AS id, score,
  CASE WHEN lower(trim(email)) LIKE '%@rivalimaging.com' OR lower(job_title) LIKE '%student%' THEN 'disqualified'
       WHEN handed_off IS NOT NULL AND call_attempts >= 4 AND email_attempts >= 2 AND DATE '2026-11-23' - CAST(handed_off AS DATE) >= 10 THEN 'return to marketing'
       WHEN score >= 60 AND c_bant THEN 'sales ready'
       WHEN score >= 30 THEN 'marketing qualified'
       ELSE 'nurture' END AS stage
FROM s
) TO '$DIR/duck.csv' (HEADER)
""")
PY
  T_DUCK=$(seconds python3 "$DIR/score.py")
  printf '%-34s %8.2f s %12s rows/s\n' "duckdb (hand-written SQL)" "$T_DUCK" "$(rate "$T_DUCK")"
  printf 'duckdb / qualify time ratio: %.2f (above 1: qualify is faster)\n' "$(echo "$T_DUCK / $T_Q" | bc -l)"
else
  echo "duckdb not installed (pip install duckdb): skipped"
fi
