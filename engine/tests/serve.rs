//! `tessera serve` as a process, as users run it: SCRAM-SHA-256 passwords,
//! TLS (`sslmode=require`), and a query whose planning recurses deeply,
//! which must not take the server down (its worker stacks are sized for
//! it). Driven by psql; skipped when psql or openssl is missing unless
//! `TESSERA_REQUIRE_CLIENTS=1` (set by `scripts/test.sh`).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

fn required() -> bool {
    std::env::var("TESSERA_REQUIRE_CLIENTS").is_ok_and(|v| v == "1")
}

fn available(tool: &str) -> bool {
    let ok = Command::new(tool).arg("--version").output().is_ok();
    assert!(ok || !required(), "{tool} is required");
    ok
}

/// Kills the server when the test ends, passed or not.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the server and waits for its "serving" line (on stderr).
fn serve(warehouse: &Path, port: u16, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .arg("--warehouse")
        .arg(warehouse)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(extra)
        .env("TESSERA_PASSWORD", "s3cret-Pw")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.contains("serving"), "no readiness line: {line:?}");
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    Server(child)
}

fn psql(port: u16, sslmode: &str, password: &str, sql: &str) -> Output {
    Command::new("psql")
        .args(["-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .arg(format!(
            "host=127.0.0.1 port={port} user=tessera dbname=tessera sslmode={sslmode}"
        ))
        .env("PGPASSWORD", password)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn scram_tls_and_deep_queries() {
    if !available("psql") || !available("openssl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=localhost", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(made.status.success(), "openssl: {}", text(&made));
    let port = free_port();
    let _server = serve(
        &dir.path().join("wh"),
        port,
        &[
            "--auth",
            "scram-sha-256",
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );

    // TLS + SCRAM: the session reports an encrypted connection.
    let o = psql(port, "require", "s3cret-Pw", "SELECT 40 + 2");
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "42");
    let o = psql(port, "require", "s3cret-Pw", "\\conninfo");
    assert!(text(&o).contains("SSL connection"), "{}", text(&o));

    // A wrong password is refused with 28P01's message.
    let o = psql(port, "require", "wrong", "SELECT 1");
    assert!(!o.status.success());
    assert!(
        text(&o).contains("password authentication failed for user \"tessera\""),
        "{}",
        text(&o)
    );

    // Deep nesting: 400 levels plan and run; 3000 levels are refused with
    // PostgreSQL's "stack depth limit exceeded" instead of overflowing a
    // stack (which would abort the server for everyone); deeply nested
    // subqueries meet the parser's recursion limit.
    let sum = |n: usize| format!("SELECT {}", vec!["1"; n].join(" + "));
    let o = psql(port, "require", "s3cret-Pw", &sum(400));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "400",
        "{}",
        text(&o)
    );
    let o = psql(port, "require", "s3cret-Pw", &sum(3000));
    assert!(
        text(&o).contains("stack depth limit exceeded"),
        "{}",
        text(&o)
    );
    let deep_subqueries = format!("SELECT {}1{}", "(SELECT ".repeat(120), ")".repeat(120));
    let o = psql(port, "require", "s3cret-Pw", &deep_subqueries);
    assert!(text(&o).contains("ERROR"), "{}", text(&o));
    let o = psql(port, "require", "s3cret-Pw", "SELECT 'still serving'");
    assert!(o.status.success(), "server died: {}", text(&o));
}
