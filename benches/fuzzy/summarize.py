"""Prints the fuzzy benchmark's Markdown table from run.sh's result lines.

    python summarize.py RESULTS ROWS

Each line: `<engine> <measure> <seconds> <checksum>`. Per engine and
measure: the median over the runs. For the SQL engines (tessera, duckdb)
the function's own time is the query's minus the scan baseline's
(`sum(length(a) + length(b))`); rapidfuzz works on data already in memory,
so its time is the function's. The ratio is Tessera's pairs/s over the
other engine's, both on function time (above 1: Tessera faster). Checksums
(sums over all pairs) of the same measure must agree across engines.
"""

import statistics
import sys
from collections import defaultdict

ENGINES = ["tessera", "rapidfuzz-cpdist", "rapidfuzz-list", "duckdb"]
MEASURES = ["levenshtein", "jaro_winkler", "token_set_ratio"]


def main():
    path, rows = sys.argv[1], int(sys.argv[2])
    times = defaultdict(list)
    sums = {}
    for line in open(path):
        engine, measure, secs, checksum = line.split()
        times[engine, measure].append(float(secs))
        sums.setdefault((engine, measure), checksum)
    med = {k: statistics.median(v) for k, v in times.items()}
    runs = min(len(v) for v in times.values())

    def fn_time(engine, measure):
        t = med[engine, measure]
        if (engine, "baseline") in med:
            t -= med[engine, "baseline"]
        return t

    print(f"{rows} pairs, median of {runs} runs, one core each.\n")
    print("| function | engine | query s | scan s | function s | pairs/s (function) | Tessera ÷ engine | checksum |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    notes = []
    for m in MEASURES:
        tess = fn_time("tessera", m)
        for e in ENGINES:
            if (e, m) not in med:
                if e == "duckdb":
                    print(f"| {m} | {e} | — | — | — | no such function | — | — |")
                continue
            q = med[e, m]
            scan = med.get((e, "baseline"))
            f = fn_time(e, m)
            ratio = "" if e == "tessera" else f"{f / tess:.2f}"
            scan_s = f"{scan:.3f}" if scan is not None else "—"
            print(f"| {m} | {e} | {q:.3f} | {scan_s} | {f:.3f} | {rows / f:,.0f} | {ratio} | {sums[e, m]} |".replace(",", " "))
            ref = sums["tessera", m]
            if not close(sums[e, m], ref):
                notes.append(f"- {m}: {e}'s checksum {sums[e, m]} differs from Tessera's {ref}")
    print()
    for n in notes or ["- all checksums agree with Tessera's"]:
        print(n)


def close(x, y):
    x, y = float(x), float(y)
    return abs(x - y) <= 1e-9 * max(abs(x), abs(y), 1.0) + 1e-3


if __name__ == "__main__":
    main()
