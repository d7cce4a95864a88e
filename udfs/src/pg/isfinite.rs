//! `isfinite(date | timestamp | timestamptz | interval)`: PostgreSQL's test
//! for `infinity`. A date or a timestamp is infinite when it is one of the
//! extreme values `'infinity'` and `'-infinity'` are read as
//! ([`super::datetime_in::DATE_INFINITY`], …, microsecond timestamps);
//! intervals have no infinities (PostgreSQL 15 neither).

use std::sync::Arc;

use datafusion::arrow::array::BooleanArray;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// `isfinite`.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(IsFinite {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct IsFinite {
    signature: Signature,
}

impl ScalarUDFImpl for IsFinite {
    fn name(&self) -> &str {
        "isfinite"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [
                t @ (DataType::Date32
                | DataType::Date64
                | DataType::Timestamp(..)
                | DataType::Interval(_)
                | DataType::Duration(_)
                | DataType::Null),
            ] => Ok(vec![t.clone()]),
            [other] => plan_err!(
                "function isfinite({}) does not exist",
                super::rounding::pg_type_name(other)
            ),
            _ => plan_err!("function isfinite takes one argument"),
        }
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        use super::datetime_in::{
            DATE_INFINITY, DATE_NEG_INFINITY, TIMESTAMP_INFINITY, TIMESTAMP_NEG_INFINITY,
        };
        use datafusion::arrow::array::{Array, AsArray};
        use datafusion::arrow::datatypes::{Date32Type, TimeUnit, TimestampMicrosecondType};
        let values = args.args[0].to_array(args.number_rows)?;
        let finite: BooleanArray = match values.data_type() {
            DataType::Date32 => (values.as_primitive::<Date32Type>().iter())
                .map(|v| v.map(|d| d != DATE_INFINITY && d != DATE_NEG_INFINITY))
                .collect(),
            DataType::Timestamp(TimeUnit::Microsecond, _) => {
                (values.as_primitive::<TimestampMicrosecondType>().iter())
                    .map(|v| v.map(|t| t != TIMESTAMP_INFINITY && t != TIMESTAMP_NEG_INFINITY))
                    .collect()
            }
            _ => (0..values.len())
                .map(|i| (!values.is_null(i)).then_some(true))
                .collect(),
        };
        super::result(Arc::new(finite), scalar)
    }
}
