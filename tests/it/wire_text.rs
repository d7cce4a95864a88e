//! Result values in the text format, byte for byte as PostgreSQL 15 writes
//! them: what psql shows, what text-mode drivers parse and what BI tools
//! compare. Every expected string below was produced by a real PostgreSQL
//! 15.x with the same statement (`TimeZone = UTC`, `extra_float_digits = 1`).

use tokio_postgres::{Client, SimpleQueryMessage};

use super::wire::start;
use super::wire_rust::connect;

/// The text values of the first row of `sql`'s last result set.
async fn text_row(client: &Client, sql: &str) -> Vec<Option<String>> {
    let msgs = client.simple_query(sql).await.unwrap();
    let row = msgs
        .iter()
        .rev()
        .find_map(|m| match m {
            SimpleQueryMessage::Row(r) => Some(r),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no row from {sql}"));
    (0..row.len())
        .map(|i| row.get(i).map(str::to_string))
        .collect()
}

fn some(values: &[&str]) -> Vec<Option<String>> {
    values.iter().map(|v| Some(v.to_string())).collect()
}

/// Columns and PostgreSQL 15's text for each value.
const VALUES: &[(&str, &str, &str)] = &[
    ("f_one", "1.0::float8", "1"),
    ("f_big", "1e20::float8", "1e+20"),
    ("f_small", "1.5e-5::float8", "1.5e-05"),
    ("f_inf", "CAST('infinity' AS float8)", "Infinity"),
    ("f_ninf", "CAST('-infinity' AS float8)", "-Infinity"),
    ("f_nan", "CAST('NaN' AS float8)", "NaN"),
    ("f_sum", "0.1::float8 + 0.2::float8", "0.30000000000000004"),
    ("f_e15", "1e15::float8", "1e+15"),
    ("f_e14", "1e14::float8", "100000000000000"),
    ("f_tenth", "0.0001::float8", "0.0001"),
    ("f_long", "123456789012345.6::float8", "123456789012345.6"),
    ("r_half", "0.5::float4", "0.5"),
    ("r_tenth", "0.1::float4", "0.1"),
    ("r_million", "1e6::float4", "1e+06"),
    (
        "ts_frac",
        "CAST('2024-01-02 03:04:05.1234' AS timestamp)",
        "2024-01-02 03:04:05.1234",
    ),
    (
        "ts_whole",
        "CAST('2024-01-02 03:04:05' AS timestamp)",
        "2024-01-02 03:04:05",
    ),
    (
        "ts_tz",
        "CAST('2024-01-02 03:04:05.1234+02' AS timestamptz)",
        "2024-01-02 01:04:05.1234+00",
    ),
    ("d", "CAST('1999-12-31' AS date)", "1999-12-31"),
    ("b", "true", "t"),
    ("bin", "CAST('ab' AS bytea)", "\\x6162"),
    ("num", "CAST(3.140 AS numeric(6,3))", "3.140"),
    ("num_neg", "CAST(-0.05 AS numeric(10,2))", "-0.05"),
    (
        "big",
        "CAST(-9223372036854775808 AS bigint)",
        "-9223372036854775808",
    ),
    ("word", "'Clément'", "Clément"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_values_match_postgres() {
    let (addr, _dir) = start().await;
    let client = connect(addr).await;
    let exprs: Vec<String> = VALUES
        .iter()
        .map(|(name, expr, _)| format!("{expr} AS {name}"))
        .collect();
    let expected: Vec<&str> = VALUES.iter().map(|(_, _, pg)| *pg).collect();

    // Computed values.
    let select = format!("SELECT {}", exprs.join(", "));
    assert_eq!(text_row(&client, &select).await, some(&expected));

    // The same values stored in a Delta table and read back from Parquet,
    // plus a row of NULLs.
    client
        .simple_query(&format!("CREATE TABLE vals AS {select}"))
        .await
        .unwrap();
    let nulls = vec!["NULL"; VALUES.len()].join(", ");
    client
        .simple_query(&format!("INSERT INTO vals SELECT {nulls}"))
        .await
        .unwrap();
    let stored = text_row(&client, "SELECT * FROM vals WHERE b").await;
    assert_eq!(stored, some(&expected));
    let empty = text_row(&client, "SELECT * FROM vals WHERE b IS NULL").await;
    assert_eq!(empty, vec![None; VALUES.len()]);

    // COPY … TO STDOUT writes the same text.
    let out = client
        .copy_out("COPY (SELECT f_big, f_small, ts_frac, ts_tz FROM vals WHERE b) TO STDOUT")
        .await
        .unwrap();
    let bytes: Vec<u8> =
        futures::TryStreamExt::try_fold(out, Vec::new(), |mut acc, b| async move {
            acc.extend_from_slice(&b);
            Ok(acc)
        })
        .await
        .unwrap();
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "1e+20\t1.5e-05\t2024-01-02 03:04:05.1234\t2024-01-02 01:04:05.1234+00\n"
    );

    // timestamptz is shown in the session's TimeZone, with its offset.
    let tz = "SELECT ts_tz FROM vals WHERE b";
    for (zone, pg) in [
        ("Asia/Kolkata", "2024-01-02 06:34:05.1234+05:30"),
        ("America/Sao_Paulo", "2024-01-01 22:04:05.1234-03"),
        ("UTC", "2024-01-02 01:04:05.1234+00"),
    ] {
        let shown = text_row(&client, &format!("SET TimeZone = '{zone}'; {tz}")).await;
        assert_eq!(shown, some(&[pg]), "TimeZone {zone}");
    }

    // extra_float_digits <= 0 rounds to 15 + n significant digits (%g).
    let sql = "SET extra_float_digits = 0; SELECT f_sum, f_big, f_one FROM vals WHERE b";
    assert_eq!(text_row(&client, sql).await, some(&["0.3", "1e+20", "1"]));
}

/// Arrays are `{…}` of their elements' text, quoted as `array_out` quotes
/// them, and `x::text` is the value's output text (not Arrow's `[a, b]`,
/// `1000000.0`, `2024-02-29T09:00:00Z`, `1 days`). Expected: PostgreSQL
/// 15.18's text for the same statements.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arrays_and_text_casts_match_postgres() {
    let (addr, _dir) = start().await;
    let client = connect(addr).await;
    let arrays = "SELECT ARRAY['a', '', 'null', 'x y', 'a,b', 'q\"', E'b\\\\', '{}'] AS t, \
         ARRAY[4.5, 3.25, NULL, 5, 0]::float8[] AS f, \
         ARRAY[timestamptz '2024-01-01 10:00:00+00'] AS tz, ARRAY[1.50, 2.25] AS n, \
         ARRAY[interval '1 day', interval '2 hours'] AS i, ARRAY[decode('01', 'hex')] AS bin, \
         ARRAY[date '2024-01-02'] AS d, ARRAY[true, false] AS b, ARRAY[1, NULL, -3] AS ints";
    assert_eq!(
        text_row(&client, arrays).await,
        some(&[
            r#"{a,"","null","x y","a,b","q\"","b\\","{}"}"#,
            "{4.5,3.25,NULL,5,0}",
            r#"{"2024-01-01 10:00:00+00"}"#,
            "{1.50,2.25}",
            r#"{"1 day",02:00:00}"#,
            r#"{"\\x01"}"#,
            "{2024-01-02}",
            "{t,f}",
            "{1,NULL,-3}",
        ])
    );
    let casts = "SELECT 1e6::float8::text AS f, 2.5::float4::text AS r, \
         ARRAY['a', 'b c']::text AS arr, (timestamptz '2024-02-29 09:00:00+00')::text AS tz, \
         (timestamp '2024-01-02 03:04:05')::text AS ts, (interval '1 day')::text AS i, \
         decode('0102', 'hex')::text AS bin, ARRAY[1.5, 2]::float8[]::text AS farr";
    assert_eq!(
        text_row(&client, casts).await,
        some(&[
            "1000000",
            "2.5",
            r#"{a,"b c"}"#,
            "2024-02-29 09:00:00+00",
            "2024-01-02 03:04:05",
            "1 day",
            "\\x0102",
            "{1.5,2}",
        ])
    );
    // A stored text[] column, and a cast to text in the session's TimeZone.
    client
        .simple_query("CREATE TABLE tagged AS SELECT ARRAY['web', 'x y'] AS tags")
        .await
        .unwrap();
    let stored = "SELECT tags, tags::text FROM tagged";
    assert_eq!(
        text_row(&client, stored).await,
        some(&[r#"{web,"x y"}"#, r#"{web,"x y"}"#])
    );
    let zoned = "SET TimeZone = 'Asia/Kolkata'; \
         SELECT (timestamptz '2024-02-29 09:00:00+00')::text";
    assert_eq!(
        text_row(&client, zoned).await,
        some(&["2024-02-29 14:30:00+05:30"])
    );
}

/// Values that depend on the session's TimeZone, and array predicates with
/// NULL elements; expected strings from PostgreSQL 15.18 (`psql -At`).
#[tokio::test]
async fn session_zone_and_array_predicates_match_postgres() {
    let (addr, _dir) = start().await;
    let client = connect(addr).await;
    let t = "timestamptz '2024-07-01 20:00:00+00'";
    let zoned = format!(
        "SET TimeZone = 'Asia/Kolkata'; \
         SELECT ({t})::timestamp, extract(timezone FROM {t}), \
         extract(timezone_hour FROM {t}), extract(timezone_minute FROM {t}), \
         extract(hour FROM {t}), extract(julian FROM {t}), to_char({t}, 'HH24:MI TZ'), \
         pg_typeof(localtimestamp)::text, pg_typeof(localtime)::text"
    );
    assert_eq!(
        text_row(&client, &zoned).await,
        some(&[
            "2024-07-02 01:30:00",
            "19800",
            "5",
            "30",
            "1",
            "2460494.06250000000000000000",
            "01:30 IST",
            "timestamp without time zone",
            "time without time zone",
        ])
    );
    // DST: a skipped wall-clock time takes the offset before the change, a
    // repeated one is standard time; dates and times are local ones.
    let paris = "SET TimeZone = 'Europe/Paris'; \
         SELECT '2024-10-27 02:30'::timestamp::timestamptz, \
         '2024-03-31 02:30'::timestamp::timestamptz, \
         timestamp '2024-03-31 02:30' AT TIME ZONE 'Europe/Paris', \
         '2024-02-29'::date::timestamptz, (timestamptz '2024-01-05 23:30+00')::date, \
         (timestamptz '2024-01-05 23:30+00')::time";
    assert_eq!(
        text_row(&client, paris).await,
        some(&[
            "2024-10-27 02:30:00+01",
            "2024-03-31 03:30:00+02",
            "2024-03-31 03:30:00+02",
            "2024-02-29 00:00:00+01",
            "2024-01-06",
            "00:30:00",
        ])
    );
    let arrays = "SELECT 5 = ANY(ARRAY[1, NULL]), 5 <> ALL(ARRAY[1, NULL]), \
         1 = ANY(ARRAY[1, NULL]), NULL::int = ANY(ARRAY[1]), 1 = ANY('{}'::int[]), \
         ARRAY[1, 2] && ARRAY[2, 3], ARRAY[1, NULL] && ARRAY[NULL::int], \
         quote_ident('Zoé'), quote_ident('int'), quote_ident('users'), \
         to_hex(-1), to_hex(-1::bigint)";
    let row = text_row(&client, arrays).await;
    assert_eq!(
        row,
        vec![
            None,
            None,
            Some("t".into()),
            None,
            Some("f".into()),
            Some("t".into()),
            Some("f".into()),
            Some("\"Zoé\"".into()),
            Some("\"int\"".into()),
            Some("users".into()),
            Some("ffffffff".into()),
            Some("ffffffffffffffff".into()),
        ]
    );
}
