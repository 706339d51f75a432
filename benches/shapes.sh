#!/usr/bin/env bash
# The shape corpus, timed: for each shape of benches/shapes/ (or those named),
# in one run on one generated file per shape:
#   the read floor (csv crate counting records, one thread, examples/count-records.rs),
#   qualify score (all cores),
#   DuckDB running the shape's hand-written SQL (benches/shapes/NAME.sql),
#   Polars running its hand-written lazy query (benches/shapes/NAME.py, sink_csv),
# each peer's output first checked row by row against qualify's
# (benches/sql/agree.py), then the one-thread time budget (read, decode,
# evaluate: examples/time-budget.rs) and the peak memory of qualify score on
# a file of MEM_ROWS rows, read as a file and through stdin. Prints one
# table (markdown).
#
# Usage: [ROWS=N] [MEM_ROWS=N] [REPEAT=N] benches/shapes.sh [SHAPE...]
#   ROWS      rows in each timed file (default 1000000)
#   MEM_ROWS  rows for the memory run (default 10000000; 0 skips it)
#   REPEAT    runs of each timed command; medians are shown (default 3)
# Python: $QUALIFY_PYTHON, else target/ci-venv (made by .ci/venv with duckdb
# and polars when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
MEM_ROWS=${MEM_ROWS:-10000000}
REPEAT=${REPEAT:-3}
AS_OF=2026-11-23 # gen-shape's default as-of date; the peers assume it too
if [ $# -gt 0 ]; then SHAPES=("$@"); else mapfile -t SHAPES < <(
  cargo run --release --quiet --example gen-shape -- --list | cut -f1); fi
PY=${QUALIFY_PYTHON:-}
if [ -z "$PY" ]; then PY=$(bash .ci/venv); fi
"$PY" -c 'import duckdb, polars' || { echo "$PY cannot import duckdb and polars" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
cargo build --release --quiet --bins --example count-records --example time-budget --example gen-shape
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
BIN=./target/release
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$ROWS rows per shape; medians of $REPEAT runs; $("$PY" -c 'import duckdb, polars; print("DuckDB", duckdb.__version__, "Polars", polars.__version__)')"

# Run a command REPEAT times under /usr/bin/time; print "WALL CPU" (medians,
# seconds; CPU is user + system of the process and its threads). The file
# the command writes (OUT) is removed before each run, when it is a regular file.
measure() {
  local out=$1 i walls=() cpus=()
  shift
  for ((i = 0; i < REPEAT; i++)); do
    # A regular file only: OUT may be /dev/null, which must survive.
    if [ -f "$out" ]; then rm -f "$out"; fi
    /usr/bin/time -f '%e %U %S' -o "$DIR/time" "$@" > /dev/null 2> "$DIR/stderr" \
      || { cat "$DIR/stderr" >&2; return 1; }
    read -r wall user sys < <(tail -n 1 "$DIR/time")
    walls+=("$wall")
    cpus+=("$(printf '%.2f' "$(echo "$user + $sys" | bc -l)")")
  done
  local mid=$(((REPEAT + 1) / 2))
  echo "$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "${mid}p") $(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "${mid}p")"
}
megabytes() { # /usr/bin/time's %M (KiB, last line of FILE) as "N.N MB"
  printf '%.1f MB' "$(echo "$(tail -n 1 "$1") / 1024" | bc -l)"
}
ratio() { # A / B to two decimals; "n/a" when B rounds to zero
  if [ "$(echo "$2 > 0" | bc -l)" = 1 ]; then printf '%.2f' "$(echo "$1 / $2" | bc -l)"; else echo n/a; fi
}

TABLE="$DIR/table"
{
  echo "| shape | criteria | columns | read floor | qualify | DuckDB | Polars | DuckDB / qualify | Polars / qualify | qualify / floor | 1 thread: read, decode, evaluate | (decode + evaluate) / read | peak memory, $MEM_ROWS rows: file, stdin |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} > "$TABLE"
for NAME in "${SHAPES[@]}"; do
  DEF=benches/shapes/$NAME.lead
  DATA=$DIR/$NAME.csv
  $BIN/examples/gen-shape "$NAME" "$ROWS" > "$DATA"
  CRITERIA=$(grep -cE '^\s*criterion "' "$DEF" || true)
  COLUMNS=$(head -n 1 "$DATA" | tr ',' '\n' | wc -l)
  SCORE=($BIN/qualify score "$DEF" "$DATA" --as-of "$AS_OF")
  sed -e "s#@DATA@#$DATA#" -e "s#@OUT@#$DIR/duck.csv#" "benches/shapes/$NAME.sql" > "$DIR/score.sql"
  DUCK=("$PY" -c "import duckdb; duckdb.sql(open('$DIR/score.sql').read())")
  POLARS=("$PY" "benches/shapes/$NAME.py" "$DATA" "$DIR/polars.csv")
  # Same answers first: each peer once, checked row by row against qualify.
  "${SCORE[@]}" -o "$DIR/out.csv" 2> /dev/null
  "${DUCK[@]}"
  "${POLARS[@]}"
  echo "$NAME ($CRITERIA criteria, $COLUMNS columns, $(du -h "$DATA" | cut -f1)):"
  "$PY" benches/sql/agree.py "$DIR/out.csv" "$DIR/duck.csv" duckdb | sed 's/^/  /'
  "$PY" benches/sql/agree.py "$DIR/out.csv" "$DIR/polars.csv" polars | sed 's/^/  /'
  read -r W_FLOOR C_FLOOR < <(measure /dev/null $BIN/examples/count-records "$DATA")
  read -r W_Q C_Q < <(measure "$DIR/out.csv" "${SCORE[@]}" -o "$DIR/out.csv")
  read -r W_D C_D < <(measure "$DIR/duck.csv" "${DUCK[@]}")
  read -r W_P C_P < <(measure "$DIR/polars.csv" "${POLARS[@]}")
  $BIN/examples/time-budget "$DEF" "$DATA" "$AS_OF" "$(nproc)" 2> /dev/null > "$DIR/budget"
  read -r T_READ T_DECODE T_EVAL < <(sed -n \
    's/.*read \([0-9.]*\) s, decode \([0-9.]*\) s, evaluate \([0-9.]*\) s.*/\1 \2 \3/p' "$DIR/budget")
  MEM="skipped"
  if [ "$MEM_ROWS" -gt 0 ]; then
    # Both ways in: a mapped file (parsed on every core, its pages in the
    # resident set as they are read) and stdin (one reader, a buffer).
    $BIN/examples/gen-shape "$NAME" "$MEM_ROWS" > "$DIR/mem.csv"
    /usr/bin/time -f '%M' -o "$DIR/mem" $BIN/qualify score "$DEF" "$DIR/mem.csv" --as-of "$AS_OF" -o /dev/null 2> "$DIR/stderr"
    MEM_FILE=$(megabytes "$DIR/mem")
    /usr/bin/time -f '%M' -o "$DIR/mem" $BIN/qualify score "$DEF" - --as-of "$AS_OF" -o /dev/null < "$DIR/mem.csv" 2> "$DIR/stderr"
    MEM="$MEM_FILE, $(megabytes "$DIR/mem")"
    rm -f "$DIR/mem.csv"
  fi
  echo "  wall (CPU) s: floor $W_FLOOR ($C_FLOOR), qualify $W_Q ($C_Q), duckdb $W_D ($C_D), polars $W_P ($C_P); budget read $T_READ, decode $T_DECODE, evaluate $T_EVAL; memory $MEM"
  rm -f "$DATA" "$DIR"/*.csv
  printf '| %s | %s | %s | %s (%s) | %s (%s) | %s (%s) | %s (%s) | %s (%s) | %s (%s) | %s (%s) | %s, %s, %s | %s | %s |\n' \
    "$NAME" "$CRITERIA" "$COLUMNS" "$W_FLOOR" "$C_FLOOR" "$W_Q" "$C_Q" "$W_D" "$C_D" "$W_P" "$C_P" \
    "$(ratio "$W_D" "$W_Q")" "$(ratio "$C_D" "$C_Q")" "$(ratio "$W_P" "$W_Q")" "$(ratio "$C_P" "$C_Q")" \
    "$(ratio "$W_Q" "$W_FLOOR")" "$(ratio "$C_Q" "$C_FLOOR")" \
    "$T_READ" "$T_DECODE" "$T_EVAL" "$(ratio "$(echo "$T_DECODE + $T_EVAL" | bc -l)" "$T_READ")" "$MEM" >> "$TABLE"
done
echo
echo "Seconds: median wall time (median CPU time, user + system). Ratios: wall (CPU)."
echo "Targets: DuckDB / qualify and Polars / qualify 3 or above; (decode + evaluate) / read 1 or below"
echo "(narrow and wide shapes up to 15 criteria); peak memory under 64 MB."
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
cat "$TABLE"
