//! Writes the eight TPC-H tables as Parquet for the analytics benchmark:
//! `gen_tpch SF OUT_DIR` (for example `gen_tpch 1 /data/tpch-sf1`).
//!
//! Each table goes to `OUT_DIR/<table>/part-N.parquet` (N from 0), Snappy
//! compressed. Big tables are split into several files of about 1.5 million
//! rows, each generated independently with tpchgen's `part`/`part_count`
//! constructors (the same rows `dbgen -C parts -S part` would produce), on
//! as many threads as there are cores. Existing `part-*.parquet` files in a
//! table's folder are removed first, so a rerun always writes fresh data.
//!
//! Types are those of `tpchgen-arrow`, except that strings are written as
//! `Utf8` instead of `Utf8View`: keys `Int64`, small integers `Int32`, money
//! and quantities `Decimal128(15, 2)`, dates `Date32`. Rows are the official
//! `dbgen` ones, so the TPC-H validation answers apply.

use std::collections::VecDeque;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatchReader;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Compression;
use datafusion::parquet::file::properties::WriterProperties;
use tpchgen::generators::{
    CustomerGenerator, LineItemGenerator, NationGenerator, OrderGenerator, PartGenerator,
    PartSuppGenerator, RegionGenerator, SupplierGenerator,
};
use tpchgen_arrow::{
    CustomerArrow, LineItemArrow, NationArrow, OrderArrow, PartArrow, PartSuppArrow, RegionArrow,
    SupplierArrow,
};

/// Rows aimed at per Parquet file.
const ROWS_PER_FILE: f64 = 1_500_000.0;

/// The TPC-H tables, biggest first (so the threads' work balances out).
#[derive(Debug, Clone, Copy)]
enum Table {
    LineItem,
    Orders,
    PartSupp,
    Part,
    Customer,
    Supplier,
    Nation,
    Region,
}

const TABLES: [Table; 8] = [
    Table::LineItem,
    Table::Orders,
    Table::PartSupp,
    Table::Part,
    Table::Customer,
    Table::Supplier,
    Table::Nation,
    Table::Region,
];

type Batches = Box<dyn RecordBatchReader>;

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::LineItem => "lineitem",
            Table::Orders => "orders",
            Table::PartSupp => "partsupp",
            Table::Part => "part",
            Table::Customer => "customer",
            Table::Supplier => "supplier",
            Table::Nation => "nation",
            Table::Region => "region",
        }
    }

    /// Approximate row count at scale factor `sf` (lineitem averages four
    /// lines per order).
    fn approx_rows(self, sf: f64) -> f64 {
        match self {
            Table::LineItem => 6_000_000.0 * sf,
            Table::Orders => 1_500_000.0 * sf,
            Table::PartSupp => 800_000.0 * sf,
            Table::Part => 200_000.0 * sf,
            Table::Customer => 150_000.0 * sf,
            Table::Supplier => 10_000.0 * sf,
            Table::Nation => 25.0,
            Table::Region => 5.0,
        }
    }

    /// How many files (generator parts) the table is split into.
    fn parts(self, sf: f64) -> i32 {
        match self {
            // Fixed-size tables: tpchgen ignores the part arguments.
            Table::Nation | Table::Region => 1,
            _ => {
                let n = (self.approx_rows(sf) / ROWS_PER_FILE).ceil();
                n.clamp(1.0, 10_000.0) as i32
            }
        }
    }

    /// Record batches of part `part` (1-based) of `parts`.
    fn batches(self, sf: f64, part: i32, parts: i32) -> Batches {
        match self {
            Table::LineItem => {
                Box::new(LineItemArrow::new(LineItemGenerator::new(sf, part, parts)))
            }
            Table::Orders => Box::new(OrderArrow::new(OrderGenerator::new(sf, part, parts))),
            Table::PartSupp => {
                Box::new(PartSuppArrow::new(PartSuppGenerator::new(sf, part, parts)))
            }
            Table::Part => Box::new(PartArrow::new(PartGenerator::new(sf, part, parts))),
            Table::Customer => {
                Box::new(CustomerArrow::new(CustomerGenerator::new(sf, part, parts)))
            }
            Table::Supplier => {
                Box::new(SupplierArrow::new(SupplierGenerator::new(sf, part, parts)))
            }
            Table::Nation => Box::new(NationArrow::new(NationGenerator::new(sf, part, parts))),
            Table::Region => Box::new(RegionArrow::new(RegionGenerator::new(sf, part, parts))),
        }
    }
}

/// One file to write.
#[derive(Debug, Clone)]
struct Job {
    table: Table,
    part: i32,
    parts: i32,
    path: PathBuf,
}

/// `schema` with `Utf8View` columns turned into `Utf8`.
fn utf8_schema(schema: &Schema) -> SchemaRef {
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|f| match f.data_type() {
            DataType::Utf8View => f.as_ref().clone().with_data_type(DataType::Utf8),
            _ => f.as_ref().clone(),
        })
        .collect();
    Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()))
}

/// Writes one part file; returns its row count.
fn write_part(sf: f64, job: &Job) -> Result<u64> {
    let batches = job.table.batches(sf, job.part, job.parts);
    let schema = utf8_schema(&batches.schema());
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let file =
        File::create(&job.path).with_context(|| format!("creating {}", job.path.display()))?;
    let mut writer = ArrowWriter::try_new(file, Arc::clone(&schema), Some(props))?;
    let mut rows = 0u64;
    for batch in batches {
        let batch = batch.context("generating data")?;
        let columns = batch
            .columns()
            .iter()
            .zip(schema.fields())
            .map(|(c, f)| {
                if c.data_type() == f.data_type() {
                    Ok(Arc::clone(c))
                } else {
                    cast(c, f.data_type())
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        let batch = RecordBatch::try_new(Arc::clone(&schema), columns)?;
        rows += batch.num_rows() as u64;
        writer.write(&batch)?;
    }
    writer
        .close()
        .with_context(|| format!("writing {}", job.path.display()))?;
    Ok(rows)
}

/// Creates `dir` and removes the `part-*.parquet` files a previous run left.
fn prepare_dir(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("part-") && name.ends_with(".parquet") {
            fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        bail!("usage: gen_tpch SF OUT_DIR   (for example: gen_tpch 1 /data/tpch-sf1)");
    }
    let sf: f64 = args[1]
        .parse()
        .with_context(|| format!("scale factor {:?} is not a number", args[1]))?;
    if !sf.is_finite() || sf <= 0.0 {
        bail!("scale factor must be positive, got {sf}");
    }
    let out = PathBuf::from(&args[2]);

    let mut jobs = VecDeque::new();
    for table in TABLES {
        let dir = out.join(table.name());
        prepare_dir(&dir)?;
        let parts = table.parts(sf);
        for part in 1..=parts {
            jobs.push_back(Job {
                table,
                part,
                parts,
                path: dir.join(format!("part-{}.parquet", part - 1)),
            });
        }
    }
    let files = jobs.len();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, files.max(1));
    eprintln!(
        "gen_tpch: SF {sf} into {} ({files} files, {threads} threads)",
        out.display()
    );

    let start = Instant::now();
    let queue = Arc::new(Mutex::new(jobs));
    // Rows written per table, in TABLES order.
    let totals = Arc::new(Mutex::new([0u64; TABLES.len()]));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let queue = Arc::clone(&queue);
            let totals = Arc::clone(&totals);
            std::thread::spawn(move || -> Result<()> {
                loop {
                    let job = match queue.lock() {
                        Ok(mut q) => q.pop_front(),
                        Err(_) => bail!("another generator thread failed"),
                    };
                    let Some(job) = job else { return Ok(()) };
                    let rows = write_part(sf, &job)
                        .with_context(|| format!("{} part {}", job.table.name(), job.part))?;
                    let idx = job.table as usize;
                    match totals.lock() {
                        Ok(mut t) => t[idx] += rows,
                        Err(_) => bail!("another generator thread failed"),
                    }
                }
            })
        })
        .collect();
    let mut first_err = None;
    for h in handles {
        let res = h
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("generator thread panicked")));
        if let Err(e) = res {
            first_err.get_or_insert(e);
        }
    }
    if let Some(e) = first_err {
        return Err(e);
    }

    let totals = match totals.lock() {
        Ok(t) => *t,
        Err(_) => bail!("generator thread failed"),
    };
    for table in TABLES {
        eprintln!(
            "  {:<9} {:>12} rows  {:>4} files",
            table.name(),
            totals[table as usize],
            table.parts(sf)
        );
    }
    eprintln!("gen_tpch: done in {:.1}s", start.elapsed().as_secs_f64());
    Ok(())
}
