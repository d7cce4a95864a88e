//! Times Tessera's fuzzy functions in-process with DataFusion on one core.
//!
//! ```sh
//! fuzzy_bench PAIRS.parquet RUNS
//! ```
//!
//! Opens a `SessionContext` with `target_partitions = 1`, registers
//! `tessera_udfs::register_all`, reads the pairs (columns `a`, `b`) and runs,
//! for each measure, `SELECT sum(f(a, b)) FROM pairs` RUNS times, after one
//! untimed warm-up (page cache). The scan baseline is
//! `SELECT sum(length(a) + length(b))`: it reads and decodes both columns and
//! touches every row, so `f`'s own time is the query's minus the baseline's.
//! Prints one line per run: `tessera <measure> <seconds> <checksum>`, the
//! checksum (the sum) proving every row was computed and letting the script
//! compare it with rapidfuzz's and DuckDB's.

use std::time::Instant;

use anyhow::{Context, Result, bail};
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};

/// (label, SQL expression summed over the pairs).
const MEASURES: &[(&str, &str)] = &[
    ("baseline", "length(a) + length(b)"),
    ("levenshtein", "levenshtein(a, b)"),
    ("jaro_winkler", "jaro_winkler(a, b)"),
    ("token_set_ratio", "token_set_ratio(a, b)"),
];

async fn sum(ctx: &SessionContext, expr: &str) -> Result<String> {
    let batches = ctx
        .sql(&format!("SELECT sum({expr}) FROM pairs"))
        .await?
        .collect()
        .await?;
    let col = batches
        .first()
        .map(|b| b.column(0).clone())
        .context("no result")?;
    if col.is_null(0) {
        bail!("sum({expr}) is NULL");
    }
    Ok(match col.data_type() {
        DataType::Int64 => col
            .as_primitive::<datafusion::arrow::datatypes::Int64Type>()
            .value(0)
            .to_string(),
        DataType::Float64 => format!(
            "{:.4}",
            col.as_primitive::<datafusion::arrow::datatypes::Float64Type>()
                .value(0)
        ),
        t => bail!("unexpected sum type {t}"),
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, path, runs] = args.as_slice() else {
        bail!("usage: fuzzy_bench PAIRS.parquet RUNS");
    };
    let runs: usize = runs.parse().context("RUNS")?;
    let only = std::env::var("MEASURES").ok();
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(1));
    tessera_udfs::register_all(&ctx);
    ctx.register_parquet("pairs", path, ParquetReadOptions::default())
        .await?;
    sum(&ctx, "length(a)").await?; // warm-up: page cache, first-use costs
    for _ in 0..runs {
        for (label, expr) in MEASURES {
            if only
                .as_deref()
                .is_some_and(|m| !m.split(',').any(|x| x == *label))
            {
                continue;
            }
            let t = Instant::now();
            let s = sum(&ctx, expr).await?;
            println!("tessera {label} {:.4} {s}", t.elapsed().as_secs_f64());
        }
    }
    Ok(())
}
