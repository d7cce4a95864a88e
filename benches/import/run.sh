#!/usr/bin/env bash
# Import benchmark: a 10-million-row orders CSV (about 1 GB) into a Delta
# table with `tessera import`, against DuckDB reading the same CSV into a
# Parquet file, in one run, alternating A B A B. Prints a Markdown table
# (median of RUNS runs: wall seconds, rows/s, peak resident memory).
#
#   ROWS=10000000 RUNS=3 benches/import/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS="${ROWS:-10000000}"
RUNS="${RUNS:-3}"
DATA="${BENCH_DATA:-$HOME/.cache/tessera/bench-data}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tessera/target-release}"
VENV="$HOME/.cache/tessera/bench-venv"
mkdir -p "$DATA"

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import duckdb" 2>/dev/null || "$VENV/bin/pip" install -q duckdb
cargo build --release -q -p tessera-engine -p tessera-benches
TESSERA="$CARGO_TARGET_DIR/release/tessera"
CSV="$DATA/orders_$ROWS.csv"
[ -s "$CSV" ] || "$CARGO_TARGET_DIR/release/gen_orders_csv" "$ROWS" "$CSV"

measure() { # label, command...  -> appends "label wall_s max_rss_kb" to $RESULTS
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$DATA/time.out" "$@" >/dev/null 2>"$DATA/cmd.err" || { cat "$DATA/cmd.err"; exit 1; }
  echo "$label $(cat "$DATA/time.out")" >> "$RESULTS"
}
RESULTS="$DATA/results.txt"; : > "$RESULTS"
for i in $(seq "$RUNS"); do
  rm -rf "$DATA/wh" "$DATA/duck.parquet"
  measure tessera "$TESSERA" --warehouse "$DATA/wh" import "$CSV" --table orders -q
  measure duckdb "$VENV/bin/python" -c "import duckdb; duckdb.sql(\"COPY (SELECT * FROM read_csv('$CSV')) TO '$DATA/duck.parquet' (FORMAT parquet)\")"
done
rows_loaded=$("$TESSERA" --warehouse "$DATA/wh" sql --format csv -c "select count(*) from orders" | tail -1)
[ "$rows_loaded" = "$ROWS" ] || { echo "tessera loaded $rows_loaded rows, expected $ROWS"; exit 1; }
size_mb=$(( $(stat -c %s "$CSV") / 1048576 ))
echo
echo "CSV: $ROWS rows, $size_mb MiB; $RUNS runs each, median; $(nproc) cores; $(date -u +%Y-%m-%d)"
echo
echo "| tool | seconds | rows/s | peak RSS (MiB) |"
echo "|---|---:|---:|---:|"
for tool in tessera duckdb; do
  grep "^$tool " "$RESULTS" | sort -k2 -n | awk -v n="$RUNS" -v rows="$ROWS" -v t="$tool" '
    { w[NR]=$2; m[NR]=$3 } END { i=int((n+1)/2); printf "| %s | %.2f | %.0f | %.0f |\n", t, w[i], rows/w[i], m[i]/1024 }'
done
t=$(grep '^tessera ' "$RESULTS" | sort -k2 -n | awk -v n="$RUNS" '{w[NR]=$2} END{print w[int((n+1)/2)]}')
d=$(grep '^duckdb ' "$RESULTS" | sort -k2 -n | awk -v n="$RUNS" '{w[NR]=$2} END{print w[int((n+1)/2)]}')
echo
echo "tessera / duckdb wall-time ratio: $(awk -v a="$t" -v b="$d" 'BEGIN{printf "%.2f", a/b}')"
