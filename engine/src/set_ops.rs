//! `INTERSECT ALL` and `EXCEPT ALL` with PostgreSQL's multiplicities: a row
//! appearing `m` times on the left and `n` times on the right appears
//! `min(m, n)` times in `INTERSECT ALL` and `max(m - n, 0)` times in
//! `EXCEPT ALL`.
//!
//! DataFusion plans both as a semi (anti) join of the left input with the
//! right on all columns, NULLs equal, which keeps all `m` copies of every
//! row that has a match (none of those that have one). [`multiplicities`]
//! numbers the copies of each distinct row on both sides (`row_number()
//! OVER (PARTITION BY every column)`) and joins on the number too: the
//! `k`-th copy on the left is kept when the right has a `k`-th copy
//! (`INTERSECT ALL`), or when it has not (`EXCEPT ALL`).
//!
//! Only SQL planning makes a semi or anti join whose keys compare NULLs as
//! equal (subqueries are decorrelated later, NULLs unequal), and the
//! distinct forms put a `Distinct` under it: that is how the rule finds
//! the `ALL` forms.

use std::sync::Arc;

use datafusion::common::tree_node::Transformed;
use datafusion::common::{Column, NullEquality, Result};
use datafusion::functions_window::expr_fn::row_number;
use datafusion::logical_expr::{Expr, ExprFunctionExt, JoinType, LogicalPlan, LogicalPlanBuilder};

/// The copy number column added on both sides.
const COPY: &str = "__tessera_copy";
/// The right side's qualifier, keeping its columns apart from the left's.
const RIGHT: &str = "__tessera_right";

/// Rewrites every `INTERSECT ALL` / `EXCEPT ALL` of `plan` (subqueries
/// included) to PostgreSQL's multiplicities.
pub(crate) fn multiplicities(plan: LogicalPlan) -> Result<LogicalPlan> {
    plan.transform_up_with_subqueries(|node| {
        let LogicalPlan::Join(join) = &node else {
            return Ok(Transformed::no(node));
        };
        let set_operation = matches!(join.join_type, JoinType::LeftSemi | JoinType::LeftAnti)
            && join.null_equality == NullEquality::NullEqualsNull
            && join.filter.is_none()
            && !join.on.is_empty()
            && join.on.len() == join.left.schema().fields().len()
            && !matches!(join.left.as_ref(), LogicalPlan::Distinct(_));
        if !set_operation {
            return Ok(Transformed::no(node));
        }
        let left = numbered(join.left.as_ref().clone())?;
        let right = LogicalPlanBuilder::from(numbered(join.right.as_ref().clone())?)
            .alias(RIGHT)?
            .build()?;
        let left_columns: Vec<Column> = join.left.schema().columns();
        let right_columns: Vec<Column> = join
            .right
            .schema()
            .fields()
            .iter()
            .map(|f| Column::new(Some(RIGHT), f.name()))
            .chain([Column::new(Some(RIGHT), COPY)])
            .collect();
        let mut left_keys = left_columns.clone();
        left_keys.push(Column::new_unqualified(COPY));
        let joined = LogicalPlanBuilder::from(left)
            .join_detailed(
                right,
                join.join_type,
                (left_keys, right_columns),
                None,
                NullEquality::NullEqualsNull,
            )?
            .project(left_columns.into_iter().map(Expr::Column))?
            .build()?;
        Ok(Transformed::yes(joined))
    })
    .map(|t| t.data)
}

/// `input` with the copy number of each row among the rows equal to it.
fn numbered(input: LogicalPlan) -> Result<LogicalPlan> {
    let partition: Vec<Expr> = input
        .schema()
        .columns()
        .into_iter()
        .map(Expr::Column)
        .collect();
    let copy = row_number().partition_by(partition).build()?.alias(COPY);
    LogicalPlanBuilder::from(Arc::new(input))
        .window(vec![copy])?
        .build()
}
