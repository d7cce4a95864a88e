#!/usr/bin/env bash
# Customer-analytics benchmark (and TPC-H SF1): Tessera over the wire and
# in-process, DuckDB over the same Parquet files, PostgreSQL 15 loaded with
# COPY, indexed and analysed — all in one run, interleaved query by query.
#
#   SFS="1 10" RUNS=3 benches/analytics/run.sh
#
# Environment:
#   SFS      scale factors of the customer data (default "1", empty for none; SF1 = 100 000
#            contacts, 1M orders, 2.55M order lines, 5M events)
#   TPCH     TPC-H scale factor to run too (default 1; empty to skip)
#   RUNS     timed runs per query and engine (default 3), after one untimed pass over
#            the whole suite on every engine and one warm-up run per query; queries
#            whose rounds take under MIN_SECS get more rounds (up to 15)
#   MIN_SECS  seconds of timed rounds per query at least (default 2)
#   TIMEOUT  seconds after which a PostgreSQL query is cancelled (default 300)
#   ONLY     comma-separated query-name prefixes (e.g. "05,12")
#   ENGINES  "all" (default) or "no-postgres"
#   CORES    run everything (Tessera, DuckDB, PostgreSQL, the driver) on the first CORES
#            CPUs only (taskset; DuckDB's threads follow); result files get a -<n>cpu
#            suffix. benches/analytics/scaling.py compares two such runs.
#   SKIP_BUILD  set to run the release binaries already built
#   BENCH_DATA  where data and warehouses live (default
#            ~/.cache/tessera/bench-data; generated once, reused)
#   PG_DIR   the PostgreSQL cluster and its CSV staging folder (default
#            /var/tmp/tessera-bench: the server's user must reach it)
#
# Prints one Markdown table per suite (medians) and writes raw timings to
# $BENCH_DATA/results/*.json. See BENCHMARKS.md for results.
set -euo pipefail
if [ -n "${CORES:-}" ] && [ -z "${TESSERA_BENCH_PINNED:-}" ]; then
  export TESSERA_BENCH_PINNED=1
  exec taskset -c "0-$((CORES - 1))" "$0" "$@"
fi
cd "$(dirname "$0")/../.."
ROOT=$PWD
SFS="${SFS-1}"
TPCH="${TPCH-1}"
RUNS="${RUNS:-3}"
MIN_SECS="${MIN_SECS:-2}"
TIMEOUT="${TIMEOUT:-300}"
ONLY="${ONLY:-}"
ENGINES="${ENGINES:-all}"
DATA="${BENCH_DATA:-$HOME/.cache/tessera/bench-data}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tessera/target-release}"
VENV="$HOME/.cache/tessera/bench-venv"
PG_BIN=/usr/lib/postgresql/15/bin
mkdir -p "$DATA/results"

# --- tools -----------------------------------------------------------------
if [ ! -x "$PG_BIN/postgres" ]; then
  sudo_="" ; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get install -y -q postgresql-15 postgresql-client-15 >/dev/null
fi
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import duckdb, psycopg; assert duckdb.__version__ == '2.0.1'" 2>/dev/null ||
  "$VENV/bin/pip" install -q duckdb==2.0.1 "psycopg[binary]==3.2.13" pyarrow==26.0.1 numpy==2.4.6
PY="$VENV/bin/python"
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p tessera-engine -p tessera-benches --bin tessera --bin analytics_bench --bin gen_tpch
BIN="$CARGO_TARGET_DIR/release"

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- PostgreSQL: one cluster, one database per data set ----------------------
PG_DIR="${PG_DIR:-/var/tmp/tessera-bench}"
PG_PORT=$(free_port)
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else bash -c "$*"; fi; }
pg_start() {
  if [ ! -d "$PG_DIR/data" ]; then
    mkdir -p "$PG_DIR"; if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; fi
    as_pg "$PG_BIN/initdb -D $PG_DIR/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
  fi
  # Settings for an analytics database on this machine: a quarter of memory
  # for shared buffers, room for sorts and hashes, parallel workers.
  local mem_kb; mem_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)
  as_pg "$PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/log -w start -o \"-p $PG_PORT -k $PG_DIR \
    -c listen_addresses=127.0.0.1 -c TimeZone=UTC -c shared_buffers=$((mem_kb / 4))kB \
    -c effective_cache_size=$((mem_kb / 2))kB -c work_mem=256MB -c maintenance_work_mem=1GB \
    -c max_parallel_workers_per_gather=$(nproc) -c max_wal_size=8GB -c fsync=off \
    -c synchronous_commit=off -c full_page_writes=off\"" >/dev/null
}
pg_stop() { as_pg "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast stop" >/dev/null 2>&1 || true; }
TESSERA_PID=
cleanup() { [ -n "$TESSERA_PID" ] && kill "$TESSERA_PID" 2>/dev/null; pg_stop; }
trap cleanup EXIT
[ "$ENGINES" = no-postgres ] || pg_start
PSQL="psql -X -q -h 127.0.0.1 -p $PG_PORT -U postgres"

# pg_load DB WAREHOUSE_SCHEMA_DIR DDL: creates and loads DB once.
pg_load() {
  local db=$1 dir=$2 ddl=$3
  if ! $PSQL -d "$db" -Atc "select 1 from pg_tables where tablename = 'bench_loaded'" 2>/dev/null | grep -q 1; then
    $PSQL -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    "$PY" benches/analytics/load_postgres.py "host=127.0.0.1 port=$PG_PORT user=postgres dbname=$db" \
      "$dir" "$ddl" "$PG_DIR/csv"
    $PSQL -d "$db" -c "CREATE TABLE bench_loaded (at timestamptz default now())" >/dev/null
  fi
}

# run_suite NAME QUERIES WAREHOUSE DB
run_suite() {
  local name=$1${CORES:+-${CORES}cpu} queries=$2 wh=$3 db=$4 port pg_args=()
  port=$(free_port)
  "$BIN/tessera" --warehouse "$wh" serve --listen "127.0.0.1:$port" 2>"$DATA/results/$name.server.log" &
  TESSERA_PID=$!
  for _ in $(seq 100); do "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break; sleep 0.2; done
  [ "$ENGINES" = no-postgres ] || pg_args=(--postgres-dsn "host=127.0.0.1 port=$PG_PORT user=postgres dbname=$db")
  echo
  echo "### $name"
  echo
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(date -u +%Y-%m-%d); median of $RUNS runs (more, up to 15, for queries whose rounds take under ${MIN_SECS} s) after a warm-up; seconds"
  echo
  (cd benches/analytics && "$PY" bench.py --queries "$ROOT/$queries" --warehouse "$wh" \
    --tessera-dsn "host=127.0.0.1 port=$port user=tessera dbname=tessera" \
    --inprocess-bin "$BIN/analytics_bench" "${pg_args[@]}" --runs "$RUNS" --min-secs "$MIN_SECS" \
    --timeout "$TIMEOUT" ${ONLY:+--only "$ONLY"} --json "$DATA/results/$name.json")
  kill "$TESSERA_PID"; wait "$TESSERA_PID" 2>/dev/null || true; TESSERA_PID=
}

echo "Tessera $(git rev-parse --short HEAD), DuckDB $("$PY" -c 'import duckdb; print(duckdb.__version__)'), $("$PG_BIN/postgres" --version)"

# --- customer analytics ------------------------------------------------------
for sf in $SFS; do
  wh="$DATA/analytics-sf$sf"
  if [ ! -f "$wh/.complete" ]; then
    rm -rf "$wh"
    "$BIN/tessera" --warehouse "$wh" demo --profile bench --scale "$sf" >&2
    touch "$wh/.complete"
  fi
  [ "$ENGINES" = no-postgres ] || pg_load "analytics_sf${sf//./_}" "$wh/public" benches/analytics/postgres.sql
  run_suite "analytics-sf$sf" benches/analytics/queries "$wh" "analytics_sf${sf//./_}"
done

# --- TPC-H ---------------------------------------------------------------------
if [ -n "$TPCH" ]; then
  wh="$DATA/tpch-sf$TPCH"
  if [ ! -f "$wh/.complete" ]; then
    rm -rf "$wh" "$DATA/tpch-parquet-sf$TPCH"
    "$BIN/gen_tpch" "$TPCH" "$DATA/tpch-parquet-sf$TPCH" >&2
    for t in region nation supplier customer part partsupp orders lineitem; do
      "$BIN/tessera" --warehouse "$wh" import "$DATA/tpch-parquet-sf$TPCH/$t/"*.parquet --table "$t" -q
    done
    rm -rf "$DATA/tpch-parquet-sf$TPCH"
    touch "$wh/.complete"
  fi
  [ "$ENGINES" = no-postgres ] || pg_load "tpch_sf${TPCH//./_}" "$wh/public" benches/tpch/schema.sql
  run_suite "tpch-sf$TPCH" benches/tpch/queries "$wh" "tpch_sf${TPCH//./_}"
fi
