//! `DELETE` and `UPDATE`, planned by Tessera rather than by DataFusion's
//! physical planner.
//!
//! DataFusion's planner hands a table's `delete_from`/`update` the filter
//! conjuncts of the optimized plan that refer to the table alone, and drops
//! the others: a `DELETE FROM t WHERE id IN (SELECT …)`, whose subquery the
//! optimizer turns into a join, reached the table with no predicate and
//! deleted every row; so did `WHERE id = NULL`, folded to a NULL without a
//! column. Here the table gets the statement's whole condition, from the
//! typed (unoptimized) plan, and [`run`] calls it directly.
//!
//! Before that, each uncorrelated subquery is run and replaced
//! by its answer, as PostgreSQL would evaluate it once (an initplan): `x IN
//! (SELECT …)` becomes `x IN (v₁, v₂, …)` (NULLs kept, so `NOT IN` keeps
//! its three-valued answer), a scalar subquery its value (21000 if it has
//! more than one row), `EXISTS` true or false; a correlated `EXISTS` on
//! equal keys (`DELETE … USING`) becomes a test of the row's key against
//! the subquery's distinct keys. What is left must be a
//! filter of the target table alone; anything else (another correlated
//! subquery) is refused rather than run with part of its condition.
//! (`UPDATE … FROM` runs as a `MERGE`: `crate::update_from`.)
//!
//! The same extraction drops conjuncts without a column: `WHERE id = NULL`
//! (folded to NULL) deleted every row. [`settle_conditions`] folds the
//! condition once typed: a constant true conjunct is dropped, a false or
//! NULL one makes the statement change no row (it is not run), and a
//! volatile one without columns (`random() < 0.5`) is refused.

use std::sync::Arc;

use datafusion::common::Column;
use datafusion::common::ScalarValue;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::execution::session_state::SessionState;
use datafusion::logical_expr::expr::{Exists, InList, InSubquery};
use datafusion::logical_expr::simplify::SimplifyContext;
use datafusion::logical_expr::utils::{conjunction, split_conjunction};
use datafusion::logical_expr::{
    BinaryExpr, Expr, Filter, LogicalPlan, LogicalPlanBuilder, Operator, Subquery, WriteOp, lit,
};
use datafusion::optimizer::simplify_expressions::ExprSimplifier;

use crate::error::{Error, Result};
use crate::session::Session;
use crate::sqlstate::CARDINALITY_VIOLATION;

/// The rows of an uncorrelated subquery, first column.
struct Answer {
    subquery: Subquery,
    values: Vec<ScalarValue>,
}

fn is_row_change(plan: &LogicalPlan) -> bool {
    matches!(plan, LogicalPlan::Dml(d) if matches!(d.op, WriteOp::Delete | WriteOp::Update))
}

/// The subquery of an expression that is one.
fn subquery_of(e: &Expr) -> Option<&Subquery> {
    match e {
        Expr::InSubquery(InSubquery { subquery, .. })
        | Expr::ScalarSubquery(subquery)
        | Expr::Exists(Exists { subquery, .. }) => Some(subquery),
        _ => None,
    }
}

/// `plan` (a `DELETE` or `UPDATE`) with its uncorrelated subqueries
/// replaced by their answers; other plans are returned as they are.
pub(crate) async fn materialize(session: &Session, plan: LogicalPlan) -> Result<LogicalPlan> {
    if !is_row_change(&plan) {
        return Ok(plan);
    }
    // The uncorrelated subqueries, outermost first (one inside another is
    // part of its plan and runs with it).
    let mut found: Vec<Subquery> = Vec::new();
    let mut correlated: Vec<Subquery> = Vec::new();
    plan.apply(|node| {
        node.apply_expressions(|e| {
            e.apply(|x| {
                if let Some(s) = subquery_of(x) {
                    if s.outer_ref_columns.is_empty() && !found.contains(s) {
                        found.push(s.clone());
                    } else if matches!(x, Expr::Exists(_)) && !correlated.contains(s) {
                        correlated.push(s.clone());
                    }
                    return Ok(TreeNodeRecursion::Jump);
                }
                Ok(TreeNodeRecursion::Continue)
            })
        })
    })?;
    let mut answers = Vec::with_capacity(found.len());
    for subquery in found {
        let out = session
            .collect_plan(subquery.subquery.as_ref().clone())
            .await?;
        let mut values = Vec::new();
        for batch in &out {
            if batch.num_columns() == 0 {
                values.extend((0..batch.num_rows()).map(|_| ScalarValue::Null));
                continue;
            }
            for row in 0..batch.num_rows() {
                values.push(ScalarValue::try_from_array(batch.column(0), row)?);
            }
        }
        answers.push(Answer { subquery, values });
    }
    let mut matched = Vec::new();
    for subquery in correlated {
        if let Some(m) = correlated_exists(session, &subquery).await? {
            matched.push((subquery, m));
        }
    }
    let answer = |s: &Subquery| answers.iter().find(|a| &a.subquery == s);
    let mut too_many = false;
    let plan = plan
        .transform_down(|node| {
            node.map_expressions(|e| {
                e.transform_down(|x| {
                    if let Expr::Exists(Exists { subquery, negated }) = &x
                        && let Some((_, m)) = matched.iter().find(|(s, _)| s == subquery)
                    {
                        let e = if *negated {
                            Expr::IsNotTrue(Box::new(m.clone()))
                        } else {
                            Expr::IsTrue(Box::new(m.clone()))
                        };
                        return Ok(Transformed::new(e, true, TreeNodeRecursion::Jump));
                    }
                    let Some(a) = subquery_of(&x).and_then(answer) else {
                        return Ok(Transformed::no(x));
                    };
                    let replaced = match x {
                        Expr::InSubquery(InSubquery { expr, negated, .. }) => {
                            let list = a.values.iter().cloned().map(lit).collect();
                            Expr::InList(InList::new(expr, list, negated))
                        }
                        Expr::Exists(Exists { negated, .. }) => lit(a.values.is_empty() == negated),
                        Expr::ScalarSubquery(s) => match a.values.as_slice() {
                            [] => {
                                let t = s.subquery.schema().field(0).data_type().clone();
                                lit(ScalarValue::try_from(&t)?)
                            }
                            [v] => lit(v.clone()),
                            _ => {
                                too_many = true;
                                Expr::ScalarSubquery(s)
                            }
                        },
                        other => other,
                    };
                    Ok(Transformed::new(replaced, true, TreeNodeRecursion::Jump))
                })
            })
        })?
        .data;
    if too_many {
        return Err(Error::coded(
            CARDINALITY_VIOLATION,
            "more than one row returned by a subquery used as an expression",
        ));
    }
    check_single_table(&plan)?;
    Ok(plan)
}

/// Whether `e` refers to the outer query.
fn has_outer(e: &Expr) -> bool {
    e.exists(|x| Ok(matches!(x, Expr::OuterReferenceColumn(..))))
        .unwrap_or(true)
}

/// The outer column `e` is.
fn outer_column(e: &Expr) -> Option<&Column> {
    match e {
        Expr::OuterReferenceColumn(_, c) => Some(c),
        _ => None,
    }
}

/// A correlated `EXISTS` whose correlation is equalities between the
/// subquery's values and the target's columns (`EXISTS (SELECT 1 FROM s
/// WHERE s.k = t.k AND s.v > 1)`, `DELETE … USING`): the subquery runs
/// once for its distinct keys, and the condition becomes "the row's key is
/// among them" (`t.k IN (…)`, or `(t.a = … AND t.b = …) OR …`); a NULL key
/// matches nothing, as in the subquery. `None` for other shapes.
async fn correlated_exists(session: &Session, sub: &Subquery) -> Result<Option<Expr>> {
    let mut node = sub.subquery.as_ref();
    let filter = loop {
        match node {
            LogicalPlan::Projection(p) => node = p.input.as_ref(),
            LogicalPlan::Limit(l) => node = l.input.as_ref(),
            LogicalPlan::Filter(f) => break f,
            _ => return Ok(None),
        }
    };
    let mut keys: Vec<(Expr, Column)> = Vec::new();
    let mut rest = Vec::new();
    for c in split_conjunction(&filter.predicate) {
        if !has_outer(c) {
            rest.push(c.clone());
            continue;
        }
        let Expr::BinaryExpr(BinaryExpr {
            left,
            op: Operator::Eq,
            right,
        }) = c
        else {
            return Ok(None);
        };
        match (outer_column(left), outer_column(right)) {
            (Some(col), None) if !has_outer(right) => keys.push((*right.clone(), col.clone())),
            (None, Some(col)) if !has_outer(left) => keys.push((*left.clone(), col.clone())),
            _ => return Ok(None),
        }
    }
    let below_is_plain = !filter
        .input
        .exists(|n| Ok(n.expressions().iter().any(has_outer)))?;
    if keys.is_empty() || !below_is_plain {
        return Ok(None);
    }
    let base = match conjunction(rest) {
        Some(p) => LogicalPlan::Filter(Filter::try_new(p, Arc::clone(&filter.input))?),
        None => filter.input.as_ref().clone(),
    };
    let projected: Vec<Expr> = keys
        .iter()
        .enumerate()
        .map(|(i, (inner, _))| inner.clone().alias(format!("__key_{i}")))
        .collect();
    let rows = LogicalPlanBuilder::from(base)
        .project(projected)?
        .distinct()?
        .build()?;
    let batches = session.collect_plan(rows).await?;
    let mut alternatives: Vec<Vec<ScalarValue>> = Vec::new();
    for batch in &batches {
        for row in 0..batch.num_rows() {
            let values = (0..keys.len())
                .map(|k| ScalarValue::try_from_array(batch.column(k), row))
                .collect::<datafusion::common::Result<Vec<_>>>()?;
            if values.iter().all(|v| !v.is_null()) {
                alternatives.push(values);
            }
        }
    }
    let columns: Vec<Expr> = keys.iter().map(|(_, c)| Expr::Column(c.clone())).collect();
    let condition = if columns.len() == 1 {
        let list = alternatives
            .into_iter()
            .map(|mut v| lit(v.remove(0)))
            .collect();
        Expr::InList(InList::new(Box::new(columns[0].clone()), list, false))
    } else {
        alternatives
            .into_iter()
            .filter_map(|values| {
                let pairs = columns
                    .iter()
                    .zip(values)
                    .map(|(c, v)| c.clone().eq(lit(v)));
                conjunction(pairs)
            })
            .reduce(|a, b| a.or(b))
            .unwrap_or(lit(false))
    };
    Ok(Some(condition))
}

/// Refuses a row change whose input is more than a filter (and, for
/// `UPDATE`, the assignments) over the target table.
fn check_single_table(plan: &LogicalPlan) -> Result<()> {
    let LogicalPlan::Dml(dml) = plan else {
        return Ok(());
    };
    let mut refused = None;
    dml.input.apply(|node| {
        let simple = matches!(
            node,
            LogicalPlan::Projection(_)
                | LogicalPlan::Filter(_)
                | LogicalPlan::TableScan(_)
                | LogicalPlan::SubqueryAlias(_)
        );
        let correlated = node.expressions().iter().any(|e| {
            e.exists(
                |x| Ok(subquery_of(x).is_some() || matches!(x, Expr::OuterReferenceColumn(..))),
            )
            .unwrap_or(true)
        });
        if !simple || correlated {
            refused = Some(if simple {
                "a correlated subquery"
            } else {
                "a join or another table"
            });
            return Ok(TreeNodeRecursion::Stop);
        }
        Ok(TreeNodeRecursion::Continue)
    })?;
    match refused {
        Some(what) => {
            let op = if dml.op == WriteOp::Delete {
                "DELETE"
            } else {
                "UPDATE"
            };
            Err(Error::unsupported(format!(
                "{op} whose condition uses {what} (these work: `WHERE id IN (SELECT …)`, `EXISTS (SELECT … WHERE s.k = t.k)`, `USING s WHERE s.k = t.k`)"
            )))
        }
        None => Ok(()),
    }
}

/// Runs `plan` if it is a `DELETE` or an `UPDATE` (typed, its subqueries
/// [`materialize`]d): the table's own `delete_from`/`update` with the
/// whole condition and the assignments. `None` for other plans.
pub(crate) async fn run(session: &Session, plan: &LogicalPlan) -> Result<Option<u64>> {
    if !is_row_change(plan) {
        return Ok(None);
    }
    let state = session.context().state();
    let Some(plan) = settle_conditions(plan.clone(), &state)? else {
        return Ok(Some(0));
    };
    let LogicalPlan::Dml(dml) = &plan else {
        return Ok(None);
    };
    let mut filters = Vec::new();
    dml.input.apply(|node| {
        if let LogicalPlan::Filter(f) = node {
            filters.extend(split_conjunction(&f.predicate).into_iter().cloned());
        }
        Ok(TreeNodeRecursion::Continue)
    })?;
    let provider = session
        .context()
        .table_provider(dml.table_name.clone())
        .await?;
    let exec = if dml.op == WriteOp::Delete {
        provider.delete_from(&state, filters).await?
    } else {
        let LogicalPlan::Projection(projection) = dml.input.as_ref() else {
            return Err(Error::unsupported("an UPDATE without its assignments"));
        };
        let mut assignments = Vec::new();
        for e in &projection.expr {
            if let Expr::Alias(a) = e {
                let identity = matches!(a.expr.as_ref(), Expr::Column(c) if c.name == a.name);
                if !identity {
                    assignments.push((a.name.clone(), a.expr.as_ref().clone()));
                }
            }
        }
        provider.update(&state, assignments, filters).await?
    };
    let batches = datafusion::physical_plan::collect(exec, state.task_ctx()).await?;
    Ok(Some(crate::session::dml_count(&batches)))
}

/// `plan` (typed) with each filter of a `DELETE` or `UPDATE` folded into
/// conjuncts that all name a column; `None` when one of them is false or
/// NULL (no row changes). See the module documentation.
fn settle_conditions(plan: LogicalPlan, state: &SessionState) -> Result<Option<LogicalPlan>> {
    if !is_row_change(&plan) {
        return Ok(Some(plan));
    }
    let mut matches_nothing = false;
    let mut refused = false;
    let plan = plan
        .transform_up(|node| {
            let LogicalPlan::Filter(filter) = node else {
                return Ok(Transformed::no(node));
            };
            let context = SimplifyContext::builder()
                .with_schema(Arc::clone(filter.input.schema()))
                .with_config_options(Arc::clone(state.config_options()))
                .with_query_execution_start_time(state.execution_props().query_execution_start_time)
                .build();
            // To a fixed point: a rewrite (`x IN (NULL)` to `x = NULL`) can
            // enable another (`x = NULL` to NULL).
            let simplifier = ExprSimplifier::new(context);
            let mut simplified = filter.predicate.clone();
            for _ in 0..8 {
                let next = simplifier.simplify(simplified.clone())?;
                if next == simplified {
                    break;
                }
                simplified = next;
            }
            let mut kept = Vec::new();
            for c in split_conjunction(&simplified) {
                if !c.column_refs().is_empty() {
                    kept.push(c.clone());
                    continue;
                }
                match c {
                    Expr::Literal(ScalarValue::Boolean(Some(true)), _) => {}
                    Expr::Literal(..) => matches_nothing = true,
                    _ => refused = true,
                }
            }
            Ok(Transformed::yes(match conjunction(kept) {
                Some(predicate) => LogicalPlan::Filter(Filter::try_new(predicate, filter.input)?),
                None => Arc::unwrap_or_clone(filter.input),
            }))
        })?
        .data;
    if refused {
        return Err(Error::unsupported(
            "a DELETE or UPDATE condition that names no column and is not constant",
        ));
    }
    if matches_nothing {
        return Ok(None);
    }
    Ok(Some(plan))
}
