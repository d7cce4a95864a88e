//! `tessera serve` with tokio-postgres, the Rust driver: every value
//! travels in binary (parameters and results), prepared statements carry
//! server-inferred parameter types, portals fetch with row limits, COPY runs
//! in binary both ways, and errors arrive with their SQLSTATE.

use std::net::SocketAddr;

use futures::{TryStreamExt, pin_mut};
use tokio_postgres::binary_copy::{BinaryCopyInWriter, BinaryCopyOutStream};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::Type;
use tokio_postgres::{Client, NoTls, SimpleQueryMessage};

use super::wire::start;

/// A tokio-postgres connection to a test server (driven in the background).
pub(crate) async fn connect(addr: SocketAddr) -> Client {
    let (client, conn) = tokio_postgres::connect(
        &format!(
            "host={} port={} user=tessera dbname=tessera application_name=rust-test",
            addr.ip(),
            addr.port()
        ),
        NoTls,
    )
    .await
    .unwrap();
    tokio::spawn(conn);
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_postgres_binary_protocol() {
    let (addr, _dir) = start().await;
    let client = connect(addr).await;

    // Several statements in one simple query, each with its own tag.
    let msgs = client
        .simple_query(
            "CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, score double precision, \
             small smallint, n integer, ok boolean, day date, at timestamp, at_tz timestamptz, \
             payload bytea, tags text[], uid uuid, doc jsonb); \
             INSERT INTO events (id, kind) VALUES (0, 'seed'); SELECT count(*) FROM events",
        )
        .await
        .unwrap();
    let tags: Vec<u64> = msgs
        .iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::CommandComplete(n) => Some(*n),
            _ => None,
        })
        .collect();
    assert_eq!(tags, vec![0, 1, 1]);

    // Parameter types come from the server's inference.
    let insert = client
        .prepare(
            "INSERT INTO events (id, kind, score, small, n, ok, day, at, at_tz, payload, tags, uid, doc) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .await
        .unwrap();
    assert_eq!(insert.params()[0], Type::INT8);
    assert_eq!(insert.params()[1], Type::TEXT);
    assert_eq!(insert.params()[2], Type::FLOAT8);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let at = day.and_hms_micro_opt(10, 30, 0, 123_456).unwrap();
    let at_tz = chrono::DateTime::<chrono::Utc>::from_naive_utc_and_offset(at, chrono::Utc);
    let uid = uuid::Uuid::parse_str("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11").unwrap();
    let doc = serde_json::json!({"plan": "gold", "n": 2});
    let n = client
        .execute(
            &insert,
            &[
                &1_i64,
                &"Clément",
                &2.5_f64,
                &7_i16,
                &-42_i32,
                &true,
                &day,
                &at,
                &at_tz,
                &vec![0_u8, 159, 255],
                &vec!["a".to_string(), "b,c".to_string()],
                // uuid columns are stored and described as text (see the
                // README's limitations); jsonb takes its text.
                &uid.to_string(),
                &doc.to_string(),
            ],
        )
        .await
        .unwrap();
    assert_eq!(n, 1);

    let row = client
        .query_one(
            "SELECT id, kind, score, small, n, ok, day, at, at_tz, payload, tags, uid, doc \
             FROM events WHERE id = $1",
            &[&1_i64],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), 1);
    assert_eq!(row.get::<_, String>(1), "Clément");
    assert_eq!(row.get::<_, f64>(2), 2.5);
    assert_eq!(row.get::<_, i16>(3), 7);
    assert_eq!(row.get::<_, i32>(4), -42);
    assert!(row.get::<_, bool>(5));
    assert_eq!(row.get::<_, chrono::NaiveDate>(6), day);
    assert_eq!(row.get::<_, chrono::NaiveDateTime>(7), at);
    assert_eq!(row.get::<_, chrono::DateTime<chrono::Utc>>(8), at_tz);
    assert_eq!(row.get::<_, Vec<u8>>(9), vec![0, 159, 255]);
    assert_eq!(row.get::<_, Vec<String>>(10), vec!["a", "b,c"]);
    assert_eq!(row.get::<_, String>(11), uid.to_string());
    // Described as jsonb (OID 3802), sent in jsonb's binary format.
    assert_eq!(row.columns()[12].type_(), &Type::JSONB);
    assert_eq!(row.get::<_, serde_json::Value>(12), doc);

    // NULLs and a numeric read as text.
    let row = client
        .query_one(
            "SELECT score, CAST(12.50 AS numeric(10,2))::text AS amount FROM events WHERE id = 0",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, Option<f64>>(0), None);
    assert_eq!(row.get::<_, String>(1), "12.50");

    // Portal with a row limit: PortalSuspended between the fetches.
    let mut client = client;
    let tx = client.transaction().await.unwrap();
    let stmt = tx
        .prepare("SELECT x FROM generate_series(1, 1000) AS g(x)")
        .await
        .unwrap();
    let portal = tx.bind(&stmt, &[]).await.unwrap();
    let (mut fetched, mut batches) = (0_i64, 0);
    loop {
        let rows = tx.query_portal(&portal, 300).await.unwrap();
        if rows.is_empty() {
            break;
        }
        batches += 1;
        fetched += rows
            .iter()
            .map(|r| i64::from(r.get::<_, i32>(0)))
            .sum::<i64>();
    }
    assert_eq!((fetched, batches), (500_500, 4));
    tx.commit().await.unwrap();

    // Binary COPY in and out.
    let sink = client
        .copy_in("COPY events (id, kind, score) FROM STDIN (FORMAT binary)")
        .await
        .unwrap();
    let writer = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::TEXT, Type::FLOAT8]);
    pin_mut!(writer);
    for i in 10..20_i64 {
        writer
            .as_mut()
            .write(&[&i, &format!("copy-{i}"), &(i as f64 / 2.0)])
            .await
            .unwrap();
    }
    assert_eq!(writer.finish().await.unwrap(), 10);
    let stream = client
        .copy_out("COPY (SELECT id, kind FROM events WHERE id >= 10 ORDER BY id) TO STDOUT (FORMAT binary)")
        .await
        .unwrap();
    let rows: Vec<_> = BinaryCopyOutStream::new(stream, &[Type::INT8, Type::TEXT])
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[3].get::<String>(1), "copy-13");

    // A text COPY out through the same connection.
    let stream = client
        .copy_out("COPY (SELECT id FROM events WHERE id < 2 ORDER BY id) TO STDOUT")
        .await
        .unwrap();
    let bytes: Vec<u8> = stream
        .try_fold(Vec::new(), |mut acc, b| async move {
            acc.extend_from_slice(&b);
            Ok(acc)
        })
        .await
        .unwrap();
    assert_eq!(String::from_utf8(bytes).unwrap(), "0\n1\n");

    // Errors carry SQLSTATEs and leave the connection usable.
    let err = client
        .query("SELECT * FROM nowhere", &[])
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::UNDEFINED_TABLE));
    let err = client
        .query("SELECT nope FROM events", &[])
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::UNDEFINED_COLUMN));
    let err = client.query("SELEKT 1", &[]).await.unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::SYNTAX_ERROR));
    let err = client
        .query("SELECT 1 / $1::bigint", &[&0_i64])
        .await
        .expect_err("division by zero");
    assert_eq!(err.code(), Some(&SqlState::DIVISION_BY_ZERO));
    // The same error raised while rows stream, in the simple protocol,
    // keeps its SQLSTATE (it was XX000).
    let err = client
        .simple_query("SELECT 1 / (id - id) FROM events")
        .await
        .expect_err("division by zero while streaming");
    assert_eq!(err.code(), Some(&SqlState::DIVISION_BY_ZERO));
    let row = client.query_one("SELECT 'alive' AS s", &[]).await.unwrap();
    assert_eq!(row.get::<_, &str>(0), "alive");

    // Many queries in flight on one connection (tokio-postgres pipelines
    // them: Parse/Bind/Execute of one overlap the next).
    let stmt = client.prepare("SELECT $1::bigint * 2").await.unwrap();
    let (client, stmt) = (&client, &stmt);
    let doubled = futures::future::try_join_all((0..50_i64).map(|i| async move {
        client
            .query_one(stmt, &[&i])
            .await
            .map(|r| r.get::<_, i64>(0))
    }))
    .await
    .unwrap();
    assert_eq!(doubled, (0..50).map(|i| i * 2).collect::<Vec<_>>());
}

/// The RowDescription of a prepared statement is the type the values are
/// sent in: a `CASE` mixing an `integer` literal with a `bigint` is bigint
/// (8 bytes in binary), as PostgreSQL types it; `ntile` is integer and
/// `row_number` bigint, also under aggregates.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn described_types_are_the_sent_types() {
    let (addr, _dir) = start().await;
    let client = connect(addr).await;
    client
        .batch_execute(
            "CREATE TABLE t (id bigint, k text); \
             INSERT INTO t VALUES (1, 'a'), (2, 'a'), (3, 'b'), (4, NULL)",
        )
        .await
        .unwrap();
    let stmt = client
        .prepare(
            "SELECT CASE WHEN n >= 3 THEN 7 ELSE n END AS c, \
             COALESCE(n, 1) AS d FROM (SELECT count(*) AS n FROM t) s",
        )
        .await
        .unwrap();
    let types: Vec<&Type> = stmt.columns().iter().map(|c| c.type_()).collect();
    assert_eq!(types, vec![&Type::INT8, &Type::INT8]);
    let row = client.query_one(&stmt, &[]).await.unwrap();
    assert_eq!((row.get::<_, i64>(0), row.get::<_, i64>(1)), (7, 4));

    let row = client
        .query_one(
            "SELECT ntile(2) OVER (ORDER BY id) AS n, row_number() OVER (ORDER BY id) AS r \
             FROM t ORDER BY id LIMIT 1",
            &[],
        )
        .await
        .unwrap();
    assert_eq!((row.get::<_, i32>(0), row.get::<_, i64>(1)), (1, 1));
    let row = client
        .query_one(
            "SELECT avg(n)::float8 AS a, sum(n) AS s FROM \
             (SELECT ntile(2) OVER (ORDER BY id) AS n FROM t) x",
            &[],
        )
        .await
        .unwrap();
    assert_eq!((row.get::<_, f64>(0), row.get::<_, i64>(1)), (1.5, 6));
}

/// A correlated scalar subquery whose expression contains an aggregate
/// (TPC-H Q17's `0.2 * avg(l_quantity)`) is planned as written; only plain
/// (non-aggregating) ones are wrapped for DataFusion.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn correlated_subquery_with_aggregate_expression() {
    let (addr, _dir) = start().await;
    let client = connect(addr).await;
    client
        .batch_execute(
            "CREATE TABLE li (k bigint, q bigint); \
             INSERT INTO li VALUES (1, 1), (1, 9), (2, 4), (2, 4)",
        )
        .await
        .unwrap();
    let rows = client
        .query(
            "SELECT k, q FROM li o WHERE q < (SELECT 0.5 * avg(q) FROM li i WHERE i.k = o.k) \
             ORDER BY k, q",
            &[],
        )
        .await
        .unwrap();
    let got: Vec<(i64, i64)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(got, vec![(1, 1)]);
}
