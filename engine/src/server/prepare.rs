//! Parse for the extended protocol: a statement is recognised as a
//! session-control command, planned once by DataFusion (parameters typed by
//! its inference or by the client), or kept as is to run at Execute (DDL,
//! COPY). Also the simple protocol's parser, with the same rewrites.

use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::logical_expr::LogicalPlan;
use datafusion::sql::parser::Statement as DFStatement;
use datafusion::sql::sqlparser::ast::Statement;
use datafusion_postgres::arrow_pg::datatypes::{arrow_schema_to_pg_fields, into_pg_type};
use datafusion_postgres::datafusion_pg_catalog::sql::PostgresCompatibilityParser;
use datafusion_postgres::pgwire::api::ClientInfo;
use datafusion_postgres::pgwire::api::Type;
use datafusion_postgres::pgwire::api::portal::Format;
use datafusion_postgres::pgwire::api::results::FieldInfo;
use datafusion_postgres::pgwire::api::stmt::QueryParser;
use datafusion_postgres::pgwire::error::PgWireResult;

use async_trait::async_trait;

use super::commands::{self, Command, Piece};
use super::connection::to_wire;
use crate::error::{Error, Result};
use crate::session::Session;

/// The columns of `SHOW ALL`.
pub(crate) fn show_all_schema() -> Schema {
    Schema::new(vec![
        Field::new("name", DataType::Utf8, false),
        Field::new("setting", DataType::Utf8, false),
        Field::new("description", DataType::Utf8, false),
    ])
}

/// A prepared statement.
#[derive(Debug, Clone)]
pub(crate) enum Prepared {
    /// A statement planned once; parameters are substituted at Bind.
    Planned {
        plan: Box<LogicalPlan>,
        params: Vec<Option<DataType>>,
    },
    /// A session-control command.
    Command(Command),
    /// Anything else (DDL, COPY, …), run as is.
    Other(Box<Statement>),
}

/// Parses and plans for the extended protocol.
pub(crate) struct Parser {
    session: Session,
    compat: PostgresCompatibilityParser,
}

impl Parser {
    pub(crate) fn new(session: Session) -> Parser {
        Parser {
            session,
            compat: PostgresCompatibilityParser::new(),
        }
    }

    pub(crate) fn parse(&self, piece: &Piece) -> Result<Vec<Statement>> {
        let mut statements = self.parse_raw(piece)?;
        for s in &mut statements {
            super::rewrite::aggregate_scalar_subqueries(s);
        }
        Ok(statements)
    }

    fn parse_raw(&self, piece: &Piece) -> Result<Vec<Statement>> {
        self.compat.parse(&piece.text).map_err(|e| {
            match crate::session::syntax_error(&piece.text, e.to_string()) {
                Error::Syntax { message, position } => Error::Syntax {
                    message,
                    position: position.map(|p| p + piece.offset),
                },
                other => other,
            }
        })
    }

    async fn prepare(&self, sql: &str) -> Result<Option<Prepared>> {
        let pieces = commands::split(sql);
        let Some(piece) = pieces.first() else {
            return Ok(None);
        };
        if pieces.len() > 1 {
            return Err(Error::Syntax {
                message: "cannot insert multiple commands into a prepared statement".into(),
                position: None,
            });
        }
        if let Some(cmd) = commands::parse(&piece.text) {
            return Ok(Some(Prepared::Command(cmd)));
        }
        let mut statements = self.parse(piece)?;
        if statements.is_empty() {
            return Ok(None);
        }
        let statement = statements.remove(0);
        let plannable = matches!(
            statement,
            Statement::Query(_)
                | Statement::Insert(_)
                | Statement::Update { .. }
                | Statement::Delete(_)
                | Statement::Merge { .. }
                | Statement::Explain { .. }
        );
        if !plannable {
            return Ok(Some(Prepared::Other(Box::new(statement))));
        }
        self.session.warehouse().refresh().await?;
        let plan = self
            .session
            .context()
            .state()
            .statement_to_plan(DFStatement::Statement(Box::new(statement.clone())))
            .await?;
        let types = plan.get_parameter_types()?;
        let mut ordered: Vec<(usize, Option<DataType>)> = types
            .into_iter()
            .filter_map(|(k, v)| Some((k.trim_start_matches('$').parse().ok()?, v)))
            .collect();
        ordered.sort_by_key(|(i, _)| *i);
        let n = ordered.last().map(|(i, _)| *i).unwrap_or(0);
        let mut params = vec![None; n];
        for (i, t) in ordered {
            params[i - 1] = t;
        }
        Ok(Some(Prepared::Planned {
            plan: Box::new(plan),
            params,
        }))
    }
}

pub(crate) fn param_wire_type(t: &Option<DataType>) -> Type {
    t.as_ref()
        .and_then(|t| into_pg_type(t).ok())
        .unwrap_or(Type::TEXT)
}

#[async_trait]
impl QueryParser for Parser {
    type Statement = Prepared;

    async fn parse_sql<C>(
        &self,
        _client: &C,
        sql: &str,
        _types: &[Option<Type>],
    ) -> PgWireResult<Option<Prepared>>
    where
        C: ClientInfo + Unpin + Send + Sync,
    {
        self.prepare(sql).await.map_err(to_wire)
    }

    fn get_parameter_types(&self, stmt: &Prepared) -> PgWireResult<Vec<Type>> {
        Ok(match stmt {
            Prepared::Planned { params, .. } => params.iter().map(param_wire_type).collect(),
            _ => vec![],
        })
    }

    fn get_result_schema(
        &self,
        stmt: &Prepared,
        column_format: Option<&Format>,
    ) -> PgWireResult<Vec<FieldInfo>> {
        let format = column_format.unwrap_or(&Format::UnifiedText);
        match stmt {
            Prepared::Planned { plan, .. } => {
                if matches!(
                    plan.as_ref(),
                    LogicalPlan::Dml(_) | LogicalPlan::Ddl(_) | LogicalPlan::Statement(_)
                ) {
                    return Ok(vec![]);
                }
                let schema = plan.schema().as_arrow().clone();
                let schema = match crate::session::pg_output_names(plan)
                    .filter(|n| n.len() == schema.fields().len())
                {
                    Some(names) => crate::session::with_names(&schema, &names),
                    None => schema,
                };
                arrow_schema_to_pg_fields(&schema, format, None)
            }
            Prepared::Command(Command::Show(name)) if !name.eq_ignore_ascii_case("all") => {
                let schema =
                    Schema::new(vec![Field::new(name.to_lowercase(), DataType::Utf8, true)]);
                arrow_schema_to_pg_fields(&schema, format, None)
            }
            Prepared::Command(Command::Show(_)) => {
                arrow_schema_to_pg_fields(&show_all_schema(), format, None)
            }
            _ => Ok(vec![]),
        }
    }
}
