"""N concurrent connections running a mix of queries for a while.

Each connection (asyncpg, binary protocol, prepared statements) loops over
a mix of dashboard-style queries on `orders` plus catalog and trivial
queries, in a per-connection shuffled order, until the time is up. Prints a
Markdown table of latency percentiles per query and overall, the number of
queries and of errors (any error is also printed).

    python concurrency.py DSN LABEL CONNECTIONS SECONDS
"""
import asyncio
import random
import sys
import time

import asyncpg

QUERIES = {
    "select 1": ("SELECT 1", ()),
    "point lookup": ("SELECT * FROM orders WHERE order_id = $1", "id"),
    "revenue by city": (
        "SELECT city, count(*) AS orders, sum(total_amount) AS revenue FROM orders "
        "GROUP BY city ORDER BY revenue DESC LIMIT 10",
        (),
    ),
    "customer orders": (
        "SELECT order_id, order_date, total_amount FROM orders WHERE customer_id = $1 "
        "ORDER BY order_date DESC LIMIT 20",
        "customer",
    ),
    "status by channel": (
        "SELECT channel, status, count(*) FROM orders WHERE order_date >= '2024-06-01' "
        "GROUP BY channel, status",
        (),
    ),
    "catalog": (
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND a.attnum > 0 ORDER BY c.relname, a.attnum",
        (),
    ),
}


async def worker(dsn, deadline, seed, latencies, errors):
    rng = random.Random(seed)
    # libpq-style "key=value" DSN → asyncpg keyword arguments.
    kv = dict(part.split("=", 1) for part in dsn.split())
    conn = await asyncpg.connect(
        host=kv["host"], port=int(kv["port"]), user=kv["user"], database=kv["dbname"]
    )
    try:
        names = list(QUERIES)
        while time.perf_counter() < deadline:
            rng.shuffle(names)
            for name in names:
                if time.perf_counter() >= deadline:
                    break
                sql, args = QUERIES[name]
                if args == "id":
                    args = (rng.randint(1, 10_000_000),)
                elif args == "customer":
                    args = (rng.randint(1, 1_000_000),)
                t0 = time.perf_counter()
                try:
                    await conn.fetch(sql, *args)
                except Exception as e:  # noqa: BLE001 - every error counts
                    errors.append(f"{name}: {type(e).__name__}: {e}")
                    continue
                latencies.setdefault(name, []).append(time.perf_counter() - t0)
    finally:
        await conn.close()


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def main():
    dsn, label, n, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    latencies, errors = {}, []
    deadline = time.perf_counter() + seconds
    await asyncio.gather(*(worker(dsn, deadline, i, latencies, errors) for i in range(n)))
    every = [x for v in latencies.values() for x in v]
    print(f"\n{label}: {n} connections, {seconds:.0f} s, {len(every)} queries, {len(errors)} errors\n")
    print("| query | count | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|")
    for name in QUERIES:
        v = latencies.get(name, [])
        if v:
            print(f"| {name} | {len(v)} | {pct(v, 50) * 1000:.1f} | {pct(v, 99) * 1000:.1f} |")
    if every:
        print(f"| **all** | {len(every)} | {pct(every, 50) * 1000:.1f} | {pct(every, 99) * 1000:.1f} |")
    for e in errors[:10]:
        print("error:", e)
    sys.exit(1 if errors else 0)


asyncio.run(main())
