//! A real PostgreSQL 15 server for differential tests: Debian's
//! `postgresql-15` package (installed by `scripts/test.sh`), a throw-away
//! cluster in a temporary folder on a free loopback port, stopped when
//! dropped. As root, the cluster runs as the `postgres` user (PostgreSQL
//! refuses to run as root).

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = "/usr/lib/postgresql/15/bin";

pub(crate) struct Postgres {
    dir: tempfile::TempDir,
    pub(crate) addr: SocketAddr,
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A PostgreSQL program, run as `postgres` when we are root.
fn pg_command(program: &str) -> Command {
    let path = Path::new(BIN).join(program);
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(&path);
        c
    } else {
        Command::new(&path)
    }
}

/// Runs a PostgreSQL program; panics with its output if it fails.
fn pg(program: &str, args: &[&str]) {
    let out = pg_command(program)
        .args(args)
        .output()
        .expect("run a PostgreSQL program");
    assert!(
        out.status.success(),
        "{program} {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Postgres {
    /// Whether PostgreSQL 15's server programs are installed.
    pub(crate) fn available() -> bool {
        Path::new(BIN).join("postgres").exists()
    }

    /// Starts a fresh cluster (`TimeZone` UTC, trust authentication, user
    /// `postgres`, database `postgres`).
    pub(crate) fn start() -> Postgres {
        let dir = tempfile::tempdir().expect("temporary folder");
        if is_root() {
            let out = Command::new("chown")
                .args(["-R", "postgres"])
                .arg(dir.path())
                .output()
                .expect("chown");
            assert!(out.status.success(), "chown postgres failed");
        }
        let data: PathBuf = dir.path().join("data");
        let data_s = data.to_str().expect("utf-8 path");
        pg(
            "initdb",
            &[
                "-D",
                data_s,
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let sockets = dir.path().to_str().expect("utf-8 path");
        let options = format!(
            "-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c TimeZone=UTC \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        );
        let log = dir.path().join("server.log");
        pg(
            "pg_ctl",
            &[
                "-D",
                data_s,
                "-l",
                log.to_str().expect("utf-8 path"),
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
        Postgres {
            dir,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        }
    }

    /// A tokio-postgres connection (driven in the background).
    pub(crate) async fn connect(&self) -> tokio_postgres::Client {
        let (client, conn) = tokio_postgres::connect(
            &format!(
                "host=127.0.0.1 port={} user=postgres dbname=postgres",
                self.addr.port()
            ),
            tokio_postgres::NoTls,
        )
        .await
        .expect("connect to PostgreSQL 15");
        tokio::spawn(conn);
        client
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let _ = pg_command("pg_ctl")
            .arg("-D")
            .arg(data)
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}
