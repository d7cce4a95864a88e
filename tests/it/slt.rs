//! Runs every `tests/slt/**/*.slt` file through sqllogictest against a
//! fresh warehouse folder.
//!
//! Errors are reported as `SQLSTATE: message`, so files assert codes with
//! `statement error 42P01`. The test-only statement `RESTART TESSERA` drops
//! the engine and opens a new one on the same folder, as a restarted
//! process would. `TESSERA_SLT_COMPLETE=1` rewrites the expected results.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use sqllogictest::{DBOutput, DefaultColumnType};
use tessera_engine::{Collected, Engine, Session};

use crate::support::TempWarehouse;

#[derive(Debug)]
struct SltError(String);

impl std::fmt::Display for SltError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SltError {}

struct TesseraDb {
    warehouse: String,
    session: Session,
}

impl TesseraDb {
    async fn open(warehouse: String) -> Result<Self, SltError> {
        let engine = Engine::open(&warehouse, &Default::default())
            .await
            .map_err(|e| SltError(format!("{}: {}", e.sqlstate(), e.message())))?;
        Ok(TesseraDb {
            session: engine.session(),
            warehouse,
        })
    }
}

fn column_type(t: &datafusion::arrow::datatypes::DataType) -> DefaultColumnType {
    if t.is_integer() {
        DefaultColumnType::Integer
    } else if t.is_floating() || matches!(t, datafusion::arrow::datatypes::DataType::Decimal128(..))
    {
        DefaultColumnType::FloatingPoint
    } else {
        DefaultColumnType::Text
    }
}

#[async_trait]
impl sqllogictest::AsyncDB for TesseraDb {
    type Error = SltError;
    type ColumnType = DefaultColumnType;

    async fn run(&mut self, sql: &str) -> Result<DBOutput<DefaultColumnType>, SltError> {
        if sql.trim().eq_ignore_ascii_case("RESTART TESSERA") {
            *self = TesseraDb::open(self.warehouse.clone()).await?;
            return Ok(DBOutput::StatementComplete(0));
        }
        let results = self
            .session
            .execute_collect(sql)
            .await
            .map_err(|e| SltError(format!("{}: {}", e.sqlstate(), e.message())))?;
        match results.into_iter().last() {
            Some(Collected::Rows(schema, batches)) => {
                let types = schema
                    .fields()
                    .iter()
                    .map(|f| column_type(f.data_type()))
                    .collect();
                let mut rows = Vec::new();
                for b in &batches {
                    let text =
                        tessera_engine::output::batch_text(b).map_err(|e| SltError(e.message()))?;
                    for r in text {
                        rows.push(
                            r.into_iter()
                                .map(|v| match v {
                                    None => "NULL".to_string(),
                                    Some(s) if s.is_empty() => "(empty)".to_string(),
                                    Some(s) => s,
                                })
                                .collect(),
                        );
                    }
                }
                Ok(DBOutput::Rows { types, rows })
            }
            Some(Collected::Command(tag)) => {
                let n = tag
                    .rsplit(' ')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                Ok(DBOutput::StatementComplete(n))
            }
            None => Ok(DBOutput::StatementComplete(0)),
        }
    }

    async fn shutdown(&mut self) {}

    fn engine_name(&self) -> &str {
        "tessera"
    }
}

fn slt_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            slt_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "slt") {
            out.push(p);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqllogictest_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("slt");
    let mut files = Vec::new();
    slt_files(&root, &mut files);
    assert!(
        files.len() >= 5,
        "the slt corpus is missing from {}",
        root.display()
    );
    let complete = std::env::var_os("TESSERA_SLT_COMPLETE").is_some();
    let mut failures = Vec::new();
    for file in &files {
        let wh = TempWarehouse::new();
        let path = wh.path();
        let mut runner = sqllogictest::Runner::new(move || TesseraDb::open(path.clone()));
        let result = if complete {
            runner
                .update_test_file(
                    file,
                    " ",
                    sqllogictest::default_validator,
                    sqllogictest::default_normalizer,
                    sqllogictest::default_column_validator,
                )
                .await
                .map_err(|e| e.to_string())
        } else {
            runner
                .run_file_async(file)
                .await
                .map_err(|e| e.display(true).to_string())
        };
        let name = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        match result {
            Ok(()) => eprintln!("slt ok: {name}"),
            Err(e) => failures.push(format!("{name}:\n{e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} slt file(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
