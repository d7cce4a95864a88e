//! The PostgreSQL wire protocol server (`tessera serve`).
//!
//! pgwire does the framing, SSL/GSS negotiation, SCRAM exchange, portals and
//! row-limit suspension; Tessera supplies one [`connection::Connection`] per
//! socket. Each connection owns a [`Session`] forked from one template
//! session — the template carries the pg_catalog emulation
//! (`datafusion-pg-catalog`, built once so OIDs agree across connections) and
//! the server functions — plus its own settings, prepared statements, an
//! interrupt slot for `CancelRequest`/`statement_timeout` and any
//! `COPY FROM STDIN` in progress. One client's bad query, malformed message
//! or disconnect only ends that client's task.
//!
//! | module | what |
//! |---|---|
//! | `auth` | trust / SCRAM-SHA-256, database check, start-up parameters |
//! | `connection` | simple and extended query handlers, COPY handler |
//! | `prepare` | Parse: commands, planned statements, parameter and result types |
//! | `commands` | statement splitting; SET/SHOW/RESET/BEGIN/… recognised by text |
//! | `settings` | per-connection GUCs and `ParameterStatus` |
//! | `interrupt` | cancel registry and statement timeouts |
//! | `copy`, `binary` | COPY text/CSV/binary in and out |
//! | `functions` | `version()`, `current_setting()`, … |
//! | `rewrite` | SQL rewrites for client catalog queries DataFusion cannot plan as sent |

mod auth;
mod binary;
mod commands;
mod connection;
mod copy;
pub(crate) mod datarow;
pub(crate) mod functions;
mod interrupt;
mod pg_catalog;
mod prepare;
pub(crate) mod rewrite;
mod settings;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use datafusion_postgres::pgwire::api::{ErrorHandler, PgWireServerHandlers};
use datafusion_postgres::pgwire::error::PgWireError;
use datafusion_postgres::pgwire::tokio::process_socket;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;

pub use auth::Users;
use connection::Connection;
use interrupt::{CancelByKey, CancelRegistry, Interrupt};

use crate::error::{Error, Result};
use crate::session::{CATALOG_NAME, Engine, Session};

/// How the server is run.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// PEM certificate chain and private key for TLS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Password users (SCRAM-SHA-256); `None` = trust.
    pub users: Option<Arc<Users>>,
}

/// A bound server, ready to [`Server::run`].
pub struct Server {
    listener: TcpListener,
    shared: Arc<Shared>,
}

struct Shared {
    template: Session,
    registry: Arc<CancelRegistry>,
    tls: Option<TlsAcceptor>,
    users: Option<Arc<Users>>,
}

/// A session of `engine` with what PostgreSQL clients query beside tables:
/// `pg_catalog`, `information_schema` with PostgreSQL's type names, and the
/// server's functions (`version()`, `current_user`, …). The server's
/// sessions are copies of one; `tessera sql` runs in one, so that analysts
/// see the same catalog there.
pub async fn catalog_session(engine: &Engine, users: Option<&Users>) -> Result<Session> {
    let session = engine.session();
    datafusion_postgres::datafusion_pg_catalog::pg_catalog::setup_pg_catalog(
        session.context(),
        CATALOG_NAME,
        // Not behind an `Arc`: the library's `Arc<T>` provider impl
        // calls itself forever (stack overflow on any pg_roles scan).
        pg_catalog::Roles::new(users),
    )
    .map_err(|e| Error::DataFusion(*e))?;
    functions::register_shared(session.context());
    pg_catalog::install(session.context(), CATALOG_NAME, engine.warehouse().clone()).await?;
    Ok(session)
}

impl Server {
    /// Builds the template session, loads TLS material and binds the socket.
    pub async fn bind(engine: &Engine, opts: &ServerOptions) -> Result<Server> {
        let template = catalog_session(engine, opts.users.as_deref()).await?;
        let tls = match &opts.tls {
            Some((cert, key)) => Some(tls_acceptor(cert, key)?),
            None => None,
        };
        let listener = TcpListener::bind(opts.listen)
            .await
            .map_err(|source| Error::Io {
                path: opts.listen.to_string(),
                source,
            })?;
        Ok(Server {
            listener,
            shared: Arc::new(Shared {
                template,
                registry: Arc::new(CancelRegistry::default()),
                tls,
                users: opts.users.clone(),
            }),
        })
    }

    /// The bound address (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("bound socket")
    }

    /// Accepts connections until the process stops.
    pub async fn run(self) -> Result<()> {
        loop {
            let (socket, peer) = match self.listener.accept().await {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    continue;
                }
            };
            let shared = self.shared.clone();
            tokio::spawn(async move {
                let interrupt = Interrupt::new(shared.registry.clone());
                let conn = Connection::new(shared.template.fork(), interrupt);
                let handlers = Handlers {
                    startup: Arc::new(auth::Startup::new(conn.clone(), shared.users.clone())),
                    cancel: Arc::new(CancelByKey(shared.registry.clone())),
                    conn,
                };
                if let Err(e) = process_socket(socket, shared.tls.clone(), handlers).await {
                    tracing::debug!("connection from {peer} ended: {e}");
                }
            });
        }
    }
}

fn tls_acceptor(cert: &PathBuf, key: &PathBuf) -> Result<TlsAcceptor> {
    let io = |path: &PathBuf, source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    let certs = rustls_pemfile::certs(&mut std::io::BufReader::new(
        std::fs::File::open(cert).map_err(|e| io(cert, e))?,
    ))
    .collect::<std::result::Result<Vec<_>, _>>()
    .map_err(|e| io(cert, e))?;
    let key_der = rustls_pemfile::private_key(&mut std::io::BufReader::new(
        std::fs::File::open(key).map_err(|e| io(key, e))?,
    ))
    .map_err(|e| io(key, e))?
    .ok_or_else(|| Error::InvalidParameter(format!("no private key in {}", key.display())))?;
    let mut config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key_der)
        .map_err(|e| Error::InvalidParameter(format!("TLS certificate/key: {e}")))?;
    config.alpn_protocols = vec![b"postgresql".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// The handler set of one connection.
struct Handlers {
    conn: Arc<Connection>,
    startup: Arc<auth::Startup>,
    cancel: Arc<CancelByKey>,
}

struct LogErrors;

impl ErrorHandler for LogErrors {
    fn on_error<C>(&self, _client: &C, error: &mut PgWireError)
    where
        C: datafusion_postgres::pgwire::api::ClientInfo,
    {
        tracing::debug!("sending error: {error}");
    }
}

impl PgWireServerHandlers for Handlers {
    fn simple_query_handler(
        &self,
    ) -> Arc<impl datafusion_postgres::pgwire::api::query::SimpleQueryHandler> {
        self.conn.clone()
    }

    fn extended_query_handler(
        &self,
    ) -> Arc<impl datafusion_postgres::pgwire::api::query::ExtendedQueryHandler> {
        self.conn.clone()
    }

    fn startup_handler(&self) -> Arc<impl datafusion_postgres::pgwire::api::auth::StartupHandler> {
        self.startup.clone()
    }

    fn copy_handler(&self) -> Arc<impl datafusion_postgres::pgwire::api::copy::CopyHandler> {
        self.conn.clone()
    }

    fn error_handler(&self) -> Arc<impl ErrorHandler> {
        Arc::new(LogErrors)
    }

    fn cancel_handler(&self) -> Arc<impl datafusion_postgres::pgwire::api::cancel::CancelHandler> {
        self.cancel.clone()
    }
}
