#!/usr/bin/env python3
"""Run the analytics queries on DuckDB, PostgreSQL and Tessera and compare the results row for row.

DuckDB reads the Delta tables' Parquet files directly (one view per table); PostgreSQL and
Tessera are reached with `psql --csv` (simple query protocol, text results), so what is
compared is what a client sees. Values are normalised before comparing: numbers compare
numerically (12.50 = 12.5), timestamps in UTC, booleans as t/f, NULL as empty.

Needs the `duckdb` Python module (e.g. ~/.cache/tessera/bench-venv/bin/python) and psql.

  check_queries.py --warehouse /tmp/whdemo --pg 'host=127.0.0.1 port=55442 user=postgres' \
      --tessera 'host=127.0.0.1 port=55443 user=tessera' [--repeat 3] [QUERY.sql ...]

--tessera-cli BIN runs each file with `BIN --warehouse W sql --format csv -f FILE` too (its time
includes the process start). Any engine can be left out (--no-duckdb, or no --pg / --tessera). The reference is
PostgreSQL when given, else DuckDB. Exit status 1 when a query fails or differs.
"""

import argparse
import csv
import datetime as dt
import decimal
import glob
import io
import os
import re
import subprocess
import sys
import time

TABLES = ["products", "contacts", "orders", "order_items", "events"]
NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TS = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?([+-]\d{2}(:?\d{2})?)?$")


def norm_text(v):
    """A psql text value -> a comparable value."""
    if v == "":
        return None
    if NUM.match(v):
        return decimal.Decimal(v)
    if DATE.match(v):
        return dt.date.fromisoformat(v)
    m = TS.match(v)
    if m:
        s = v.replace("T", " ")
        if m.group(4) and len(m.group(4)) == 3:
            s += ":00"
        t = dt.datetime.fromisoformat(s)
        if t.tzinfo is not None:
            t = t.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return t
    if v in ("t", "true"):
        return True
    if v in ("f", "false"):
        return False
    return v


def norm_py(v):
    """A DuckDB Python value -> a comparable value."""
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, int):
        return decimal.Decimal(v)
    if isinstance(v, float):
        return decimal.Decimal(repr(v))
    if isinstance(v, decimal.Decimal):
        return v
    if isinstance(v, dt.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return v
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        return norm_text(v)  # as psql would show it
    return str(v)


def same(a, b, tol):
    if isinstance(a, decimal.Decimal) and isinstance(b, decimal.Decimal):
        if a == b:
            return "exact"
        if abs(a - b) <= decimal.Decimal(tol) * max(1, abs(a), abs(b)):
            return "approx"
        return None
    if isinstance(a, dt.datetime) and isinstance(b, dt.date) and not isinstance(b, dt.datetime):
        a, b = b, a
    if isinstance(a, dt.date) and not isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return "approx" if b == dt.datetime(a.year, a.month, a.day) else None
    return "exact" if a == b else None


def compare(ref, got, tol):
    """-> (verdict, detail): verdict is 'same', 'approx' or 'DIFF'."""
    (rcols, rrows), (gcols, grows) = ref, got
    notes = []
    if len(rcols) != len(gcols):
        return "DIFF", f"{len(gcols)} columns instead of {len(rcols)}: {gcols} vs {rcols}"
    if [c.lower() for c in rcols] != [c.lower() for c in gcols]:
        notes.append(f"column names {gcols} vs {rcols}")
    if len(rrows) != len(grows):
        return "DIFF", f"{len(grows)} rows instead of {len(rrows)}"
    verdict = "same"
    for i, (r, g) in enumerate(zip(rrows, grows)):
        for j, (a, b) in enumerate(zip(r, g)):
            s = same(a, b, tol)
            if s is None:
                return "DIFF", f"row {i + 1} column {rcols[j]}: {b!r} instead of {a!r}\n  got: {g}\n  ref: {r}"
            if s == "approx" and verdict == "same":
                verdict = "approx"
                notes.append(f"row {i + 1} column {rcols[j]}: {b} vs {a}")
    return verdict, "; ".join(notes)


def run_psql(dsn, sql, repeat):
    """-> (cols, rows, best seconds) or raises RuntimeError with psql's message."""
    best, out = None, None
    for _ in range(repeat):
        p = subprocess.run(
            ["psql", "-X", "-q", "--csv", "-v", "ON_ERROR_STOP=1", "-c", "\\timing on", "-c", sql, dsn],
            capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(p.stderr.strip() or p.stdout.strip())
        lines = p.stdout.rstrip("\n").split("\n")
        m = re.match(r"^Time: ([\d.]+) ms", lines[-1])
        secs = float(m.group(1)) / 1000 if m else None
        out = "\n".join(x for x in lines if not x.startswith("Time: "))
        best = secs if best is None or (secs is not None and secs < best) else best
    rows = list(csv.reader(io.StringIO(out)))
    cols, rows = rows[0], [[norm_text(v) for v in r] for r in rows[1:]]
    return cols, rows, best


def run_cli(binary, warehouse, path, repeat):
    """`tessera sql --format csv -f FILE` -> (cols, rows, best wall seconds, process start included)."""
    best, out = None, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        p = subprocess.run([binary, "--warehouse", warehouse, "sql", "--format", "csv", "-f", path],
                           capture_output=True, text=True)
        secs = time.perf_counter() - t0
        if p.returncode != 0:
            raise RuntimeError(p.stderr.strip() or p.stdout.strip())
        out = p.stdout
        best = secs if best is None or secs < best else best
    rows = list(csv.reader(io.StringIO(out)))
    return rows[0], [[norm_text(v) for v in r] for r in rows[1:]], best


class Duck:
    def __init__(self, warehouse, schema):
        import duckdb
        self.con = duckdb.connect()
        self.con.execute("SET TimeZone = 'UTC'")
        for t in TABLES:
            path = os.path.join(warehouse, schema, t, "*.parquet")
            self.con.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{path}')")

    def run(self, sql, repeat):
        best, res = None, None
        for _ in range(repeat):
            t0 = time.perf_counter()
            r = self.con.execute(sql)
            rows = r.fetchall()
            secs = time.perf_counter() - t0
            res = ([d[0] for d in r.description], [[norm_py(v) for v in row] for row in rows])
            best = secs if best is None or secs < best else best
        return res[0], res[1], best


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("queries", nargs="*", help="query files (default: queries/*.sql next to this script)")
    ap.add_argument("--warehouse", default="/tmp/whdemo", help="Tessera warehouse folder, for DuckDB")
    ap.add_argument("--schema", default="public")
    ap.add_argument("--no-duckdb", action="store_true")
    ap.add_argument("--pg", help="libpq connection string of PostgreSQL")
    ap.add_argument("--tessera", help="libpq connection string of Tessera")
    ap.add_argument("--tessera-cli", metavar="BIN", help="also run BIN --warehouse W sql --format csv -f FILE")
    ap.add_argument("--repeat", type=int, default=1, help="runs per query and engine; best time kept")
    ap.add_argument("--tolerance", type=float, default=1e-9, help="relative tolerance for numbers")
    ap.add_argument("--show", action="store_true", help="print the reference result of each query")
    a = ap.parse_args()

    files = a.queries or sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "queries", "*.sql")))
    engines = []
    if a.pg:
        engines.append(("postgres", lambda q, f: run_psql(a.pg, q, a.repeat)))
    if not a.no_duckdb:
        duck = Duck(a.warehouse, a.schema)
        engines.append(("duckdb", lambda q, f: duck.run(q, a.repeat)))
    if a.tessera:
        engines.append(("tessera", lambda q, f: run_psql(a.tessera, q, a.repeat)))
    if a.tessera_cli:
        engines.append(("tessera-cli", lambda q, f: run_cli(a.tessera_cli, a.warehouse, f, a.repeat)))
    if not engines:
        sys.exit("no engine to run")

    failed = 0
    print(f"{'query':34} {'rows':>5} " + " ".join(f"{n:>12}" for n, _ in engines) + "  verdict")
    for f in files:
        sql = open(f).read()
        name = os.path.basename(f)
        results, times, problems = {}, [], []
        for n, run in engines:
            try:
                cols, rows, secs = run(sql, f)
                results[n] = (cols, rows)
                times.append(f"{secs * 1000:10.1f}ms" if secs is not None else f"{'?':>12}")
            except Exception as e:  # noqa: BLE001 - report any engine error
                times.append(f"{'ERROR':>12}")
                problems.append(f"  {n}: ERROR {str(e).strip()}")
        ref_name = next((n for n, _ in engines if n in results), None)
        verdicts = []
        if ref_name:
            ref = results[ref_name]
            for n, _ in engines:
                if n == ref_name or n not in results:
                    continue
                v, detail = compare(ref, results[n], a.tolerance)
                if v != "same":
                    verdicts.append(f"{n}:{v}")
                if detail:
                    problems.append(f"  {n} vs {ref_name}: {v} {detail}")
        bad = any("ERROR" in p for p in problems) or any(v.endswith("DIFF") for v in verdicts)
        failed += bad
        nrows = len(results[ref_name][1]) if ref_name else "-"
        print(f"{name:34} {nrows:>5} " + " ".join(times) + "  " + (", ".join(verdicts) or ("ok" if not bad else "FAIL")))
        for p in problems:
            print(p)
        if a.show and ref_name:
            cols, rows = results[ref_name]
            print("   ", cols)
            for r in rows:
                print("   ", [str(v) if v is not None else None for v in r])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
