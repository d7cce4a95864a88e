//! `tessera import`: load CSV, Parquet or JSON files into a table.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::error::Result;
use crate::import::{FileFormat, ImportMode, ImportOptions, import};
use crate::session::Engine;

/// Arguments of `tessera import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import (all of one format).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Target table, `name` or `schema.name`.
    #[arg(long, short = 't')]
    pub table: String,
    /// File format; guessed from the extension when omitted.
    #[arg(long, value_enum)]
    pub format: Option<FileFormat>,
    /// CSV field delimiter (one character; `\t` for tab).
    #[arg(long, default_value = ",")]
    pub delimiter: String,
    /// CSV quote character.
    #[arg(long, default_value = "\"")]
    pub quote: String,
    /// CSV files have no header line (columns are named column_1, column_2, …).
    #[arg(long)]
    pub no_header: bool,
    /// Text encoding of CSV/JSON files (utf-8, latin1, windows-1252, …).
    #[arg(long, default_value = "utf-8")]
    pub encoding: String,
    /// auto: append, creating the table if needed; create: the table must not exist;
    /// append: the table must exist; replace: replace its rows.
    #[arg(long, value_enum, default_value_t = ImportMode::Auto)]
    pub mode: ImportMode,
    /// Rows read to infer column types.
    #[arg(long, default_value_t = 10_000)]
    pub infer_rows: usize,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Runs `tessera import`.
pub async fn run(engine: &Engine, args: &ImportArgs) -> Result<ExitCode> {
    let session = engine.session();
    let opts = ImportOptions {
        paths: args.paths.clone(),
        table: args.table.clone(),
        format: args.format,
        delimiter: single_byte("delimiter", &args.delimiter)?,
        quote: single_byte("quote", &args.quote)?,
        header: !args.no_header,
        encoding: args.encoding.clone(),
        mode: args.mode,
        infer_rows: args.infer_rows,
        progress: !args.quiet,
    };
    let summary = import(&session, &opts).await?;
    eprintln!(
        "imported {} rows into {} in {:.2} s ({:.0} rows/s)",
        summary.rows,
        summary.table,
        summary.seconds,
        summary.rows as f64 / summary.seconds.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}

fn single_byte(what: &str, s: &str) -> Result<u8> {
    let s = if s == "\\t" { "\t" } else { s };
    match s.as_bytes() {
        [b] => Ok(*b),
        _ => Err(crate::error::Error::InvalidParameter(format!(
            "{what} must be a single ASCII character, got \"{s}\""
        ))),
    }
}
