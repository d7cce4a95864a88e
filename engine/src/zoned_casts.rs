//! Implicit casts to `timestamptz` read wall-clock values in the session's
//! `TimeZone`, as PostgreSQL's `date2timestamptz`/`timestamp2timestamptz`
//! do.
//!
//! PostgreSQL resolves a `date` or a `timestamp` beside a `timestamptz`
//! (`paid_at >= date '2024-03-01'`, `BETWEEN`, `IN`, `greatest`,
//! `COALESCE`, `CASE`, `timestamptz - date`, `age(timestamptz, date)`,
//! `date AT TIME ZONE z`) to `timestamptz`, reading it in the session's
//! zone. DataFusion's type coercion inserts Arrow casts instead, which read
//! wall-clock values as UTC, and it compares a `timestamptz` with a `date`
//! as two UTC wall-clock `timestamp`s: west of Greenwich an order paid at
//! 21:00 on February 29th, New York time, counted as paid on March 1st.
//! Explicit casts are already PostgreSQL's (`crate::pg_plan` rewrites them
//! before the analyzer). Two analyzer rules give implicit ones the same
//! meaning, `pg_zoned_timestamp(x)` (the session's local midnight or
//! wall-clock time, PostgreSQL's rules in DST gaps and overlaps):
//! [`DatesBesideInstants`] before type coercion makes each `date` or
//! `timestamp` unified with a `timestamptz` an instant, and [`ZonedCasts`]
//! after it rewrites the casts of wall-clock values to instants that
//! coercion inserted, and reads text cast to dates and timestamps by
//! PostgreSQL's input rules (`paid_at >= '2024-03-01'`: midnight in the
//! session's zone, not UTC; `DateStyle` field orders).
//!
//! `timestamptz ± interval` adds months and days on the session's wall
//! clock (`tessera_udfs::pg::zoned_interval`): Arrow's kernel does it in
//! the zone the values are tagged with, UTC for stored columns, so
//! `paid_at - interval '1 day'` across a DST change was an hour off.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result};
use datafusion::logical_expr::{Cast, Expr, ExprSchemable, LogicalPlan};
use datafusion::optimizer::AnalyzerRule;

/// See the module documentation.
#[derive(Debug, Default)]
pub struct ZonedCasts;

/// See the module documentation.
#[derive(Debug, Default)]
pub struct DatesBesideInstants;

/// `e` with a cast of a wall-clock value to an instant made zoned.
fn zoned(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    let Expr::Cast(c) = e else {
        return Ok(Transformed::no(e));
    };
    // Untyped text beside a date or timestamp (`paid_at >= '2024-03-01'`)
    // is read by PostgreSQL's input rules, a `timestamptz` in the
    // session's zone (Arrow's cast reads it as UTC).
    if crate::pg_plan::datetimes::is_text_to_datetime(&c, schema) {
        return Ok(Transformed::yes(
            crate::pg_plan::datetimes::text_to_datetime(c, schema)?,
        ));
    }
    let Cast { expr, field } = c;
    let wall_clock = matches!(
        expr.get_type(schema),
        Ok(DataType::Date32 | DataType::Timestamp(_, None))
    );
    if !(wall_clock && matches!(field.data_type(), DataType::Timestamp(_, Some(_)))) {
        return Ok(Transformed::no(Expr::Cast(Cast { expr, field })));
    }
    let instant = tessera_udfs::pg::timezone::zoned_timestamp().call(vec![*expr]);
    Ok(Transformed::yes(
        instant.cast_to(field.data_type(), schema)?,
    ))
}

/// `exprs`, each `date` or `timestamp` among them an instant when one of
/// them is a `timestamptz` (whether any changed).
fn unify(exprs: Vec<Expr>, schema: &DFSchema) -> (Vec<Expr>, bool) {
    use datafusion::arrow::datatypes::TimeUnit;
    let types: Vec<Option<DataType>> = exprs.iter().map(|e| e.get_type(schema).ok()).collect();
    let instants: Vec<&DataType> = types
        .iter()
        .flatten()
        .filter(|t| matches!(t, DataType::Timestamp(_, Some(_))))
        .collect();
    let wall_clock =
        |t: &Option<DataType>| matches!(t, Some(DataType::Date32 | DataType::Timestamp(_, None)));
    // Instants tagged with different zones or units (a stored column's
    // UTC, a literal's session zone, `now()`'s nanoseconds) are the same
    // type in PostgreSQL; DataFusion's arithmetic refuses to mix them.
    let mixed = instants.windows(2).any(|w| w[0] != w[1]);
    if instants.is_empty() || !(mixed || types.iter().any(wall_clock)) {
        return (exprs, false);
    }
    let utc = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
    let exprs = exprs
        .into_iter()
        .zip(types)
        .map(|(e, t)| match t {
            t if wall_clock(&t) => tessera_udfs::pg::timezone::zoned_timestamp().call(vec![e]),
            Some(DataType::Timestamp(_, Some(_))) if mixed => {
                Expr::Cast(Cast::new(Box::new(e), utc.clone()))
            }
            _ => e,
        })
        .collect();
    (exprs, true)
}

/// `e` with the dates among the operands it unifies made instants when
/// another operand is an instant.
pub(crate) fn dates_beside_instants(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    use datafusion::logical_expr::expr::{Between, InList, ScalarFunction};
    use datafusion::logical_expr::{BinaryExpr, Operator};
    let instant = |e: &Expr| matches!(e.get_type(schema), Ok(DataType::Timestamp(_, Some(_))));
    let interval = |e: &Expr| matches!(e.get_type(schema), Ok(DataType::Interval(_)));
    Ok(match e {
        // `timestamptz ± interval` on the session's wall clock.
        Expr::BinaryExpr(BinaryExpr { left, op, right })
            if matches!(op, Operator::Plus | Operator::Minus)
                && ((instant(&left) && interval(&right))
                    || (op == Operator::Plus && interval(&left) && instant(&right))) =>
        {
            use tessera_udfs::pg::zoned_interval::{minus_udf, plus_udf};
            let (ts, iv) = if instant(&left) {
                (*left, *right)
            } else {
                (*right, *left)
            };
            let f = if op == Operator::Plus {
                plus_udf()
            } else {
                minus_udf()
            };
            Transformed::yes(f.call(vec![ts, iv]))
        }
        Expr::BinaryExpr(BinaryExpr { left, op, right })
            if crate::pg_plan::comparison(op) || op == Operator::Minus =>
        {
            let (mut v, changed) = unify(vec![*left, *right], schema);
            let right = Box::new(v.pop().expect("two"));
            let left = Box::new(v.pop().expect("two"));
            Transformed::new_transformed(Expr::BinaryExpr(BinaryExpr { left, op, right }), changed)
        }
        Expr::Between(Between {
            expr,
            negated,
            low,
            high,
        }) => {
            let (mut v, changed) = unify(vec![*expr, *low, *high], schema);
            let high = Box::new(v.pop().expect("three"));
            let low = Box::new(v.pop().expect("three"));
            let expr = Box::new(v.pop().expect("three"));
            Transformed::new_transformed(
                Expr::Between(Between {
                    expr,
                    negated,
                    low,
                    high,
                }),
                changed,
            )
        }
        Expr::InList(InList {
            expr,
            list,
            negated,
        }) => {
            let mut all = vec![*expr];
            all.extend(list);
            let (mut v, changed) = unify(all, schema);
            let list = v.split_off(1);
            let expr = Box::new(v.pop().expect("one"));
            Transformed::new_transformed(
                Expr::InList(InList {
                    expr,
                    list,
                    negated,
                }),
                changed,
            )
        }
        Expr::ScalarFunction(ScalarFunction { func, args })
            if matches!(func.name(), "coalesce" | "greatest" | "least" | "nullif") =>
        {
            let (args, changed) = unify(args, schema);
            Transformed::new_transformed(
                Expr::ScalarFunction(ScalarFunction { func, args }),
                changed,
            )
        }
        Expr::Case(mut case) => {
            let mut results: Vec<Expr> = case
                .when_then_expr
                .iter()
                .map(|(_, t)| *t.clone())
                .collect();
            if let Some(e) = case.else_expr.take() {
                results.push(*e);
            }
            let had_else = results.len() > case.when_then_expr.len();
            let (mut results, changed) = unify(results, schema);
            if had_else {
                case.else_expr = results.pop().map(Box::new);
            }
            for ((_, then), r) in case.when_then_expr.iter_mut().zip(results) {
                **then = r;
            }
            Transformed::new_transformed(Expr::Case(case), changed)
        }
        e => Transformed::no(e),
    })
}

impl AnalyzerRule for DatesBesideInstants {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        crate::coercion::rewrite_plan(plan, dates_beside_instants, true)
    }

    fn name(&self) -> &str {
        "tessera_dates_beside_instants"
    }
}

impl AnalyzerRule for ZonedCasts {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        crate::coercion::rewrite_plan(plan, zoned, false)
    }

    fn name(&self) -> &str {
        "tessera_zoned_casts"
    }
}
