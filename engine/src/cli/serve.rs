//! `tessera serve`: the PostgreSQL wire protocol over the warehouse.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, ValueEnum};

use crate::cli::Resolved;
use crate::error::{Error, Result};
use crate::server::{Server, ServerOptions, Users};
use crate::session::Engine;

/// How clients authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthMethod {
    /// No password (only allowed on a loopback address).
    Trust,
    /// SCRAM-SHA-256 passwords from `[server.users]` / `TESSERA_PASSWORD`.
    #[value(name = "scram-sha-256")]
    Scram,
}

/// Arguments of `tessera serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:5432].
    #[arg(long, env = "TESSERA_LISTEN")]
    pub listen: Option<String>,
    /// Authentication [default: trust on loopback, scram-sha-256 otherwise].
    #[arg(long, value_enum, env = "TESSERA_AUTH")]
    pub auth: Option<AuthMethod>,
    /// Password of user `tessera` (adds to `[server.users]`).
    #[arg(long, env = "TESSERA_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// TLS certificate chain (PEM); with --tls-key enables `sslmode=require`.
    #[arg(long, env = "TESSERA_TLS_CERT")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    #[arg(long, env = "TESSERA_TLS_KEY")]
    pub tls_key: Option<PathBuf>,
    /// Create the demo tables in `public` first if they are missing.
    #[arg(long)]
    pub demo: bool,
}

/// Runs `tessera serve` until interrupted.
pub async fn run(engine: &Engine, args: &ServeArgs, resolved: &Resolved) -> Result<ExitCode> {
    let server_config = &resolved.config.server;
    let listen = args
        .listen
        .clone()
        .or_else(|| server_config.listen.clone())
        .unwrap_or_else(|| "127.0.0.1:5432".to_string());
    let addr: std::net::SocketAddr = listen
        .parse()
        .map_err(|_| Error::InvalidParameter(format!("bad listen address \"{listen}\"")))?;
    let auth = match (args.auth, server_config.auth.as_deref()) {
        (Some(a), _) => a,
        (None, Some("trust")) => AuthMethod::Trust,
        (None, Some("scram-sha-256")) => AuthMethod::Scram,
        (None, Some(other)) => {
            return Err(Error::InvalidParameter(format!(
                "unknown auth method \"{other}\" (trust, scram-sha-256)"
            )));
        }
        (None, None) if addr.ip().is_loopback() => AuthMethod::Trust,
        (None, None) => AuthMethod::Scram,
    };
    let users = match auth {
        AuthMethod::Trust => {
            if !addr.ip().is_loopback() {
                return Err(Error::InvalidParameter(format!(
                    "--auth trust is only allowed on a loopback address, not {addr}"
                )));
            }
            None
        }
        AuthMethod::Scram => {
            let mut passwords: HashMap<String, String> = server_config.users.clone();
            if let Some(pw) = &args.password {
                passwords.insert("tessera".into(), pw.clone());
            }
            if passwords.is_empty() {
                return Err(Error::InvalidParameter(
                    "scram-sha-256 needs users: set TESSERA_PASSWORD or [server.users]".into(),
                ));
            }
            Some(Arc::new(Users::new(&passwords)))
        }
    };
    let tls = match (
        args.tls_cert
            .clone()
            .or(server_config.tls_cert.clone().map(PathBuf::from)),
        args.tls_key
            .clone()
            .or(server_config.tls_key.clone().map(PathBuf::from)),
    ) {
        (Some(c), Some(k)) => Some((c, k)),
        (None, None) => None,
        _ => {
            return Err(Error::InvalidParameter(
                "TLS needs both --tls-cert and --tls-key".into(),
            ));
        }
    };
    if args.demo && super::demo::ensure(engine, "public").await? {
        eprintln!("demo data created in schema public");
    }
    let server = Server::bind(
        engine,
        &ServerOptions {
            listen: addr,
            tls: tls.clone(),
            users: users.clone(),
        },
    )
    .await?;
    let bound = server.local_addr();
    eprintln!(
        "tessera: serving {} on {bound} ({} auth{}; psql -h {} -p {} -U tessera tessera)",
        engine.warehouse().location().url,
        if users.is_some() {
            "scram-sha-256"
        } else {
            "trust"
        },
        if tls.is_some() { ", TLS" } else { "" },
        bound.ip(),
        bound.port()
    );
    server.run().await?;
    Ok(ExitCode::SUCCESS)
}
