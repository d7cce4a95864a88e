//! `tessera serve` over real TCP with real clients: psql (meta-commands,
//! `\copy`), and — from the venv that `scripts/test.sh` prepares — psycopg 3,
//! psycopg2, asyncpg and SQLAlchemy (`tests/clients/python_clients.py`),
//! including CancelRequest and statement_timeout.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;

use tessera_engine::server::{Server, ServerOptions};
use tessera_engine::session::Engine;

/// Starts a server on a fresh warehouse and an ephemeral port.
pub(crate) async fn start() -> (SocketAddr, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path().to_str().unwrap(), &Default::default())
        .await
        .unwrap();
    let server = Server::bind(
        &engine,
        &ServerOptions {
            listen: "127.0.0.1:0".parse().unwrap(),
            tls: None,
            users: None,
        },
    )
    .await
    .unwrap();
    let addr = server.local_addr();
    tokio::spawn(server.run());
    (addr, dir)
}

/// A client process's stdout and stderr, for assertions and messages.
fn output_text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs a client program with the server's host and port as its last two
/// arguments, off the async runtime.
async fn run_client(mut cmd: Command, addr: SocketAddr) -> std::process::Output {
    cmd.arg(addr.ip().to_string()).arg(addr.port().to_string());
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

fn required() -> bool {
    std::env::var("TESSERA_REQUIRE_CLIENTS").is_ok_and(|v| v == "1")
}

/// Runs psql with `commands`; returns stdout+stderr.
async fn psql(addr: SocketAddr, commands: &[&str]) -> Option<String> {
    let mut cmd = Command::new("psql");
    cmd.args([
        "-X",
        "-h",
        &addr.ip().to_string(),
        "-p",
        &addr.port().to_string(),
        "-U",
        "tessera",
        "tessera",
    ]);
    for c in commands {
        cmd.args(["-c", c]);
    }
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap();
    match out {
        Ok(o) => Some(output_text(&o)),
        Err(e) => {
            assert!(!required(), "psql not runnable: {e}");
            eprintln!("skipping: psql not installed ({e}); scripts/test.sh installs it");
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn psql_queries_meta_commands_and_copy() {
    let (addr, dir) = start().await;
    let csv = dir.path().join("in.csv");
    std::fs::write(&csv, "3,Chloé\n4,\"Zoé, \"\"Z\"\"\"\n").unwrap();
    let copy_in = format!("\\copy people (id, name) from '{}' csv", csv.display());
    let Some(out) = psql(
        addr,
        &[
            "CREATE TABLE people (id bigint PRIMARY KEY, name text, city varchar(40) DEFAULT 'Paris')",
            "COMMENT ON TABLE people IS 'customers, one row each'",
            "CREATE VIEW named AS SELECT id, name FROM people WHERE name IS NOT NULL",
            "INSERT INTO people (id, name) VALUES (1, 'Léa'), (2, NULL)",
            "SELECT version(), 1 + 1, count(*) FROM people",
            "\\dt",
            "\\dt+",
            "\\dn",
            "\\dn+",
            "\\d people",
            "\\d+ people",
            "SELECT pg_table_size('people') > 0 AS stored, pg_size_pretty(20971520) AS mb, pg_indexes_size('people') AS idx",
            "SELECT obj_description('people'::regclass, 'pg_class') AS about",
            "\\dv",
            "\\du",
            "\\df version",
            "\\l",
            "\\l+",
            &copy_in,
            "SELECT id, name FROM people ORDER BY id",
            "\\copy (SELECT id, name FROM people ORDER BY id) to stdout csv",
            "SELECT * FROM missing",
            "SET search_path = \"$user\", public; SHOW search_path",
            "SHOW server_version",
        ],
    )
    .await
    else {
        return;
    };
    for expected in [
        "PostgreSQL 15",
        " version ",
        "?column?",
        " count",
        "INSERT 0 2",
        " public | people | table",
        // `\dt+`: its Size column from the Delta files (a few kB here).
        " permanent   | heap          | ",
        " bytes | customers, one row each",
        // `\dn+`: the access-privilege list is an array.
        "Access privileges",
        " t      | 20 MB |   0",
        "Table \"public.people\"",
        " id     | bigint                |           | not null | ",
        " name   | text ",
        " city   | character varying(40) |           |          | 'Paris'",
        "\"people_pkey\" PRIMARY KEY, btree (id)",
        // `\d+`: storage and description columns, then the access method.
        " city   | character varying(40) |           |          | 'Paris' | extended |",
        "Access method: heap",
        "customers, one row each",
        " public | named | view",
        " tessera   | Superuser",
        " pg_catalog | version ",
        " tessera ",
        // `\l+`: database sizes (pg_database_size).
        " bytes | pg_default | ",
        "COPY 2",
        "  4 | Zoé, \"Z\"",
        "4,\"Zoé, \"\"Z\"\"\"",
        "ERROR:  relation \"missing\" does not exist",
        "\"$user\", public",
        "15.8",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_keep_the_connection_and_other_sessions_alive() {
    let (addr, _dir) = start().await;
    let Some(out) = psql(
        addr,
        &[
            "SELEC 1",
            "SELECT 1 AS one; SELECT nope FROM (SELECT 1 AS x) t; SELECT 3",
            "BEGIN",
            "SELECT 1/0",
            "SELECT 2",
            "ROLLBACK",
            "SELECT 'still here' AS s",
        ],
    )
    .await
    else {
        return;
    };
    for expected in [
        "ERROR:  syntax error",
        " one ",
        "column",
        "current transaction is aborted",
        "still here",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert!(
        !out.contains(" 3\n(1 row)"),
        "ran past the first error:\n{out}"
    );
    // A client that disconnects mid-handshake does not disturb the server.
    let s = tokio::net::TcpStream::connect(addr).await.unwrap();
    drop(s);
    assert!(
        psql(addr, &["SELECT 5 AS five"])
            .await
            .unwrap()
            .contains("five")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_clients() {
    let python = match std::env::var("TESSERA_CLIENTS_PYTHON") {
        Ok(p) => PathBuf::from(p),
        Err(_) => {
            assert!(!required(), "TESSERA_CLIENTS_PYTHON is not set");
            eprintln!("skipping: run scripts/test.sh to install the Python clients");
            return;
        }
    };
    let (addr, _dir) = start().await;
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("clients/python_clients.py");
    let mut cmd = Command::new(python);
    cmd.arg(script);
    let out = run_client(cmd, addr).await;
    let text = output_text(&out);
    assert!(out.status.success(), "python clients failed:\n{text}");
    for client in ["psycopg3", "psycopg2", "asyncpg", "sqlalchemy", "cancel"] {
        assert!(
            text.contains(&format!("{client} ok")),
            "{client} did not pass:\n{text}"
        );
    }
}

/// pgjdbc (what Metabase and DBeaver use): DatabaseMetaData getSchemas,
/// getTables, getColumns (NOT NULL, varchar length, numeric precision and
/// scale, comments), getPrimaryKeys, PreparedStatements past the
/// server-prepare threshold, fetch-size cursors and SQLSTATEs
/// (`tests/clients/JdbcClient.java`, run with Java's single-file launcher).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pgjdbc_client() {
    let jar = std::env::var("TESSERA_PGJDBC_JAR")
        .unwrap_or_else(|_| "/usr/share/java/postgresql.jar".to_string());
    let java_ok = Command::new("java").arg("-version").output().is_ok();
    if !java_ok || !std::path::Path::new(&jar).exists() {
        assert!(!required(), "java or pgjdbc ({jar}) missing");
        eprintln!("skipping: run scripts/test.sh to install Java and pgjdbc");
        return;
    }
    let (addr, _dir) = start().await;
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("clients/JdbcClient.java");
    let mut cmd = Command::new("java");
    cmd.args(["-cp", &jar]).arg(source);
    let out = run_client(cmd, addr).await;
    let text = output_text(&out);
    assert!(
        out.status.success() && text.contains("jdbc client: ok"),
        "pgjdbc client failed:\n{text}"
    );
}
