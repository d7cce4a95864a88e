"""Fetch `SELECT * FROM orders` fully with psycopg 3, text or binary.

Prints one line: `<label> <mode> <seconds> <rows>`. Rows are pulled in
chunks with fetchmany (so the client holds at most one chunk of Python
objects) and every value is converted, as an application would.

    python fetch.py DSN LABEL MODE
"""
import sys
import time

import psycopg

dsn, label, mode = sys.argv[1], sys.argv[2], sys.argv[3]
with psycopg.connect(dsn, autocommit=True) as conn:
    start = time.perf_counter()
    rows = 0
    with conn.cursor(binary=(mode == "binary")) as cur:
        cur.execute("SELECT * FROM orders")
        while True:
            chunk = cur.fetchmany(100_000)
            if not chunk:
                break
            rows += len(chunk)
    elapsed = time.perf_counter() - start
print(f"{label} {mode} {elapsed:.3f} {rows}", flush=True)
