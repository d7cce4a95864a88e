"""rapidfuzz and DuckDB over the fuzzy benchmark's name pairs, one core.

    python competitors.py PAIRS.parquet

Prints one line per measure: `<engine> <measure> <seconds> <checksum>`,
where the checksum is the sum of the measure over all pairs (compared with
Tessera's by run.sh). Engines:

- `rapidfuzz-list`: `sum(map(scorer, a, b))` over Python lists (the loop a
  Python user writes; the lists are built before timing);
- `rapidfuzz-cpdist`: `rapidfuzz.process.cpdist(a, b, scorer=..., workers=1)`,
  the vectorised C++ path (one call for all pairs);
- `duckdb`: `SELECT sum(f(a, b)) FROM read_parquet(...)` with `SET threads=1`,
  and the same scan baseline as Tessera's (`sum(length(a) + length(b))`).
  DuckDB has no token_set_ratio.
"""

import sys
import time

import duckdb
import numpy as np
import pyarrow.parquet as pq
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler, Levenshtein

SCORERS = [
    ("levenshtein", Levenshtein.distance),
    ("jaro_winkler", JaroWinkler.similarity),
    ("token_set_ratio", fuzz.token_set_ratio),
]
DUCKDB = [
    ("baseline", "length(a) + length(b)"),
    ("levenshtein", "levenshtein(a, b)"),
    ("jaro_winkler", "jaro_winkler_similarity(a, b)"),
]


def report(engine, measure, seconds, checksum):
    print(f"{engine} {measure} {seconds:.4f} {checksum}", flush=True)


def main():
    path = sys.argv[1]
    table = pq.read_table(path)
    a = table.column("a").to_pylist()
    b = table.column("b").to_pylist()

    for name, scorer in SCORERS:
        t = time.perf_counter()
        s = sum(map(scorer, a, b))
        report("rapidfuzz-list", name, time.perf_counter() - t, fmt_sum(name, s))
    for name, scorer in SCORERS:
        dtype = np.int64 if name == "levenshtein" else np.float64
        t = time.perf_counter()
        s = process.cpdist(a, b, scorer=scorer, workers=1, dtype=dtype).sum()
        report("rapidfuzz-cpdist", name, time.perf_counter() - t, fmt_sum(name, s))

    con = duckdb.connect()
    con.execute("SET threads = 1")
    con.execute(f"SELECT sum(length(a)) FROM read_parquet('{path}')").fetchall()  # warm-up
    for name, expr in DUCKDB:
        t = time.perf_counter()
        (s,) = con.execute(f"SELECT sum({expr}) FROM read_parquet('{path}')").fetchone()
        report("duckdb", name, time.perf_counter() - t, fmt_sum(name, s))


def fmt_sum(name, s):
    if name in ("levenshtein", "baseline"):
        return str(int(s))
    return f"{float(s):.4f}"


if __name__ == "__main__":
    main()
