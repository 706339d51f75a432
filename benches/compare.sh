#!/usr/bin/env bash
# Whole-run comparison on one generated file, all measured in the same run:
#   qualify score (compiled program)      vs
#   the read-only floor (csv crate counting records, one thread) and `wc -l`
#   DuckDB running the same definition written by hand as SQL
#   (benches/sql/NAME.sql for rules/NAME.lead) and Polars running it written
#   by hand as a lazy query (benches/sql/NAME.py), each output checked row
#   by row against qualify's (benches/sql/agree.py); Python with duckdb and
#   polars comes from the venv .ci/venv makes;
#   DuckDB running the SQL qualify generates (`compile --to sql`), checked too,
#   and the least an exact query must do (benches/sql/NAME-floor.sql), all
#   three also by CPU time on one DuckDB thread (benches/sql/cpu.py);
# then the peak memory of `qualify score` on MEM_ROWS rows streamed from the
# generator through stdin (the generator's own memory is not counted).
# benches/shapes.sh does the same for every shape of the shape corpus
# (benches/shapes/), with Polars beside DuckDB, and prints one table.
# benches/events.sh times scoring from activity events (`score --events`,
# generated leads and events) against DuckDB running the generated query.
#
# Usage: [DEF=rules/NAME.lead] [MEM_ROWS=N] benches/compare.sh [ROWS] [DEFINITION]
#   ROWS        rows in the timed file (default 1000000)
#   DEFINITION  or DEF: the definition (default rules/northwind.lead, 9 criteria;
#               rules/northwind-full.lead has 33, a full-size one)
#   MEM_ROWS    rows for the memory run (default 10000000; 0 skips it)
#   REPEAT      runs of each timed command; the median is shown (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
DEF=${2:-${DEF:-rules/northwind.lead}}
MEM_ROWS=${MEM_ROWS:-10000000}
AS_OF=2026-11-23 # the generator's default as-of date; the SQL files assume it too
NAME=$(basename "$DEF" .lead)
SQL=benches/sql/$NAME.sql
CRITERIA=$(grep -cE '^\s*criterion "' "$DEF" || true)
# Python with duckdb and polars: $QUALIFY_PYTHON, else the venv .ci/venv
# makes (target/ci-venv), else the system's python3 (peers it cannot import
# are skipped).
PY=${QUALIFY_PYTHON:-}
if [ -z "$PY" ]; then PY=$(bash .ci/venv 2> /dev/null || command -v python3); fi
cargo build --release --quiet --bins --example count-records --example time-budget \
  --example gen-inquiries
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
DATA="$DIR/inquiries.csv"
./target/release/examples/gen-inquiries "$ROWS" > "$DATA"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $ROWS rows, $(du -h "$DATA" | cut -f1); definition: $DEF"

# Run a command REPEAT times (default 3); print the median wall time in
# seconds. The output file the command writes, if any (`-o FILE` or DuckDB's
# duck.csv), is removed before each run, so every run writes a new file. On a shared machine the wall time depends on the other
# load; `cpu` below measures CPU time, which depends on it much less.
REPEAT=${REPEAT:-3}
seconds() {
  local start end i times=()
  for ((i = 0; i < REPEAT; i++)); do
    rm -f "$DIR/duck.csv"
    local prev=
    for a in "$@"; do [ "$prev" = -o ] && [ -f "$a" ] && rm -f "$a"; prev=$a; done # a regular file only: never /dev/null
    start=$(date +%s.%N)
    "$@" > /dev/null 2> "$DIR/stderr"
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((REPEAT + 1) / 2))p"
}
cpu() { # like `seconds`, but prints the CPU time (needs /usr/bin/time)
  /usr/bin/time -f '%U + %S' -o "$DIR/time" "$@" > /dev/null 2> "$DIR/stderr"
  tail -n 1 "$DIR/time" | bc -l
}
# An array, not a function: /usr/bin/time runs programs, not shell functions.
SCORE=(./target/release/qualify score "$DEF" "$DATA" --as-of "$AS_OF")

T_WC=$(seconds wc -l "$DATA")
T_FLOOR=$(seconds ./target/release/examples/count-records "$DATA")
T_Q=$(seconds "${SCORE[@]}" -o "$DIR/out.csv")
T_Q1=$(seconds "${SCORE[@]}" --threads 1 -o "$DIR/out1.csv")
T_REF=$(seconds "${SCORE[@]}" --engine reference -o "$DIR/outr.csv")
cmp -s "$DIR/out.csv" "$DIR/outr.csv" && echo "program and reference outputs are identical"

if [ -x /usr/bin/time ]; then
  C_FLOOR=$(cpu ./target/release/examples/count-records "$DATA")
  C_Q=$(cpu "${SCORE[@]}" -o "$DIR/out.csv")
  C_Q1=$(cpu "${SCORE[@]}" --threads 1 -o "$DIR/out1.csv")
  printf 'CPU time (user+sys): read floor %.2f s, qualify %.2f s (%.2fx), qualify --threads 1 %.2f s\n' \
    "$C_FLOOR" "$C_Q" "$(echo "$C_Q / $C_FLOOR" | bc -l)" "$C_Q1"
fi
# What each stage costs on one thread, and the least a run could take on
# this machine's cores if formatting and writing the results were free
# (examples/time-budget.rs).
./target/release/examples/time-budget "$DEF" "$DATA" "$AS_OF" "$(nproc)" 2> /dev/null \
  | tee "$DIR/budget"
T_BOUND=$(sed -n 's/^least possible.*: \([0-9.]*\) s$/\1/p' "$DIR/budget")
rate() { echo "scale=0; $ROWS / $1" | bc -l; }
printf '%-34s %8.2f s %12s rows/s\n' "wc -l" "$T_WC" "$(rate "$T_WC")"
printf '%-34s %8.2f s %12s rows/s\n' "csv crate read floor (1 thread)" "$T_FLOOR" "$(rate "$T_FLOOR")"
printf '%-34s %8.2f s %12s rows/s\n' "qualify score (all cores)" "$T_Q" "$(rate "$T_Q")"
printf '%-34s %8.2f s %12s rows/s\n' "qualify score --threads 1" "$T_Q1" "$(rate "$T_Q1")"
printf '%-34s %8.2f s %12s rows/s\n' "qualify score --engine reference" "$T_REF" "$(rate "$T_REF")"

T_DUCK=
if ! "$PY" -c 'import duckdb' 2>/dev/null; then
  echo "duckdb not installed (pip install duckdb): skipped"
elif [ ! -f "$SQL" ]; then
  echo "no hand-written SQL for $DEF ($SQL): duckdb skipped"
else
  sed -e "s#@DATA@#$DATA#" -e "s#@OUT@#$DIR/duck.csv#" "$SQL" > "$DIR/score.sql"
  # Python starts and imports duckdb inside the timing (about 0.1 s).
  T_DUCK=$(seconds "$PY" -c "import duckdb; duckdb.sql(open('$DIR/score.sql').read())")
  printf '%-34s %8.2f s %12s rows/s\n' "duckdb (hand-written SQL)" "$T_DUCK" "$(rate "$T_DUCK")"
  "$PY" benches/sql/agree.py "$DIR/out.csv" "$DIR/duck.csv" || true
fi
# Polars running the same definition written by hand (benches/sql/NAME.py:
# lazy scan_csv with the read columns' types, sink_csv), checked likewise.
T_POLARS=
POLARS_PEER=benches/sql/$NAME.py
if ! "$PY" -c 'import polars' 2>/dev/null; then
  echo "polars not installed (pip install polars): skipped"
elif [ ! -f "$POLARS_PEER" ]; then
  echo "no hand-written Polars query for $DEF ($POLARS_PEER): polars skipped"
else
  # Python starts and imports polars inside the timing (about 0.1 s).
  T_POLARS=$(seconds "$PY" "$POLARS_PEER" "$DATA" "$DIR/duck.csv")
  printf '%-34s %8.2f s %12s rows/s\n' "polars (hand-written, lazy)" "$T_POLARS" "$(rate "$T_POLARS")"
  "$PY" benches/sql/agree.py "$DIR/out.csv" "$DIR/duck.csv" polars || true
fi
# The same definition as qualify compiles it to DuckDB SQL, over the same
# file read as text (every column VARCHAR, as `--csv` reads it), written
# out the same way.
T_GEN=
if "$PY" -c 'import duckdb' 2>/dev/null; then
  ./target/release/qualify compile "$DEF" --to sql --dialect duckdb --csv "$DATA" \
    --as-of "$AS_OF" -o "$DIR/generated.sql"
  { echo "COPY ("; sed '$ s/;$//' "$DIR/generated.sql"; echo ") TO '$DIR/duck.csv' (HEADER);"; } \
    > "$DIR/generated-copy.sql"
  T_GEN=$(seconds "$PY" -c "import duckdb; duckdb.sql(open('$DIR/generated-copy.sql').read())")
  printf '%-34s %8.2f s %12s rows/s\n' "duckdb (qualify's generated SQL)" "$T_GEN" "$(rate "$T_GEN")"
  "$PY" benches/sql/agree.py "$DIR/out.csv" "$DIR/duck.csv" || true
fi

# The floor of exact SQL (benches/sql/NAME-floor.sql, where there is one):
# the hand-written query plus only what `score`'s answer on every file needs.
# Checked against `score` like the others, then the three timed by CPU time
# on one DuckDB thread, taking turns (benches/sql/cpu.py).
EXACT_FLOOR=benches/sql/$NAME-floor.sql
if [ -n "$T_GEN" ] && [ -n "$T_DUCK" ] && [ -f "$EXACT_FLOOR" ]; then
  sed -e "s#@DATA@#$DATA#" -e "s#@OUT@#$DIR/duck.csv#" "$EXACT_FLOOR" > "$DIR/exact-floor.sql"
  rm -f "$DIR/duck.csv"
  "$PY" -c "import duckdb; duckdb.sql(open('$DIR/exact-floor.sql').read())"
  "$PY" benches/sql/agree.py "$DIR/out.csv" "$DIR/duck.csv" || true
  echo "DuckDB CPU time, one thread: hand-written, the exact floor, generated"
  "$PY" benches/sql/cpu.py "$REPEAT" "$DIR/score.sql" "$DIR/exact-floor.sql" "$DIR/generated-copy.sql"
fi

echo "ratios ($CRITERIA criteria, $ROWS rows):"
printf '  qualify / read floor time:  %.2f (1 or below: no slower than just reading; target)\n' \
  "$(echo "$T_Q / $T_FLOOR" | bc -l)"
if [ -n "$T_BOUND" ]; then
  printf '  least possible / read floor: %.2f (reading, decoding and evaluating alone, on %s cores)\n' \
    "$(echo "$T_BOUND / $T_FLOOR" | bc -l)" "$(nproc)"
fi
if [ -n "$T_DUCK" ]; then
  printf '  duckdb / qualify time:      %.2f (3 or above: at least 3x faster than DuckDB; target)\n' \
    "$(echo "$T_DUCK / $T_Q" | bc -l)"
fi
if [ -n "$T_POLARS" ]; then
  printf '  polars / qualify time:      %.2f (3 or above: at least 3x faster than Polars; target)\n' \
    "$(echo "$T_POLARS / $T_Q" | bc -l)"
fi

if [ -n "$T_GEN" ] && [ -n "$T_DUCK" ]; then
  printf '  generated / hand-written SQL in duckdb: %.2f (1.2 or below: target)\n' \
    "$(echo "$T_GEN / $T_DUCK" | bc -l)"
fi
if [ -n "$T_GEN" ]; then
  printf '  generated SQL in duckdb / qualify time: %.2f\n' "$(echo "$T_GEN / $T_Q" | bc -l)"
fi

if [ "$MEM_ROWS" -gt 0 ] && [ -x /usr/bin/time ]; then
  start=$(date +%s.%N)
  ./target/release/examples/gen-inquiries "$MEM_ROWS" \
    | /usr/bin/time -f '%M' -o "$DIR/mem" \
      ./target/release/qualify score "$DEF" - --as-of "$AS_OF" -o /dev/null 2> "$DIR/stderr"
  end=$(date +%s.%N)
  printf '  peak memory (max RSS), %s rows through stdin: %.1f MB (target: under 64 MB), %.0f s\n' \
    "$MEM_ROWS" "$(echo "$(cat "$DIR/mem") / 1024" | bc -l)" "$(echo "$end - $start" | bc -l)"
  # The same rows from a file, which qualify maps into memory: the pages it
  # has read are handed back as it goes, so the file's size must not show.
  ./target/release/examples/gen-inquiries "$MEM_ROWS" > "$DIR/big.csv"
  /usr/bin/time -f '%M' -o "$DIR/mem" \
    ./target/release/qualify score "$DEF" "$DIR/big.csv" --as-of "$AS_OF" -o /dev/null 2> "$DIR/stderr"
  printf '  peak memory (max RSS), %s rows from a %s file: %.1f MB (target: under 64 MB)\n' \
    "$MEM_ROWS" "$(du -h "$DIR/big.csv" | cut -f1)" "$(echo "$(cat "$DIR/mem") / 1024" | bc -l)"
  rm -f "$DIR/big.csv"
fi
