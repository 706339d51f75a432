#!/usr/bin/env bash
# Scoring from activity events at scale (issue 19): for each size LEADSxEVENTS,
# one generated pair (examples/gen-events.rs: unsorted, with bad rows,
# duplicates and unknown ids) scored by rules/recycle-cadence.lead, all
# measured in the same run:
#   the read floor (csv crate counting the events file's records, one thread,
#   examples/count-records.rs),
#   qualify score --events (all cores),
#   DuckDB running the exact query qualify generates (`compile --to sql
#   --dialect duckdb --csv --events-csv`), all cores, its scored rows COPY'd
#   to CSV,
# DuckDB's output first checked row by row against qualify's
# (benches/sql/agree.py); then medians of wall time, CPU time and peak memory
# (maximum resident set, /usr/bin/time) of each. Prints one table (markdown).
#
# Usage: [SIZES="100000x2000000 1000000x20000000"] [REPEAT=N] benches/events.sh
#   SIZES   the sizes, LEADSxEVENTS (default both above; SIZES=10000x200000
#           for a quick try)
#   REPEAT  runs of each timed command; medians are shown (default 3)
# Python: $QUALIFY_PYTHON, else target/ci-venv (made by .ci/venv with duckdb).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-100000x2000000 1000000x20000000}
REPEAT=${REPEAT:-3}
AS_OF=2026-11-23 # gen-events' default as-of date
DEF=rules/recycle-cadence.lead
PY=${QUALIFY_PYTHON:-}
if [ -z "$PY" ]; then PY=$(bash .ci/venv); fi
"$PY" -c 'import duckdb' || { echo "$PY cannot import duckdb" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
cargo build --release --quiet --bins --example count-records --example gen-events
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
BIN=./target/release
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB; load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$DEF; medians of $REPEAT runs; $("$PY" -c 'import duckdb; print("DuckDB", duckdb.__version__)')"

# Run a command REPEAT times under /usr/bin/time; print "WALL CPU MB" (medians:
# seconds, user + system seconds, peak resident MB). The file the command
# writes (OUT) is removed before each run, when it is a regular file.
# (/usr/bin/time's own `-o` names its report file, never qualify's output.)
measure() {
  local out=$1 i walls=() cpus=() mems=()
  shift
  for ((i = 0; i < REPEAT; i++)); do
    # A regular file only: OUT may be /dev/null, which must survive.
    if [ -f "$out" ]; then rm -f "$out"; fi
    # Exit 3 is qualify's "scored, some rows rejected": the planted bad rows.
    local rc=0
    /usr/bin/time -f '%e %U %S %M' -o "$DIR/time" "$@" > /dev/null 2> "$DIR/stderr" || rc=$?
    if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then cat "$DIR/stderr" >&2; return 1; fi
    read -r wall user sys kb < <(tail -n 1 "$DIR/time")
    walls+=("$wall")
    cpus+=("$(printf '%.2f' "$(echo "$user + $sys" | bc -l)")")
    mems+=("$(printf '%.0f' "$(echo "$kb / 1024" | bc -l)")")
  done
  local mid=$(((REPEAT + 1) / 2))
  median() { printf '%s\n' "$@" | sort -g | sed -n "${mid}p"; }
  echo "$(median "${walls[@]}") $(median "${cpus[@]}") $(median "${mems[@]}")"
}
ratio() { # A / B to two decimals; "n/a" when B rounds to zero
  if [ "$(echo "$2 > 0" | bc -l)" = 1 ]; then printf '%.2f' "$(echo "$1 / $2" | bc -l)"; else echo n/a; fi
}

TABLE="$DIR/table"
{
  echo "| leads × events | events file | read floor (events) | qualify | DuckDB (generated SQL) | DuckDB / qualify | qualify peak | DuckDB peak | load at the row |"
  echo "|---|---|---|---|---|---|---|---|---|"
} > "$TABLE"
for SIZE in $SIZES; do
  LEADS=${SIZE%x*}
  EVENTS=${SIZE#*x}
  $BIN/examples/gen-events "$LEADS" "$EVENTS" "$DIR/leads.csv" "$DIR/events.csv" 2> "$DIR/planted"
  SCORE=($BIN/qualify score "$DEF" "$DIR/leads.csv" --events "$DIR/events.csv" --as-of "$AS_OF")
  $BIN/qualify compile "$DEF" --to sql --dialect duckdb --csv "$DIR/leads.csv" \
    --events-csv "$DIR/events.csv" --as-of "$AS_OF" > "$DIR/query.sql"
  # The scored rows only (qualify writes the rejected ones elsewhere).
  "$PY" - "$DIR/query.sql" "$DIR/score.sql" "$DIR/duck.csv" <<'PY'
import sys
query = open(sys.argv[1]).read().strip().rstrip(";")
out = sys.argv[3].replace("'", "''")
open(sys.argv[2], "w").write(
    f"COPY (SELECT * EXCLUDE (rejected) FROM ({query}) WHERE rejected IS NULL) TO '{out}' (HEADER)"
)
PY
  DUCK=("$PY" -c "import duckdb; duckdb.sql(open('$DIR/score.sql').read())")
  # Same answers first.
  "${SCORE[@]}" -o "$DIR/out.csv" 2> "$DIR/summary" || [ $? = 3 ]
  "${DUCK[@]}"
  echo "$SIZE ($(du -h "$DIR/leads.csv" | cut -f1) leads, $(du -h "$DIR/events.csv" | cut -f1) events): $(cat "$DIR/planted")"
  sed 's/^/  /' "$DIR/summary"
  "$PY" benches/sql/agree.py "$DIR/out.csv" "$DIR/duck.csv" duckdb | sed 's/^/  /'
  read -r W_FLOOR C_FLOOR _ < <(measure /dev/null $BIN/examples/count-records "$DIR/events.csv")
  read -r W_Q C_Q M_Q < <(measure "$DIR/out.csv" "${SCORE[@]}" -o "$DIR/out.csv")
  read -r W_D C_D M_D < <(measure "$DIR/duck.csv" "${DUCK[@]}")
  LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "  wall (CPU) s: floor $W_FLOOR ($C_FLOOR), qualify $W_Q ($C_Q) $M_Q MB, duckdb $W_D ($C_D) $M_D MB; load $LOAD"
  printf '| %s × %s | %s | %s (%s) | %s (%s) | %s (%s) | %s (%s) | %s MB | %s MB | %s |\n' \
    "$LEADS" "$EVENTS" "$(du -h "$DIR/events.csv" | cut -f1)" "$W_FLOOR" "$C_FLOOR" "$W_Q" "$C_Q" \
    "$W_D" "$C_D" "$(ratio "$W_D" "$W_Q")" "$(ratio "$C_D" "$C_Q")" "$M_Q" "$M_D" "$LOAD" >> "$TABLE"
  rm -f "$DIR"/*.csv
done
echo
echo "Seconds: median wall time (median CPU time, user + system). Ratio: wall (CPU). Peak: median maximum resident set."
echo "Targets (issue 19): DuckDB / qualify 2 or above at 1000000 × 20000000 on 2 cores; qualify's peak under 300 MB."
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
cat "$TABLE"
