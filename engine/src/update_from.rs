//! The `MERGE` an `UPDATE … FROM` became (`server::rewrite::update_from`),
//! made to update as PostgreSQL's `UPDATE` does.
//!
//! PostgreSQL updates a row once even when the `FROM` joins it with several
//! source rows (`UPDATE customers SET has_orders = true FROM orders WHERE
//! orders.customer_id = customers.id`); a merge refuses a target row matched
//! twice. So the source is reduced to the distinct values of the source
//! columns the statement reads (`orders.customer_id` here): rows that would
//! set the same values count once. Rows joined with source rows giving
//! different values are still refused (21000): PostgreSQL would pick one
//! arbitrarily, which a scheduled transform should not depend on.
//!
//! The source columns are renamed `__source_<n>` on the way, so that
//! columns of the same name from different `FROM` items (`s.id`, `u.id`)
//! stay apart in the merge's single source relation.

use std::collections::HashMap;

use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{Column, DataFusionError};
use datafusion::logical_expr::{
    Expr, LogicalPlan, LogicalPlanBuilder, MergeIntoAction, MergeIntoClause, MergeIntoOp,
};

use crate::error::{Error, Result};
use crate::server::rewrite::UPDATE_FROM_MARKER;
use crate::sqlstate::CARDINALITY_VIOLATION;

/// A merge's source, condition and clauses.
type Source = (LogicalPlan, Expr, Vec<MergeIntoClause>);

/// For a merge made from an `UPDATE … FROM` (its source carries the
/// marker column), the source reduced to the distinct values the
/// statement reads and the condition and clauses reading them; `None` for
/// a `MERGE` the query wrote.
pub(crate) fn source(input: &LogicalPlan, m: &MergeIntoOp) -> Result<Option<Source>> {
    let schema = input.schema();
    let Some(marker) =
        schema.index_of_column_by_name(Some(&UPDATE_FROM_MARKER.into()), UPDATE_FROM_MARKER)
    else {
        return Ok(None);
    };
    let exprs = std::iter::once(&m.on).chain(m.clauses.iter().flat_map(|c| {
        c.predicate.iter().chain(match &c.action {
            MergeIntoAction::Update(sets) => sets.iter().map(|(_, v)| v).collect::<Vec<_>>(),
            MergeIntoAction::Insert { values, .. } => values.iter().collect(),
            MergeIntoAction::Delete => vec![],
        })
    }));
    // The marker first, so that a statement reading no source column still
    // has one (the source's rows count as one if there are any).
    let mut read: Vec<Column> = vec![Column::from(schema.qualified_field(marker))];
    for e in exprs {
        for c in e.column_refs() {
            if schema.has_column(c) && !read.contains(c) {
                read.push(c.clone());
            }
        }
    }
    let names: HashMap<Column, String> = (read.iter().enumerate())
        .map(|(i, c)| (c.clone(), format!("__source_{i}")))
        .collect();
    let projection = read
        .iter()
        .map(|c| Expr::Column(c.clone()).alias(&names[c]));
    let reduced = LogicalPlanBuilder::from(input.clone())
        .project(projection)?
        .distinct()?
        .build()?;
    let rename = |e: &Expr| -> Result<Expr> {
        Ok(e.clone()
            .transform(|e| match e {
                Expr::Column(c) if names.contains_key(&c) => Ok(Transformed::yes(Expr::Column(
                    Column::from_name(names[&c].clone()),
                ))),
                e => Ok(Transformed::no(e)),
            })?
            .data)
    };
    let clauses = (m.clauses.iter())
        .map(|c| {
            Ok(MergeIntoClause {
                kind: c.kind,
                predicate: c.predicate.as_ref().map(rename).transpose()?,
                action: match &c.action {
                    MergeIntoAction::Update(sets) => MergeIntoAction::Update(
                        (sets.iter())
                            .map(|(k, v)| Ok((k.clone(), rename(v)?)))
                            .collect::<Result<_>>()?,
                    ),
                    other => other.clone(),
                },
            })
        })
        .collect::<Result<_>>()?;
    Ok(Some((reduced, rename(&m.on)?, clauses)))
}

/// A merge refused because a target row matched two source rows, in
/// PostgreSQL's words and code (21000); other errors unchanged.
pub(crate) fn second_match(e: DataFusionError, tag: &str) -> Error {
    if !e.to_string().contains("multiple source rows") {
        return e.into();
    }
    Error::coded(
        CARDINALITY_VIOLATION,
        if tag == "UPDATE" {
            "UPDATE … FROM joins a row with source rows that would set different values \
             (PostgreSQL would pick one arbitrarily): make the FROM match one source row \
             per updated row"
        } else if tag == "INSERT 0" {
            "ON CONFLICT DO UPDATE command cannot affect row a second time (ensure that no rows \
             proposed for insertion within the same command have duplicate constrained values)"
        } else {
            "MERGE command cannot affect row a second time (ensure that not more than one \
             source row matches any one target row)"
        },
    )
}
