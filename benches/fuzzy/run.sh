#!/usr/bin/env bash
# Fuzzy-matching benchmark: pairs/second on one core for levenshtein,
# jaro_winkler and token_set_ratio over ROWS French name pairs, Tessera
# (in-process DataFusion, target_partitions = 1) against rapidfuzz (Python
# lists and process.cpdist, workers=1) and DuckDB (threads = 1), in one run,
# alternating the engines RUNS times. Prints a Markdown table (medians).
#
#   ROWS=1000000 RUNS=5 benches/fuzzy/run.sh
#
# Every process is pinned to CPU $CPU (default 1) with taskset. The pairs
# (gen_name_pairs, deterministic) are written once to
# $BENCH_DATA/name_pairs_$ROWS.parquet. MEASURES=levenshtein,... limits
# Tessera's measures (the baseline is always needed for the table).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS="${ROWS:-1000000}"
RUNS="${RUNS:-5}"
CPU="${CPU:-1}"
DATA="${BENCH_DATA:-$HOME/.cache/tessera/bench-data}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tessera/target-release}"
VENV="$HOME/.cache/tessera/bench-venv"
mkdir -p "$DATA"

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import rapidfuzz, duckdb, pyarrow, numpy; assert rapidfuzz.__version__ == '3.14.6' and duckdb.__version__ == '2.0.1'" 2>/dev/null ||
  "$VENV/bin/pip" install -q rapidfuzz==3.14.6 duckdb==2.0.1 pyarrow==26.0.1 numpy==2.4.6
PY="$VENV/bin/python"

cargo build --release -q -p tessera-benches --bin gen_name_pairs --bin fuzzy_bench
BIN="$CARGO_TARGET_DIR/release"
PAIRS="$DATA/name_pairs_$ROWS.parquet"
[ -s "$PAIRS" ] || "$BIN/gen_name_pairs" "$ROWS" "$PAIRS"

RESULTS="$DATA/fuzzy-results.txt"; : > "$RESULTS"
for i in $(seq "$RUNS"); do
  taskset -c "$CPU" "$BIN/fuzzy_bench" "$PAIRS" 1 | tee -a "$RESULTS"
  taskset -c "$CPU" "$PY" benches/fuzzy/competitors.py "$PAIRS" | tee -a "$RESULTS"
done
echo
echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)); $(date -u +%Y-%m-%d)"
echo "rapidfuzz $("$PY" -c 'import rapidfuzz; print(rapidfuzz.__version__)'), duckdb $("$PY" -c 'import duckdb; print(duckdb.__version__)'), $(rustc --version)"
"$PY" benches/fuzzy/summarize.py "$RESULTS" "$ROWS"
