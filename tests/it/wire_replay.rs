//! The exact SQL that Metabase, Npgsql (Power BI), Superset/SQLAlchemy and
//! Grafana send when they connect and sync metadata, taken from their
//! source (`tests/clients/replay/*.sql`, each statement with its
//! provenance), replayed over the wire with the simple query protocol as
//! one Query message each. Every statement must succeed, and the answers
//! must describe the `customers` table the clients were pointed at.

use std::path::PathBuf;

use tokio_postgres::SimpleQueryMessage;

use super::wire::start;
use super::wire_rust::connect;

/// Statements of a replay file: text between `-- next` lines, without the
/// leading `-- source:`/`-- purpose:`/`-- note:` header lines.
fn statements(text: &str) -> Vec<String> {
    text.split("\n-- next\n")
        .map(|chunk| {
            let lines: Vec<&str> = chunk.split('\n').collect();
            let body = lines
                .iter()
                .position(|l| {
                    !(l.starts_with("-- source:")
                        || l.starts_with("-- purpose:")
                        || l.starts_with("-- note:"))
                })
                .unwrap_or(lines.len());
            lines[body..].join("\n")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bi_tools_metadata_queries_replay() {
    let (addr, _dir) = start().await;
    let client = connect(addr).await;
    client
        .batch_execute(
            "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, city text);
             COMMENT ON COLUMN customers.email IS 'contact e-mail'",
        )
        .await
        .unwrap();
    let oid = match &client
        .simple_query("SELECT 'public.customers'::regclass::oid")
        .await
        .unwrap()[1]
    {
        SimpleQueryMessage::Row(r) => r.get(0).unwrap().to_string(),
        other => panic!("no oid row: {other:?}"),
    };

    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("clients/replay");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 4,
        "replay files missing in {}",
        dir.display()
    );
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(file).unwrap();
        let mut answers = String::new();
        for (n, sql) in statements(&text).iter().enumerate() {
            // SQLAlchemy pastes the table's OID into later statements; the
            // files carry the one it had on PostgreSQL.
            let sql = sql.replace("16385", &oid);
            match client.simple_query(&sql).await {
                Ok(messages) => {
                    for m in messages {
                        if let SimpleQueryMessage::Row(r) = m {
                            for i in 0..r.len() {
                                answers.push_str(r.get(i).unwrap_or("NULL"));
                                answers.push('|');
                            }
                            answers.push('\n');
                        }
                    }
                }
                Err(e) => {
                    let detail = e.as_db_error().map(|d| d.message().to_string());
                    failures.push(format!("{name} #{}: {detail:?} {e}\n{sql}", n + 1));
                    // Leave any transaction the error aborted.
                    let _ = client.simple_query("ROLLBACK").await;
                }
            }
        }
        // Each tool's metadata sync must have found the table and its columns.
        if name != "npgsql.sql" {
            for expected in ["customers", "email"] {
                assert!(
                    answers.contains(expected),
                    "{name}: no answer mentions {expected:?}:\n{answers}"
                );
            }
        } else {
            for expected in ["int8", "timestamptz", "numeric"] {
                assert!(
                    answers.contains(expected),
                    "{name}: type {expected} not loaded"
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} statements failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
