//! `generate_series` in FROM as PostgreSQL 15 has it, over DataFusion's
//! table function:
//!
//! - the column is named `generate_series` (DataFusion: `value`), so
//!   `SELECT * FROM generate_series(1, 3)` and `s.generate_series` read as
//!   in PostgreSQL;
//! - integer arguments that all fit `integer` give an `integer` column, as
//!   PostgreSQL's `generate_series(int4, int4)` does (DataFusion: `bigint`
//!   always). The planner has folded the arguments to literals by then, so
//!   `generate_series(1::bigint, 3)` is `integer` too;
//! - untyped string arguments next to a timestamp or date take its type
//!   (`generate_series(date '2024-01-01', '2024-03-01', interval '1
//!   month')`), and a string step is read as an interval, as PostgreSQL
//!   reads unknown literals;
//! - dates with an interval step are `timestamptz`, PostgreSQL's only
//!   series of them: each date is its local midnight in the session's
//!   `TimeZone`, and the steps fall on the session's wall clock (a day
//!   after 2024-03-09 in New York is 00:00-04, not 01:00-04).
//!
//! The series itself is DataFusion's (lazy batches, no materialisation).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::catalog::{Session, TableFunctionArgs, TableFunctionImpl, TableProvider};
use datafusion::common::{Result, ScalarValue};
use datafusion::datasource::TableType;
use datafusion::functions_table::generate_series::GenerateSeriesFunc;
use datafusion::logical_expr::Expr;
use datafusion::physical_expr::expressions::{CastExpr, Column};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::projection::ProjectionExec;

/// PostgreSQL's name of the function and of its output column.
pub const NAME: &str = "generate_series";

/// The `generate_series` table function.
#[derive(Debug, Default)]
pub struct GenerateSeries;

impl TableFunctionImpl for GenerateSeries {
    fn call_with_args(&self, args: TableFunctionArgs) -> Result<Arc<dyn TableProvider>> {
        let zone = args.session().config_options().execution.time_zone.clone();
        let exprs = coerce(args.exprs(), zone.as_deref().unwrap_or("UTC"));
        let inner =
            GenerateSeriesFunc {}.call_with_args(TableFunctionArgs::new(&exprs, args.session()))?;
        let fits_int4 = !exprs.is_empty()
            && exprs.iter().all(|e| match e {
                Expr::Literal(ScalarValue::Int64(Some(v)), _) => i32::try_from(*v).is_ok(),
                _ => false,
            });
        let inner_field = inner.schema().field(0).clone();
        let data_type = if fits_int4 {
            DataType::Int32
        } else {
            inner_field.data_type().clone()
        };
        let schema = Arc::new(Schema::new(vec![Field::new(
            NAME,
            data_type,
            inner_field.is_nullable(),
        )]));
        Ok(Arc::new(Series { inner, schema }))
    }
}

/// PostgreSQL reads an untyped literal as the type its position needs;
/// dates stepped by an interval are instants in `zone`.
fn coerce(exprs: &[Expr], zone: &str) -> Vec<Expr> {
    let exprs = nanosecond_timestamps(exprs);
    dates_as_instants(typed_strings(&exprs), zone)
}

/// `generate_series(date, date, interval)`: the dates' local midnights in
/// `zone`, tagged with it (DataFusion's series steps in the tag's zone).
fn dates_as_instants(exprs: Vec<Expr>, zone: &str) -> Vec<Expr> {
    let is =
        |e: &Expr, f: fn(&DataType) -> bool| matches!(e, Expr::Literal(v, _) if f(&v.data_type()));
    let dated = exprs.len() == 3
        && exprs[..2]
            .iter()
            .all(|e| is(e, |t| matches!(t, DataType::Date32)))
        && is(&exprs[2], |t| matches!(t, DataType::Interval(_)));
    let Ok(tz) = super::timezone::zone(zone) else {
        return exprs;
    };
    if !dated {
        return exprs;
    }
    exprs
        .into_iter()
        .map(|e| match e {
            Expr::Literal(ScalarValue::Date32(d), m) => {
                let days = datafusion::arrow::array::Date32Array::from(vec![d]);
                let micros = super::timezone::local_midnights(&days, &tz);
                // Infinite dates have no nanosecond instant: left as dates.
                match d.map(|_| micros.value(0).checked_mul(1000)) {
                    Some(None) => Expr::Literal(ScalarValue::Date32(d), m),
                    v => Expr::Literal(
                        ScalarValue::TimestampNanosecond(v.flatten(), Some(zone.into())),
                        m,
                    ),
                }
            }
            e => e,
        })
        .collect()
}

fn typed_strings(exprs: &[Expr]) -> Vec<Expr> {
    let first = match exprs.first() {
        Some(Expr::Literal(s, _)) => s.data_type(),
        _ => return exprs.to_vec(),
    };
    let temporal = matches!(first, DataType::Timestamp(..) | DataType::Date32);
    exprs
        .iter()
        .enumerate()
        .map(|(i, e)| match e {
            Expr::Literal(ScalarValue::Utf8(Some(s)), m) if temporal => {
                let target = if i == 2 {
                    DataType::Interval(datafusion::arrow::datatypes::IntervalUnit::MonthDayNano)
                } else {
                    first.clone()
                };
                let parsed = if i == 2 {
                    super::interval::parse(s, None).and_then(|v| {
                        Some(ScalarValue::IntervalMonthDayNano(Some(
                            datafusion::arrow::datatypes::IntervalMonthDayNano::new(
                                i32::try_from(v.months).ok()?,
                                i32::try_from(v.days).ok()?,
                                v.micros.checked_mul(1000)?,
                            ),
                        )))
                    })
                } else {
                    ScalarValue::Utf8(Some(s.clone())).cast_to(&target).ok()
                };
                match parsed {
                    Some(v) => Expr::Literal(v, m.clone()),
                    None => e.clone(),
                }
            }
            _ => e.clone(),
        })
        .collect()
}

/// Timestamp literals in nanoseconds, the only unit DataFusion's series
/// takes: Tessera's own functions (`date_trunc('week', …)`, `AT TIME ZONE`)
/// give microseconds, as PostgreSQL's timestamps have.
fn nanosecond_timestamps(exprs: &[Expr]) -> Vec<Expr> {
    use datafusion::arrow::datatypes::TimeUnit;
    exprs
        .iter()
        .map(|e| match e {
            Expr::Literal(v, m) => match v.data_type() {
                DataType::Timestamp(unit, zone) if unit != TimeUnit::Nanosecond => v
                    .cast_to(&DataType::Timestamp(TimeUnit::Nanosecond, zone))
                    .map(|v| Expr::Literal(v, m.clone()))
                    .unwrap_or_else(|_| e.clone()),
                _ => e.clone(),
            },
            _ => e.clone(),
        })
        .collect()
}

/// DataFusion's series under PostgreSQL's column name and type.
#[derive(Debug)]
struct Series {
    inner: Arc<dyn TableProvider>,
    schema: SchemaRef,
}

#[async_trait::async_trait]
impl TableProvider for Series {
    fn schema(&self) -> SchemaRef {
        Arc::clone(&self.schema)
    }

    fn table_type(&self) -> TableType {
        TableType::Temporary
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let exec = self.inner.scan(state, projection, filters, limit).await?;
        if exec.schema().fields().is_empty() {
            return Ok(exec);
        }
        let column = Arc::new(Column::new(exec.schema().field(0).name(), 0));
        let target = self.schema.field(0).data_type().clone();
        let value: Arc<dyn datafusion::physical_expr::PhysicalExpr> =
            if exec.schema().field(0).data_type() == &target {
                column
            } else {
                Arc::new(CastExpr::new(column, target, None))
            };
        Ok(Arc::new(ProjectionExec::try_new(
            vec![(value, NAME.to_string())],
            exec,
        )?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::AsArray;
    use datafusion::prelude::SessionContext;

    async fn run(sql: &str) -> (DataType, String, Vec<String>) {
        let ctx = SessionContext::new();
        ctx.register_udtf(NAME, Arc::new(GenerateSeries));
        let batches = ctx.sql(sql).await.unwrap().collect().await.unwrap();
        let schema = batches[0].schema();
        let field = schema.field(0);
        let mut values = Vec::new();
        for b in &batches {
            let text = datafusion::arrow::compute::cast(b.column(0), &DataType::Utf8).unwrap();
            values.extend(
                text.as_string::<i32>()
                    .iter()
                    .map(|v| v.unwrap_or("NULL").to_string()),
            );
        }
        (field.data_type().clone(), field.name().clone(), values)
    }

    #[tokio::test]
    async fn integers_are_int4_named_generate_series() {
        let (t, name, v) = run("SELECT * FROM generate_series(10, 1, -3)").await;
        assert_eq!((t, name.as_str()), (DataType::Int32, NAME));
        assert_eq!(v, ["10", "7", "4", "1"]);
        let (t, _, v) = run("SELECT * FROM generate_series(1, 3000000000, 1500000000)").await;
        assert_eq!(t, DataType::Int64);
        assert_eq!(v, ["1", "1500000001"]);
    }

    #[tokio::test]
    async fn untyped_strings_follow_the_start() {
        let (t, _, v) =
            run("SELECT * FROM generate_series(DATE '2024-01-31', '2024-03-31', '1 month')").await;
        assert!(
            matches!(t, DataType::Date32 | DataType::Timestamp(..)),
            "{t}"
        );
        assert_eq!(v.len(), 3);
    }
}
