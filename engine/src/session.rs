//! Sessions: the one way every front end (CLI, server, tests) runs SQL.
//!
//! [`Engine`] holds the warehouse; [`Engine::session`] builds a
//! [`Session`] — a DataFusion `SessionContext` with the warehouse registered
//! as catalog `tessera`, Tessera's functions, PostgreSQL dialect and
//! information_schema — plus per-session settings (`search_path`).
//!
//! [`Session::execute`] parses a whole script first (a syntax error anywhere
//! runs nothing), then runs statements one at a time: DDL that DataFusion
//! does not own goes to [`crate::ddl`], everything else (queries, INSERT,
//! UPDATE, DELETE, MERGE, TRUNCATE) is planned by DataFusion against the
//! Delta-backed providers.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use datafusion::arrow::array::{RecordBatch, UInt64Array};
use datafusion::arrow::datatypes::{Field, Schema, SchemaRef};
use datafusion::common::config::Dialect;
use datafusion::execution::SendableRecordBatchStream;
use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::logical_expr::{LogicalPlan, MergeIntoAction, WriteOp};
use datafusion::prelude::{SessionConfig, SessionContext};
use datafusion::sql::parser::{DFParserBuilder, Statement as DFStatement};
use datafusion::sql::sqlparser::ast::Statement;
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use futures::TryStreamExt;
use tessera_catalog::{TesseraCatalogProvider, Warehouse};

use crate::error::{Error, Result};

/// Name of the catalog (the PostgreSQL "database") the warehouse appears as.
pub const CATALOG_NAME: &str = "tessera";

/// Opens warehouses and builds sessions over them.
#[derive(Debug, Clone)]
pub struct Engine {
    warehouse: Arc<Warehouse>,
}

/// What one statement produced.
pub enum QueryOutput {
    /// A result set, streamed batch by batch.
    Rows {
        /// Column names and types.
        schema: SchemaRef,
        /// The rows.
        stream: SendableRecordBatchStream,
    },
    /// A command with its PostgreSQL completion tag (`CREATE TABLE`, `INSERT 0 3`, …).
    Command {
        /// The tag.
        tag: String,
    },
}

impl std::fmt::Debug for QueryOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryOutput::Rows { schema, .. } => write!(f, "Rows({schema:?})"),
            QueryOutput::Command { tag } => write!(f, "Command({tag})"),
        }
    }
}

impl QueryOutput {
    pub(crate) fn command(tag: impl Into<String>) -> Self {
        QueryOutput::Command { tag: tag.into() }
    }
}

/// A fully collected [`QueryOutput`], for tests and small results.
#[derive(Debug)]
pub enum Collected {
    /// Rows with their schema.
    Rows(SchemaRef, Vec<RecordBatch>),
    /// A command tag.
    Command(String),
}

impl Engine {
    /// Opens the warehouse at `spec` (path, `file://`, `s3://`, `memory://`).
    pub async fn open(spec: &str, s3_options: &HashMap<String, String>) -> Result<Self> {
        Ok(Engine {
            warehouse: Warehouse::open(spec, s3_options).await?,
        })
    }

    /// An engine over an open warehouse.
    pub fn new(warehouse: Arc<Warehouse>) -> Self {
        Engine { warehouse }
    }

    /// The warehouse.
    pub fn warehouse(&self) -> &Arc<Warehouse> {
        &self.warehouse
    }

    /// A new session with default settings.
    pub fn session(&self) -> Session {
        let mut config = SessionConfig::new()
            .with_default_catalog_and_schema(CATALOG_NAME, tessera_catalog::DEFAULT_SCHEMA)
            .with_create_default_catalog_and_schema(false)
            .with_information_schema(true);
        // PostgreSQL settings that functions read (`DateStyle`'s field order).
        config = config.with_option_extension(tessera_udfs::pg::settings::PgSettings::default());
        let options = config.options_mut();
        options.sql_parser.dialect = Dialect::PostgreSQL;
        // PostgreSQL's `timestamptz` is an instant shown in the session time
        // zone: with a zone here, `CAST(… AS timestamptz)` and `now()` are
        // zoned Arrow timestamps (described as timestamptz), not local ones.
        options.execution.time_zone = Some("UTC".to_string());
        // `12.50` is numeric(4,2), as in PostgreSQL, not a float.
        options.sql_parser.parse_float_as_decimal = true;
        // Table columns carry PostgreSQL type tags in their field metadata
        // (json, jsonb, bpchar, varchar: the logical schema, which sets
        // RowDescription); the Delta scan's physical schema has none, and
        // DataFusion's aggregate planning would reject the difference.
        options.execution.skip_physical_aggregate_schema_check = true;
        // delta-rs' workaround: hash-join IN-list pushdown can panic on
        // dictionary-encoded join keys (its DeltaSessionConfig does the same).
        options.optimizer.hash_join_inlist_pushdown_max_size = 0;
        options
            .optimizer
            .hash_join_inlist_pushdown_max_distinct_values = 0;
        // Delta's UPDATE/DELETE/MERGE plans carry extension nodes that only
        // delta-rs' planner turns into execution plans.
        let state = SessionStateBuilder::new()
            .with_config(config)
            .with_default_features()
            .with_query_planner(deltalake::delta_datafusion::planner::DeltaPlanner::new())
            .build();
        let mut state = state;
        // `->`, `->>`, `#>`, `#>>`, `?` on json text.
        datafusion::execution::FunctionRegistry::register_expr_planner(
            &mut state,
            Arc::new(tessera_udfs::pg::json::JsonPlanner),
        )
        .expect("registering an expression planner does not fail");
        // `interval * number`, `interval / number`.
        datafusion::execution::FunctionRegistry::register_expr_planner(
            &mut state,
            Arc::new(tessera_udfs::pg::interval_ops::IntervalPlanner),
        )
        .expect("registering an expression planner does not fail");
        // `'1' + 1`, `tags = '{}'`: untyped literals typed by their context.
        datafusion::execution::FunctionRegistry::register_expr_planner(
            &mut state,
            Arc::new(crate::coercion::UnknownLiterals),
        )
        .expect("registering an expression planner does not fail");
        let ctx = SessionContext::new_with_state(state);
        // The analyzer rules first: installing them rebuilds the state, which
        // re-registers every function in hash order, so a DataFusion
        // function whose alias maps to a name we override (`to_char` via
        // `date_format`) could win over ours.
        crate::coercion::install(&ctx);
        crate::optimize::install(&ctx);
        tessera_udfs::register_all(&ctx);
        crate::server::functions::register_text_functions(&ctx);
        ctx.register_udf(crate::pg_plan::with_ties::udf());
        ctx.register_udf(crate::pg_plan::whole_row::udf());
        let catalog = TesseraCatalogProvider::with_expr_state(self.warehouse.clone(), ctx.state());
        ctx.register_catalog(CATALOG_NAME, Arc::new(catalog));
        Session {
            ctx,
            warehouse: self.warehouse.clone(),
            search_path: Arc::new(RwLock::new(vec![
                tessera_catalog::DEFAULT_SCHEMA.to_string(),
            ])),
        }
    }
}

/// One user's session: settings plus a DataFusion context.
#[derive(Clone)]
pub struct Session {
    ctx: SessionContext,
    warehouse: Arc<Warehouse>,
    search_path: Arc<RwLock<Vec<String>>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("search_path", &self.search_path())
            .finish()
    }
}

/// Parses a script into statements with the PostgreSQL dialect.
pub fn parse(sql: &str) -> Result<Vec<DFStatement>> {
    let dialect = PostgreSqlDialect {};
    let split = crate::server::rewrite::respell_tokens(sql);
    let mut parser = DFParserBuilder::new(split.as_deref().unwrap_or(sql))
        .with_dialect(&dialect)
        .build()
        .map_err(|e| syntax_error(sql, e.to_string()))?;
    let statements = parser
        .parse_statements()
        .map_err(|e| syntax_error(sql, e.to_string()))?;
    Ok(statements.into_iter().collect())
}

/// Builds a syntax error with the character position PostgreSQL reports,
/// from sqlparser's "at Line: L, Column: C".
pub(crate) fn syntax_error(sql: &str, message: String) -> Error {
    let message = message
        .trim_start_matches("SQL error: ")
        .trim_start_matches("ParserError(\"")
        .trim_end_matches("\")")
        .trim_start_matches("sql parser error: ")
        .to_string();
    let position = message.rfind(" at Line: ").and_then(|i| {
        let rest = &message[i + " at Line: ".len()..];
        let (line, col) = rest.split_once(", Column: ")?;
        let line: usize = line.trim().parse().ok()?;
        let col: usize = col
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .ok()?;
        let before: usize = sql
            .split('\n')
            .take(line - 1)
            .map(|l| l.chars().count() + 1)
            .sum();
        Some(before + col)
    });
    let clean = match message.rfind(" at Line: ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    Error::Syntax {
        message: format!("syntax error: {clean}"),
        position,
    }
}

impl Session {
    /// A new, independent session sharing this one's catalogs and functions
    /// (the server forks every connection from one template session, so the
    /// pg_catalog emulation is built once) but with its own settings.
    pub fn fork(&self) -> Session {
        let ctx = SessionContext::new_with_state(self.ctx.state());
        Session {
            ctx,
            warehouse: self.warehouse.clone(),
            search_path: Arc::new(RwLock::new(self.search_path())),
        }
    }

    /// The DataFusion context.
    pub fn context(&self) -> &SessionContext {
        &self.ctx
    }

    /// The warehouse.
    pub fn warehouse(&self) -> &Arc<Warehouse> {
        &self.warehouse
    }

    /// The schemas unqualified names resolve through.
    pub fn search_path(&self) -> Vec<String> {
        self.search_path
            .read()
            .expect("search_path lock poisoned")
            .clone()
    }

    /// The schema new unqualified relations are created in.
    pub fn current_schema(&self) -> String {
        self.ctx
            .state()
            .config()
            .options()
            .catalog
            .default_schema
            .clone()
    }

    /// The session time zone (`SET TimeZone`): zoned casts and `now()` use
    /// it, as do conversions of `timestamptz` to local dates and times.
    pub fn set_time_zone(&self, zone: &str) {
        self.ctx
            .state_ref()
            .write()
            .config_mut()
            .options_mut()
            .execution
            .time_zone = Some(zone.to_string());
    }

    /// The session's `DateStyle`: its field order (`DMY` in `ISO, DMY`)
    /// decides how casts read dates such as `01/02/2024`.
    pub fn set_date_style(&self, style: &str) {
        use tessera_udfs::pg::settings::{DateOrder, PgSettings};
        let order = DateOrder::from_date_style(style).unwrap_or(DateOrder::Mdy);
        let state = self.ctx.state_ref();
        let mut state = state.write();
        if let Some(s) = state
            .config_mut()
            .options_mut()
            .extensions
            .get_mut::<PgSettings>()
        {
            s.date_order = order.name().to_string();
        }
    }

    /// The session's `IntervalStyle`, which decides how interval literals
    /// read (`sql_standard`: a leading `-` applies to every field).
    pub fn set_interval_style(&self, style: &str) {
        use tessera_udfs::pg::settings::PgSettings;
        let state = self.ctx.state_ref();
        let mut state = state.write();
        if let Some(s) = state
            .config_mut()
            .options_mut()
            .extensions
            .get_mut::<PgSettings>()
        {
            s.interval_style = style.trim().to_ascii_lowercase();
        }
    }

    /// Whether interval literals read as `IntervalStyle = sql_standard`.
    pub(crate) fn sql_standard_intervals(&self) -> bool {
        use tessera_udfs::pg::settings::PgSettings;
        self.ctx
            .state_ref()
            .read()
            .config_options()
            .extensions
            .get::<PgSettings>()
            .is_some_and(|s| s.interval_style == "sql_standard")
    }

    /// Sets the search path; unqualified names resolve in its first existing schema.
    pub fn set_search_path(&self, path: Vec<String>) {
        let state = self.warehouse.state();
        let first = path
            .iter()
            .find(|s| state.schemas.contains_key(*s))
            .or(path.first())
            .cloned()
            .unwrap_or_else(|| tessera_catalog::DEFAULT_SCHEMA.to_string());
        self.ctx
            .state_ref()
            .write()
            .config_mut()
            .options_mut()
            .catalog
            .default_schema = first;
        *self.search_path.write().expect("search_path lock poisoned") = path;
    }

    /// Parses and runs a script, collecting every result. Stops at the first error.
    pub async fn execute_collect(&self, sql: &str) -> Result<Vec<Collected>> {
        let mut out = Vec::new();
        for stmt in parse(sql)? {
            out.push(collect(self.execute_statement(stmt).await?).await?);
        }
        Ok(out)
    }

    /// Runs one parsed statement. The caller consumes a `Rows` stream before
    /// running the next statement.
    pub async fn execute_statement(&self, mut stmt: DFStatement) -> Result<QueryOutput> {
        self.warehouse.refresh().await?;
        if let DFStatement::Statement(s) = &mut stmt {
            crate::server::rewrite::output_names(s);
            if self.sql_standard_intervals() {
                crate::server::rewrite::sql_standard_intervals(s);
            }
            crate::server::rewrite::postgres_spellings(s);
        }
        if let DFStatement::Statement(s) = stmt {
            stmt = DFStatement::Statement(Box::new(crate::on_conflict::as_merge(self, *s).await?));
        }
        if let DFStatement::Statement(s) = &stmt {
            if let Some(out) = crate::ddl::execute(self, s).await? {
                return Ok(out);
            }
            if let Some(out) = self.session_statement(s)? {
                return Ok(out);
            }
        }
        let plan = self.ctx.state().statement_to_plan(stmt).await?;
        self.execute_plan(plan).await
    }

    /// `plan` as it will run: Tessera's PostgreSQL type rules, then
    /// DataFusion's analyzer (type coercion), so that the schema — which
    /// becomes the RowDescription and CREATE TABLE AS's columns — is the
    /// schema of the batches. Before analysis a `CASE` of `int4` and `int8`
    /// branches reports its first branch's type while it runs as `int8`,
    /// and binary-format clients would read 8-byte values as 4-byte ones.
    pub fn typed_plan(&self, plan: LogicalPlan) -> Result<LogicalPlan> {
        let plan = crate::pg_plan::postgres_types(plan)?;
        if matches!(
            plan,
            LogicalPlan::Explain(_)
                | LogicalPlan::Analyze(_)
                | LogicalPlan::Ddl(_)
                | LogicalPlan::Statement(_)
        ) {
            return Ok(plan);
        }
        let state = self.ctx.state();
        Ok(state
            .analyzer()
            .execute_and_check(plan, state.config_options(), |_, _| {})?)
    }

    /// The batches of a query plan (Tessera's type rules, then DataFusion's
    /// analyzer and optimizer).
    pub(crate) async fn collect_plan(
        &self,
        plan: LogicalPlan,
    ) -> Result<Vec<datafusion::arrow::record_batch::RecordBatch>> {
        let plan = self.typed_plan(plan)?;
        Ok(self.ctx.execute_logical_plan(plan).await?.collect().await?)
    }

    /// Runs a planned statement.
    pub async fn execute_plan(&self, plan: LogicalPlan) -> Result<QueryOutput> {
        let plan = crate::row_changes::materialize(self, plan).await?;
        if let Some((tag, n)) = self.merge(&plan).await? {
            return Ok(QueryOutput::command(format!("{tag} {n}")));
        }
        let dml_tag = match &plan {
            LogicalPlan::Dml(d) => Some(match &d.op {
                WriteOp::Insert(_) => "INSERT 0",
                WriteOp::Update => "UPDATE",
                WriteOp::Delete => "DELETE",
                WriteOp::Truncate => "TRUNCATE TABLE",
                WriteOp::MergeInto(_) => "MERGE",
                WriteOp::Ctas => "SELECT",
                _ => "OK",
            }),
            _ => None,
        };
        let is_command = matches!(plan, LogicalPlan::Ddl(_) | LogicalPlan::Statement(_));
        let names = pg_output_names(&plan);
        let plan = self.typed_plan(plan)?;
        if let Some(n) = crate::row_changes::run(self, &plan).await? {
            return Ok(QueryOutput::command(format!(
                "{} {n}",
                dml_tag.unwrap_or("OK")
            )));
        }
        // Rows for a client: numeric values at their own scale (a
        // presentation step, not a type rule: CREATE TABLE AS keeps numbers).
        let plan = if dml_tag.is_none() && !is_command {
            crate::pg_plan::value_scale::per_value_scales(plan)?
        } else {
            plan
        };
        let df = self.ctx.execute_logical_plan(plan).await?;
        if let Some(tag) = dml_tag {
            let n = dml_count(&df.collect().await?);
            return Ok(QueryOutput::command(if tag == "TRUNCATE TABLE" {
                tag.to_string()
            } else {
                format!("{tag} {n}")
            }));
        }
        if is_command {
            df.collect().await?;
            return Ok(QueryOutput::command("SET"));
        }
        let schema: SchemaRef = Arc::new(df.schema().as_arrow().clone());
        let stream = df.execute_stream().await?;
        Ok(match names.filter(|n| n.len() == schema.fields().len()) {
            Some(names) => rename(schema, stream, &names)?,
            None => QueryOutput::Rows { schema, stream },
        })
    }

    /// Runs `MERGE INTO` a warehouse table with its source as a logical plan,
    /// so delta-rs can read the source as often as it needs; answers the
    /// command tag (`MERGE`, or `UPDATE` for an `UPDATE … FROM`) and count.
    async fn merge(&self, plan: &LogicalPlan) -> Result<Option<(&'static str, u64)>> {
        let LogicalPlan::Dml(d) = plan else {
            return Ok(None);
        };
        let WriteOp::MergeInto(m) = &d.op else {
            return Ok(None);
        };
        let provider = datafusion::datasource::source_as_provider(&d.target)?;
        let Some(table) = provider.downcast_ref::<tessera_catalog::TesseraTable>() else {
            return Ok(None);
        };
        let target = datafusion::common::DFSchema::try_from_qualified_schema(
            d.table_name.clone(),
            &d.target.schema(),
        )?;
        let (tag, input, on, clauses) = match crate::update_from::source(&d.input, m)? {
            Some((input, on, clauses)) => ("UPDATE", input, on, clauses),
            None => (
                if crate::on_conflict::is_upsert(&d.input) {
                    "INSERT 0"
                } else {
                    "MERGE"
                },
                d.input.as_ref().clone(),
                m.on.clone(),
                m.clauses.clone(),
            ),
        };
        if tag == "INSERT 0" {
            let updates = (clauses.iter()).any(|c| matches!(c.action, MergeIntoAction::Update(_)));
            crate::on_conflict::check_duplicates(self, &input, &on, updates).await?;
        }
        let merge_schema = Arc::new(target.join(input.schema())?);
        let state = self.ctx.state();
        let n = table
            .merge(&state, input, merge_schema, on, clauses)
            .await
            .map_err(|e| crate::update_from::second_match(e, tag))?;
        Ok(Some((tag, n)))
    }

    /// Session-level statements: search path, transactions (autocommit).
    fn session_statement(&self, s: &Statement) -> Result<Option<QueryOutput>> {
        use datafusion::sql::sqlparser::ast::Set;
        Ok(match s {
            Statement::Set(Set::SingleAssignment {
                variable, values, ..
            }) if variable.to_string().eq_ignore_ascii_case("search_path") => {
                let path = values
                    .iter()
                    .flat_map(|v| {
                        v.to_string()
                            .split(',')
                            .map(|p| p.trim().trim_matches('\'').trim_matches('"').to_string())
                            .collect::<Vec<_>>()
                    })
                    .filter(|p| !p.is_empty())
                    .collect();
                self.set_search_path(path);
                Some(QueryOutput::command("SET"))
            }
            Statement::Set(Set::SingleAssignment {
                variable, values, ..
            }) if variable.to_string().eq_ignore_ascii_case("datestyle") => {
                let style = values
                    .iter()
                    .map(|v| v.to_string().trim_matches('\'').to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                self.set_date_style(&style);
                Some(QueryOutput::command("SET"))
            }
            Statement::Set(Set::SingleAssignment {
                variable, values, ..
            }) if variable.to_string().eq_ignore_ascii_case("intervalstyle") => {
                let style = values.first().map(|v| v.to_string()).unwrap_or_default();
                self.set_interval_style(style.trim_matches('\''));
                Some(QueryOutput::command("SET"))
            }
            Statement::ShowVariable { variable }
                if variable
                    .iter()
                    .map(|i| i.value.to_lowercase())
                    .collect::<Vec<_>>()
                    == ["search_path"] =>
            {
                let text = self.search_path().join(", ");
                Some(single_text("search_path", &text))
            }
            Statement::StartTransaction { .. } => Some(QueryOutput::command("BEGIN")),
            Statement::Commit { .. } => Some(QueryOutput::command("COMMIT")),
            Statement::Rollback { .. } => Some(QueryOutput::command("ROLLBACK")),
            _ => None,
        })
    }
}

/// PostgreSQL's names for a query's unaliased output columns: a function
/// call is named after the function (`count`, `version`), a column after the
/// column, a cast of a constant after the type, anything else `?column?`.
pub(crate) fn pg_output_names(plan: &LogicalPlan) -> Option<Vec<String>> {
    let mut p = plan;
    loop {
        match p {
            LogicalPlan::Projection(proj) => {
                return Some(
                    proj.expr
                        .iter()
                        .map(|e| inner_name(&proj.input, e).unwrap_or_else(|| pg_expr_name(e)))
                        .collect(),
                );
            }
            LogicalPlan::Aggregate(a) => {
                return Some(
                    a.group_expr
                        .iter()
                        .chain(&a.aggr_expr)
                        .map(pg_expr_name)
                        .collect(),
                );
            }
            LogicalPlan::Sort(s) => p = &s.input,
            LogicalPlan::Limit(l) => p = &l.input,
            _ => return None,
        }
    }
}

/// The PostgreSQL name of an unqualified column that an inner projection
/// computed (`SELECT amount * 2 … ORDER BY id` projects `amount * 2`
/// twice: the outer one is a column named after the inner expression).
fn inner_name(input: &LogicalPlan, e: &datafusion::logical_expr::Expr) -> Option<String> {
    let datafusion::logical_expr::Expr::Column(c) = e else {
        return None;
    };
    if c.relation.is_some() {
        return None;
    }
    let names = pg_output_names(input)?;
    let i = input.schema().index_of_column_by_name(None, &c.name)?;
    names.get(i).cloned()
}

fn pg_expr_name(e: &datafusion::logical_expr::Expr) -> String {
    use datafusion::logical_expr::Expr;
    match e {
        // `rewrite::output_names` makes clashing
        // names unique with a `\u{1}n` suffix that clients must not see.
        Expr::Alias(a) => {
            let name = a.name.split('\u{1}').next().unwrap_or_default();
            // DataFusion's own alias of a call (`count(Int64(1)) AS
            // count(*)`): PostgreSQL names it after the function.
            let function = match a.expr.as_ref() {
                Expr::AggregateFunction(f) => Some(f.func.name()),
                Expr::ScalarFunction(f) => Some(f.name()),
                Expr::WindowFunction(w) => Some(w.fun.name()),
                // The aggregate's output, referenced from the projection.
                Expr::Column(c) if c.relation.is_none() => {
                    c.name.split_once('(').map(|(head, _)| head)
                }
                _ => None,
            };
            match function {
                Some(f) if name.starts_with(&format!("{f}(")) && name.ends_with(')') => {
                    f.to_string()
                }
                _ => name.to_string(),
            }
        }
        // Aggregate and window outputs arrive as columns named `sum(t.x)`.
        Expr::Column(c) if c.relation.is_none() && c.name.contains('(') => {
            let head = &c.name[..c.name.find('(').unwrap_or(c.name.len())];
            if !head.is_empty() && head.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
                head.to_lowercase()
            } else {
                c.name.clone()
            }
        }
        Expr::Column(c) => c.name.split('\u{1}').next().unwrap_or_default().to_string(),
        // Operators planned as functions (`->`): PostgreSQL's `?column?`.
        Expr::ScalarFunction(f)
            if tessera_udfs::pg::json::OPERATOR_FUNCTIONS.contains(&f.name()) =>
        {
            "?column?".into()
        }
        Expr::ScalarFunction(f) => f.name().to_string(),
        Expr::AggregateFunction(a) => a.func.name().to_string(),
        Expr::Cast(c) => match c.expr.as_ref() {
            Expr::Literal(..) => {
                datafusion_postgres::arrow_pg::datatypes::into_pg_type(c.field.data_type())
                    .map(|t| t.name().to_string())
                    .unwrap_or_else(|_| "?column?".into())
            }
            inner => pg_expr_name(inner),
        },
        _ => "?column?".into(),
    }
}

/// `schema` with its fields renamed to `names` (types and metadata kept).
pub(crate) fn with_names(
    schema: &datafusion::arrow::datatypes::Schema,
    names: &[String],
) -> datafusion::arrow::datatypes::Schema {
    Schema::new_with_metadata(
        schema
            .fields()
            .iter()
            .zip(names)
            .map(|(f, n)| Field::clone(f).with_name(n))
            .collect::<Vec<_>>(),
        schema.metadata().clone(),
    )
}

/// Renames a result's columns (same types, same data).
fn rename(
    schema: SchemaRef,
    stream: SendableRecordBatchStream,
    names: &[String],
) -> Result<QueryOutput> {
    use futures::StreamExt;
    if schema
        .fields()
        .iter()
        .zip(names)
        .all(|(f, n)| f.name() == n)
    {
        return Ok(QueryOutput::Rows { schema, stream });
    }
    let renamed: SchemaRef = Arc::new(with_names(&schema, names));
    let s = renamed.clone();
    // A batch's types may differ from the plan's (`Utf8View` where the
    // plan says `Utf8`): such a batch keeps its own types under the names.
    let stream = stream.map(move |b| {
        b.and_then(|b| {
            let same = b
                .columns()
                .iter()
                .zip(s.fields())
                .all(|(c, f)| c.data_type() == f.data_type());
            let schema = if same {
                s.clone()
            } else {
                let fields: Vec<Field> = s
                    .fields()
                    .iter()
                    .zip(b.columns())
                    .map(|(f, c)| f.as_ref().clone().with_data_type(c.data_type().clone()))
                    .collect();
                Arc::new(Schema::new_with_metadata(fields, s.metadata().clone()))
            };
            Ok(RecordBatch::try_new(schema, b.columns().to_vec())?)
        })
    });
    Ok(QueryOutput::Rows {
        schema: renamed.clone(),
        stream: Box::pin(
            datafusion::physical_plan::stream::RecordBatchStreamAdapter::new(renamed, stream),
        ),
    })
}

/// The row count in the `count` column that DataFusion's DML plans return.
pub(crate) fn dml_count(batches: &[RecordBatch]) -> u64 {
    batches
        .iter()
        .filter_map(|b| b.column(0).as_any().downcast_ref::<UInt64Array>())
        .map(|a| a.iter().flatten().sum::<u64>())
        .sum()
}

/// A one-row, one-column text result.
pub(crate) fn single_text(name: &str, value: &str) -> QueryOutput {
    use datafusion::arrow::array::StringArray;
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    let schema = Arc::new(Schema::new(vec![Field::new(name, DataType::Utf8, true)]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![Arc::new(StringArray::from(vec![value]))],
    )
    .expect("schema matches");
    let stream = datafusion::physical_plan::stream::RecordBatchStreamAdapter::new(
        schema.clone(),
        futures::stream::iter(vec![Ok(batch)]),
    );
    QueryOutput::Rows {
        schema,
        stream: Box::pin(stream),
    }
}

/// Collects a [`QueryOutput`].
pub async fn collect(out: QueryOutput) -> Result<Collected> {
    Ok(match out {
        QueryOutput::Rows { schema, stream } => {
            Collected::Rows(schema, stream.try_collect().await?)
        }
        QueryOutput::Command { tag } => Collected::Command(tag),
    })
}
