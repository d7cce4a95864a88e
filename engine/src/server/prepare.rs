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
use datafusion_postgres::pgwire::error::{PgWireError, PgWireResult};

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

/// PostgreSQL types a parameter by its cast (`$1::bigint` is an int8
/// parameter); DataFusion leaves it untyped. Untyped parameters that are
/// cast somewhere in `plan` take the cast's type.
fn cast_parameter_types(plan: &LogicalPlan, params: &mut [Option<DataType>]) {
    use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
    use datafusion::logical_expr::Expr;
    let _ = plan.apply_with_subqueries(|node| {
        node.apply_expressions(|e| {
            e.apply(|x| {
                let (inner, to) = match x {
                    Expr::Cast(c) => (c.expr.as_ref(), c.field.data_type()),
                    Expr::TryCast(c) => (c.expr.as_ref(), c.field.data_type()),
                    _ => return Ok(TreeNodeRecursion::Continue),
                };
                if let Expr::Placeholder(p) = inner
                    && let Ok(n) = p.id.trim_start_matches('$').parse::<usize>()
                    && let Some(slot @ None) = n.checked_sub(1).and_then(|i| params.get_mut(i))
                {
                    *slot = Some(to.clone());
                }
                Ok(TreeNodeRecursion::Continue)
            })
        })
    });
}

/// Deepest expression nesting Tessera plans (`a + b + …` counts one level
/// per operator). PostgreSQL's limit is a stack size (`max_stack_depth`);
/// this one keeps DataFusion's unguarded recursion well inside the 16 MiB
/// worker stacks of `tessera serve`, debug builds included.
const MAX_EXPRESSION_DEPTH: usize = 1000;

/// Deepest nesting of expressions in `statement` (recursive: called on
/// the grown stack of [`Parser::parse`]).
fn expression_depth(statement: &Statement) -> usize {
    use datafusion::sql::sqlparser::ast::{Expr, Visit, Visitor};
    struct Depth {
        now: usize,
        max: usize,
    }
    impl Visitor for Depth {
        type Break = ();
        fn pre_visit_expr(&mut self, _: &Expr) -> std::ops::ControlFlow<()> {
            self.now += 1;
            self.max = self.max.max(self.now);
            std::ops::ControlFlow::Continue(())
        }
        fn post_visit_expr(&mut self, _: &Expr) -> std::ops::ControlFlow<()> {
            self.now -= 1;
            std::ops::ControlFlow::Continue(())
        }
    }
    let mut d = Depth { now: 0, max: 0 };
    let _ = statement.visit(&mut d);
    d.max
}

impl Parser {
    pub(crate) fn new(session: Session) -> Parser {
        Parser {
            session,
            compat: PostgresCompatibilityParser::new(),
        }
    }

    /// Parses and rewrites one statement. sqlparser's visitors and
    /// `Display`, which the rewrites use, recurse once per nesting level
    /// without a guard (DataFusion's planner has its own), so a deeply
    /// nested statement (`1 + 1 + … + 1` a few thousand times) runs here on
    /// a fresh 256 MiB stack (reserved, touched only as deep as it goes)
    /// instead of overflowing a worker's and aborting the whole server.
    pub(crate) fn parse(&self, piece: &Piece) -> Result<Vec<Statement>> {
        stacker::grow(256 << 20, || self.parse_on_this_stack(piece))
    }

    fn parse_on_this_stack(&self, piece: &Piece) -> Result<Vec<Statement>> {
        let raw = self.parse_raw(piece)?;
        if raw
            .iter()
            .any(|s| expression_depth(s) > MAX_EXPRESSION_DEPTH)
        {
            // DataFusion's planner names expressions recursively without a
            // guard: past this depth it would overflow a worker's stack.
            return Err(Error::coded(
                crate::sqlstate::STATEMENT_TOO_COMPLEX,
                format!(
                    "stack depth limit exceeded: expressions nest more than \
                     {MAX_EXPRESSION_DEPTH} levels deep"
                ),
            ));
        }
        // Re-serialising every statement is not free: only those that cast
        // to regclass can hold the library's lookup.
        let mut statements: Vec<Statement> = if piece.text.to_ascii_lowercase().contains("regclass")
        {
            raw.into_iter()
                .map(super::rewrite::regclass_search_path)
                .collect()
        } else {
            raw
        };
        for s in &mut statements {
            super::rewrite::output_names(s);
            super::rewrite::array_subqueries(s);
            super::rewrite::like_escapes(s);
            if self.session.sql_standard_intervals() {
                super::rewrite::sql_standard_intervals(s);
            }
            super::rewrite::postgres_spellings(s);
            super::rewrite::runtime_regclass(s);
            super::rewrite::nested_in_subqueries(s);
            super::pg_catalog::set_returning::rewrite(s);
            super::rewrite::aggregate_scalar_subqueries(s);
        }
        Ok(statements)
    }

    fn parse_raw(&self, piece: &Piece) -> Result<Vec<Statement>> {
        let shielded = super::rewrite::shield_projection_subqueries(&piece.text);
        let text = shielded.as_deref().unwrap_or(&piece.text);
        let spelled = super::rewrite::spell_array_casts(text);
        let text = spelled.as_deref().unwrap_or(text);
        let split = super::rewrite::respell_tokens(text);
        let text = split.as_deref().unwrap_or(text);
        self.compat.parse(text).map_err(|e| {
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
        let statement = crate::on_conflict::as_merge(&self.session, statements.remove(0)).await?;
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
        if params.iter().any(Option::is_none) {
            cast_parameter_types(&plan, &mut params);
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
                // With parameters not yet typed, DataFusion's analyzer may
                // refuse the plan; Tessera's type rules alone then describe it.
                let typed = self
                    .session
                    .typed_plan(plan.as_ref().clone())
                    .or_else(|_| crate::pg_plan::postgres_types(plan.as_ref().clone()))
                    .map_err(|e| PgWireError::ApiError(Box::new(e)))?;
                let schema = typed.schema().as_arrow().clone();
                let schema = match crate::session::pg_output_names(plan)
                    .filter(|n| n.len() == schema.fields().len())
                {
                    Some(names) => crate::session::with_names(&schema, &names),
                    None => schema,
                };
                super::datarow::pg_fields(&schema, format, None)
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
