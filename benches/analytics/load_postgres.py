"""Loads a Tessera warehouse schema into PostgreSQL for the benchmark.

    load_postgres.py DSN WAREHOUSE_SCHEMA_DIR DDL_FILE CSV_DIR

Runs DDL_FILE's CREATE TABLE statements (everything before the line
``-- @@ after load @@``), exports every table's live Delta Parquet files to CSV
with DuckDB, loads them with server-side COPY, then runs the rest of the
file (primary keys, indexes) and VACUUM ANALYZE, as a PostgreSQL user
would set a reporting database up.
"""

import os
import sys
import time

import duckdb
import psycopg

from bench import delta_files


def main():
    dsn, schema_dir, ddl_file, csv_dir = sys.argv[1:5]
    ddl = open(ddl_file).read()
    before, _, after = ddl.partition("-- @@ after load @@")
    os.makedirs(csv_dir, exist_ok=True)
    os.chmod(csv_dir, 0o755)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(before)
        duck = duckdb.connect()
        duck.execute("SET TimeZone = 'UTC'")
        for table in sorted(os.listdir(schema_dir)):
            tdir = os.path.join(schema_dir, table)
            if not os.path.isdir(os.path.join(tdir, "_delta_log")):
                continue
            started = time.time()
            files = ", ".join(f"'{f}'" for f in delta_files(tdir))
            csv = os.path.join(csv_dir, f"{table}.csv")
            duck.execute(f"COPY (SELECT * FROM read_parquet([{files}])) TO '{csv}' (FORMAT csv, HEADER)")
            os.chmod(csv, 0o644)
            conn.execute(f"COPY {table} FROM '{csv}' (FORMAT csv, HEADER)")
            os.remove(csv)
            print(f"postgres: {table} loaded in {time.time() - started:.1f} s", file=sys.stderr)
        started = time.time()
        conn.execute(after)
        conn.execute("VACUUM ANALYZE")
        print(f"postgres: indexes + VACUUM ANALYZE in {time.time() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
