//! "First row per group" as an aggregate instead of a sorted window.
//!
//! Analysts and BI tools write "the first event of each customer" as
//!
//! ```sql
//! SELECT … FROM (SELECT …, row_number() OVER (PARTITION BY contact_id
//!                                             ORDER BY occurred_at) AS rn
//!                FROM events) t
//! WHERE rn = 1
//! ```
//!
//! DataFusion plans that literally: sort every row by (partition, order),
//! number them, keep one row in a hundred. The same answer is a hash
//! aggregate that keeps, per partition key, the row that sorts first
//! ([`tessera_udfs::first_row`]): one pass, no sort, memory per group
//! instead of per row, every column from the same row when rows tie on the
//! ORDER BY. (DataFusion's `first_value(x ORDER BY …)`, one per column or
//! over a struct of them, keeps its ordering values as `ScalarValue`s and
//! was two to seven times slower than the window on the benchmark's
//! first-touch query.)
//!
//! Applies to a filter `rn = 1` / `rn <= 1` / `rn < 2` (other conjuncts are
//! kept above) over a window node whose only expression is a `row_number()`
//! with a PARTITION BY and an ORDER BY, directly or through a projection of
//! its columns — the shapes DataFusion's filter push-down leaves; the rule
//! runs after it.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::compute::SortOptions;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{Column, Result, ScalarValue};
use datafusion::functions::core::expr_fn::get_field;
use datafusion::logical_expr::expr::{AggregateFunction, WindowFunction};
use datafusion::logical_expr::utils::{conjunction, split_conjunction_owned};
use datafusion::logical_expr::{
    Aggregate, BinaryExpr, Expr, Filter, LogicalPlan, Operator, Projection, Window,
};
use datafusion::optimizer::push_down_filter::replace_cols_by_name;
use datafusion::optimizer::{ApplyOrder, OptimizerConfig, OptimizerRule};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct FirstRowPerGroup;

/// Name of the aggregate's struct column.
const FIRST: &str = "__tessera_first_row";

impl OptimizerRule for FirstRowPerGroup {
    fn name(&self) -> &str {
        "tessera_first_row_per_group"
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
        let LogicalPlan::Filter(filter) = &plan else {
            return Ok(Transformed::no(plan));
        };
        let out = match filter.input.as_ref() {
            LogicalPlan::Window(window) => first_rows(&filter.predicate, window)?,
            // DataFusion leaves a projection of the window's columns (and
            // Tessera's casts of its unsigned outputs) between the two.
            LogicalPlan::Projection(p) => match p.input.as_ref() {
                LogicalPlan::Window(window) if p.expr.iter().all(is_column_or_cast) => {
                    let map: HashMap<String, Expr> = p
                        .schema
                        .iter()
                        .zip(&p.expr)
                        .map(|((q, f), e)| {
                            (Column::new(q.cloned(), f.name()).flat_name(), unalias(e))
                        })
                        .collect();
                    let predicate = replace_cols_by_name(filter.predicate.clone(), &map)?;
                    match first_rows(&predicate, window)? {
                        Some(below) => Some(LogicalPlan::Projection(Projection::try_new(
                            p.expr.clone(),
                            Arc::new(below),
                        )?)),
                        None => None,
                    }
                }
                _ => None,
            },
            _ => None,
        };
        Ok(match out {
            Some(p) => Transformed::yes(p),
            None => Transformed::no(plan),
        })
    }
}

fn unalias(e: &Expr) -> Expr {
    match e {
        Expr::Alias(a) => unalias(&a.expr),
        e => e.clone(),
    }
}

fn is_column_or_cast(e: &Expr) -> bool {
    match e {
        Expr::Column(_) => true,
        Expr::Alias(a) => is_column_or_cast(&a.expr),
        Expr::Cast(c) => matches!(c.expr.as_ref(), Expr::Column(_)),
        _ => false,
    }
}

/// `Filter(predicate)` over `window`, as an aggregate, if it keeps the first
/// row of each partition.
fn first_rows(predicate: &Expr, window: &Window) -> Result<Option<LogicalPlan>> {
    let Some((partition_by, order_by)) = single_row_number(&window.window_expr) else {
        return Ok(None);
    };
    let schema = window.schema.clone();
    let input_len = window.input.schema().fields().len();
    let (q, rn_field) = schema.qualified_field(input_len);
    let rn = Column::new(q.cloned(), rn_field.name());
    let mut conjuncts = split_conjunction_owned(predicate.clone());
    let Some(at) = conjuncts.iter().position(|c| is_first(c, &rn)) else {
        return Ok(None);
    };
    conjuncts.remove(at);
    let one = match rn_field.data_type() {
        DataType::UInt64 => ScalarValue::UInt64(Some(1)),
        DataType::Int64 => ScalarValue::Int64(Some(1)),
        _ => return Ok(None),
    };

    // Aggregate: group by the partition keys, keep the first row's columns
    // (`tessera_udfs::first_row`, all from the same row).
    let input = Arc::clone(&window.input);
    let in_schema = input.schema().clone();
    let options = order_by
        .iter()
        .map(|s| SortOptions {
            descending: !s.asc,
            nulls_first: s.nulls_first,
        })
        .collect();
    let mut args: Vec<Expr> = order_by.into_iter().map(|s| s.expr).collect();
    args.extend(
        in_schema
            .iter()
            .map(|(qualifier, field)| Expr::Column(Column::new(qualifier.cloned(), field.name()))),
    );
    let first = Expr::AggregateFunction(AggregateFunction::new_udf(
        Arc::new(tessera_udfs::first_row::udaf(options)),
        args,
        false,
        None,
        vec![],
        None,
    ))
    .alias(FIRST);
    let aggregate = Aggregate::try_new(input, partition_by, vec![first])?;
    let aggregate = Arc::new(LogicalPlan::Aggregate(aggregate));

    // Projection: the window's schema again, rn = 1.
    let row = Expr::Column(Column::from_name(FIRST));
    let mut exprs: Vec<Expr> = in_schema
        .iter()
        .enumerate()
        .map(|(i, (qualifier, field))| {
            get_field(row.clone(), format!("c{i}"))
                .alias_qualified(qualifier.cloned(), field.name())
        })
        .collect();
    exprs.push(Expr::Literal(one, None).alias_qualified(q.cloned(), rn_field.name()));
    let projection = LogicalPlan::Projection(Projection::try_new(exprs, aggregate)?);
    Ok(Some(match conjunction(conjuncts) {
        Some(rest) => LogicalPlan::Filter(Filter::try_new(rest, Arc::new(projection))?),
        None => projection,
    }))
}

/// The PARTITION BY and ORDER BY of a window node that computes exactly one
/// `row_number()`, with both clauses present.
fn single_row_number(
    exprs: &[Expr],
) -> Option<(Vec<Expr>, Vec<datafusion::logical_expr::SortExpr>)> {
    let [e] = exprs else { return None };
    let e = match e {
        Expr::Alias(a) => a.expr.as_ref(),
        e => e,
    };
    let Expr::WindowFunction(w) = e else {
        return None;
    };
    let WindowFunction { fun, params } = w.as_ref();
    if fun.name() != "row_number"
        || params.partition_by.is_empty()
        || params.order_by.is_empty()
        || params.filter.is_some()
    {
        return None;
    }
    Some((params.partition_by.clone(), params.order_by.clone()))
}

/// `rn = 1`, `1 = rn`, `rn <= 1`, `rn < 2`, with `rn` possibly cast.
fn is_first(e: &Expr, rn: &Column) -> bool {
    let Expr::BinaryExpr(BinaryExpr { left, op, right }) = e else {
        return false;
    };
    let (op, value) = match (is_rn(left, rn), is_rn(right, rn)) {
        (true, false) => (*op, right),
        (false, true) => (op.swap().unwrap_or(*op), left),
        _ => return false,
    };
    let Some(n) = integer(value) else {
        return false;
    };
    matches!(
        (op, n),
        (Operator::Eq, 1) | (Operator::LtEq, 1) | (Operator::Lt, 2)
    )
}

fn is_rn(e: &Expr, rn: &Column) -> bool {
    match e {
        Expr::Column(c) => c == rn,
        Expr::Cast(c) => is_rn(&c.expr, rn),
        Expr::TryCast(c) => is_rn(&c.expr, rn),
        _ => false,
    }
}

fn integer(e: &Expr) -> Option<i128> {
    match e {
        Expr::Literal(v, _) => match v {
            ScalarValue::Int8(Some(n)) => Some(*n as i128),
            ScalarValue::Int16(Some(n)) => Some(*n as i128),
            ScalarValue::Int32(Some(n)) => Some(*n as i128),
            ScalarValue::Int64(Some(n)) => Some(*n as i128),
            ScalarValue::UInt8(Some(n)) => Some(*n as i128),
            ScalarValue::UInt16(Some(n)) => Some(*n as i128),
            ScalarValue::UInt32(Some(n)) => Some(*n as i128),
            ScalarValue::UInt64(Some(n)) => Some(*n as i128),
            _ => None,
        },
        Expr::Cast(c) => integer(&c.expr),
        _ => None,
    }
}
