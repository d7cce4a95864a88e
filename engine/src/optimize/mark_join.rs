//! "Has a matching row" flags as a mark join instead of a join with a
//! deduplicated side.
//!
//! Analysts flag customers who did something with
//!
//! ```sql
//! SELECT … count(*) FILTER (WHERE b.contact_id IS NOT NULL) …
//! FROM contacts c
//! LEFT JOIN (SELECT DISTINCT contact_id FROM orders WHERE …) b
//!        ON b.contact_id = c.contact_id
//! ```
//!
//! DataFusion plans the `DISTINCT` as a hash aggregate over every matching
//! order (repartitioned, in two phases), then joins. The same answer is a
//! mark join: each contact marked when some order matches, no
//! deduplication at all — and since the join is an equality, `b.contact_id`
//! is `c.contact_id` where marked and NULL elsewhere:
//!
//! ```text
//! Projection(c.*, CASE WHEN mark THEN c.contact_id END AS b.contact_id)
//!   LeftMark Join(c.contact_id = orders.contact_id)
//!     c
//!     Filter/scan of orders (the DISTINCT's input)
//! ```
//!
//! Applies to a LEFT join on one equality with no other condition whose
//! right side is (under an alias) a grouping by that one key column with
//! no aggregates — `SELECT DISTINCT k` or `… GROUP BY k` — when both keys
//! have the same integer or text type (the marked value is then the same
//! value).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{Column, NullEquality, Result};
use datafusion::logical_expr::{
    Expr, ExprSchemable, JoinType, LogicalPlan, LogicalPlanBuilder, Projection, when,
};
use datafusion::optimizer::{ApplyOrder, OptimizerConfig, OptimizerRule};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct DistinctSideAsMark;

fn same_value_type(t: &DataType) -> bool {
    t.is_integer() || matches!(t, DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8)
}

impl OptimizerRule for DistinctSideAsMark {
    fn name(&self) -> &str {
        "tessera_distinct_side_as_mark"
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        Some(ApplyOrder::TopDown)
    }

    fn supports_rewrite(&self) -> bool {
        true
    }

    fn rewrite(
        &self,
        plan: LogicalPlan,
        _config: &dyn OptimizerConfig,
    ) -> Result<Transformed<LogicalPlan>> {
        match mark_join(&plan)? {
            Some(p) => Ok(Transformed::yes(p)),
            None => Ok(Transformed::no(plan)),
        }
    }
}

fn mark_join(plan: &LogicalPlan) -> Result<Option<LogicalPlan>> {
    let LogicalPlan::Join(join) = plan else {
        return Ok(None);
    };
    if join.join_type != JoinType::Left
        || join.filter.is_some()
        || join.on.len() != 1
        || join.null_equality != NullEquality::NullEqualsNothing
    {
        return Ok(None);
    }
    let (left_key, right_key) = &join.on[0];
    let (Expr::Column(left_column), Expr::Column(_)) = (left_key, right_key) else {
        return Ok(None);
    };
    // The right side: a grouping by one column, without aggregates.
    let mut right = join.right.as_ref();
    if let LogicalPlan::SubqueryAlias(a) = right {
        right = a.input.as_ref();
    }
    let LogicalPlan::Aggregate(aggregate) = right else {
        return Ok(None);
    };
    let [Expr::Column(group)] = aggregate.group_expr.as_slice() else {
        return Ok(None);
    };
    if !aggregate.aggr_expr.is_empty() || join.right.schema().fields().len() != 1 {
        return Ok(None);
    }
    let left_type = left_key.get_type(join.left.schema())?;
    let right_type = right_key.get_type(join.right.schema())?;
    if left_type != right_type || !same_value_type(&left_type) {
        return Ok(None);
    }
    let marked = LogicalPlanBuilder::from(join.left.as_ref().clone())
        .join_with_expr_keys(
            aggregate.input.as_ref().clone(),
            JoinType::LeftMark,
            (vec![left_key.clone()], vec![Expr::Column(group.clone())]),
            None,
        )?
        .build()?;
    let mark = {
        let (qualifier, field) = marked
            .schema()
            .qualified_field(marked.schema().fields().len() - 1);
        Expr::Column(Column::from((qualifier, field)))
    };
    let (right_qualifier, right_field) = join.right.schema().qualified_field(0);
    let mut exprs: Vec<Expr> = join
        .left
        .schema()
        .iter()
        .map(|(q, f)| Expr::Column(Column::from((q, f))))
        .collect();
    exprs.push(
        when(mark, Expr::Column(left_column.clone()))
            .end()?
            .alias_qualified(right_qualifier.cloned(), right_field.name()),
    );
    Ok(Some(LogicalPlan::Projection(Projection::try_new(
        exprs,
        Arc::new(marked),
    )?)))
}
