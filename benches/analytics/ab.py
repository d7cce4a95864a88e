"""A/B of two Tessera builds in-process, query by query (before/after).

    python3 benches/analytics/ab.py NEW_BIN OLD_BIN WAREHOUSE QUERY_DIR

NEW_BIN and OLD_BIN are two `analytics_bench` binaries (e.g. this commit's
and a build of the previous one, `git worktree add` + `cargo build
--release -p tessera-benches --bin analytics_bench`). Both open WAREHOUSE
once and stay up; every query gets one warm-up on each, then RUNS (env,
default 3) runs alternating NEW, OLD, NEW, OLD, … so that machine noise falls
on both. Prints a Markdown table of medians, the new/old ratio per query and
the geometric means; row counts are compared.
"""

import json
import math
import os
import statistics
import subprocess
import sys


def start(binary, warehouse):
    return subprocess.Popen(
        [binary, warehouse], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


def run(proc, path):
    proc.stdin.write(path + "\n")
    proc.stdin.flush()
    reply = json.loads(proc.stdout.readline())
    if "error" in reply:
        raise SystemExit(f"{path}: {reply['error']}")
    return reply["secs"], reply["rows"]


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def main():
    new_bin, old_bin, warehouse, queries = sys.argv[1:5]
    runs = int(os.environ.get("RUNS", "3"))
    new, old = start(new_bin, warehouse), start(old_bin, warehouse)
    medians = []
    print("| query | new (s) | old (s) | new ÷ old | rows |")
    print("|---|---:|---:|---:|---|")
    for name in sorted(f for f in os.listdir(queries) if f.endswith(".sql")):
        path = os.path.join(queries, name)
        run(new, path)
        run(old, path)
        times = ([], [])
        for _ in range(runs):
            a, rows_new = run(new, path)
            b, rows_old = run(old, path)
            times[0].append(a)
            times[1].append(b)
        m = (statistics.median(times[0]), statistics.median(times[1]))
        medians.append(m)
        rows = rows_new if rows_new == rows_old else f"{rows_new} vs {rows_old}"
        print(f"| {name[:-4]} | {m[0]:.3f} | {m[1]:.3f} | {m[0] / m[1]:.2f} | {rows} |")
    g = (geomean([m[0] for m in medians]), geomean([m[1] for m in medians]))
    print(f"| **geomean** | **{g[0]:.3f}** | **{g[1]:.3f}** | **{g[0] / g[1]:.2f}** | |")


if __name__ == "__main__":
    main()
