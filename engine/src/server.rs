//! The PostgreSQL wire protocol server.
//!
//! Built on `datafusion-postgres` (pgwire plus `pg_catalog` emulation). A
//! [`WarehouseHook`] runs first for every statement: it picks up other
//! processes' catalog commits and executes Tessera's DDL (which DataFusion
//! does not own); everything else goes through datafusion-postgres against
//! the same catalog and Delta-backed tables as the CLI.
//!
//! Current limits (tracked in the wire-protocol issue): one DataFusion
//! context shared by all connections, trust authentication.

use std::net::SocketAddr;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::logical_expr::{EmptyRelation, LogicalPlan};
use datafusion::prelude::SessionContext;
use datafusion::sql::sqlparser::ast::Statement;
use datafusion_postgres::hooks::HookClient;
use datafusion_postgres::pgwire::api::ClientInfo;
use datafusion_postgres::pgwire::api::results::{Response, Tag};
use datafusion_postgres::pgwire::error::{ErrorInfo, PgWireError, PgWireResult};
use datafusion_postgres::{QueryHook, ServerOptions};

use crate::error::{Error, Result};
use crate::session::{CATALOG_NAME, Engine, QueryOutput, Session};

/// Serves `engine` on `addr` until the process stops.
pub async fn serve(engine: &Engine, addr: SocketAddr) -> Result<()> {
    let session = engine.session();
    let ctx = Arc::new(session.context().clone());
    let auth = Arc::new(datafusion_postgres::auth::AuthManager::new());
    datafusion_postgres::datafusion_pg_catalog::pg_catalog::setup_pg_catalog(
        &ctx,
        CATALOG_NAME,
        auth,
    )
    .map_err(|e| Error::DataFusion(*e))?;
    let opts = ServerOptions::new()
        .with_host(addr.ip().to_string())
        .with_port(addr.port());
    let hooks: Vec<Arc<dyn QueryHook>> = vec![
        Arc::new(WarehouseHook { session }),
        Arc::new(datafusion_postgres::hooks::cursor::CursorStatementHook),
        Arc::new(datafusion_postgres::hooks::set_show::SetShowHook),
        Arc::new(datafusion_postgres::hooks::transactions::TransactionStatementHook),
    ];
    datafusion_postgres::serve_with_hooks(ctx, &opts, hooks)
        .await
        .map_err(|source| Error::Io {
            path: addr.to_string(),
            source,
        })
}

/// Runs Tessera's DDL and keeps the catalog fresh.
struct WarehouseHook {
    session: Session,
}

fn is_ddl(s: &Statement) -> bool {
    matches!(
        s,
        Statement::CreateSchema { .. }
            | Statement::CreateTable(_)
            | Statement::CreateView(_)
            | Statement::Drop { .. }
            | Statement::AlterTable(_)
            | Statement::Comment { .. }
    )
}

fn to_pgwire(e: Error) -> PgWireError {
    PgWireError::UserError(Box::new(ErrorInfo::new(
        "ERROR".to_string(),
        e.sqlstate().to_string(),
        e.message(),
    )))
}

impl WarehouseHook {
    async fn run(&self, statement: &Statement) -> Option<PgWireResult<Response>> {
        if let Err(e) = self.session.warehouse().refresh().await {
            return Some(Err(to_pgwire(e.into())));
        }
        if !is_ddl(statement) {
            return None;
        }
        Some(match crate::ddl::execute(&self.session, statement).await {
            Ok(Some(QueryOutput::Command { tag })) => Ok(Response::Execution(Tag::new(&tag))),
            Ok(_) => Ok(Response::Execution(Tag::new("OK"))),
            Err(e) => Err(to_pgwire(e)),
        })
    }
}

#[async_trait]
impl QueryHook for WarehouseHook {
    async fn handle_simple_query(
        &self,
        statement: &Statement,
        _ctx: &SessionContext,
        _client: &mut dyn HookClient,
    ) -> Option<PgWireResult<Response>> {
        self.run(statement).await
    }

    async fn handle_extended_parse_query(
        &self,
        statement: &Statement,
        _ctx: &SessionContext,
        _client: &(dyn ClientInfo + Send + Sync),
    ) -> Option<PgWireResult<LogicalPlan>> {
        is_ddl(statement).then(|| {
            Ok(LogicalPlan::EmptyRelation(EmptyRelation {
                produce_one_row: false,
                schema: Arc::new(datafusion::common::DFSchema::empty()),
            }))
        })
    }

    async fn handle_extended_query(
        &self,
        statement: &Statement,
        _plan: &LogicalPlan,
        _params: &datafusion::common::ParamValues,
        _ctx: &SessionContext,
        _client: &mut dyn HookClient,
    ) -> Option<PgWireResult<Response>> {
        self.run(statement).await
    }
}
