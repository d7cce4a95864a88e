//! Importing files into tables (`tessera import`).
//!
//! Files are read by DataFusion's CSV, Parquet and NDJSON readers — in
//! parallel over byte ranges, with schema inference — and streamed into the
//! Delta table through the table's own `INSERT` path, so memory stays bounded
//! by a few batches whatever the file size, and the import is one Delta
//! commit: it lands whole or not at all.
//!
//! Files in other encodings (Latin-1 / Windows-1252 CRM exports) or with a
//! UTF-8 byte-order mark are transcoded to UTF-8 into a temporary file first
//! (see [`encoding`]); JSON arrays are rewritten as NDJSON. When reading
//! fails, the file is read again alone on one partition to report which file
//! and which line is wrong.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use datafusion::common::Column;
use datafusion::datasource::TableProvider;
use datafusion::datasource::file_format::options::JsonReadOptions;
use datafusion::logical_expr::dml::InsertOp;
use datafusion::logical_expr::{Expr, cast, lit};
use datafusion::physical_plan::collect;
use datafusion::prelude::{CsvReadOptions, DataFrame, ParquetReadOptions, col};
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion::sql::sqlparser::parser::Parser;
use tessera_catalog::{ColumnMeta, NewTable, PgType};

use crate::error::{Error, Result};
use crate::session::{CATALOG_NAME, Session};

pub mod encoding;
pub mod progress;

/// Input file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FileFormat {
    /// Comma- (or otherwise) separated values.
    Csv,
    /// Apache Parquet.
    Parquet,
    /// Newline-delimited JSON objects, or one JSON array of objects.
    Json,
}

/// What to do with the target table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportMode {
    /// Append; create the table from the file's columns if it does not exist.
    Auto,
    /// Create the table; fail if it exists.
    Create,
    /// Append to an existing table.
    Append,
    /// Replace the rows of an existing table (or create it).
    Replace,
}

/// Everything an import needs.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Input files, all of one format.
    pub paths: Vec<PathBuf>,
    /// Target table name as SQL (`orders`, `crm.orders`).
    pub table: String,
    /// Format, or `None` to guess from the extension.
    pub format: Option<FileFormat>,
    /// CSV delimiter.
    pub delimiter: u8,
    /// CSV quote.
    pub quote: u8,
    /// CSV header line present.
    pub header: bool,
    /// Text encoding label (`utf-8`, `latin1`, `windows-1252`, …).
    pub encoding: String,
    /// Create/append behaviour.
    pub mode: ImportMode,
    /// Rows sampled for type inference.
    pub infer_rows: usize,
    /// Show a progress bar on a terminal.
    pub progress: bool,
}

impl ImportOptions {
    /// Options with defaults for `paths` into `table`.
    pub fn new(paths: Vec<PathBuf>, table: impl Into<String>) -> Self {
        ImportOptions {
            paths,
            table: table.into(),
            format: None,
            delimiter: b',',
            quote: b'"',
            header: true,
            encoding: "utf-8".into(),
            mode: ImportMode::Auto,
            infer_rows: 10_000,
            progress: false,
        }
    }
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct ImportSummary {
    /// `schema.table`.
    pub table: String,
    /// Rows written.
    pub rows: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

fn guess_format(path: &Path) -> Option<FileFormat> {
    let name = path.file_name()?.to_str()?.to_lowercase();
    let name = name.trim_end_matches(".gz");
    match name.rsplit('.').next()? {
        "csv" | "tsv" | "txt" => Some(FileFormat::Csv),
        "parquet" | "pq" => Some(FileFormat::Parquet),
        "json" | "ndjson" | "jsonl" => Some(FileFormat::Json),
        _ => None,
    }
}

/// Imports files into a table; see the module docs.
pub async fn import(session: &Session, opts: &ImportOptions) -> Result<ImportSummary> {
    let started = Instant::now();
    if opts.paths.is_empty() {
        return Err(Error::InvalidParameter("no file to import".into()));
    }
    let format = match opts.format {
        Some(f) => f,
        None => guess_format(&opts.paths[0]).ok_or_else(|| {
            Error::InvalidParameter(format!(
                "cannot tell the format of \"{}\" from its name: give --format",
                opts.paths[0].display()
            ))
        })?,
    };
    let mut inputs = Vec::with_capacity(opts.paths.len());
    for p in &opts.paths {
        let abs = std::fs::canonicalize(p).map_err(|source| Error::Io {
            path: p.display().to_string(),
            source,
        })?;
        inputs.push(abs);
    }
    // Temporary UTF-8 copies live until the import ends.
    let scratch = tempfile::tempdir().map_err(|source| Error::Io {
        path: "temporary folder".into(),
        source,
    })?;
    let readable = match format {
        FileFormat::Parquet => inputs.clone(),
        FileFormat::Csv | FileFormat::Json => encoding::prepare(
            &inputs,
            &opts.encoding,
            format == FileFormat::Json,
            scratch.path(),
        )?,
    };

    let name = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(&opts.table)
        .and_then(|mut p| p.parse_object_name(false))
        .map_err(|e| Error::InvalidParameter(format!("bad table name \"{}\": {e}", opts.table)))?;
    let (schema, table) = crate::ddl::resolve(session, &name)?;
    let qualified = format!("{schema}.{table}");

    let df = read(session, format, &readable, opts)
        .await
        .map_err(|e| locate_error(e, &opts.paths))?;

    session.warehouse().refresh().await?;
    let exists = session.warehouse().state().table(&schema, &table).is_ok();
    let created = match (opts.mode, exists) {
        (ImportMode::Create, true) => {
            return Err(tessera_catalog::Error::RelationExists {
                schema,
                name: table,
            }
            .into());
        }
        (ImportMode::Append, false) => {
            return Err(tessera_catalog::Error::RelationNotFound {
                schema,
                name: table,
            }
            .into());
        }
        (_, false) => {
            let columns = df
                .schema()
                .fields()
                .iter()
                .map(|f| {
                    Ok(ColumnMeta {
                        name: f.name().clone(),
                        pg_type: PgType::from_arrow(f.data_type())?,
                        nullable: true,
                        default: None,
                        comment: None,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let def = NewTable {
                columns,
                primary_key: vec![],
                comment: None,
            };
            // An import into a new schema creates it, as a load tool should.
            session.warehouse().create_schema(&schema, true).await?;
            session
                .warehouse()
                .create_table(&schema, &table, def, false)
                .await?;
            true
        }
        (_, true) => false,
    };
    let op = if opts.mode == ImportMode::Replace {
        InsertOp::Overwrite
    } else {
        InsertOp::Append
    };
    let written = write(session, df, &schema, &table, op, opts.progress).await;
    match written {
        Ok(rows) => Ok(ImportSummary {
            table: qualified,
            rows,
            seconds: started.elapsed().as_secs_f64(),
        }),
        Err(e) => {
            if created {
                let _ = session.warehouse().drop_table(&schema, &table, true).await;
            }
            Err(locate_read_error(session, format, &readable, opts, e).await)
        }
    }
}

async fn read(
    session: &Session,
    format: FileFormat,
    files: &[PathBuf],
    opts: &ImportOptions,
) -> Result<DataFrame> {
    let ctx = session.context();
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    Ok(match format {
        FileFormat::Csv => {
            let o = CsvReadOptions::new()
                .has_header(opts.header)
                .delimiter(opts.delimiter)
                .quote(opts.quote)
                .file_extension("")
                .schema_infer_max_records(opts.infer_rows);
            ctx.read_csv(paths, o).await?
        }
        FileFormat::Parquet => {
            ctx.read_parquet(paths, ParquetReadOptions::default().file_extension(""))
                .await?
        }
        FileFormat::Json => {
            let o = JsonReadOptions::default()
                .file_extension("")
                .schema_infer_max_records(opts.infer_rows);
            ctx.read_json(paths, o).await?
        }
    })
}

/// Streams `df` into the table, converting columns by name to the table's types.
async fn write(
    session: &Session,
    df: DataFrame,
    schema: &str,
    table: &str,
    op: InsertOp,
    progress: bool,
) -> Result<u64> {
    let ctx = session.context();
    let target = format!("{CATALOG_NAME}.\"{schema}\".\"{table}\"");
    let provider: Arc<dyn TableProvider> = ctx.table_provider(target.as_str()).await?;
    let table_schema = provider.schema();
    let file_columns: Vec<String> = df
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    for c in &file_columns {
        if table_schema.field_with_name(c).is_err() {
            return Err(Error::InvalidParameter(format!(
                "column \"{c}\" of the file is not a column of table \"{schema}.{table}\""
            )));
        }
    }
    let exprs: Vec<Expr> = table_schema
        .fields()
        .iter()
        .map(|f| {
            let e = if file_columns.contains(f.name()) {
                col(Column::new_unqualified(f.name()))
            } else {
                lit(datafusion::common::ScalarValue::Null)
            };
            cast(e, f.data_type().clone()).alias(f.name())
        })
        .collect();
    let df = df.select(exprs)?;
    let state = ctx.state();
    let input = df.create_physical_plan().await?;
    let bar = progress::bar(progress);
    let input = progress::ProgressExec::wrap(input, bar.clone());
    let plan = provider.insert_into(&state, input, op).await?;
    let batches = collect(plan, ctx.task_ctx()).await?;
    bar.finish_and_clear();
    let rows = crate::session::dml_count(&batches);
    Ok(rows)
}

/// Names the file for errors raised while planning the read.
fn locate_error(e: Error, paths: &[PathBuf]) -> Error {
    match e {
        Error::DataFusion(d) => Error::BadFile {
            path: paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            line: None,
            message: crate::error::Error::DataFusion(d).message(),
        },
        other => other,
    }
}

/// Finds which file and line made an import fail, by reading each file alone
/// on one partition (line numbers are then counted from the file's start).
async fn locate_read_error(
    session: &Session,
    format: FileFormat,
    files: &[PathBuf],
    opts: &ImportOptions,
    original: Error,
) -> Error {
    if !matches!(original, Error::DataFusion(_))
        || format == FileFormat::Parquet && files.len() == 1
    {
        return name_single_file(original, &opts.paths);
    }
    let serial = session.context().clone();
    {
        let st = serial.state_ref();
        let mut st = st.write();
        let o = st.config_mut().options_mut();
        o.execution.target_partitions = 1;
        o.optimizer.repartition_file_scans = false;
    }
    for (shown, file) in opts.paths.iter().zip(files) {
        let one = std::slice::from_ref(file);
        let counted = async {
            let df = read(session, format, one, opts).await?;
            let s = serial.state();
            let df = DataFrame::new(s, df.logical_plan().clone());
            // Read every column (count(*) would parse none) without keeping rows.
            let mut stream = df.execute_stream().await?;
            while let Some(batch) = futures::StreamExt::next(&mut stream).await {
                batch?;
            }
            Ok::<_, Error>(())
        }
        .await;
        if let Err(Error::DataFusion(e)) = counted {
            let message = Error::DataFusion(e).message();
            return Error::BadFile {
                path: shown.display().to_string(),
                line: line_of(&message)
                    .map(|l| l + u64::from(opts.header && format == FileFormat::Csv)),
                message,
            };
        }
    }
    name_single_file(original, &opts.paths)
}

fn name_single_file(e: Error, paths: &[PathBuf]) -> Error {
    match (e, paths) {
        (Error::DataFusion(d), [one]) => {
            let message = Error::DataFusion(d).message();
            Error::BadFile {
                path: one.display().to_string(),
                line: None,
                message,
            }
        }
        (e, _) => e,
    }
}

/// The line number in Arrow's "… at line N" parse errors.
fn line_of(message: &str) -> Option<u64> {
    let i = message.find(" at line ")?;
    let digits: String = message[i + 9..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}
