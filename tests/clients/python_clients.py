"""Real Python PostgreSQL clients against a running `tessera serve`.

Usage: python_clients.py HOST PORT. Each check raises on failure; the script
exits non-zero with the failing client's traceback. Run by tests/it/wire.rs.
"""
import asyncio
import sys

HOST, PORT = sys.argv[1], int(sys.argv[2])
DSN = f"host={HOST} port={PORT} user=tessera dbname=tessera"


def check_psycopg3():
    import psycopg

    with psycopg.connect(DSN, autocommit=True) as conn:
        assert conn.info.server_version >= 150000, conn.info.server_version
        cur = conn.cursor()
        cur.execute("CREATE TABLE py3_orders (id bigint NOT NULL, customer text, amount numeric(10,2), placed date, PRIMARY KEY (id))")
        # server-side parameters, text protocol
        cur.executemany("INSERT INTO py3_orders VALUES (%s, %s, %s, %s)",
                        [(1, "Zoé", "12.50", "2024-01-02"), (2, "Léa", "7.25", "2024-02-03")])
        cur.execute("SELECT id, customer, amount, placed FROM py3_orders WHERE id = %s", (2,))
        row = cur.fetchone()
        assert row[0] == 2 and row[1] == "Léa" and str(row[2]) == "7.25" and str(row[3]) == "2024-02-03", row
        # binary results
        bcur = conn.cursor(binary=True)
        bcur.execute("SELECT id, amount, placed FROM py3_orders ORDER BY id")
        rows = bcur.fetchall()
        assert [r[0] for r in rows] == [1, 2] and str(rows[0][1]) == "12.50", rows
        # numeric at each value's own scale, in binary (numeric_send's dscale)
        bcur.execute("SELECT COALESCE(amount, 0), GREATEST(amount, 10) FROM (SELECT amount FROM py3_orders UNION ALL SELECT NULL) t ORDER BY 1 DESC")
        rows = [tuple(str(v) for v in r) for r in bcur.fetchall()]
        assert rows == [("12.50", "12.50"), ("7.25", "10"), ("0", "10")], rows
        # COPY in and out (text and binary)
        with cur.copy("COPY py3_orders (id, customer, amount, placed) FROM STDIN") as copy:
            copy.write_row((3, "Chloé", "1.00", "2024-03-04"))
        with cur.copy("COPY (SELECT id, customer FROM py3_orders ORDER BY id) TO STDOUT") as copy:
            out = [r for r in copy.rows()]
        assert out[-1] == ("3", "Chloé"), out
        with cur.copy("COPY (SELECT id FROM py3_orders ORDER BY id) TO STDOUT (FORMAT BINARY)") as copy:
            copy.set_types(["int8"])
            ids = [r[0] for r in copy.rows()]
        assert ids == [1, 2, 3], ids
        # errors map to exception classes by SQLSTATE
        try:
            cur.execute("SELECT * FROM no_such_table")
            raise AssertionError("expected UndefinedTable")
        except psycopg.errors.UndefinedTable:
            pass
        try:
            cur.execute("SELEC 1")
            raise AssertionError("expected SyntaxError")
        except psycopg.errors.SyntaxError:
            pass
        cur.execute("SELECT count(*) FROM py3_orders")
        assert cur.fetchone()[0] == 3
    # transactions (non-autocommit): BEGIN/COMMIT, failed transaction state
    with psycopg.connect(DSN) as conn:
        cur = conn.cursor()
        cur.execute("SELECT 1")
        try:
            cur.execute("SELECT * FROM missing_table")
        except psycopg.errors.UndefinedTable:
            pass
        try:
            cur.execute("SELECT 1")
            raise AssertionError("expected InFailedSqlTransaction")
        except psycopg.errors.InFailedSqlTransaction:
            pass
        conn.rollback()
        cur.execute("SELECT 2")
        assert cur.fetchone()[0] == 2
    print("psycopg3 ok")


def check_psycopg2():
    import psycopg2

    conn = psycopg2.connect(DSN)
    conn.autocommit = True
    cur = conn.cursor()
    assert conn.server_version >= 150000
    cur.execute("SELECT customer FROM py3_orders WHERE amount > %s ORDER BY id", (5,))
    assert [r[0] for r in cur.fetchall()] == ["Zoé", "Léa"]
    cur.execute("SELECT current_setting('server_version_num'), version()")
    num, ver = cur.fetchone()
    assert num.startswith("15") and ver.startswith("PostgreSQL 15"), (num, ver)
    conn.close()
    print("psycopg2 ok")


async def check_asyncpg_async():
    import asyncpg

    conn = await asyncpg.connect(host=HOST, port=PORT, user="tessera", database="tessera")
    rows = await conn.fetch("SELECT id, customer, amount, placed FROM py3_orders WHERE id <= $1 ORDER BY id", 2)
    assert [r["id"] for r in rows] == [1, 2], rows
    assert str(rows[0]["amount"]) == "12.50" and str(rows[0]["placed"]) == "2024-01-02", rows
    await conn.execute("CREATE TABLE apg_events (id bigint, kind text, at timestamp)")
    import datetime
    await conn.copy_records_to_table("apg_events", records=[
        (1, "visit", datetime.datetime(2024, 1, 1, 10, 0)),
        (2, "buy", datetime.datetime(2024, 1, 2, 11, 30)),
    ])
    n = await conn.fetchval("SELECT count(*) FROM apg_events WHERE kind = $1", "buy")
    assert n == 1, n
    # cursors (portal with row limits) inside a transaction
    async with conn.transaction():
        got = [r["id"] async for r in conn.cursor("SELECT id FROM py3_orders ORDER BY id", prefetch=1)]
    assert got == [1, 2, 3], got
    # statement_timeout / cancel → QueryCanceledError
    await conn.close()
    print("asyncpg ok")


def check_asyncpg():
    asyncio.run(check_asyncpg_async())


def check_sqlalchemy():
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(f"postgresql+psycopg://tessera@{HOST}:{PORT}/tessera")
    with engine.connect() as c:
        assert c.execute(text("SELECT 1")).scalar() == 1
    insp = inspect(engine)
    tables = insp.get_table_names()
    assert "py3_orders" in tables, tables
    cols = {c["name"]: c for c in insp.get_columns("py3_orders")}
    assert set(cols) == {"id", "customer", "amount", "placed"}, cols
    assert [str(cols[c]["type"]) for c in ("id", "customer", "placed")] == ["BIGINT", "TEXT", "DATE"], cols
    assert str(cols["amount"]["type"]) == "NUMERIC(10, 2)", cols["amount"]["type"]
    assert cols["id"]["nullable"] is False and cols["customer"]["nullable"] is True, cols
    with engine.begin() as c:
        c.execute(text("DROP TABLE IF EXISTS sa_people"))
        c.execute(text("CREATE TABLE sa_people (org text NOT NULL, id bigint NOT NULL, "
                       "name varchar(40) DEFAULT 'anon', PRIMARY KEY (org, id))"))
        c.execute(text("COMMENT ON TABLE sa_people IS 'people by org'"))
        c.execute(text("COMMENT ON COLUMN sa_people.name IS 'display name'"))
    insp = inspect(engine)
    pk = insp.get_pk_constraint("sa_people")
    assert pk["constrained_columns"] == ["org", "id"] and pk["name"] == "sa_people_pkey", pk
    cols = {c["name"]: c for c in insp.get_columns("sa_people")}
    assert str(cols["name"]["type"]) == "VARCHAR(40)", cols["name"]
    assert cols["name"]["default"] == "'anon'" and cols["name"]["comment"] == "display name", cols["name"]
    assert insp.get_table_comment("sa_people")["text"] == "people by org"
    assert insp.get_indexes("sa_people") == [], insp.get_indexes("sa_people")
    assert insp.get_foreign_keys("sa_people") == []
    assert "public" in insp.get_schema_names()
    assert insp.has_table("sa_people") and not insp.has_table("nope")
    print("sqlalchemy ok")


def check_cancel():
    """statement_timeout and CancelRequest end a running query with 57014;
    the connection stays usable."""
    import threading
    import time
    import psycopg

    slow = "SELECT count(*) FROM generate_series(1, 2000000000) AS t(x) WHERE x % 7 = 3"
    with psycopg.connect(DSN, autocommit=True) as conn:
        cur = conn.cursor()
        cur.execute("SET statement_timeout = '300ms'")
        try:
            cur.execute(slow)
            raise AssertionError("expected QueryCanceled (timeout)")
        except psycopg.errors.QueryCanceled as e:
            assert "statement timeout" in str(e), e
        cur.execute("RESET statement_timeout")
        timer = threading.Timer(0.5, conn.cancel)
        timer.start()
        started = time.time()
        try:
            cur.execute(slow)
            raise AssertionError("expected QueryCanceled (cancel)")
        except psycopg.errors.QueryCanceled as e:
            assert "user request" in str(e), e
        assert time.time() - started < 30
        cur.execute("SELECT 42")
        assert cur.fetchone()[0] == 42
    print("cancel ok")


CHECKS = {
    "psycopg3": check_psycopg3,
    "psycopg2": check_psycopg2,
    "asyncpg": check_asyncpg,
    "sqlalchemy": check_sqlalchemy,
    "cancel": check_cancel,
}

if __name__ == "__main__":
    names = sys.argv[3:] or list(CHECKS)
    for name in names:
        CHECKS[name]()
