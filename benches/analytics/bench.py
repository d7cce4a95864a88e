"""Customer-analytics and TPC-H benchmark driver (called by run.sh).

Runs every query file of a suite on each engine in one run, interleaved
query by query and run by run (A B C D A B C D ...) so that machine noise
falls on all engines alike:

- ``tessera-wire``: Tessera's server over TCP with psycopg 3 (extended query
  protocol, text results), as a BI tool connects;
- ``tessera``: the same engine in-process (``analytics_bench``), no protocol;
- ``datafusion``: stock DataFusion over delta-rs' table provider
  (``analytics_bench --datafusion``), the baseline Tessera builds on;
- ``duckdb``: DuckDB in-process over the very Parquet files of Tessera's
  Delta tables (the files the Delta log lists);
- ``postgres``: PostgreSQL 15 loaded with COPY, indexed and analysed.

Before any timing, every engine runs the whole suite once (``--warmup-passes``):
a server answering dashboards has been up for a while, and a process's
first queries pay for its own start (heap growth, thread pools, metadata
caches), which would otherwise land on whichever query comes first. Then
each query gets one more warm-up run per engine and RUNS timed runs; the
median counts. The results of Tessera over the wire, DuckDB and PostgreSQL
are compared row by row after normalising values (numbers to 6 significant
digits, instants to UTC); the in-process run is checked by row count.
A query slower than TIMEOUT seconds on an engine is cancelled and reported
as ``>TIMEOUT``.

Writes a Markdown table to stdout and raw timings as JSON to --json.
"""

import argparse
import datetime
import decimal
import json
import math
import os
import statistics
import subprocess
import sys
import time

import duckdb
import psycopg


def normalise(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, (float, decimal.Decimal)):
        f = float(v)
        if math.isnan(f) or math.isinf(f):
            return str(f)
        if f == int(f) and abs(f) < 1e15:
            return int(f)
        return float(f"{f:.6g}")
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return v.isoformat()
    if isinstance(v, (datetime.date, datetime.time)):
        return v.isoformat()
    if isinstance(v, datetime.timedelta):
        return v.total_seconds()
    if isinstance(v, (list, tuple)):
        return [normalise(x) for x in v]
    return str(v)


def normalise_rows(rows):
    return [tuple(normalise(v) for v in r) for r in rows]


class Timeout(Exception):
    pass


class PgEngine:
    """Tessera over the wire or PostgreSQL: one psycopg connection."""

    def __init__(self, name, dsn, timeout):
        self.name = name
        self.conn = psycopg.connect(dsn, autocommit=True)
        self.timeout = timeout
        if name == "postgres":
            self.conn.execute(f"SET statement_timeout = '{int(timeout * 1000)}ms'")

    def run(self, sql):
        started = time.perf_counter()
        try:
            with self.conn.cursor() as cur:
                cur.execute(sql)
                rows = cur.fetchall() if cur.description else []
        except psycopg.errors.QueryCanceled as e:
            raise Timeout() from e
        return time.perf_counter() - started, rows


class DuckEngine:
    def __init__(self, views):
        self.name = "duckdb"
        self.conn = duckdb.connect()
        self.conn.execute("SET TimeZone = 'UTC'")
        # DuckDB sizes its pool from the machine's cores, not the CPUs this
        # process may run on (run.sh's CORES pins the run with taskset).
        self.conn.execute(f"SET threads = {len(os.sched_getaffinity(0))}")
        for schema, table, files in views:
            if schema != "main":
                self.conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            listed = ", ".join(f"'{f}'" for f in files)
            self.conn.execute(
                f"CREATE VIEW {schema}.{table} AS SELECT * FROM read_parquet([{listed}])"
            )

    def run(self, sql):
        started = time.perf_counter()
        rows = self.conn.execute(sql).fetchall()
        return time.perf_counter() - started, rows


class InProcessEngine:
    def __init__(self, name, command):
        self.name = name
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run_file(self, path):
        self.proc.stdin.write(path + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["secs"], reply["rows"]


def delta_files(table_dir):
    """The Parquet files a Delta table's log lists as live (adds minus removes)."""
    log = os.path.join(table_dir, "_delta_log")
    live = set()
    for name in sorted(os.listdir(log)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(log, name)) as f:
            for line in f:
                action = json.loads(line)
                if "add" in action:
                    live.add(action["add"]["path"])
                elif "remove" in action:
                    live.discard(action["remove"]["path"])
    return sorted(os.path.join(table_dir, p) for p in live)


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--queries", required=True, help="folder of NN_name.sql files")
    ap.add_argument("--warehouse", required=True)
    ap.add_argument("--schema", default="public")
    ap.add_argument("--tessera-dsn", required=True)
    ap.add_argument("--postgres-dsn")
    ap.add_argument("--inprocess-bin")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--min-secs",
        type=float,
        default=2.0,
        help="after --runs, keep adding rounds until a query's timed rounds took this long "
        "(short queries get more samples; their medians are otherwise machine noise)",
    )
    ap.add_argument("--max-runs", type=int, default=15, help="cap on timed rounds per query")
    ap.add_argument(
        "--warmup-passes",
        type=int,
        default=1,
        help="untimed runs of the whole suite on every engine before timing",
    )
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--only", help="comma-separated query name prefixes")
    ap.add_argument("--json", required=True)
    args = ap.parse_args()

    files = sorted(f for f in os.listdir(args.queries) if f.endswith(".sql"))
    if args.only:
        wanted = args.only.split(",")
        files = [f for f in files if any(f.startswith(w) for w in wanted)]
    schema_dir = os.path.join(args.warehouse, args.schema)
    views = [
        ("main" if args.schema == "public" else args.schema, t, delta_files(os.path.join(schema_dir, t)))
        for t in sorted(os.listdir(schema_dir))
        if os.path.isdir(os.path.join(schema_dir, t, "_delta_log"))
    ]

    engines = [PgEngine("tessera-wire", args.tessera_dsn, args.timeout)]
    if args.inprocess_bin:
        engines.append(InProcessEngine("tessera", [args.inprocess_bin, args.warehouse]))
        engines.append(
            InProcessEngine("datafusion", [args.inprocess_bin, "--datafusion", args.warehouse])
        )
    engines.append(DuckEngine(views))
    if args.postgres_dsn:
        engines.append(PgEngine("postgres", args.postgres_dsn, args.timeout))
    if args.schema != "public":
        for e in engines:
            if isinstance(e, PgEngine):
                e.conn.execute(f"SET search_path = {args.schema}")
        engines_duck = [e for e in engines if isinstance(e, DuckEngine)]
        for e in engines_duck:
            e.conn.execute(f"SET schema = '{args.schema}'")

    for _ in range(args.warmup_passes):
        for f in files:
            path = os.path.abspath(os.path.join(args.queries, f))
            sql = open(path).read()
            for e in engines:
                try:
                    if isinstance(e, InProcessEngine):
                        e.run_file(path)
                    else:
                        e.run(sql)
                except Exception:  # noqa: BLE001 - the timed rounds report it
                    if isinstance(e, PgEngine):
                        e.conn.rollback()

    results = []
    for f in files:
        path = os.path.abspath(os.path.join(args.queries, f))
        sql = open(path).read()
        name = f[:-4]
        times = {e.name: [] for e in engines}
        answers = {}
        failed = {}
        run = -1
        timed_since = None
        while True:  # round 0 is the warm-up; every engine runs once per round
            run += 1
            if run == 1:
                timed_since = time.perf_counter()
            if run > args.runs and (
                run > args.max_runs or time.perf_counter() - timed_since >= args.min_secs
            ):
                break
            for e in engines:
                if e.name in failed:
                    continue
                try:
                    if isinstance(e, InProcessEngine):
                        secs, rows = e.run_file(path)
                        answers[e.name] = rows
                    else:
                        secs, rows = e.run(sql)
                        answers[e.name] = rows
                except Timeout:
                    failed[e.name] = "timeout"
                    continue
                except Exception as ex:  # noqa: BLE001 - reported in the table
                    failed[e.name] = f"error: {str(ex).splitlines()[0][:200]}"
                    if isinstance(e, PgEngine):
                        e.conn.rollback()
                    continue
                if run > 0:
                    times[e.name].append(secs)
        medians = {n: (statistics.median(t) if t and n not in failed else None) for n, t in times.items()}
        # Compare with DuckDB's answer (PostgreSQL's if DuckDB failed).
        ref_name = "duckdb" if "duckdb" in answers and "duckdb" not in failed else "postgres"
        ref = normalise_rows(answers.get(ref_name, []))
        same = {}
        for n, rows in answers.items():
            if n in failed or n == ref_name:
                continue
            if isinstance(rows, int):
                same[n] = rows == len(ref)
            else:
                same[n] = normalise_rows(rows) == ref
        entry = {
            "query": name,
            "median_s": medians,
            "runs_s": times,
            "failed": failed,
            "same_as_" + ref_name: same,
            "rows": len(ref),
        }
        results.append(entry)
        status = " ".join(
            f"{n}={'%.3f' % m if m is not None else failed.get(n)}" for n, m in medians.items()
        )
        mismatch = [n for n, ok in same.items() if not ok]
        print(f"{name}: {status}" + (f"  DIFFERENT: {mismatch}" if mismatch else ""), file=sys.stderr, flush=True)
        if mismatch:
            diff_path = args.json + f".{name}.diff.json"
            with open(diff_path, "w") as out:
                json.dump(
                    {n: normalise_rows(r)[:50] for n, r in answers.items() if not isinstance(r, int)},
                    out,
                    indent=1,
                    default=str,
                )

    with open(args.json, "w") as out:
        json.dump(results, out, indent=1)
    print_table(results, [e.name for e in engines], args.timeout)


def print_table(results, names, timeout):
    def cell(entry, n):
        m = entry["median_s"].get(n)
        if m is not None:
            return f"{m:.3f}"
        f = entry["failed"].get(n, "")
        return f">{timeout:.0f}" if f == "timeout" else "error"

    header = ["query"] + [f"{n} (s)" for n in names]
    ratio_cols = []
    if "duckdb" in names:
        ratio_cols.append(("tessera-wire", "duckdb"))
        if "tessera" in names:
            ratio_cols.append(("tessera", "duckdb"))
        if "datafusion" in names:
            ratio_cols.append(("datafusion", "duckdb"))
    if "postgres" in names:
        ratio_cols.append(("postgres", "tessera-wire"))
    header += [f"{a} ÷ {b}" for a, b in ratio_cols]
    header.append("same result")
    print("| " + " | ".join(header) + " |")
    print("|---|" + "---:|" * (len(header) - 2) + "---|")
    for e in results:
        row = [e["query"]] + [cell(e, n) for n in names]
        for a, b in ratio_cols:
            x, y = e["median_s"].get(a), e["median_s"].get(b)
            if x is not None and y is not None and y > 0:
                row.append(f"{x / y:.2f}")
            elif a == "postgres" and e["failed"].get(a) == "timeout" and y:
                row.append(f">{timeout / y:.1f}")
            else:
                row.append("–")
        same = next((v for k, v in e.items() if k.startswith("same_as_")), {})
        bad = [n for n, ok in same.items() if not ok]
        row.append("yes" if not bad and not e["failed"] else ("no: " + ", ".join(bad) if bad else "–"))
        print("| " + " | ".join(row) + " |")
    # Geometric means over the queries Tessera and DuckDB both finished; an
    # engine that failed or timed out on one of them has no geomean (–).
    core = [n for n in names if n in ("tessera-wire", "tessera", "duckdb")]
    done = [e for e in results if all(e["median_s"].get(n) is not None for n in core)]
    g = {
        n: geomean([e["median_s"][n] for e in done])
        if all(e["median_s"].get(n) is not None for e in done)
        else None
        for n in names
    }
    fmt = lambda x, spec: (spec % x) if x is not None else "–"  # noqa: E731
    row = [f"**geomean** ({len(done)} queries)"] + [f"**{fmt(g[n], '%.3f')}**" for n in names]
    for a, b in ratio_cols:
        row.append(f"**{fmt(g[a] / g[b] if g[a] and g[b] else None, '%.2f')}**")
    row.append("")
    print("| " + " | ".join(row) + " |")
    slow = [
        (e["query"], e["median_s"]["tessera-wire"] / e["median_s"]["duckdb"])
        for e in results
        if e["median_s"].get("tessera-wire") and e["median_s"].get("duckdb")
    ]
    worst = max(slow, key=lambda x: x[1]) if slow else None
    if worst:
        print(f"\nSlowest relative to DuckDB: {worst[0]} at {worst[1]:.2f}× DuckDB's time.")


if __name__ == "__main__":
    main()
