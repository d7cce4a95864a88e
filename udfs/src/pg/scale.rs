//! `scale(numeric)`: the number of digits after the decimal point, as
//! `integer`, as in PostgreSQL 15.
//!
//! PostgreSQL keeps a display scale per value, Arrow one per column: the
//! answer is the column's scale (`scale(12.50)` is 2), except for a
//! quotient or statistic column ([`super::numeric::Display`]), where it is the
//! scale PostgreSQL shows each value with (`scale(1.0 / 3)` is 20).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int32Array};
use datafusion::arrow::datatypes::{DataType, Decimal128Type};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::numeric::Display;
use super::rounding::{integer_as_decimal, pg_type_name};

/// `scale`.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(Scale {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Scale {
    signature: Signature,
}

impl ScalarUDFImpl for Scale {
    fn name(&self) -> &str {
        "scale"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [t @ DataType::Decimal128(..)] => Ok(vec![t.clone()]),
            [DataType::Null] => Ok(vec![DataType::Decimal128(38, 0)]),
            [t] => match integer_as_decimal(t) {
                Some(d) => Ok(vec![d]),
                None => plan_err!("function scale({}) does not exist", pg_type_name(t)),
            },
            _ => plan_err!("function scale takes one argument"),
        }
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int32)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let a = args.args[0].to_array(args.number_rows)?;
        let display = Display::of(&args.arg_fields[0]);
        let DataType::Decimal128(_, s) = a.data_type() else {
            return plan_err!("scale takes numeric");
        };
        let s = i32::from(*s).max(0);
        let d = a.as_primitive::<Decimal128Type>();
        let out: Int32Array = if let Some(display) = display {
            d.unary(|v| i32::from(display.scale(v)))
        } else {
            (0..d.len()).map(|i| d.is_valid(i).then_some(s)).collect()
        };
        super::result(Arc::new(out) as ArrayRef, scalar)
    }
}
