//! `x::timestamp(p)`, `x::timestamptz(p)` and `x::time(p)`: the value
//! rounded to `p` fractional digits of a second, as PostgreSQL's
//! `AdjustTimestampForTypmod` does: half away from zero, counted from
//! PostgreSQL's epoch (2000-01-01), so a half second before 2000 rounds
//! towards the past. The SQL front end turns such casts into
//! `pg_time_precision(CAST(x AS timestamp), p)`; DataFusion's types carry
//! no precision.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Int64Type, Time64MicrosecondType, TimeUnit, TimestampMicrosecondType,
};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The function's name.
pub const NAME: &str = "pg_time_precision";

/// Microseconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01.
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

/// The `pg_time_precision` function.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(TimePrecision {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct TimePrecision {
    signature: Signature,
}

/// `micros` (from PostgreSQL's epoch) rounded to `precision` digits.
fn round(micros: i64, precision: u32) -> i64 {
    let scale = 10_i64.pow(6 - precision);
    let offset = scale / 2;
    if micros >= 0 {
        (micros + offset) / scale * scale
    } else {
        -((-micros + offset) / scale * scale)
    }
}

impl ScalarUDFImpl for TimePrecision {
    fn name(&self) -> &str {
        NAME
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let value = match arg_types.first() {
            Some(DataType::Timestamp(_, tz)) => {
                DataType::Timestamp(TimeUnit::Microsecond, tz.clone())
            }
            Some(DataType::Time32(_) | DataType::Time64(_)) => {
                DataType::Time64(TimeUnit::Microsecond)
            }
            Some(DataType::Null) => DataType::Timestamp(TimeUnit::Microsecond, None),
            other => return plan_err!("{NAME} takes a timestamp or time, not {other:?}"),
        };
        Ok(vec![value, DataType::Int64])
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(arg_types[0].clone())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let precision = match &args.args[1] {
            ColumnarValue::Scalar(ScalarValue::Int64(Some(p))) => *p,
            _ => return exec_err!("{NAME}: the precision must be a constant"),
        };
        let Ok(precision @ 0..=6) = u32::try_from(precision) else {
            return exec_err!("{NAME}: precision {precision} is not between 0 and 6");
        };
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let input = args.args[0].to_array(args.number_rows)?;
        let data_type = input.data_type().clone();
        let micros = cast(&input, &DataType::Int64)?;
        let micros = micros.as_primitive::<Int64Type>();
        let rounded: datafusion::arrow::array::Int64Array = match &data_type {
            DataType::Timestamp(..) => micros.unary(|v| {
                round(v.saturating_sub(PG_EPOCH_MICROS), precision).saturating_add(PG_EPOCH_MICROS)
            }),
            _ => micros.unary(|v| round(v, precision)),
        };
        let out = match &data_type {
            DataType::Timestamp(_, tz) => Arc::new(
                rounded
                    .reinterpret_cast::<TimestampMicrosecondType>()
                    .with_timezone_opt(tz.clone()),
            ) as Arc<dyn Array>,
            _ => Arc::new(rounded.reinterpret_cast::<Time64MicrosecondType>()),
        };
        super::result(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::{PG_EPOCH_MICROS, round};

    #[test]
    fn rounds_as_postgres() {
        // '2024-02-29 10:00:00.987654'::timestamp(2) is …00.99.
        assert_eq!(round(987_654, 2), 990_000);
        assert_eq!(round(500_000, 0), 1_000_000);
        // '1960-01-01 00:00:00.5'::timestamp(0) is 1960-01-01 00:00:00.
        let t = -1_262_304_000_000_000 + 500_000;
        assert_eq!(round(t, 0), -1_262_304_000_000_000);
        assert_eq!(round(123_456, 6), 123_456);
        let _ = PG_EPOCH_MICROS;
    }
}
