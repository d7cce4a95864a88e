//! `tessera serve`: the PostgreSQL wire protocol over the warehouse.

use std::process::ExitCode;

use clap::Args;

use crate::cli::Resolved;
use crate::error::{Error, Result};
use crate::session::Engine;

/// Arguments of `tessera serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TESSERA_LISTEN")]
    pub listen: Option<String>,
    /// Create the demo tables in `public` first if they are missing.
    #[arg(long)]
    pub demo: bool,
}

/// Runs `tessera serve` until interrupted.
pub async fn run(engine: &Engine, args: &ServeArgs, resolved: &Resolved) -> Result<ExitCode> {
    let listen = args
        .listen
        .clone()
        .or_else(|| resolved.config.server.listen.clone())
        .unwrap_or_else(|| "127.0.0.1:5432".to_string());
    let addr: std::net::SocketAddr = listen
        .parse()
        .map_err(|_| Error::InvalidParameter(format!("bad listen address \"{listen}\"")))?;
    if args.demo && super::demo::ensure(engine, "public").await? {
        eprintln!("demo data created in schema public");
    }
    eprintln!(
        "tessera: serving {} on {addr} (psql -h {} -p {} -U tessera tessera)",
        engine.warehouse().location().url,
        addr.ip(),
        addr.port()
    );
    crate::server::serve(engine, addr).await?;
    Ok(ExitCode::SUCCESS)
}
