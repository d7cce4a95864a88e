"""Per-query speed-up from fewer to more cores: two result files of
run.sh (``$BENCH_DATA/results/<suite>.json``), the same suite run with
``CORES=<few>`` and with more, as a Markdown table.

    python3 benches/analytics/scaling.py FEW.json MANY.json [engine ...]

For each engine (default: tessera-wire, tessera, duckdb), each query's
median seconds on both and their ratio (FEW ÷ MANY: 2.00 is twice as fast
with the extra cores); the last row is the geometric mean.
"""

import json
import math
import sys


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def main():
    few_path, many_path, *engines = sys.argv[1:]
    engines = engines or ["tessera-wire", "tessera", "duckdb"]
    few = {q["query"]: q["median_s"] for q in json.load(open(few_path))}
    many = {q["query"]: q["median_s"] for q in json.load(open(many_path))}
    queries = [q for q in few if q in many]
    head = ["query"]
    for e in engines:
        head += [f"{e} few (s)", f"{e} many (s)", f"{e} speed-up"]
    print("| " + " | ".join(head) + " |")
    print("|---" + "|---:" * (len(head) - 1) + "|")
    columns = {e: ([], [], []) for e in engines}
    for q in queries:
        row = [q]
        for e in engines:
            a, b = few[q].get(e), many[q].get(e)
            if a is None or b is None:
                row += ["–", "–", "–"]
                continue
            columns[e][0].append(a)
            columns[e][1].append(b)
            columns[e][2].append(a / b)
            row += [f"{a:.3f}", f"{b:.3f}", f"{a / b:.2f}"]
        print("| " + " | ".join(row) + " |")
    row = ["**geomean**"]
    for e in engines:
        a, b, r = (geomean(c) for c in columns[e])
        row += [f"**{a:.3f}**", f"**{b:.3f}**", f"**{r:.2f}**"]
    print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
