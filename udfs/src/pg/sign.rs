//! `sign(x)` as in PostgreSQL 15: -1, 0 or 1, `numeric` (scale 0) for a
//! numeric argument and `double precision` for floats and integers
//! (PostgreSQL resolves an integer to the float8 variant: `sign(-8)` is
//! float8 -1). `sign(-0.0::float8)` is 0; NaN stays NaN.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, Decimal128Array, Float64Array};
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Float64Type};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::rounding::{integer_as_decimal, pg_type_name};

/// `sign`.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(Sign {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Sign {
    signature: Signature,
}

fn float_sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        // 0, -0 (as 0) and NaN (as itself).
        x.abs()
    }
}

impl ScalarUDFImpl for Sign {
    fn name(&self) -> &str {
        "sign"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [t @ DataType::Decimal128(..)] => Ok(vec![t.clone()]),
            [DataType::Float16 | DataType::Float32 | DataType::Float64 | DataType::Null] => {
                Ok(vec![DataType::Float64])
            }
            [t] if integer_as_decimal(t).is_some() => Ok(vec![DataType::Float64]),
            [t] => plan_err!("function sign({}) does not exist", pg_type_name(t)),
            _ => plan_err!("function sign takes one argument"),
        }
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(match arg_types[0] {
            DataType::Decimal128(..) => DataType::Decimal128(1, 0),
            _ => DataType::Float64,
        })
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let a = args.args[0].to_array(args.number_rows)?;
        let out: ArrayRef = match a.data_type() {
            DataType::Decimal128(..) => {
                let d: Decimal128Array = a.as_primitive::<Decimal128Type>().unary(i128::signum);
                Arc::new(d.with_precision_and_scale(1, 0)?)
            }
            _ => {
                let f: Float64Array = a.as_primitive::<Float64Type>().unary(float_sign);
                Arc::new(f)
            }
        };
        super::result(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_postgres_15() {
        for (x, want) in [(3.2, 1.0), (-8.0, -1.0), (0.0, 0.0), (-0.0, 0.0)] {
            let got = float_sign(x);
            assert_eq!(got, want);
            assert!(got.is_sign_positive() || want < 0.0, "sign({x}) is not -0");
        }
        assert!(float_sign(f64::NAN).is_nan());
    }
}
