//! `clock_timestamp()`: the time of each call (volatile), where `now()` is
//! the time the statement started. (`statement_timestamp()` and
//! `transaction_timestamp()` are `now()`: the engine renames them, a
//! statement being its own transaction in Tessera.)

use std::sync::Arc;

use datafusion::arrow::array::TimestampMicrosecondArray;
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// `clock_timestamp`.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(ClockTimestamp {
        signature: Signature::nullary(Volatility::Volatile),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct ClockTimestamp {
    signature: Signature,
}

fn micros_now() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

impl ScalarUDFImpl for ClockTimestamp {
    fn name(&self) -> &str {
        "clock_timestamp"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Timestamp(
            TimeUnit::Microsecond,
            Some("UTC".into()),
        ))
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        if args.number_rows <= 1 {
            return Ok(ColumnarValue::Scalar(ScalarValue::TimestampMicrosecond(
                Some(micros_now()),
                Some("UTC".into()),
            )));
        }
        let values: TimestampMicrosecondArray =
            (0..args.number_rows).map(|_| Some(micros_now())).collect();
        Ok(ColumnarValue::Array(Arc::new(values.with_timezone("UTC"))))
    }
}
