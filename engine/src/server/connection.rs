//! One client connection: its session, settings, prepared statements and the
//! pgwire handlers that run its queries.
//!
//! Simple query: the string is split into statements; each one runs and its
//! answer is sent before the next one starts (so `SELECT …; DELETE …` reads
//! before it deletes), stopping at the first error. Extended query: Parse
//! plans the statement once (parameters typed by DataFusion's inference or by
//! the client), Bind/Execute substitute the values into the plan, and pgwire
//! handles portals and row limits (PortalSuspended). Results stream batch by
//! batch from DataFusion to the socket in both.

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::common::ParamValues;
use datafusion::sql::parser::Statement as DFStatement;
use datafusion::sql::sqlparser::ast::{CopySource, CopyTarget, Statement};
use datafusion_postgres::arrow_pg::datatypes::df::deserialize_parameters_with_server_types;
use datafusion_postgres::pgwire::api::copy::{CopyHandler, send_copy_in_response};
use datafusion_postgres::pgwire::api::portal::{Format, Portal};
use datafusion_postgres::pgwire::api::query::{
    ExtendedQueryHandler, SimpleQueryHandler, send_execution_response, send_query_response,
    send_ready_for_query,
};
use datafusion_postgres::pgwire::api::results::{CopyResponse, QueryResponse, Response, Tag};
use datafusion_postgres::pgwire::api::store::Entry;
use datafusion_postgres::pgwire::api::store::PortalStore;
use datafusion_postgres::pgwire::api::{
    ClientInfo, ClientPortalStore, PgWireConnectionState, Type,
};
use datafusion_postgres::pgwire::error::{ErrorInfo, PgWireError, PgWireResult};
use datafusion_postgres::pgwire::messages::PgWireBackendMessage;
use datafusion_postgres::pgwire::messages::copy::{CopyData, CopyDone, CopyFail};
use datafusion_postgres::pgwire::messages::data::{NoData, ParameterDescription, RowDescription};
use datafusion_postgres::pgwire::messages::extendedquery::{Describe, TARGET_TYPE_BYTE_STATEMENT};
use datafusion_postgres::pgwire::messages::response::{EmptyQueryResponse, TransactionStatus};
use datafusion_postgres::pgwire::messages::simplequery::Query;
use datafusion_postgres::pgwire::messages::startup::ParameterStatus;
use datafusion_postgres::pgwire::types::format::FormatOptions;
use futures::{Sink, SinkExt, StreamExt, stream};

use super::commands::{self, Command, Piece};
use super::copy::{self, CopyFormat, CopyIn, CopyOptions};
use super::interrupt::{Guard, Interrupt};
use super::prepare::{Parser, Prepared, param_wire_type};
use super::settings::Settings;
use crate::error::{Error, Result};
use crate::session::{QueryOutput, Session, single_text};
use crate::sqlstate;

/// The per-connection state and handlers.
pub(crate) struct Connection {
    session: Session,
    settings: Arc<Settings>,
    interrupt: Arc<Interrupt>,
    parser: Arc<Parser>,
    copy_in: Mutex<Option<CopyIn>>,
}

impl Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection").finish_non_exhaustive()
    }
}

impl Connection {
    pub(crate) fn new(session: Session, interrupt: Arc<Interrupt>) -> Arc<Connection> {
        let conn = Arc::new(Connection {
            parser: Arc::new(Parser::new(session.clone())),
            session,
            settings: Arc::new(Settings::new("tessera", false)),
            interrupt,
            copy_in: Mutex::new(None),
        });
        super::functions::register_connection(conn.session.context(), Arc::downgrade(&conn));
        conn
    }

    pub(crate) fn settings(&self) -> &Arc<Settings> {
        &self.settings
    }

    pub(crate) fn interrupt(&self) -> &Arc<Interrupt> {
        &self.interrupt
    }

    /// Applies the start-up packet's parameters (`options=-c k=v` included);
    /// bad values are ignored rather than refusing the connection.
    pub(crate) fn apply_startup(&self, metadata: &HashMap<String, String>, secure: bool) {
        if let Some(user) = metadata.get("user") {
            self.settings.force("session_authorization", user);
        }
        if secure {
            self.settings.force("ssl", "on");
        }
        for (k, v) in metadata {
            match k.as_str() {
                "user" | "database" | "replication" | "options" => {}
                _ => {
                    let _ = self.set_setting(k, Some(v));
                }
            }
        }
        if let Some(options) = metadata.get("options") {
            let mut parts = options.split_whitespace().peekable();
            while let Some(p) = parts.next() {
                let kv = if p == "-c" {
                    parts.next().map(str::to_string)
                } else {
                    p.strip_prefix("--")
                        .or_else(|| p.strip_prefix("-c"))
                        .map(str::to_string)
                };
                if let Some((k, v)) = kv.as_deref().and_then(|kv| kv.split_once('=')) {
                    let _ = self.set_setting(&k.replace('-', "_"), Some(v));
                }
            }
        }
    }

    /// `SET name = value` (`None` = `DEFAULT`); returns what to report.
    pub(crate) fn set_setting(
        &self,
        name: &str,
        value: Option<&str>,
    ) -> Result<Option<(String, String)>> {
        let reported = match value {
            Some(v) => self.settings.set(name, v)?,
            None => self.settings.reset(name)?,
        };
        if name.eq_ignore_ascii_case("search_path") {
            let path = self.settings.get("search_path")?;
            let mut items = commands::search_path_items(&path);
            if items.is_empty() {
                items.push(tessera_catalog::DEFAULT_SCHEMA.to_string());
            }
            self.session.set_search_path(items);
        }
        if name.eq_ignore_ascii_case("IntervalStyle") {
            self.session
                .set_interval_style(&self.settings.get("IntervalStyle")?);
        }
        if name.eq_ignore_ascii_case("DateStyle") {
            self.session
                .set_date_style(&self.settings.get("DateStyle")?);
        }
        if name.eq_ignore_ascii_case("TimeZone") {
            let zone = self.settings.get("TimeZone")?;
            // Zones Arrow cannot resolve (POSIX strings) keep the previous one.
            if zone
                .parse::<datafusion::arrow::array::timezone::Tz>()
                .is_ok()
            {
                self.session.set_time_zone(&zone);
            }
        }
        Ok(reported)
    }

    fn format_options(&self) -> Arc<FormatOptions> {
        let mut o = FormatOptions::default();
        o.date_style = self.settings.get_opt("DateStyle").unwrap_or(o.date_style);
        o.interval_style = self
            .settings
            .get_opt("IntervalStyle")
            .unwrap_or(o.interval_style);
        o.bytea_output = self
            .settings
            .get_opt("bytea_output")
            .unwrap_or(o.bytea_output);
        o.time_zone = self.settings.get_opt("TimeZone").unwrap_or(o.time_zone);
        if let Some(d) = self
            .settings
            .get_opt("extra_float_digits")
            .and_then(|d| d.parse().ok())
        {
            o.extra_float_digits = d;
        }
        Arc::new(o)
    }

    /// Parses one statement's text with the client-compatibility rewrites.
    fn parse_statement(&self, piece: &Piece) -> Result<Vec<Statement>> {
        self.parser.parse(piece)
    }

    /// Runs one statement and returns its response (rows stay a stream).
    async fn execute<C>(
        &self,
        client: &mut C,
        prepared: &Prepared,
        params: Option<ParamValues>,
        format: &Format,
    ) -> Result<Response>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let status = client.transaction_status();
        if status == TransactionStatus::Error
            && !matches!(
                prepared,
                Prepared::Command(Command::Rollback | Command::RollbackTo | Command::Commit)
            )
        {
            return Err(Error::coded(
                sqlstate::IN_FAILED_SQL_TRANSACTION,
                "current transaction is aborted, commands ignored until end of transaction block",
            ));
        }
        let guard = self.interrupt.start(self.settings.statement_timeout());
        match prepared {
            Prepared::Command(cmd) => self.command(client, cmd, status).await,
            Prepared::Planned { plan, .. } => {
                let plan = match params {
                    Some(p) => plan.as_ref().clone().replace_params_with_values(&p)?,
                    None => plan.as_ref().clone(),
                };
                self.session.warehouse().refresh().await?;
                let out = guard.run(self.session.execute_plan(plan)).await?;
                self.respond(out, format, &guard)
            }
            Prepared::Other(statement) => {
                if let Statement::Copy {
                    source,
                    to,
                    target,
                    options,
                    legacy_options,
                    ..
                } = statement.as_ref()
                {
                    return self
                        .copy(source, *to, target, options, legacy_options, &guard)
                        .await;
                }
                let stmt = DFStatement::Statement(statement.clone());
                let out = guard.run(self.session.execute_statement(stmt)).await?;
                self.respond(out, format, &guard)
            }
        }
    }

    fn respond(&self, out: QueryOutput, format: &Format, guard: &Guard) -> Result<Response> {
        Ok(match out {
            QueryOutput::Command { tag } => Response::Execution(Tag::new(&tag)),
            QueryOutput::Rows { schema, stream } => {
                Response::Query(self.encode(schema, stream, format, guard)?)
            }
        })
    }

    fn encode(
        &self,
        schema: SchemaRef,
        stream: datafusion::execution::SendableRecordBatchStream,
        format: &Format,
        guard: &Guard,
    ) -> Result<QueryResponse> {
        let fields = Arc::new(
            super::datarow::pg_fields(&schema, format, Some(self.format_options()))
                .map_err(wire_to_engine)?,
        );
        let mut encoder = super::datarow::RowEncoder::new(schema, fields.clone());
        let rows = guard
            .stream(stream.map(|b| b.map_err(Error::from)))
            .flat_map(move |batch| {
                let rows: Vec<PgWireResult<_>> =
                    match batch.map_err(to_wire).and_then(|b| encoder.encode(&b)) {
                        Ok(rows) => rows.into_iter().map(Ok).collect(),
                        Err(e) => vec![Err(e)],
                    };
                stream::iter(rows)
            });
        Ok(QueryResponse::new(fields, rows))
    }

    async fn command<C>(
        &self,
        client: &mut C,
        cmd: &Command,
        status: TransactionStatus,
    ) -> Result<Response>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let tag = |t: &str| Ok(Response::Execution(Tag::new(t)));
        match cmd {
            Command::Set(name, value) => {
                if let Some((k, v)) = self.set_setting(name, value.as_deref())? {
                    report(client, k, v).await?;
                }
                tag("SET")
            }
            Command::SetNoop => tag("SET"),
            Command::Show(name) => {
                if name.eq_ignore_ascii_case("all") {
                    let schema = Arc::new(super::prepare::show_all_schema());
                    let all = self.settings.all();
                    let batch = datafusion::arrow::array::RecordBatch::try_new(
                        schema.clone(),
                        vec![
                            Arc::new(datafusion::arrow::array::StringArray::from_iter_values(
                                all.iter().map(|(k, _)| k.as_str()),
                            )),
                            Arc::new(datafusion::arrow::array::StringArray::from_iter_values(
                                all.iter().map(|(_, v)| v.as_str()),
                            )),
                            Arc::new(datafusion::arrow::array::StringArray::from_iter_values(
                                all.iter().map(|_| ""),
                            )),
                        ],
                    )?;
                    let stream = datafusion::physical_plan::stream::RecordBatchStreamAdapter::new(
                        schema.clone(),
                        stream::iter(vec![Ok(batch)]),
                    );
                    let guard = self.interrupt.start(None);
                    return Ok(Response::Query(self.encode(
                        schema,
                        Box::pin(stream),
                        &Format::UnifiedText,
                        &guard,
                    )?));
                }
                let value = self.settings.get(name)?;
                let column = name.to_lowercase();
                let guard = self.interrupt.start(None);
                match single_text(&column, &value) {
                    QueryOutput::Rows { schema, stream } => Ok(Response::Query(self.encode(
                        schema,
                        stream,
                        &Format::UnifiedText,
                        &guard,
                    )?)),
                    QueryOutput::Command { .. } => unreachable!("single_text returns rows"),
                }
            }
            Command::Reset(name) => {
                if let Some((k, v)) = self.set_setting(name, None)? {
                    report(client, k, v).await?;
                }
                tag("RESET")
            }
            Command::ResetAll => {
                self.reset_all(client).await?;
                tag("RESET")
            }
            Command::Begin => Ok(Response::TransactionStart(Tag::new("BEGIN"))),
            Command::Commit => Ok(Response::TransactionEnd(Tag::new(
                if status == TransactionStatus::Error {
                    "ROLLBACK"
                } else {
                    "COMMIT"
                },
            ))),
            Command::Rollback => Ok(Response::TransactionEnd(Tag::new("ROLLBACK"))),
            Command::Savepoint => tag("SAVEPOINT"),
            Command::Release => tag("RELEASE"),
            Command::RollbackTo => {
                if status == TransactionStatus::Error {
                    client.set_transaction_status(TransactionStatus::Transaction);
                }
                tag("ROLLBACK")
            }
            Command::Discard(what) => {
                if what == "ALL" {
                    self.reset_all(client).await?;
                }
                tag(&format!("DISCARD {what}"))
            }
            Command::Deallocate(name) => tag(if name.is_some() {
                "DEALLOCATE"
            } else {
                "DEALLOCATE ALL"
            }),
            Command::Listen(t) => tag(t),
            Command::Close(name) => tag(if name.is_some() {
                "CLOSE CURSOR"
            } else {
                "CLOSE CURSOR ALL"
            }),
        }
    }

    async fn reset_all<C>(&self, client: &mut C) -> Result<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        for (k, v) in self.settings.reset_all() {
            report(client, k, v).await?;
        }
        self.set_setting("search_path", None)?;
        Ok(())
    }

    async fn copy(
        &self,
        source: &CopySource,
        to: bool,
        target: &CopyTarget,
        options: &[datafusion::sql::sqlparser::ast::CopyOption],
        legacy: &[datafusion::sql::sqlparser::ast::CopyLegacyOption],
        guard: &Guard,
    ) -> Result<Response> {
        let opts = CopyOptions::from_ast(options, legacy)?;
        match (to, target) {
            (true, CopyTarget::Stdout) => {
                let sql = copy::source_sql(source);
                let stmt = crate::session::parse(&sql)?
                    .into_iter()
                    .next()
                    .ok_or_else(|| Error::unsupported("empty COPY source"))?;
                let out = guard.run(self.session.execute_statement(stmt)).await?;
                let QueryOutput::Rows { schema, stream } = out else {
                    return Err(Error::unsupported("COPY of a command"));
                };
                let format = if opts.format == CopyFormat::Binary {
                    Format::UnifiedBinary
                } else {
                    Format::UnifiedText
                };
                let ncols = schema.fields().len();
                let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
                let mut response = self.encode(schema, stream, &format, guard)?;
                let rows = std::mem::replace(&mut response.data_rows, Box::pin(stream::empty()));
                let o = opts.clone();
                // PostgreSQL sends the binary header in the first row's
                // message; psycopg relies on it.
                let mut header = (opts.format == CopyFormat::Binary).then(copy::binary_header);
                let body = rows.map(move |row| {
                    row.map(|r| {
                        let mut bytes = header.take().unwrap_or_default();
                        bytes.extend_from_slice(&copy::format_row(&r, &o));
                        CopyData::new(bytes.into())
                    })
                });
                let mut head = Vec::new();
                if opts.format != CopyFormat::Binary && opts.header {
                    head.push(Ok(CopyData::new(copy::header_line(&names, &opts).into())));
                }
                let data = stream::iter(head).chain(body);
                Ok(Response::CopyOut(CopyResponse::new(
                    opts.format.code(),
                    ncols,
                    data,
                )))
            }
            (false, CopyTarget::Stdin) => {
                let CopySource::Table {
                    table_name,
                    columns,
                } = source
                else {
                    return Err(Error::unsupported("COPY FROM into a query"));
                };
                let columns: Vec<String> = columns.iter().map(crate::ddl::ident).collect();
                let ncols = if columns.is_empty() {
                    let (schema, name) = crate::ddl::resolve(&self.session, table_name)?;
                    self.session
                        .warehouse()
                        .state()
                        .table(&schema, &name)
                        .map(|t| t.columns.len())
                        .map_err(|_| {
                            Error::coded(
                                sqlstate::UNDEFINED_TABLE,
                                format!("relation \"{table_name}\" does not exist"),
                            )
                        })?
                } else {
                    columns.len()
                };
                *self.copy_in.lock().expect("copy lock") = Some(CopyIn {
                    table: table_name.clone(),
                    columns,
                    options: opts.clone(),
                    data: Vec::new(),
                });
                Ok(Response::CopyIn(CopyResponse::new(
                    opts.format.code(),
                    ncols,
                    stream::empty(),
                )))
            }
            _ => Err(Error::coded(
                sqlstate::INSUFFICIENT_PRIVILEGE,
                "COPY to or from a file on the server is not allowed; use STDIN/STDOUT (psql \\copy)",
            )),
        }
    }

    /// Runs one piece of a simple query and sends its answer. Returns `true`
    /// when a COPY FROM STDIN started (the rest of the query waits for it).
    async fn run_piece<C>(
        &self,
        client: &mut C,
        piece: &Piece,
        status: &mut TransactionStatus,
    ) -> Result<bool>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let prepared: Vec<Prepared> = match commands::parse(&piece.text) {
            Some(cmd) => vec![Prepared::Command(cmd)],
            None => self
                .parse_statement(piece)?
                .into_iter()
                .map(|s| Prepared::Other(Box::new(s)))
                .collect(),
        };
        for p in prepared {
            client.set_transaction_status(*status);
            let response = self.execute(client, &p, None, &Format::UnifiedText).await?;
            *status = client.transaction_status();
            match response {
                Response::EmptyQuery => {
                    client
                        .feed(PgWireBackendMessage::EmptyQueryResponse(
                            EmptyQueryResponse::new(),
                        ))
                        .await
                        .map_err(|e| wire_to_engine(PgWireError::from(e)))?;
                }
                Response::Query(rows) => send_query_response(client, rows, true)
                    .await
                    .map_err(wire_to_engine)?,
                Response::Execution(tag) => send_execution_response(client, tag)
                    .await
                    .map_err(wire_to_engine)?,
                Response::TransactionStart(tag) => {
                    send_execution_response(client, tag)
                        .await
                        .map_err(wire_to_engine)?;
                    *status = status.to_in_transaction_state();
                }
                Response::TransactionEnd(tag) => {
                    send_execution_response(client, tag)
                        .await
                        .map_err(wire_to_engine)?;
                    *status = TransactionStatus::Idle;
                }
                Response::CopyOut(data) => {
                    datafusion_postgres::pgwire::api::copy::send_copy_out_response(client, data)
                        .await
                        .map_err(wire_to_engine)?
                }
                Response::CopyIn(data) => {
                    send_copy_in_response(client, data)
                        .await
                        .map_err(wire_to_engine)?;
                    client.set_state(PgWireConnectionState::CopyInProgress(false));
                    return Ok(true);
                }
                Response::Error(e) => {
                    return Err(Error::coded(sqlstate::INTERNAL_ERROR, e.message));
                }
                Response::CopyBoth(_) => {
                    return Err(Error::unsupported("COPY BOTH"));
                }
            }
        }
        Ok(false)
    }
}

async fn report<C>(client: &mut C, name: String, value: String) -> Result<()>
where
    C: Sink<PgWireBackendMessage> + Unpin + Send,
    C::Error: Debug,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    client
        .feed(PgWireBackendMessage::ParameterStatus(ParameterStatus::new(
            name, value,
        )))
        .await
        .map_err(|e| wire_to_engine(PgWireError::from(e)))
}

/// An engine error as a PostgreSQL ErrorResponse.
pub(crate) fn to_wire(e: Error) -> PgWireError {
    let mut info = ErrorInfo::new("ERROR".into(), e.sqlstate().into(), e.message());
    info.position = e.position().map(|p| p.to_string());
    PgWireError::UserError(Box::new(info))
}

/// A pgwire error carried through engine code.
fn wire_to_engine(e: PgWireError) -> Error {
    let info: ErrorInfo = e.into();
    // Errors raised while streaming rows were coded by `to_wire`: keep
    // their SQLSTATE (22012 division by zero, 22P02 bad input, …).
    let state = sqlstate::known(&info.code).unwrap_or(sqlstate::INTERNAL_ERROR);
    Error::coded(state, info.message)
}

#[async_trait]
impl SimpleQueryHandler for Connection {
    async fn on_query<C>(&self, client: &mut C, query: Query) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        if !matches!(client.state(), PgWireConnectionState::ReadyForQuery) {
            return Err(PgWireError::NotReadyForQuery);
        }
        client.set_state(PgWireConnectionState::QueryInProgress);
        let mut status = client.transaction_status();
        let pieces = commands::split(&query.query);
        if pieces.is_empty() {
            client
                .feed(PgWireBackendMessage::EmptyQueryResponse(
                    EmptyQueryResponse::new(),
                ))
                .await?;
        }
        for piece in &pieces {
            match self.run_piece(client, piece, &mut status).await {
                Ok(true) => {
                    client.set_transaction_status(status);
                    return Ok(());
                }
                Ok(false) => {}
                Err(e) => {
                    client
                        .feed(PgWireBackendMessage::ErrorResponse(
                            ErrorInfo::from(to_wire(e)).into(),
                        ))
                        .await?;
                    status = status.to_error_state();
                    break;
                }
            }
        }
        client.set_state(PgWireConnectionState::ReadyForQuery);
        client.set_transaction_status(status);
        send_ready_for_query(client, status).await
    }

    async fn do_query<C>(&self, _client: &mut C, _query: &str) -> PgWireResult<Vec<Response>>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        // `on_query` above answers statement by statement and never calls this.
        Ok(vec![])
    }
}

#[async_trait]
impl ExtendedQueryHandler for Connection {
    type Statement = Prepared;
    type QueryParser = Parser;

    fn query_parser(&self) -> Arc<Parser> {
        self.parser.clone()
    }

    /// Describe of a statement that returns no rows but has parameters
    /// (`INSERT … VALUES ($1, …)`) must answer NoData after the
    /// ParameterDescription; pgwire sends an empty RowDescription instead,
    /// which makes pgjdbc treat the statement as a query and report update
    /// counts of 0. Everything else is pgwire's default.
    async fn on_describe<C>(&self, client: &mut C, message: Describe) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Prepared>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let name = message.name.as_deref().unwrap_or("");
        if message.target_type == TARGET_TYPE_BYTE_STATEMENT
            && let Some(Entry::Value(stmt)) = client.portal_store().get_statement(name)
        {
            let described = self.do_describe_statement(client, &stmt).await?;
            client
                .send(PgWireBackendMessage::ParameterDescription(
                    ParameterDescription::new(
                        described.parameters.iter().map(|t| t.oid()).collect(),
                    ),
                ))
                .await?;
            let reply = if described.fields.is_empty() {
                PgWireBackendMessage::NoData(NoData::new())
            } else {
                PgWireBackendMessage::RowDescription(RowDescription::new(
                    described.fields.iter().map(Into::into).collect(),
                ))
            };
            client.send(reply).await?;
            return Ok(());
        }
        self._on_describe(client, message).await
    }

    async fn do_query<C>(
        &self,
        client: &mut C,
        portal: &Portal<Prepared>,
        _max_rows: usize,
    ) -> PgWireResult<Response>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Prepared>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let prepared = &portal.statement.statement;
        let params = match prepared {
            Prepared::Planned { params, .. } if !params.is_empty() => {
                let inferred: Vec<Option<&DataType>> = params.iter().map(|p| p.as_ref()).collect();
                let wire: Vec<Type> = params.iter().map(param_wire_type).collect();
                let wire_refs: Vec<Option<&Type>> = wire.iter().map(Some).collect();
                Some(deserialize_parameters_with_server_types(
                    portal, &inferred, &wire_refs,
                )?)
            }
            _ => None,
        };
        let response = self
            .execute(client, prepared, params, &portal.result_column_format)
            .await
            .map_err(to_wire)?;
        if let Response::CopyIn(_) = response {
            // pgwire switches the connection to CopyInProgress(true) itself.
        }
        Ok(response)
    }
}

#[async_trait]
impl CopyHandler for Connection {
    async fn on_copy_data<C>(&self, _client: &mut C, data: CopyData) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        if let Some(c) = self.copy_in.lock().expect("copy lock").as_mut() {
            c.data.extend_from_slice(&data.data);
        }
        Ok(())
    }

    async fn on_copy_done<C>(&self, client: &mut C, _done: CopyDone) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let copy = self.copy_in.lock().expect("copy lock").take();
        let Some(copy) = copy else {
            return Err(to_wire(Error::coded(
                sqlstate::PROTOCOL_VIOLATION,
                "CopyDone without COPY FROM STDIN",
            )));
        };
        let guard = self.interrupt.start(self.settings.statement_timeout());
        let n = guard
            .run(copy.finish(&self.session))
            .await
            .map_err(to_wire)?;
        client
            .send(PgWireBackendMessage::CommandComplete(
                Tag::new("COPY").with_rows(n as usize).into(),
            ))
            .await?;
        Ok(())
    }

    async fn on_copy_fail<C>(&self, _client: &mut C, fail: CopyFail) -> PgWireError
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        self.copy_in.lock().expect("copy lock").take();
        to_wire(Error::coded(
            sqlstate::QUERY_CANCELED,
            format!("COPY from stdin failed: {}", fail.message),
        ))
    }
}
