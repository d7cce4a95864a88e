//! In-process query runner for the customer-analytics and TPC-H benchmarks
//! (`benches/analytics/run.sh`): Tessera's engine without the wire protocol.
//!
//! `analytics_bench WAREHOUSE` opens the warehouse once, then reads one SQL
//! file path per line on standard input, runs the file's statements in one
//! session and answers one JSON line per request on standard output:
//! `{"secs": 0.123, "rows": 42}` (wall time of planning + execution + fully
//! collecting the result) or `{"error": "..."}`. Keeping one process and one
//! session for all queries matches a server: caches stay warm between runs,
//! and the caller interleaves runs with the other engines.
//!
//! `analytics_bench --datafusion WAREHOUSE` runs the same files on stock
//! DataFusion over delta-rs' table provider instead (the tables of every
//! schema registered by name, default settings): the baseline that shows
//! what Tessera's layers cost or gain.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::time::Instant;

use datafusion::prelude::{SessionConfig, SessionContext};
use futures::TryStreamExt;
use tessera_engine::session::{Engine, QueryOutput, Session, parse};

enum Runner {
    Tessera(Session),
    DataFusion(SessionContext),
}

impl Runner {
    async fn run_file(&self, path: &str) -> anyhow::Result<(f64, usize)> {
        let sql = std::fs::read_to_string(path)?;
        let started = Instant::now();
        let mut rows = 0;
        match self {
            Runner::Tessera(session) => {
                for stmt in parse(&sql)? {
                    if let QueryOutput::Rows { stream, .. } =
                        session.execute_statement(stmt).await?
                    {
                        let batches: Vec<_> = stream.try_collect().await?;
                        rows = batches.iter().map(|b| b.num_rows()).sum();
                    }
                }
            }
            Runner::DataFusion(ctx) => {
                let batches = ctx.sql(&sql).await?.collect().await?;
                rows = batches.iter().map(|b| b.num_rows()).sum();
            }
        }
        Ok((started.elapsed().as_secs_f64(), rows))
    }
}

/// Stock DataFusion with every `schema/table` Delta folder of the warehouse
/// registered as `schema.table` (and `public` as the default schema).
async fn datafusion_context(warehouse: &str) -> anyhow::Result<SessionContext> {
    let config = SessionConfig::new().with_default_catalog_and_schema("datafusion", "public");
    let ctx = SessionContext::new_with_config(config);
    let root = std::fs::canonicalize(warehouse)?;
    for schema in std::fs::read_dir(&root)? {
        let schema = schema?;
        if !schema.file_type()?.is_dir() {
            continue;
        }
        let schema_name = schema.file_name().to_string_lossy().to_string();
        ctx.sql(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema_name}\""))
            .await?;
        for table in std::fs::read_dir(schema.path())? {
            let table = table?;
            if !table.path().join("_delta_log").is_dir() {
                continue;
            }
            let url = url::Url::from_directory_path(table.path())
                .map_err(|()| anyhow::anyhow!("bad path {}", table.path().display()))?;
            let delta = deltalake::open_table(url).await?;
            let name = format!(
                "\"{schema_name}\".\"{}\"",
                table.file_name().to_string_lossy()
            );
            ctx.register_table(name.as_str(), delta.table_provider().await?)?;
        }
    }
    Ok(ctx)
}

/// The allocator of the `tessera` binary, so that in-process timings compare
/// with the server's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tessera_engine::allocator::tune();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runner = match args.as_slice() {
        [flag, warehouse] if flag == "--datafusion" => {
            Runner::DataFusion(datafusion_context(warehouse).await?)
        }
        [warehouse] => {
            let engine = Engine::open(warehouse, &HashMap::new()).await?;
            Runner::Tessera(engine.session())
        }
        _ => anyhow::bail!("usage: analytics_bench [--datafusion] WAREHOUSE < paths"),
    };
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let path = line?;
        let path = path.trim();
        if path.is_empty() {
            continue;
        }
        let reply = match runner.run_file(path).await {
            Ok((secs, rows)) => serde_json::json!({ "secs": secs, "rows": rows }),
            Err(e) => serde_json::json!({ "error": e.to_string() }),
        };
        writeln!(out, "{reply}")?;
        out.flush()?;
    }
    Ok(())
}
