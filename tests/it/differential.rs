//! Differential test: the corpus under `tests/differential/` (one file per
//! area) runs over the wire against a real PostgreSQL 15 and against
//! Tessera, on the same data (`setup.sql`). For every query the column
//! names, the type OIDs (from Describe) and the text values (simple query
//! protocol, as psql and text-mode drivers read them) must be identical.
//!
//! Queries that still differ are listed, with their reason, in
//! `tests/differential/known_differences.txt` (`id<TAB>reason`, the id as
//! printed in the report); the test fails when an unlisted query differs,
//! when a listed one has become identical (so the list stays true), or when
//! PostgreSQL itself rejects a query (a corpus bug). The per-area table is
//! printed to stderr and written to `target/differential-report.md` under
//! the Cargo target directory.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use tokio_postgres::{Client, SimpleQueryMessage};

use super::postgres::Postgres;
use super::wire::start;
use super::wire_rust::connect;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("differential")
}

/// One corpus query.
struct Query {
    area: String,
    id: String,
    sql: String,
}

/// FNV-1a of the query text with whitespace collapsed: an id that survives
/// reformatting and insertions elsewhere in the file.
fn query_id(area: &str, sql: &str) -> String {
    let normal = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in normal.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{area}:{:08x}", h as u32)
}

/// Statements of a file: each ends with `;` at the end of a line; `-- `
/// comment lines and blank lines between statements are skipped.
fn statements(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if current.is_empty() && (trimmed.is_empty() || trimmed.starts_with("--")) {
            continue;
        }
        current.push_str(line);
        current.push('\n');
        if trimmed.ends_with(';') {
            let sql = current.trim().trim_end_matches(';').trim().to_string();
            out.push(sql);
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

fn corpus() -> Vec<Query> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/differential")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "sql")
                && p.file_name().is_some_and(|n| n != "setup.sql")
        })
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let area = f.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&f).expect("corpus file");
        for sql in statements(&text) {
            out.push(Query {
                id: query_id(&area, &sql),
                area: area.clone(),
                sql,
            });
        }
    }
    out
}

/// What a server answered to one query.
#[derive(Debug, PartialEq)]
enum Answer {
    Rows {
        columns: Vec<(String, u32)>,
        rows: Vec<Vec<Option<String>>>,
    },
    Error(String),
}

async fn answer(client: &Client, sql: &str) -> Answer {
    let described = match client.prepare(sql).await {
        Ok(stmt) => stmt
            .columns()
            .iter()
            .map(|c| (c.name().to_string(), c.type_().oid()))
            .collect::<Vec<_>>(),
        Err(e) => return Answer::Error(error_text(&e)),
    };
    let messages = match client.simple_query(sql).await {
        Ok(m) => m,
        Err(e) => return Answer::Error(error_text(&e)),
    };
    let rows = messages
        .iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(r) => {
                Some((0..r.len()).map(|i| r.get(i).map(str::to_string)).collect())
            }
            _ => None,
        })
        .collect();
    Answer::Rows {
        columns: described,
        rows,
    }
}

fn error_text(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => e.to_string(),
    }
}

/// How Tessera's answer differs from PostgreSQL's (first difference only).
fn difference(pg: &Answer, ts: &Answer) -> Option<String> {
    match (pg, ts) {
        (_, Answer::Error(e)) => Some(format!("tessera error {e}")),
        (Answer::Error(_), _) => unreachable!("checked by the caller"),
        (
            Answer::Rows {
                columns: pc,
                rows: pr,
            },
            Answer::Rows {
                columns: tc,
                rows: tr,
            },
        ) => {
            let names = |c: &[(String, u32)]| c.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
            if names(pc) != names(tc) {
                return Some(format!("names {:?} vs {:?}", names(pc), names(tc)));
            }
            if pc != tc {
                return Some(format!("type oids {pc:?} vs {tc:?}"));
            }
            if pr.len() != tr.len() {
                return Some(format!("{} rows vs {}", pr.len(), tr.len()));
            }
            let (i, (p, t)) = pr.iter().zip(tr).enumerate().find(|(_, (p, t))| p != t)?;
            Some(format!("row {i}: {p:?} vs {t:?}"))
        }
    }
}

fn known_differences() -> BTreeMap<String, String> {
    let path = corpus_dir().join("known_differences.txt");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once('\t') {
            Some((id, why)) => (id.trim().to_string(), why.trim().to_string()),
            None => (l.trim().to_string(), String::new()),
        })
        .collect()
}

async fn load(client: &Client, setup: &[String], server: &str) {
    for sql in setup {
        if let Err(e) = client.simple_query(sql).await {
            panic!("setup on {server} failed: {}\n{sql}", error_text(&e));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_15_differential() {
    if !Postgres::available() {
        assert!(
            std::env::var_os("TESSERA_REQUIRE_CLIENTS").is_none(),
            "PostgreSQL 15 is not installed (apt-get install postgresql-15)"
        );
        eprintln!("skipping: PostgreSQL 15 is not installed");
        return;
    }
    let postgres = Postgres::start();
    let pg = postgres.connect().await;
    let (addr, _dir) = start().await;
    let ts = connect(addr).await;
    let setup = statements(&std::fs::read_to_string(corpus_dir().join("setup.sql")).unwrap());
    load(&pg, &setup, "PostgreSQL").await;
    load(&ts, &setup, "Tessera").await;
    for client in [&pg, &ts] {
        client.simple_query("SET TimeZone = 'UTC'").await.unwrap();
    }

    let known = known_differences();
    let queries = corpus();
    assert!(
        queries.len() >= 300,
        "the corpus must keep at least 300 queries ({} found)",
        queries.len()
    );
    let mut per_area: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut report = String::new();
    let mut failures = Vec::new();
    for q in &queries {
        let expected = answer(&pg, &q.sql).await;
        if let Answer::Error(e) = &expected {
            failures.push(format!(
                "{} is rejected by PostgreSQL 15 ({e}):\n{}",
                q.id, q.sql
            ));
            continue;
        }
        let got = answer(&ts, &q.sql).await;
        let area = per_area.entry(&q.area).or_default();
        area.0 += 1;
        match difference(&expected, &got) {
            None => {
                area.1 += 1;
                if known.contains_key(&q.id) {
                    failures.push(format!(
                        "{} is now identical: remove it from known_differences.txt",
                        q.id
                    ));
                }
            }
            Some(diff) => {
                // One line per difference in the report (see
                // tests/differential/list_differences.py).
                let diff = diff.replace('\n', " ");
                area.2 += 1;
                let listed = known.contains_key(&q.id);
                let _ = writeln!(
                    report,
                    "- `{}`{} {}\n  `{}`",
                    q.id,
                    if listed { " (known)" } else { "" },
                    diff,
                    q.sql.split_whitespace().collect::<Vec<_>>().join(" ")
                );
                if !listed {
                    failures.push(format!("{} differs: {diff}\n{}", q.id, q.sql));
                }
            }
        }
    }

    let mut table =
        String::from("| area | queries | identical | different |\n|---|---:|---:|---:|\n");
    let mut totals = (0, 0, 0);
    for (area, (n, same, diff)) in &per_area {
        let _ = writeln!(table, "| {area} | {n} | {same} | {diff} |");
        totals = (totals.0 + n, totals.1 + same, totals.2 + diff);
    }
    let _ = writeln!(
        table,
        "| **all** | {} | {} | {} |",
        totals.0, totals.1, totals.2
    );
    let full = format!("# Tessera vs PostgreSQL 15\n\n{table}\n## Differences\n\n{report}");
    eprintln!("{full}");
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        let _ = std::fs::write(Path::new(&target).join("differential-report.md"), &full);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
