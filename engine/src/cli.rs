//! The `tessera` command line: global options and subcommands.
//!
//! One file per subcommand under `cli/`. Every flag can also be set by a
//! `TESSERA_…` environment variable; `--config FILE` supplies defaults.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::error::Result;
use crate::session::Engine;

pub mod demo;
pub mod import;
pub mod serve;
pub mod sql;

/// Tessera: a SQL-first customer data platform.
#[derive(Debug, Parser)]
#[command(name = "tessera", version, about, long_about = None)]
pub struct Cli {
    /// Warehouse location: a folder, file:///abs/path, s3://bucket/prefix or memory://
    #[arg(long, global = true, env = "TESSERA_WAREHOUSE")]
    pub warehouse: Option<String>,
    /// TOML configuration file (see tessera.example.toml).
    #[arg(long, global = true, env = "TESSERA_CONFIG")]
    pub config: Option<PathBuf>,
    /// Extra S3 setting KEY=VALUE (object_store AmazonS3ConfigKey names); repeatable.
    #[arg(long = "s3-option", global = true, value_parser = parse_key_value)]
    pub s3_options: Vec<(String, String)>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run SQL: an interactive shell, or -c / -f scripts.
    Sql(sql::SqlArgs),
    /// Import CSV, Parquet or JSON files into a table.
    Import(import::ImportArgs),
    /// Create the sample French customer base.
    Demo(demo::DemoArgs),
    /// Serve the PostgreSQL wire protocol.
    Serve(serve::ServeArgs),
}

fn parse_key_value(s: &str) -> std::result::Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .ok_or_else(|| format!("expected KEY=VALUE, got \"{s}\""))
}

/// Options after merging defaults, the config file, the environment and flags.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Warehouse location.
    pub warehouse: String,
    /// S3 settings.
    pub s3: HashMap<String, String>,
    /// The config file's contents.
    pub config: Config,
}

impl Cli {
    /// Applies precedence: defaults < file < environment < flags.
    pub fn resolve(&self) -> Result<Resolved> {
        let config = match &self.config {
            Some(p) => Config::load(p)?,
            None => Config::default(),
        };
        let warehouse = self
            .warehouse
            .clone()
            .or_else(|| config.warehouse.clone())
            .unwrap_or_else(|| tessera_catalog::DEFAULT_WAREHOUSE.to_string());
        let mut s3 = config.s3.clone();
        s3.extend(self.s3_options.iter().cloned());
        Ok(Resolved {
            warehouse,
            s3,
            config,
        })
    }
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<ExitCode> {
    let resolved = cli.resolve()?;
    let engine = Engine::open(&resolved.warehouse, &resolved.s3).await?;
    match &cli.command {
        Command::Sql(args) => sql::run(&engine, args).await,
        Command::Import(args) => import::run(&engine, args).await,
        Command::Demo(args) => demo::run(&engine, args).await,
        Command::Serve(args) => serve::run(&engine, args, &resolved).await,
    }
}
