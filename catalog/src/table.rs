//! [`TesseraTable`]: a catalog table as a DataFusion `TableProvider`.
//!
//! Reads delegate to delta-rs' scan. Writes arrive through DataFusion's own
//! DML planning (`INSERT`, `UPDATE`, `DELETE`, `TRUNCATE`, `MERGE INTO`) and
//! are carried out with delta-rs' operations, each one a single Delta commit:
//! a failing statement leaves the table as it was.
//!
//! Column defaults are served to DataFusion's `INSERT` planner through
//! [`TableProvider::get_column_default`]; `NOT NULL` and `varchar(n)` are
//! checked by [`ConstraintCheckExec`] before Delta commits.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::Session;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{
    Column, Constraint, Constraints, DFSchema, DFSchemaRef, Result, plan_err,
};
use datafusion::datasource::{TableProvider, TableType, provider_as_source};
use datafusion::execution::SessionState;
use datafusion::logical_expr::dml::InsertOp;
use datafusion::logical_expr::utils::conjunction;
use datafusion::logical_expr::{
    Expr, LogicalPlanBuilder, MergeIntoAction, MergeIntoClause, MergeIntoClauseKind,
    TableProviderFilterPushDown,
};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::DataFrame;
use deltalake::DeltaTable;
use futures::FutureExt;

use crate::checks::ConstraintCheckExec;
use crate::column_stats::{ColumnStats, StatsCache};
use crate::dml_exec::DeltaDmlExec;
use crate::insert_exec::DeltaInsertExec;
use crate::metadata::TableMeta;
use crate::pg_type::PgType;

/// Alias delta-rs' MERGE gives the target table.
const MERGE_TARGET: &str = "tessera_merge_target";
/// Alias delta-rs' MERGE gives the source relation.
const MERGE_SOURCE: &str = "tessera_merge_source";

/// Field metadata key naming the PostgreSQL type of a text column that is
/// not `text` (`bpchar`, `varchar`): the wire layer reports that type.
pub const PG_TYPE_KEY: &str = "tessera.pg.type";

/// A Delta-backed table with its catalog metadata.
#[derive(Debug)]
pub struct TesseraTable {
    name: String,
    meta: TableMeta,
    delta: DeltaTable,
    inner: Arc<dyn TableProvider>,
    /// The Delta schema with every field nullable: `NOT NULL` is checked by
    /// [`ConstraintCheckExec`] with PostgreSQL's error, which DataFusion's
    /// own non-nullable checks would pre-empt with an Arrow error.
    schema: SchemaRef,
    defaults: HashMap<String, Expr>,
    constraints: Constraints,
    /// Whole-table column statistics for the planner, found at the first
    /// scan (see [`crate::column_stats`]).
    column_stats: OnceLock<Arc<ColumnStats>>,
    /// Where the warehouse keeps them between queries.
    stats_cache: Option<Arc<StatsCache>>,
}

impl TesseraTable {
    /// Wraps a loaded Delta table. `expr_state` parses the default
    /// expressions and gives the scan its Parquet settings.
    pub async fn try_new(
        name: &str,
        meta: TableMeta,
        delta: DeltaTable,
        expr_state: &Arc<SessionState>,
    ) -> crate::Result<Self> {
        // The scan takes its Parquet settings from the catalog's session,
        // whose `pushdown_filters` is DataFusion's default, off: delta-rs'
        // own default turns row-filter pushdown on, and on data that is not
        // clustered by the filtered columns (most customer tables: rows
        // arrive in id order, dates and types are mixed) the reader spends
        // its time building and applying fragmented row selections. Off,
        // filters run as a vectorised FilterExec over decoded batches:
        // customer-analytics SF1 geomean 0.82x, TPC-H SF1 0.78x the time
        // (BENCHMARKS.md). Files are still skipped by their Delta
        // statistics; row groups inside a file are not pruned.
        let inner = delta
            .table_provider()
            .with_session(expr_state.clone())
            .await?;
        let schema = Arc::new(datafusion::arrow::datatypes::Schema::new(
            inner
                .schema()
                .fields()
                .iter()
                .map(|f| {
                    let f = f.as_ref().clone().with_nullable(true);
                    // json/jsonb columns are text tagged with their kind
                    // (the key `tessera_udfs::pg::json::KIND_KEY`), which
                    // sets their wire type and jsonb's normalised output;
                    // char(n)/varchar(n) columns with their PostgreSQL type
                    // ([`PG_TYPE_KEY`]), which sets their wire type.
                    let tag =
                        meta.columns
                            .iter()
                            .find(|c| c.name == *f.name())
                            .and_then(|c| match c.pg_type {
                                PgType::Json => Some(("tessera.pg.json", "json")),
                                PgType::Jsonb => Some(("tessera.pg.json", "jsonb")),
                                PgType::Char { .. } => Some((PG_TYPE_KEY, "bpchar")),
                                PgType::Varchar { .. } => Some((PG_TYPE_KEY, "varchar")),
                                _ => None,
                            });
                    match tag {
                        Some((k, v)) => {
                            f.with_metadata(HashMap::from([(k.to_string(), v.to_string())]))
                        }
                        None => f,
                    }
                })
                .collect::<Vec<_>>(),
        ));
        let df_schema = DFSchema::try_from(inner.schema().as_ref().clone())?;
        let mut defaults = HashMap::new();
        for c in &meta.columns {
            if let Some(sql) = &c.default {
                defaults.insert(
                    c.name.clone(),
                    expr_state.create_logical_expr(sql, &df_schema)?,
                );
            }
        }
        let pk: Vec<usize> = meta
            .primary_key
            .iter()
            .filter_map(|k| meta.column_index(k))
            .collect();
        let constraints = if pk.is_empty() {
            Constraints::default()
        } else {
            Constraints::new_unverified(vec![Constraint::PrimaryKey(pk)])
        };
        Ok(TesseraTable {
            name: name.to_string(),
            meta,
            delta,
            inner,
            schema,
            defaults,
            constraints,
            column_stats: OnceLock::new(),
            stats_cache: None,
        })
    }

    /// The catalog metadata of the table.
    pub fn meta(&self) -> &TableMeta {
        &self.meta
    }

    /// Keeps the column statistics in `cache` between queries.
    pub(crate) fn with_stats_cache(mut self, cache: Arc<StatsCache>) -> Self {
        self.stats_cache = Some(cache);
        self
    }

    /// Column statistics of the snapshot this provider reads (none when
    /// the log has none).
    fn column_stats(&self) -> &ColumnStats {
        self.column_stats.get_or_init(|| {
            let schema = self.inner.schema();
            match &self.stats_cache {
                Some(cache) => cache.get(&self.delta, &schema),
                None => Arc::new(ColumnStats::of_table(&self.delta, &schema)),
            }
        })
    }

    /// The Delta table at the version this provider reads.
    pub fn delta(&self) -> &DeltaTable {
        &self.delta
    }
}

fn owned_state(state: &dyn Session) -> Result<Arc<dyn Session>> {
    match state.as_any().downcast_ref::<SessionState>() {
        Some(s) => Ok(Arc::new(s.clone())),
        None => plan_err!("Delta writes need a DataFusion SessionState"),
    }
}

/// delta-rs resolves columns against its own unqualified schema.
fn unqualify(e: Expr) -> Result<Expr> {
    e.transform(|e| match e {
        Expr::Column(c) if c.relation.is_some() => Ok(Transformed::yes(Expr::Column(
            Column::new_unqualified(c.name),
        ))),
        other => Ok(Transformed::no(other)),
    })
    .map(|t| t.data)
}

/// Re-qualifies MERGE expressions with the aliases delta-rs expects.
fn requalify(e: Expr, target_fields: usize, schema: &DFSchemaRef) -> Result<Expr> {
    e.transform(|e| match e {
        Expr::Column(c) => {
            let idx = schema.index_of_column(&c).ok();
            let alias = match idx {
                Some(i) if i < target_fields => MERGE_TARGET,
                Some(_) => MERGE_SOURCE,
                None => return Ok(Transformed::no(Expr::Column(c))),
            };
            Ok(Transformed::yes(Expr::Column(Column::new(
                Some(alias),
                c.name,
            ))))
        }
        other => Ok(Transformed::no(other)),
    })
    .map(|t| t.data)
}

#[async_trait]
impl TableProvider for TesseraTable {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn constraints(&self) -> Option<&Constraints> {
        Some(&self.constraints)
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn get_column_default(&self, column: &str) -> Option<&Expr> {
        self.defaults.get(column)
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let plan = self.inner.scan(state, projection, filters, limit).await?;
        self.column_stats().fill(plan)
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> Result<Vec<TableProviderFilterPushDown>> {
        self.inner.supports_filters_pushdown(filters)
    }

    fn statistics(&self) -> Option<datafusion::common::Statistics> {
        self.inner.statistics()
    }

    async fn insert_into(
        &self,
        state: &dyn Session,
        input: Arc<dyn ExecutionPlan>,
        insert_op: InsertOp,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let checked = ConstraintCheckExec::wrap(input, &self.name, &self.meta);
        let mode = match insert_op {
            InsertOp::Append => deltalake::protocol::SaveMode::Append,
            InsertOp::Overwrite => deltalake::protocol::SaveMode::Overwrite,
            InsertOp::Replace => return plan_err!("INSERT OR REPLACE is not supported"),
        };
        if DeltaInsertExec::supports(&self.delta) {
            return Ok(Arc::new(DeltaInsertExec::new(
                checked,
                self.delta.clone(),
                mode,
            )));
        }
        self.inner.insert_into(state, checked, insert_op).await
    }

    async fn delete_from(
        &self,
        state: &dyn Session,
        filters: Vec<Expr>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let session = owned_state(state)?;
        let predicate = conjunction(filters).map(unqualify).transpose()?;
        let delta = self.delta.clone();
        let run = Arc::new(move || {
            let mut builder = delta.clone().delete().with_session_state(session.clone());
            if let Some(p) = predicate.clone() {
                builder = builder.with_predicate(p);
            }
            async move {
                let (_, metrics) = builder.await?;
                Ok(metrics.num_deleted_rows.unwrap_or_default() as u64)
            }
            .boxed()
        });
        Ok(Arc::new(DeltaDmlExec::new("DELETE", run)))
    }

    async fn truncate(&self, state: &dyn Session) -> Result<Arc<dyn ExecutionPlan>> {
        self.delete_from(state, vec![]).await
    }

    async fn update(
        &self,
        state: &dyn Session,
        assignments: Vec<(String, Expr)>,
        filters: Vec<Expr>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let session = owned_state(state)?;
        let predicate = conjunction(filters).map(unqualify).transpose()?;
        let assignments = assignments
            .into_iter()
            .map(|(c, e)| Ok((c, unqualify(e)?)))
            .collect::<Result<Vec<_>>>()?;
        for (c, _) in &assignments {
            let nullable = self
                .meta
                .columns
                .iter()
                .find(|m| &m.name == c)
                .map(|m| m.nullable);
            if nullable.is_none() {
                return plan_err!(
                    "column \"{c}\" of relation \"{}\" does not exist",
                    self.name
                );
            }
        }
        let delta = self.delta.clone();
        let run = Arc::new(move || {
            let mut builder = delta
                .clone()
                .update()
                .with_session_state(session.clone())
                .with_safe_cast(false);
            for (c, e) in assignments.clone() {
                builder = builder.with_update(c, e);
            }
            if let Some(p) = predicate.clone() {
                builder = builder.with_predicate(p);
            }
            async move {
                let (_, metrics) = builder.await?;
                Ok(metrics.num_updated_rows as u64)
            }
            .boxed()
        });
        Ok(Arc::new(DeltaDmlExec::new("UPDATE", run)))
    }

    /// MERGE planned by DataFusion's physical planner (the server path).
    /// Delta's scans cannot be executed twice and delta-rs reads the source
    /// more than once, so the source is materialised first; the engine's
    /// own path ([`TesseraTable::merge`]) streams it instead.
    async fn merge_into(
        &self,
        state: &dyn Session,
        source: Arc<dyn ExecutionPlan>,
        merge_schema: DFSchemaRef,
        on: Expr,
        clauses: Vec<MergeIntoClause>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let Some(session_state) = state.as_any().downcast_ref::<SessionState>().cloned() else {
            return plan_err!("Delta writes need a DataFusion SessionState");
        };
        let this = Arc::new(self.clone_for_write());
        let run = Arc::new(move || {
            let this = this.clone();
            let state = session_state.clone();
            let source = source.clone();
            let merge_schema = merge_schema.clone();
            let on = on.clone();
            let clauses = clauses.clone();
            async move {
                let schema = source.schema();
                let batches = datafusion::physical_plan::collect(source, state.task_ctx()).await?;
                let mem = datafusion::datasource::MemTable::try_new(schema, vec![batches])?;
                let plan = LogicalPlanBuilder::scan(
                    MERGE_SOURCE,
                    provider_as_source(Arc::new(mem)),
                    None,
                )?
                .build()?;
                this.merge(&state, plan, merge_schema, on, clauses).await
            }
            .boxed()
        });
        Ok(Arc::new(DeltaDmlExec::new("MERGE", run)))
    }
}

impl TesseraTable {
    fn clone_for_write(&self) -> TesseraTable {
        TesseraTable {
            name: self.name.clone(),
            meta: self.meta.clone(),
            delta: self.delta.clone(),
            inner: self.inner.clone(),
            schema: self.schema.clone(),
            defaults: self.defaults.clone(),
            constraints: self.constraints.clone(),
            column_stats: OnceLock::new(),
            stats_cache: self.stats_cache.clone(),
        }
    }

    /// Runs `MERGE INTO` this table from a logical `source` plan; returns the
    /// number of rows inserted, updated or deleted.
    ///
    /// `merge_schema` is the target's columns followed by the source's, as
    /// DataFusion's planner resolved `on` and `clauses` against it.
    pub async fn merge(
        &self,
        state: &SessionState,
        source: datafusion::logical_expr::LogicalPlan,
        merge_schema: DFSchemaRef,
        on: Expr,
        clauses: Vec<MergeIntoClause>,
    ) -> Result<u64> {
        let n_target = self.inner.schema().fields().len();
        let fix = |e: Expr| requalify(e.unalias_nested().data, n_target, &merge_schema);
        let on = fix(on)?;
        let target_columns: Vec<String> = self
            .inner
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let mut builder = self
            .delta
            .clone()
            .merge(
                DataFrame::new(
                    state.clone(),
                    LogicalPlanBuilder::from(source)
                        .alias(MERGE_SOURCE)?
                        .build()?,
                ),
                on,
            )
            .with_source_alias(MERGE_SOURCE)
            .with_target_alias(MERGE_TARGET)
            .with_session_state(Arc::new(state.clone()));
        for c in clauses {
            let predicate = c.predicate.map(fix).transpose()?;
            let action = match c.action {
                MergeIntoAction::Update(a) => MergeIntoAction::Update(
                    a.into_iter()
                        .map(|(k, v)| Ok((k, fix(v)?)))
                        .collect::<Result<_>>()?,
                ),
                MergeIntoAction::Insert { columns, values } => MergeIntoAction::Insert {
                    columns: if columns.is_empty() {
                        target_columns.clone()
                    } else {
                        columns
                    },
                    values: values.into_iter().map(fix).collect::<Result<_>>()?,
                },
                MergeIntoAction::Delete => MergeIntoAction::Delete,
            };
            let clause = MergeIntoClause {
                kind: c.kind,
                predicate,
                action,
            };
            builder = add_merge_clause(builder, clause)?;
        }
        let (_, m) = builder.await?;
        Ok(
            (m.num_target_rows_inserted + m.num_target_rows_updated + m.num_target_rows_deleted)
                as u64,
        )
    }
}

fn add_merge_clause(
    builder: deltalake::operations::merge::MergeBuilder,
    c: MergeIntoClause,
) -> deltalake::DeltaResult<deltalake::operations::merge::MergeBuilder> {
    let p = c.predicate;
    match (c.kind.canonical(), c.action) {
        (MergeIntoClauseKind::Matched, MergeIntoAction::Update(sets)) => builder
            .when_matched_update(|mut u| {
                if let Some(p) = p {
                    u = u.predicate(p);
                }
                for (k, v) in sets {
                    u = u.update(k, v);
                }
                u
            }),
        (MergeIntoClauseKind::Matched, MergeIntoAction::Delete) => {
            builder.when_matched_delete(|d| match p {
                Some(p) => d.predicate(p),
                None => d,
            })
        }
        (MergeIntoClauseKind::NotMatchedBySource, MergeIntoAction::Update(sets)) => builder
            .when_not_matched_by_source_update(|mut u| {
                if let Some(p) = p {
                    u = u.predicate(p);
                }
                for (k, v) in sets {
                    u = u.update(k, v);
                }
                u
            }),
        (MergeIntoClauseKind::NotMatchedBySource, MergeIntoAction::Delete) => builder
            .when_not_matched_by_source_delete(|d| match p {
                Some(p) => d.predicate(p),
                None => d,
            }),
        (_, MergeIntoAction::Insert { columns, values }) => {
            builder.when_not_matched_insert(|mut i| {
                if let Some(p) = p {
                    i = i.predicate(p);
                }
                for (k, v) in columns.into_iter().zip(values) {
                    i = i.set(k, v);
                }
                i
            })
        }
        (kind, action) => Err(deltalake::DeltaTableError::Generic(format!(
            "MERGE clause {kind:?} cannot {action:?}"
        ))),
    }
}
