//! `INSERT … ON CONFLICT (keys) DO NOTHING | DO UPDATE SET …`, PostgreSQL's
//! upsert, run as a `MERGE` on the conflict keys.
//!
//! Delta tables have no unique index, so the conflict target's columns (for
//! `ON CONFLICT DO NOTHING` without them: the declared primary key; with
//! none, nothing conflicts and the row is inserted) are the merge keys:
//!
//! ```sql
//! MERGE INTO t USING (SELECT *, 1 AS __tessera_on_conflict
//!   FROM (<the rows>) AS __rows(<columns>)) AS excluded
//! ON t.k = excluded.k
//! WHEN MATCHED [AND <DO UPDATE's WHERE>] THEN UPDATE SET …   -- DO UPDATE
//! WHEN NOT MATCHED THEN INSERT (<columns>) VALUES (excluded.…)
//! ```
//!
//! Columns the INSERT leaves out take their defaults. `EXCLUDED.col` reads
//! the proposed row as in PostgreSQL; bare names in
//! `DO UPDATE` are the target's. `DO NOTHING` keeps one proposed row per key
//! (PostgreSQL inserts the first and skips the others as conflicts). With
//! `DO UPDATE`, proposed rows sharing a key are refused as PostgreSQL
//! refuses them (21000, checked by `Session::merge` before anything is
//! written: [`check_duplicates`]). A NULL key never conflicts. The marker
//! column tells the engine to answer `INSERT 0 n`.

use std::ops::ControlFlow;

use datafusion::common::Column;
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::logical_expr::{
    BinaryExpr, Expr as LExpr, LogicalPlan, LogicalPlanBuilder, Operator, col, lit,
};
use datafusion::sql::sqlparser::ast::{
    ConflictTarget, Expr, Ident, OnConflictAction, OnInsert, Statement, TableObject,
    visit_expressions_mut,
};
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion::sql::sqlparser::parser::Parser;

use crate::error::{Error, Result};
use crate::session::Session;
use crate::sqlstate::CARDINALITY_VIOLATION;

/// The marker column of the merge's source.
pub(crate) const MARKER: &str = "__tessera_on_conflict";
/// The source's alias, so `EXCLUDED.col` reads it.
const EXCLUDED: &str = "excluded";

/// Rewrites an `INSERT … ON CONFLICT (keys) …` into the `MERGE` described
/// in the module documentation; other statements are returned unchanged.
pub(crate) async fn as_merge(session: &Session, statement: Statement) -> Result<Statement> {
    let Statement::Insert(insert) = &statement else {
        return Ok(statement);
    };
    let Some(OnInsert::OnConflict(on)) = &insert.on else {
        return Ok(statement);
    };
    let (Some(source), None, TableObject::TableName(table)) =
        (&insert.source, &insert.returning, &insert.table)
    else {
        return Err(Error::unsupported("INSERT … ON CONFLICT with RETURNING"));
    };
    let provider = session.context().table_provider(table.to_string()).await?;
    let keys: Vec<Ident> = match (&on.conflict_target, &on.action) {
        (Some(ConflictTarget::Columns(keys)), _) if !keys.is_empty() => keys.clone(),
        // `ON CONFLICT DO NOTHING`: conflicts on the primary key, if any.
        (None, OnConflictAction::DoNothing) => {
            let schema = provider.schema();
            let primary = provider.constraints().and_then(|cs| {
                cs.iter().find_map(|c| match c {
                    datafusion::common::Constraint::PrimaryKey(ix) => Some(ix.clone()),
                    _ => None,
                })
            });
            match primary {
                Some(ix) => ix
                    .iter()
                    .map(|i| Ident::with_quote('"', schema.field(*i).name()))
                    .collect(),
                // Nothing can conflict: a plain INSERT.
                None => {
                    let mut plain = insert.clone();
                    plain.on = None;
                    return Ok(Statement::Insert(plain));
                }
            }
        }
        _ => {
            return Err(Error::unsupported(
                "INSERT … ON CONFLICT DO UPDATE without a list of key columns (or ON CONSTRAINT)",
            ));
        }
    };
    let keys = keys.as_slice();
    let columns: Vec<Ident> = if insert.columns.is_empty() {
        (provider.schema().fields().iter())
            .map(|f| Ident::with_quote('"', f.name()))
            .collect()
    } else {
        (insert.columns.iter())
            .filter_map(|c| c.0.last().and_then(|p| p.as_ident()).cloned())
            .collect()
    };
    // Columns the INSERT leaves out take their defaults.
    let mut defaults: Vec<(Ident, String)> = Vec::new();
    for f in provider.schema().fields() {
        if columns.iter().any(|c| c.value == *f.name()) {
            continue;
        }
        if let Some(d) = provider.get_column_default(f.name()) {
            let sql = datafusion::sql::unparser::expr_to_sql(d)?;
            defaults.push((Ident::with_quote('"', f.name()), sql.to_string()));
        }
    }
    let target = match &insert.table_alias {
        Some(a) => a.alias.clone(),
        None => table
            .0
            .last()
            .and_then(|p| p.as_ident())
            .cloned()
            .unwrap_or_else(|| Ident::new("t")),
    };
    let list = |idents: &[Ident], prefix: &str| {
        idents
            .iter()
            .map(|i| format!("{prefix}{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let condition = keys
        .iter()
        .map(|k| format!("{target}.{k} = {EXCLUDED}.{k}"))
        .collect::<Vec<_>>()
        .join(" AND ");
    let rows = format!(
        "(SELECT *, 1 AS {MARKER} FROM ({source}) AS __rows({}))",
        list(&columns, "")
    );
    let (rows, matched) = match &on.action {
        OnConflictAction::DoNothing => (
            format!(
                "(SELECT DISTINCT ON ({}) * FROM {rows} AS __proposed)",
                list(keys, "")
            ),
            String::new(),
        ),
        OnConflictAction::DoUpdate(update) => {
            // Bare names in DO UPDATE are the target's columns.
            let qualify = |e: &Expr| {
                let mut e = e.clone();
                let _ = visit_expressions_mut(&mut e, |x| {
                    if let Expr::Identifier(i) = x {
                        *x = Expr::CompoundIdentifier(vec![target.clone(), i.clone()]);
                    }
                    ControlFlow::<()>::Continue(())
                });
                e
            };
            let sets = (update.assignments.iter())
                .map(|a| format!("{} = {}", a.target, qualify(&a.value)))
                .collect::<Vec<_>>()
                .join(", ");
            let when = (update.selection.as_ref())
                .map(|w| format!(" AND {}", qualify(w)))
                .unwrap_or_default();
            (rows, format!(" WHEN MATCHED{when} THEN UPDATE SET {sets}"))
        }
    };
    let alias = insert
        .table_alias
        .as_ref()
        .map(|a| format!(" AS {}", a.alias))
        .unwrap_or_default();
    let mut inserted = columns.clone();
    let mut values: Vec<String> = columns.iter().map(|c| format!("{EXCLUDED}.{c}")).collect();
    for (c, d) in defaults {
        inserted.push(c);
        values.push(d);
    }
    let sql = format!(
        "MERGE INTO {table}{alias} USING {rows} AS {EXCLUDED} ON {condition}{matched} \
         WHEN NOT MATCHED THEN INSERT ({}) VALUES ({})",
        list(&inserted, ""),
        values.join(", "),
    );
    let mut parsed = Parser::parse_sql(&PostgreSqlDialect {}, &sql)
        .map_err(|e| Error::unsupported(format!("this INSERT … ON CONFLICT ({e})")))?;
    match parsed.pop() {
        Some(merge @ Statement::Merge(_)) => Ok(merge),
        _ => Ok(statement),
    }
}

/// Whether `input`, a merge's source, carries the marker.
pub(crate) fn is_upsert(input: &LogicalPlan) -> bool {
    input
        .schema()
        .index_of_column_by_name(Some(&EXCLUDED.into()), MARKER)
        .is_some()
}

/// Refuses (21000) proposed rows that share a non-NULL key, as PostgreSQL's
/// `DO UPDATE` does: the keys are the source's columns compared for
/// equality in `on`.
pub(crate) async fn check_duplicates(
    session: &Session,
    input: &LogicalPlan,
    on: &LExpr,
    updates: bool,
) -> Result<()> {
    if !updates {
        return Ok(());
    }
    let mut keys: Vec<Column> = Vec::new();
    let _ = on.apply(|e| {
        if let LExpr::BinaryExpr(BinaryExpr {
            left,
            op: Operator::Eq,
            right,
        }) = e
        {
            for side in [left, right] {
                if let LExpr::Column(c) = side.as_ref()
                    && input.schema().has_column(c)
                {
                    keys.push(c.clone());
                }
            }
        }
        Ok(TreeNodeRecursion::Continue)
    });
    if keys.is_empty() {
        return Ok(());
    }
    let not_null = (keys.iter())
        .map(|k| LExpr::Column(k.clone()).is_not_null())
        .reduce(LExpr::and)
        .unwrap_or(lit(true));
    let count = datafusion::functions_aggregate::count::count(lit(1)).alias("n");
    let plan = LogicalPlanBuilder::from(input.clone())
        .filter(not_null)?
        .aggregate(keys.iter().cloned().map(LExpr::Column), vec![count])?
        .filter(col("n").gt(lit(1)))?
        .limit(0, Some(1))?
        .build()?;
    let batches = session.collect_plan(plan).await?;
    if batches.iter().any(|b| b.num_rows() > 0) {
        return Err(Error::coded(
            CARDINALITY_VIOLATION,
            "ON CONFLICT DO UPDATE command cannot affect row a second time (ensure that no rows \
             proposed for insertion within the same command have duplicate constrained values)",
        ));
    }
    Ok(())
}
