//! Integer functions with PostgreSQL's result types: `gcd` and `lcm` keep
//! their arguments' width (`gcd(int4, int4)` is `integer`, DataFusion's is
//! `bigint`) and fail on overflow (`gcd(-2147483648, 0)`), `factorial` is
//! `numeric` (DataFusion's `bigint` overflowed past 20!), `regexp_count`
//! is `integer`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array, PrimitiveArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{ArrowPrimitiveType, DataType, Int32Type, Int64Type};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::rounding::pg_type_name;
use crate::error::{DataErrorKind, data_error};

/// `gcd`, `lcm`, `factorial` and `regexp_count`.
pub fn functions() -> Vec<ScalarUDF> {
    vec![
        ScalarUDF::new_from_impl(Divisor {
            lcm: false,
            signature: Signature::user_defined(Volatility::Immutable),
        }),
        ScalarUDF::new_from_impl(Divisor {
            lcm: true,
            signature: Signature::user_defined(Volatility::Immutable),
        }),
        ScalarUDF::new_from_impl(Factorial {
            signature: Signature::user_defined(Volatility::Immutable),
        }),
        ScalarUDF::new_from_impl(RegexpCount {
            inner: datafusion::functions::regex::regexp_count(),
        }),
    ]
}

fn out_of_range(t: &DataType) -> datafusion::error::DataFusionError {
    let name = if t == &DataType::Int32 {
        "integer"
    } else {
        "bigint"
    };
    data_error(
        DataErrorKind::NumericValueOutOfRange,
        format!("{name} out of range"),
    )
}

/// `gcd` or (`lcm`) `lcm`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Divisor {
    lcm: bool,
    signature: Signature,
}

/// Euclid's algorithm on magnitudes; `None` when the result does not fit
/// (only `gcd(MIN, 0)` and `gcd(MIN, MIN)`).
fn gcd(a: i64, b: i64) -> u64 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn lcm(a: i64, b: i64) -> Option<u64> {
    if a == 0 || b == 0 {
        return Some(0);
    }
    (a.unsigned_abs() / gcd(a, b)).checked_mul(b.unsigned_abs())
}

fn apply<T: ArrowPrimitiveType>(
    a: &ArrayRef,
    b: &ArrayRef,
    f: impl Fn(i64, i64) -> Option<u64>,
    max: u64,
) -> Result<ArrayRef>
where
    T::Native: Into<i64> + TryFrom<u64>,
{
    let (a, b) = (a.as_primitive::<T>(), b.as_primitive::<T>());
    let mut overflow = false;
    let out: PrimitiveArray<T> = (0..a.len())
        .map(|i| {
            if a.is_null(i) || b.is_null(i) {
                return None;
            }
            let r = f(a.value(i).into(), b.value(i).into()).filter(|r| *r <= max);
            match r.and_then(|r| T::Native::try_from(r).ok()) {
                Some(v) => Some(v),
                None => {
                    overflow = true;
                    None
                }
            }
        })
        .collect();
    if overflow {
        return Err(out_of_range(&T::DATA_TYPE));
    }
    Ok(Arc::new(out))
}

impl ScalarUDFImpl for Divisor {
    fn name(&self) -> &str {
        if self.lcm { "lcm" } else { "gcd" }
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        use DataType::*;
        let t = match arg_types {
            [Int8 | Int16 | Int32 | Null, Int8 | Int16 | Int32 | Null] => Int32,
            [a, b] if a.is_integer() && b.is_integer() || a.is_null() || b.is_null() => Int64,
            [a, b] => {
                return plan_err!(
                    "function {}({}, {}) does not exist",
                    self.name(),
                    pg_type_name(a),
                    pg_type_name(b)
                );
            }
            _ => return plan_err!("function {} takes two arguments", self.name()),
        };
        Ok(vec![t.clone(), t])
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(arg_types[0].clone())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let f = |a: i64, b: i64| {
            if self.lcm { lcm(a, b) } else { Some(gcd(a, b)) }
        };
        let out = match arrays[0].data_type() {
            DataType::Int32 => apply::<Int32Type>(&arrays[0], &arrays[1], f, i32::MAX as u64)?,
            _ => apply::<Int64Type>(&arrays[0], &arrays[1], f, i64::MAX as u64)?,
        };
        super::result(out, scalar)
    }
}

/// `factorial(bigint)`, `numeric`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Factorial {
    signature: Signature,
}

/// n! while it fits a `numeric(38, 0)` (33! does, 34! does not).
fn factorial(n: i64) -> Result<i128> {
    if n < 0 {
        return Err(data_error(
            DataErrorKind::NumericValueOutOfRange,
            "factorial of a negative number is undefined",
        ));
    }
    (2..=n as i128)
        .try_fold(1i128, |acc, k| acc.checked_mul(k))
        .filter(|v| v.unsigned_abs() < 10u128.pow(38))
        .ok_or_else(|| {
            data_error(
                DataErrorKind::NumericValueOutOfRange,
                "value out of range: overflow",
            )
        })
}

impl ScalarUDFImpl for Factorial {
    fn name(&self) -> &str {
        "factorial"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [t] if t.is_integer() || t.is_null() => Ok(vec![DataType::Int64]),
            [t] => plan_err!("function factorial({}) does not exist", pg_type_name(t)),
            _ => plan_err!("function factorial takes one argument"),
        }
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Decimal128(38, 0))
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let a = args.args[0].to_array(args.number_rows)?;
        let a = a.as_primitive::<Int64Type>();
        let out: Decimal128Array = a
            .iter()
            .map(|v| v.map(factorial).transpose())
            .collect::<Result<_>>()?;
        let out = out.with_precision_and_scale(38, 0)?;
        super::result(Arc::new(out), scalar)
    }
}

/// DataFusion's `regexp_count`, answering `integer`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct RegexpCount {
    inner: Arc<ScalarUDF>,
}

impl ScalarUDFImpl for RegexpCount {
    fn name(&self) -> &str {
        "regexp_count"
    }
    fn signature(&self) -> &Signature {
        self.inner.signature()
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        self.inner.coerce_types(arg_types)
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int32)
    }
    fn invoke_with_args(&self, mut args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arg_types: Vec<DataType> = args
            .arg_fields
            .iter()
            .map(|f| f.data_type().clone())
            .collect();
        args.return_field = Arc::new(
            args.return_field
                .as_ref()
                .clone()
                .with_data_type(self.inner.return_type(&arg_types)?),
        );
        match self.inner.invoke_with_args(args)? {
            ColumnarValue::Array(a) => Ok(ColumnarValue::Array(cast(&a, &DataType::Int32)?)),
            ColumnarValue::Scalar(s) => Ok(ColumnarValue::Scalar(s.cast_to(&DataType::Int32)?)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divisors_and_factorials() {
        assert_eq!(gcd(12, -18), 6);
        assert_eq!(gcd(0, 0), 0);
        assert_eq!(gcd(i64::MIN, 0), 1u64 << 63);
        assert_eq!(lcm(4, 6), Some(12));
        assert_eq!(lcm(0, 6), Some(0));
        assert_eq!(lcm(i64::MAX, i64::MAX - 1), None);
        assert_eq!(factorial(0).unwrap(), 1);
        assert_eq!(factorial(25).unwrap(), 15_511_210_043_330_985_984_000_000);
        assert!(factorial(34).is_err());
        assert!(factorial(-1).is_err());
    }
}
