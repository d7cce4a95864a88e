//! Differential test of the fuzzy-matching functions: a few thousand
//! generated rows (`fuzzy_inputs`: French names, e-mails, postal addresses,
//! their misspellings and edge cases) go into one table on Tessera and on a
//! real PostgreSQL 15 with `fuzzystrmatch`, `pg_trgm` and `unaccent`; every
//! function runs over the whole table in one query on each side and the
//! answers must be identical, row by row, as text from the wire (float4
//! `similarity` included: both print the shortest text that reads back as
//! the same float). Arguments past `levenshtein`'s and `metaphone`'s
//! 255-character limit must fail on both with the same SQLSTATE and message.
//!
//! The rapidfuzz-style measures (`jaro`, `jaro_winkler`,
//! `damerau_levenshtein`, `hamming`, `levenshtein_ratio`, `ratio`,
//! `token_sort_ratio`, `token_set_ratio`, `partial_ratio`) are compared the
//! same way with Python rapidfuzz (`tests/clients/rapidfuzz_measures.py`, run
//! by the venv Python that `scripts/test.sh` prepares, with `rapidfuzz`
//! pinned there).
//!
//! Each test prints a table (function, inputs, identical, different) and
//! fails on any difference, listing the first few with both answers.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use tokio_postgres::{Client, SimpleQueryMessage};

use super::fuzzy_inputs::{Row, rows};
use super::postgres::Postgres;
use super::wire::start;
use super::wire_rust::connect;

/// The generator's seed and the number of rows.
const SEED: u64 = 0x5eed_f022_7e55_e7a0;
const ROWS: usize = 3000;

/// Rows whose texts `levenshtein` and `metaphone` accept.
const SHORT: &str = "coalesce(char_length(a), 0) <= 255 AND coalesce(char_length(b), 0) <= 255";
const SHORT_BYTES: &str =
    "coalesce(octet_length(a), 0) <= 255 AND coalesce(octet_length(b), 0) <= 255";

/// One comparison with PostgreSQL: a select list over table `fz` and the
/// rows it runs on.
struct Check {
    function: &'static str,
    select: &'static str,
    filter: &'static str,
}

const fn check(function: &'static str, select: &'static str, filter: &'static str) -> Check {
    Check {
        function,
        select,
        filter,
    }
}

const POSTGRES_CHECKS: &[Check] = &[
    check("levenshtein(a, b)", "levenshtein(a, b)", SHORT),
    check(
        "levenshtein(a, b, ins, del, sub)",
        "levenshtein(a, b, ins, del, sub)",
        SHORT,
    ),
    check(
        "levenshtein_less_equal(a, b, max_d)",
        "levenshtein_less_equal(a, b, max_d)",
        SHORT,
    ),
    check(
        "levenshtein_less_equal(a, b, ins, del, sub, max_d)",
        "levenshtein_less_equal(a, b, ins, del, sub, max_d)",
        SHORT,
    ),
    check("soundex", "soundex(a), soundex(b)", "true"),
    check("difference", "difference(a, b)", "true"),
    check(
        "metaphone(s, max_len)",
        "metaphone(a, mlen), metaphone(b, 255)",
        SHORT_BYTES,
    ),
    check("dmetaphone", "dmetaphone(a), dmetaphone(b)", "true"),
    check(
        "dmetaphone_alt",
        "dmetaphone_alt(a), dmetaphone_alt(b)",
        "true",
    ),
    check("similarity", "similarity(a, b)", "true"),
    check("word_similarity", "word_similarity(a, b)", "true"),
    check(
        "strict_word_similarity",
        "strict_word_similarity(a, b)",
        "true",
    ),
    check("show_trgm", "show_trgm(a), show_trgm(b)", "true"),
    check("unaccent(s)", "unaccent(a), unaccent(b)", "true"),
    check("unaccent('unaccent', s)", "unaccent('unaccent', a)", "true"),
    // A constant argument takes another path (prepared once per batch).
    check(
        "levenshtein, constant b",
        "levenshtein(a, 'Lefèvre'), levenshtein('Jean Dupont', a, 1, 2, 3)",
        SHORT,
    ),
    check(
        "levenshtein_less_equal, constant b",
        "levenshtein_less_equal(a, 'Lefèvre', 3), \
         levenshtein_less_equal('Jean Dupont', a, 2, 1, 1, 4)",
        SHORT,
    ),
    check(
        "difference, constant b",
        "difference(a, 'Dupont'), difference('Élodie', a)",
        "true",
    ),
    check(
        "trigram similarities, constant b",
        "similarity(a, 'Jean Dupont'), word_similarity('Dupont', a), \
         word_similarity(a, 'rue de la Paix'), strict_word_similarity('Lefèvre', a), \
         strict_word_similarity(a, 'Saint-Étienne')",
        "true",
    ),
];

/// Statements that must fail on both servers with the same message.
///
/// Their SQLSTATEs differ today, a known gap outside the fuzzy functions:
/// UDFs raise `exec_err!`, which carries no SQLSTATE (the engine maps it to
/// 22000), and an error raised while rows stream over the wire reaches the
/// client as XX000 (`wire_to_engine` in `engine/src/server/connection.rs`
/// keeps only a few codes), where PostgreSQL says 22023 or 2200F. The test
/// prints them and fails once they all agree, so that this comment and
/// [`SQLSTATE_GAP`] go.
const SQLSTATE_GAP: bool = true;

const POSTGRES_ERRORS: &[&str] = &[
    "SELECT levenshtein(a, b) FROM fz WHERE char_length(a) > 255",
    "SELECT levenshtein(b, a, 1, 2, 3) FROM fz WHERE char_length(a) > 255",
    "SELECT levenshtein_less_equal(a, b, 2) FROM fz WHERE char_length(a) > 255",
    "SELECT levenshtein_less_equal(a, b, 1, 1, 1, 2) FROM fz WHERE char_length(b) > 255",
    "SELECT metaphone(a, 4) FROM fz WHERE octet_length(a) > 255",
    "SELECT metaphone('Dupont', 0)",
];

/// rapidfuzz's measures, in `rapidfuzz_measures.py`'s order, and whether
/// each is a float.
const RAPIDFUZZ: &[(&str, bool)] = &[
    ("jaro", true),
    ("jaro_winkler", true),
    ("damerau_levenshtein", false),
    ("hamming", false),
    ("levenshtein_ratio", true),
    ("ratio", true),
    ("token_sort_ratio", true),
    ("token_set_ratio", true),
    ("partial_ratio", true),
];

/// The constant second argument of rapidfuzz's second round (rows
/// `CONSTANT_ID + id`): a constant takes another path in Tessera.
const CONSTANT: &str = "Élodie Lefèvre-Dupont";
const CONSTANT_ID: usize = 1_000_000;

fn required() -> bool {
    std::env::var("TESSERA_REQUIRE_CLIENTS").is_ok_and(|v| v == "1")
}

fn literal(v: &Option<String>) -> String {
    match v {
        Some(s) => format!("'{}'", s.replace('\'', "''")),
        None => "NULL".to_string(),
    }
}

fn error_text(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => e.to_string(),
    }
}

/// Creates table `fz` (id, a, b, ins, del, sub, max_d, mlen) with `data`.
async fn load(client: &Client, data: &[Row], server: &str) {
    let create = "CREATE TABLE fz (id int, a text, b text, ins int, del int, sub int, \
                  max_d int, mlen int)";
    if let Err(e) = client.simple_query(create).await {
        panic!("CREATE TABLE on {server} failed: {}", error_text(&e));
    }
    for (c, chunk) in data.chunks(500).enumerate() {
        let mut sql = String::from("INSERT INTO fz VALUES ");
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(",\n");
            }
            let _ = write!(
                sql,
                "({}, {}, {}, {}, {}, {}, {}, {})",
                c * 500 + i,
                literal(&r.a),
                literal(&r.b),
                r.ins,
                r.del,
                r.sub,
                r.max_d,
                r.mlen
            );
        }
        if let Err(e) = client.simple_query(&sql).await {
            panic!("INSERT on {server} failed: {}", error_text(&e));
        }
    }
}

/// The rows of `sql` (first column: the row id) as text, by id.
async fn query(client: &Client, sql: &str) -> Result<BTreeMap<usize, Vec<Option<String>>>, String> {
    let messages = client.simple_query(sql).await.map_err(|e| error_text(&e))?;
    let mut out = BTreeMap::new();
    for m in messages {
        if let SimpleQueryMessage::Row(r) = m {
            let id = r
                .get(0)
                .and_then(|v| v.parse().ok())
                .expect("an id in the first column");
            out.insert(
                id,
                (1..r.len()).map(|i| r.get(i).map(str::to_string)).collect(),
            );
        }
    }
    Ok(out)
}

/// Counts for one function, and its first differences.
#[derive(Default)]
struct Tally {
    inputs: usize,
    identical: usize,
    examples: Vec<String>,
}

impl Tally {
    fn record(&mut self, same: bool, describe: impl FnOnce() -> String) {
        self.inputs += 1;
        if same {
            self.identical += 1;
        } else if self.examples.len() < 8 {
            self.examples.push(describe());
        }
    }
}

/// Prints the table and panics with the first differences, if any.
fn report(title: &str, tallies: &[(String, Tally)], extra_failures: &[String]) {
    let mut table = format!(
        "# {title}\n\n| function | inputs | identical | different |\n|---|---:|---:|---:|\n"
    );
    let mut failures = extra_failures.to_vec();
    for (function, t) in tallies {
        let different = t.inputs - t.identical;
        let _ = writeln!(
            table,
            "| {function} | {} | {} | {different} |",
            t.inputs, t.identical
        );
        if different > 0 {
            failures.push(format!(
                "{function}: {different} of {} differ, first ones:\n  {}",
                t.inputs,
                t.examples.join("\n  ")
            ));
        }
    }
    eprintln!("{table}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The inputs of row `id`, for messages.
fn inputs(data: &[Row], id: usize) -> String {
    let r = &data[id];
    format!(
        "row {id} a={:?} b={:?} ins={} del={} sub={} max_d={} mlen={}",
        r.a, r.b, r.ins, r.del, r.sub, r.max_d, r.mlen
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzzy_functions_match_postgres_15() {
    if !Postgres::available() {
        assert!(
            !required(),
            "PostgreSQL 15 is not installed (apt-get install postgresql-15)"
        );
        eprintln!("skipping: PostgreSQL 15 is not installed");
        return;
    }
    let postgres = Postgres::start();
    let pg = postgres.connect().await;
    pg.batch_execute(
        "CREATE EXTENSION fuzzystrmatch; CREATE EXTENSION pg_trgm; CREATE EXTENSION unaccent",
    )
    .await
    .expect("fuzzystrmatch, pg_trgm and unaccent ship with Debian's postgresql-15");
    let (addr, _dir) = start().await;
    let ts = connect(addr).await;
    let data = rows(SEED, ROWS);
    load(&pg, &data, "PostgreSQL").await;
    load(&ts, &data, "Tessera").await;

    let mut tallies = Vec::new();
    let mut failures = Vec::new();
    for c in POSTGRES_CHECKS {
        let sql = format!(
            "SELECT id, {} FROM fz WHERE {} ORDER BY id",
            c.select, c.filter
        );
        let expected = query(&pg, &sql)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL rejects {sql}: {e}"));
        let got = match query(&ts, &sql).await {
            Ok(g) => g,
            Err(e) => {
                failures.push(format!("{}: Tessera fails: {e}\n{sql}", c.function));
                continue;
            }
        };
        let mut t = Tally::default();
        for (id, want) in &expected {
            let have = got.get(id);
            for (col, w) in want.iter().enumerate() {
                let h = have.and_then(|h| h.get(col));
                t.record(h == Some(w), || {
                    format!(
                        "{} column {}: PostgreSQL {w:?}, Tessera {h:?}",
                        inputs(&data, *id),
                        col + 1
                    )
                });
            }
        }
        if got.len() != expected.len() {
            failures.push(format!(
                "{}: {} rows from PostgreSQL, {} from Tessera",
                c.function,
                expected.len(),
                got.len()
            ));
        }
        tallies.push((c.function.to_string(), t));
    }

    let (mut messages, mut states) = (Tally::default(), Tally::default());
    let mut state_gaps = Vec::new();
    for sql in POSTGRES_ERRORS {
        let want = query(&pg, sql)
            .await
            .expect_err("PostgreSQL rejects the statement");
        let have = query(&ts, sql).await.err().unwrap_or_default();
        let split = |e: &str| {
            let (state, message) = e.split_once(": ").unwrap_or(("", e));
            (state.to_string(), message.to_string())
        };
        let ((ws, wm), (hs, hm)) = (split(&want), split(&have));
        messages.record(wm == hm, || {
            format!("{sql}: PostgreSQL {wm:?}, Tessera {hm:?}")
        });
        states.record(ws == hs, String::new);
        if ws != hs {
            state_gaps.push(format!("{sql}: PostgreSQL {ws}, Tessera {hs}"));
        }
    }
    tallies.push(("errors (message)".to_string(), messages));
    eprintln!(
        "SQLSTATE of the errors: {} of {} as PostgreSQL's (known gap, see SQLSTATE_GAP):\n  {}",
        states.identical,
        states.inputs,
        state_gaps.join("\n  ")
    );
    if SQLSTATE_GAP && state_gaps.is_empty() {
        failures.push(
            "every error now has PostgreSQL's SQLSTATE: compare them strictly \
             (remove SQLSTATE_GAP)"
                .to_string(),
        );
    }
    if !SQLSTATE_GAP && !state_gaps.is_empty() {
        failures.push(format!("SQLSTATEs differ:\n  {}", state_gaps.join("\n  ")));
    }
    report(
        &format!("Fuzzy functions: Tessera vs PostgreSQL 15 ({ROWS} generated rows)"),
        &tallies,
        &failures,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzzy_measures_match_rapidfuzz() {
    let python = match std::env::var("TESSERA_CLIENTS_PYTHON") {
        Ok(p) => PathBuf::from(p),
        Err(_) => {
            assert!(!required(), "TESSERA_CLIENTS_PYTHON is not set");
            eprintln!("skipping: run scripts/test.sh to install rapidfuzz");
            return;
        }
    };
    let data = rows(SEED, ROWS);

    // rapidfuzz's answers, for the rows without NULLs.
    let dir = tempfile::tempdir().expect("temporary folder");
    let input = dir.path().join("pairs.jsonl");
    let mut lines = String::new();
    for (id, r) in data.iter().enumerate() {
        if let (Some(a), Some(b)) = (&r.a, &r.b) {
            lines.push_str(&serde_json::json!([id, a, b]).to_string());
            lines.push('\n');
        }
        if let Some(a) = &r.a {
            lines.push_str(&serde_json::json!([CONSTANT_ID + id, a, CONSTANT]).to_string());
            lines.push('\n');
        }
    }
    std::fs::write(&input, lines).expect("write the pairs");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("clients/rapidfuzz_measures.py");
    let mut cmd = Command::new(python);
    cmd.arg(script).arg(&input);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("run the venv python");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(3) && !required() {
        eprintln!("skipping: {stderr}");
        return;
    }
    assert!(
        out.status.success(),
        "rapidfuzz_measures.py failed:\n{stderr}"
    );
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines = stdout.lines();
    let version = lines.next().unwrap_or_default().to_string();
    let expected: BTreeMap<usize, Vec<String>> = lines
        .map(|l| {
            let mut fields = l.split('\t');
            let id = fields.next().and_then(|v| v.parse().ok()).expect("an id");
            (id, fields.map(str::to_string).collect())
        })
        .collect();

    let (addr, _dir) = start().await;
    let ts = connect(addr).await;
    load(&ts, &data, "Tessera").await;
    let mut got = BTreeMap::new();
    for (id, b) in [
        ("id".to_string(), "b".to_string()),
        (format!("id + {CONSTANT_ID}"), format!("'{CONSTANT}'")),
    ] {
        let select: Vec<String> = RAPIDFUZZ
            .iter()
            .map(|(f, _)| format!("{f}(a, {b})"))
            .collect();
        let sql = format!("SELECT {id}, {} FROM fz ORDER BY id", select.join(", "));
        let rows = query(&ts, &sql)
            .await
            .unwrap_or_else(|e| panic!("Tessera fails: {e}\n{sql}"));
        assert_eq!(rows.len(), data.len(), "one row per input");
        got.extend(rows);
    }

    let mut tallies: Vec<(String, Tally)> = RAPIDFUZZ
        .iter()
        .map(|(f, _)| (f.to_string(), Tally::default()))
        .collect();
    for (id, have) in &got {
        let want = expected.get(id);
        for (col, (function, is_float)) in RAPIDFUZZ.iter().enumerate() {
            let h = have[col].as_deref();
            let w = want.map(|w| w[col].as_str());
            // PostgreSQL (and so Tessera) and Python's repr() both print a
            // double as the shortest text that reads back as it, but Python
            // writes `1.0` and `100.0` where PostgreSQL writes `1` and
            // `100`: floats are compared as the doubles they read back as,
            // which is exact (Rust's parser rounds correctly).
            let same = match (w, h) {
                (None, None) => true,
                (Some(w), Some(h)) if *is_float => {
                    w.parse::<f64>().ok() == h.parse::<f64>().ok() && h.parse::<f64>().is_ok()
                }
                (Some(w), Some(h)) => w == h,
                _ => false,
            };
            tallies[col].1.record(same, || {
                let row = match id.checked_sub(CONSTANT_ID) {
                    Some(i) => format!("{} with b={CONSTANT:?}", inputs(&data, i)),
                    None => inputs(&data, *id),
                };
                format!("{function}: {row} rapidfuzz {w:?}, Tessera {h:?}")
            });
        }
    }
    report(
        &format!(
            "Fuzzy measures: Tessera vs {version} ({ROWS} generated rows, NULL rows \
             included, then each a with the constant {CONSTANT:?})"
        ),
        &tallies,
        &[],
    );
}
