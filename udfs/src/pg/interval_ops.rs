//! Interval arithmetic and comparison as PostgreSQL 15 does it, where
//! DataFusion has none or other semantics (the engine's type rules plan
//! the operators onto these functions):
//!
//! - `interval * number`, `number * interval`, `interval / number`
//!   (`interval_mul`, `interval_div`): PostgreSQL's `interval_mul` /
//!   `interval_div`, which carry fractional months into days (30 days a
//!   month) and fractional days into time, rounding to microseconds:
//!   `interval '1 mon' * 0.5` is `15 days`, `interval '1 day' / 3` is
//!   `08:00:00`. Superset's `timestamp 'epoch' + ts * interval '1 second'`
//!   needs it. DataFusion rejects both operators.
//! - comparisons (`interval_cmp_key`): PostgreSQL compares intervals as
//!   spans, a month being 30 days and a day 24 hours (`interval_cmp_value`),
//!   so `interval '1 day' = interval '24 hours'`; DataFusion compares the
//!   months, days and nanoseconds fields apart. The key is that span in
//!   nanoseconds, as `numeric(38,0)`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, Decimal128Builder, IntervalMonthDayNanoBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, IntervalMonthDayNano, IntervalUnit};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

const INTERVAL: DataType = DataType::Interval(IntervalUnit::MonthDayNano);
const DAYS_PER_MONTH: f64 = 30.0;
const SECS_PER_DAY: f64 = 86_400.0;
const NANOS_PER_DAY: i128 = 86_400_000_000_000;

/// `interval_mul(interval, float8)`: `interval * number`.
pub fn interval_mul() -> ScalarUDF {
    ScalarUDF::new_from_impl(Scale::new("interval_mul", false))
}

/// `interval_div(interval, float8)`: `interval / number`.
pub fn interval_div() -> ScalarUDF {
    ScalarUDF::new_from_impl(Scale::new("interval_div", true))
}

/// `interval_cmp_key(interval)`: the span PostgreSQL compares intervals by.
pub fn interval_cmp_key() -> ScalarUDF {
    ScalarUDF::new_from_impl(CmpKey {
        signature: Signature::exact(vec![INTERVAL], Volatility::Immutable),
    })
}

/// `TSROUND`: rounds seconds (or days) to microseconds.
fn ts_round(x: f64) -> f64 {
    (x * 1e6).round_ties_even() / 1e6
}

/// PostgreSQL's `interval_mul` (or `interval_div` when `divide`), on
/// months, days and microseconds.
pub(super) fn scale(
    months: i32,
    days: i32,
    micros: i64,
    factor: f64,
    divide: bool,
) -> Option<(i32, i32, i64)> {
    let apply = |x: f64| if divide { x / factor } else { x * factor };
    let m = apply(f64::from(months));
    let d = apply(f64::from(days));
    if !m.is_finite()
        || !d.is_finite()
        || m.abs() > f64::from(i32::MAX)
        || d.abs() > f64::from(i32::MAX)
    {
        return None;
    }
    let (rm, mut rd) = (m.trunc() as i32, d.trunc() as i32);
    let month_remainder_days = ts_round((m - f64::from(rm)) * DAYS_PER_MONTH);
    let mut sec_remainder = ts_round(
        (d - f64::from(rd) + month_remainder_days - month_remainder_days.trunc()) * SECS_PER_DAY,
    );
    if sec_remainder.abs() >= SECS_PER_DAY {
        let whole = (sec_remainder / SECS_PER_DAY).trunc();
        rd = rd.checked_add(whole as i32)?;
        sec_remainder -= whole * SECS_PER_DAY;
    }
    rd = rd.checked_add(month_remainder_days.trunc() as i32)?;
    let time = (apply(micros as f64) + sec_remainder * 1e6).round_ties_even();
    if !time.is_finite() || time.abs() >= 9.2e18 {
        return None;
    }
    Some((rm, rd, time as i64))
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Scale {
    name: &'static str,
    divide: bool,
    signature: Signature,
}

impl Scale {
    fn new(name: &'static str, divide: bool) -> Self {
        Self {
            name,
            divide,
            signature: Signature::exact(vec![INTERVAL, DataType::Float64], Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for Scale {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(INTERVAL)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let spans =
            arrays[0].as_primitive::<datafusion::arrow::datatypes::IntervalMonthDayNanoType>();
        let factors = arrays[1].as_primitive::<datafusion::arrow::datatypes::Float64Type>();
        let mut out = IntervalMonthDayNanoBuilder::with_capacity(spans.len());
        for i in 0..spans.len() {
            if spans.is_null(i) || factors.is_null(i) {
                out.append_null();
                continue;
            }
            let (s, f) = (spans.value(i), factors.value(i));
            if self.divide && f == 0.0 {
                return Err(crate::error::data_error(
                    crate::error::DataErrorKind::DivisionByZero,
                    "division by zero",
                ));
            }
            match scale(s.months, s.days, s.nanoseconds / 1000, f, self.divide) {
                Some((m, d, us)) => out.append_value(IntervalMonthDayNano::new(m, d, us * 1000)),
                None => return exec_err!("interval out of range"),
            }
        }
        super::result(Arc::new(out.finish()) as Arc<dyn Array>, scalar)
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct CmpKey {
    signature: Signature,
}

impl ScalarUDFImpl for CmpKey {
    fn name(&self) -> &str {
        "interval_cmp_key"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Decimal128(38, 0))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let spans = args.args[0].to_array(1)?;
        let spans = cast(&spans, &INTERVAL)?;
        let spans = spans.as_primitive::<datafusion::arrow::datatypes::IntervalMonthDayNanoType>();
        let mut out = Decimal128Builder::with_capacity(spans.len());
        for v in spans.iter() {
            out.append_option(v.map(|s| {
                (i128::from(s.months) * 30 + i128::from(s.days)) * NANOS_PER_DAY
                    + i128::from(s.nanoseconds)
            }));
        }
        let keys = out.finish().with_precision_and_scale(38, 0)?;
        super::result(Arc::new(keys) as Arc<dyn Array>, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::scale;

    #[test]
    fn carries_fractions_down_as_postgres() {
        // PostgreSQL 15: interval '1 mon' * 0.5 = '15 days',
        // interval '1 day' * 1.5 = '1 day 12:00:00', 3 * interval '1
        // second' = '00:00:03', interval '1 day' / 3 = '08:00:00'.
        assert_eq!(scale(1, 0, 0, 0.5, false), Some((0, 15, 0)));
        assert_eq!(scale(0, 1, 0, 1.5, false), Some((0, 1, 43_200_000_000)));
        assert_eq!(scale(0, 0, 1_000_000, 3.0, false), Some((0, 0, 3_000_000)));
        assert_eq!(scale(0, 1, 0, 3.0, true), Some((0, 0, 28_800_000_000)));
        assert_eq!(
            scale(0, 0, 1_000_000, 1_704_067_200.0, false),
            Some((0, 0, 1_704_067_200_000_000))
        );
    }
}

/// Plans `interval * number`, `number * interval` and `interval / number`
/// onto [`interval_mul`] / [`interval_div`] while the SQL is planned
/// (DataFusion rejects these operators before any later rewrite could run).
#[derive(Debug)]
pub struct IntervalPlanner;

impl datafusion::logical_expr::planner::ExprPlanner for IntervalPlanner {
    fn plan_binary_op(
        &self,
        expr: datafusion::logical_expr::planner::RawBinaryExpr,
        schema: &datafusion::common::DFSchema,
    ) -> Result<
        datafusion::logical_expr::planner::PlannerResult<
            datafusion::logical_expr::planner::RawBinaryExpr,
        >,
    > {
        use datafusion::logical_expr::ExprSchemable;
        use datafusion::logical_expr::planner::PlannerResult;
        use datafusion::logical_expr::sqlparser::ast::BinaryOperator;
        let (Ok(lt), Ok(rt)) = (expr.left.get_type(schema), expr.right.get_type(schema)) else {
            return Ok(PlannerResult::Original(expr));
        };
        let interval = |t: &DataType| matches!(t, DataType::Interval(_));
        let float8 = |e: datafusion::logical_expr::Expr| e.cast_to(&DataType::Float64, schema);
        let planned = match expr.op {
            BinaryOperator::Multiply if interval(&lt) && rt.is_numeric() => {
                interval_mul().call(vec![expr.left, float8(expr.right)?])
            }
            BinaryOperator::Multiply if lt.is_numeric() && interval(&rt) => {
                interval_mul().call(vec![expr.right, float8(expr.left)?])
            }
            BinaryOperator::Divide if interval(&lt) && rt.is_numeric() => {
                interval_div().call(vec![expr.left, float8(expr.right)?])
            }
            _ => return Ok(PlannerResult::Original(expr)),
        };
        Ok(PlannerResult::Planned(planned))
    }
}
