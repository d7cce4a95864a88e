#!/usr/bin/env bash
# Wire-protocol benchmarks, Tessera against PostgreSQL 15 on the same data,
# in one run:
#  1. result throughput: `SELECT * FROM orders` (ROWS rows) fetched fully by
#     psycopg 3, text and binary, alternating tessera/postgres RUNS times;
#  2. CONNS concurrent connections (asyncpg) running a mix of queries for
#     SECONDS seconds against each server: errors and p50/p99 latencies.
#
#   ROWS=10000000 RUNS=3 CONNS=50 SECONDS=60 benches/wire/run.sh
#
# PHASES=fetch or PHASES=concurrency runs one of the two.
#
# Installs Debian's postgresql-15 if missing and runs a private cluster on
# port 54329 (data under /var/tmp); Tessera serves on port 54330.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS="${ROWS:-10000000}"
RUNS="${RUNS:-3}"
CONNS="${CONNS:-50}"
SECONDS_="${SECONDS:-60}"
PHASES="${PHASES:-fetch concurrency}"
DATA="${BENCH_DATA:-$HOME/.cache/tessera/bench-data}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tessera/target-release}"
VENV="$HOME/.cache/tessera/bench-venv"
mkdir -p "$DATA"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

PGBIN=/usr/lib/postgresql/15/bin
if [ ! -x "$PGBIN/postgres" ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15
fi
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import psycopg, asyncpg" 2>/dev/null ||
  "$VENV/bin/pip" install -q "psycopg[binary]==3.2.13" "asyncpg==0.32.0"
PY="$VENV/bin/python"

cargo build --release -q -p tessera-engine -p tessera-benches
TESSERA="$CARGO_TARGET_DIR/release/tessera"
CSV="$DATA/orders_$ROWS.csv"
[ -s "$CSV" ] || "$CARGO_TARGET_DIR/release/gen_orders_csv" "$ROWS" "$CSV"

# Tessera: the orders table imported from the CSV (types inferred).
WH="$DATA/wire-wh"
if [ "$("$TESSERA" --warehouse "$WH" sql --format csv -c "select count(*) from orders" 2>/dev/null | tail -1)" != "$ROWS" ]; then
  rm -rf "$WH"
  "$TESSERA" --warehouse "$WH" import "$CSV" --table orders -q
fi

# PostgreSQL 15: the same table with the types Tessera inferred.
# Outside $HOME: the postgres user cannot enter /root.
PGDATA_DIR="${PG_BENCH_DIR:-/var/tmp/tessera-bench-pg15}"
pg() { runuser -u postgres -- "$@"; }
if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
  mkdir -p "$PGDATA_DIR" && chown postgres "$PGDATA_DIR"
  pg "$PGBIN/initdb" -D "$PGDATA_DIR" -A trust -U postgres >/dev/null
fi
pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w \
  -o "-p 54329 -k /tmp -c shared_buffers=2GB -c max_connections=200" start >/dev/null
TESSERA_PID=
cleanup() {
  pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -w stop >/dev/null 2>&1 || true
  [ -n "$TESSERA_PID" ] && kill "$TESSERA_PID" 2>/dev/null || true
}
trap cleanup EXIT
PGDSN="host=127.0.0.1 port=54329 user=postgres dbname=postgres"
if [ "$(psql -X -At "$PGDSN" -c "select count(*) from orders" 2>/dev/null)" != "$ROWS" ]; then
  psql -X -q "$PGDSN" -c "DROP TABLE IF EXISTS orders" -c "CREATE TABLE orders (
    order_id bigint, customer_id bigint, email text, order_date timestamp, channel text,
    status text, city text, postal_code bigint, total_amount double precision,
    currency text, note text)"
  psql -X -q "$PGDSN" -c "\\copy orders FROM '$CSV' CSV HEADER"
  psql -X -q "$PGDSN" -c "VACUUM ANALYZE orders"
fi

"$TESSERA" --warehouse "$WH" serve --listen 127.0.0.1:54330 >"$DATA/tessera-serve.log" 2>&1 &
TESSERA_PID=$!
TSDSN="host=127.0.0.1 port=54330 user=tessera dbname=tessera"
for _ in $(seq 100); do psql -X -At "$TSDSN" -c "select 1" >/dev/null 2>&1 && break; sleep 0.2; done

if [[ " $PHASES " == *" fetch "* ]]; then
RESULTS="$DATA/wire-results.txt"; : > "$RESULTS"
# One untimed warm-up fetch each (page cache, PostgreSQL's buffers).
"$PY" benches/wire/fetch.py "$TSDSN" warmup binary >/dev/null
"$PY" benches/wire/fetch.py "$PGDSN" warmup binary >/dev/null
for i in $(seq "$RUNS"); do
  for mode in text binary; do
    "$PY" benches/wire/fetch.py "$TSDSN" tessera "$mode" | tee -a "$RESULTS"
    "$PY" benches/wire/fetch.py "$PGDSN" postgres "$mode" | tee -a "$RESULTS"
  done
done
echo
echo "Fetch: $ROWS rows, $RUNS runs each, median; $(nproc) cores; $(date -u +%Y-%m-%d)"
echo
echo "| server | format | seconds | rows/s | tessera/postgres rows/s |"
echo "|---|---|---:|---:|---:|"
median() { grep "^$1 $2 " "$RESULTS" | sort -k3 -n | awk -v n="$RUNS" '{w[NR]=$3} END{print w[int((n+1)/2)]}'; }
for mode in text binary; do
  t=$(median tessera "$mode"); p=$(median postgres "$mode")
  for server in tessera postgres; do
    s=$(median "$server" "$mode")
    awk -v s="$server" -v m="$mode" -v w="$s" -v rows="$ROWS" -v t="$t" -v p="$p" 'BEGIN{
      printf "| %s | %s | %.2f | %.0f | %s |\n", s, m, w, rows/w, (s=="tessera" ? sprintf("%.2f", p/t) : "") }'
  done
done

fi

if [[ " $PHASES " == *" concurrency "* ]]; then
  echo
  "$PY" benches/wire/concurrency.py "$TSDSN" tessera "$CONNS" "$SECONDS_"
  "$PY" benches/wire/concurrency.py "$PGDSN" postgres "$CONNS" "$SECONDS_"
fi
