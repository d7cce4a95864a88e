//! Helpers shared by the integration tests.

use tessera_engine::{Collected, Engine, Session};

/// A warehouse in a temporary folder, removed when dropped.
pub(crate) struct TempWarehouse {
    /// The folder.
    pub(crate) dir: tempfile::TempDir,
}

impl TempWarehouse {
    pub(crate) fn new() -> Self {
        TempWarehouse {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    pub(crate) fn path(&self) -> String {
        self.dir.path().display().to_string()
    }

    /// A fresh engine on the folder, as a new process would open it.
    pub(crate) async fn engine(&self) -> Engine {
        Engine::open(&self.path(), &Default::default())
            .await
            .expect("warehouse opens")
    }
}

/// Runs SQL and panics with the error message if it fails.
pub(crate) async fn run(session: &Session, sql: &str) -> Vec<Collected> {
    match session.execute_collect(sql).await {
        Ok(r) => r,
        Err(e) => panic!("{sql}\nfailed: {} ({})", e.message(), e.sqlstate()),
    }
}

/// Runs a query and returns its rows as text (NULL as `NULL`).
pub(crate) async fn rows(session: &Session, sql: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for c in run(session, sql).await {
        if let Collected::Rows(_, batches) = c {
            for b in &batches {
                for r in tessera_engine::output::batch_text(b).expect("printable") {
                    out.push(
                        r.into_iter()
                            .map(|v| v.unwrap_or_else(|| "NULL".into()))
                            .collect(),
                    );
                }
            }
        }
    }
    out
}

/// The SQLSTATE of a statement that must fail.
pub(crate) async fn error_state(session: &Session, sql: &str) -> String {
    match session.execute_collect(sql).await {
        Ok(_) => panic!("{sql}\nsucceeded but should have failed"),
        Err(e) => e.sqlstate().to_string(),
    }
}
