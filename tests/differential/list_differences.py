#!/usr/bin/env python3
"""Rewrites known_differences.txt from the differential test's report.

Usage: python3 tests/differential/list_differences.py [REPORT]
(REPORT defaults to $CARGO_TARGET_DIR/differential-report.md, written by
`cargo test -p tessera-tests differential`).

Every query the report lists as different gets a line `id<TAB>reason`.
A reason already written by hand in known_differences.txt is kept; new
ones, and derived ones kept from an earlier run, are derived from the first
difference the report shows, so they say *what* differs now. Edit them to
say *why* where the cause is known.
"""

import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIST = HERE / "known_differences.txt"
HEADER = """# Queries of the differential corpus whose answers still differ from
# PostgreSQL 15: `id<TAB>reason`. The test fails if one of these becomes
# identical (remove it then) or if an unlisted query differs.
# Regenerate with tests/differential/list_differences.py (keeps reasons
# written by hand); README.md ("Where answers differ") groups the causes.
"""

OIDS = {
    16: "boolean", 20: "bigint", 21: "smallint", 23: "integer", 25: "text",
    700: "real", 701: "double precision", 705: "unknown", 1042: "char(n)",
    1043: "varchar", 1082: "date", 1083: "time", 1114: "timestamp",
    1184: "timestamptz", 1186: "interval", 1700: "numeric", 114: "json",
    3802: "jsonb", 1000: "boolean[]", 1005: "smallint[]", 1007: "integer[]",
    1016: "bigint[]", 1009: "text[]", 1014: "char(n)[]", 1015: "varchar[]",
    1022: "double precision[]", 1021: "real[]", 1231: "numeric[]",
    1182: "date[]", 1115: "timestamp[]", 1185: "timestamptz[]",
}


# How reasons derived by `reason` begin.
DERIVED = (
    "function ", "set-returning function ", "FETCH FIRST", "operator ",
    "not supported yet: ", "result type of ", "output column names: ",
    "row count: ", "value text", "DataFusion's INTERSECT ALL",
)


def type_name(oid):
    return OIDS.get(oid, f"oid {oid}")


def reason(message, sql):
    m = re.match(r"tessera error (\w+): (.*)", message)
    if m:
        text = m.group(2)
        f = re.search(r"Invalid function '([^']+)'", text)
        if f:
            return f"function {f.group(1)}() is not implemented yet"
        f = re.search(r"table function '([^']+)' not found", text)
        if f:
            return f"set-returning function {f.group(1)}() in FROM is not implemented yet"
        if "FETCH clause" in text:
            return "FETCH FIRST n ROWS is not supported by DataFusion's SQL planner yet"
        f = re.search(r"Operator (\S+) is not yet supported|Unsupported binary operator: (\S+)", text)
        if f:
            return f"operator {f.group(1) or f.group(2)} is not implemented yet"
        return "not supported yet: " + text.split("\n")[0][:160]
    m = re.match(r"type oids (\[.*\]) vs (\[.*\])$", message)
    if m:
        pg = re.findall(r'\("((?:[^"\\]|\\.)*)", (\d+)\)', m.group(1))
        ts = re.findall(r'\("((?:[^"\\]|\\.)*)", (\d+)\)', m.group(2))
        for (name, a), (_, b) in zip(pg, ts):
            if a != b:
                return (f"result type of {name}: PostgreSQL {type_name(int(a))}, "
                        f"Tessera {type_name(int(b))}")
    m = re.match(r"names (\[.*\]) vs (\[.*\])$", message)
    if m:
        return f"output column names: PostgreSQL {m.group(1)[:80]}, Tessera {m.group(2)[:80]}"
    m = re.match(r"(\d+) rows vs (\d+)", message)
    if m:
        if re.search(r"(INTERSECT|EXCEPT) ALL", sql, re.I):
            return ("DataFusion's INTERSECT ALL / EXCEPT ALL do not keep PostgreSQL's "
                    "multiplicities (min / difference of the counts)")
        return f"row count: PostgreSQL {m.group(1)}, Tessera {m.group(2)}"
    m = re.match(r"row (\d+): \[(.*)\] vs \[(.*)\]$", message)
    if m:
        pg = re.findall(r'Some\("((?:[^"\\]|\\.)*)"\)|None', m.group(2))
        ts = re.findall(r'Some\("((?:[^"\\]|\\.)*)"\)|None', m.group(3))
        for a, b in zip(pg, ts):
            if a != b:
                return f"value text: PostgreSQL {a or 'NULL'!s}, Tessera {b or 'NULL'!s}"[:200]
        return "value text differs"
    return message[:160]


def main():
    default = Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "differential-report.md"
    report = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    text = report.read_text()
    section = text.split("## Differences", 1)[1] if "## Differences" in text else ""
    entries = re.findall(r"^- `([^`]+)`(?: \(known\))? (.*)\n  `(.*)`$", section, re.M)
    kept = {}
    if LIST.exists():
        for line in LIST.read_text().splitlines():
            if line.strip() and not line.startswith("#") and "\t" in line:
                qid, why = line.split("\t", 1)
                kept[qid.strip()] = why.strip()
    lines = [HEADER]
    for qid, message, sql in entries:
        why = kept.get(qid)
        # A derived reason is derived again (what differs may have changed);
        # a reason written by hand is kept.
        if not why or why.startswith(DERIVED):
            why = reason(message, sql)
        lines.append(f"{qid}\t{why}\n")
    LIST.write_text("".join(lines))
    print(f"{len(entries)} differences listed in {LIST}")


if __name__ == "__main__":
    main()
