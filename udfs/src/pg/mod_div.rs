//! `mod(a, b)` and `div(a, b)` as in PostgreSQL 15.
//!
//! - `mod` of integers has their common type (`mod(17, 5)` is `integer`
//!   2, `mod(-17, 5)` is -2: the sign of the dividend, as C's `%`); of
//!   numerics it is `numeric` at the larger scale (`mod(17.5, 5)` is `2.5`,
//!   `mod(-17.5, 5)` is `-2.5`).
//! - `div` is `numeric` only (integers are read as numerics): the quotient
//!   truncated toward zero, scale 0 (`div(-17.5, 5)` is `-3`).
//! - A zero divisor is the error `division by zero`. There is no float
//!   variant (PostgreSQL has none either).

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Decimal128Array, Int16Array, Int32Array, Int64Array,
};
use datafusion::arrow::datatypes::{
    DataType, Decimal128Type, Int16Type, Int32Type, Int64Type, i256,
};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::rounding::{integer_as_decimal, pg_type_name};

/// `mod`.
pub fn modulo() -> ScalarUDF {
    ScalarUDF::new_from_impl(ModDiv {
        div: false,
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

/// `div`.
pub fn div() -> ScalarUDF {
    ScalarUDF::new_from_impl(ModDiv {
        div: true,
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct ModDiv {
    div: bool,
    signature: Signature,
}

fn integer_rank(t: &DataType) -> Option<u8> {
    match t {
        DataType::Int8 | DataType::Int16 | DataType::UInt8 => Some(1),
        DataType::Int32 | DataType::UInt16 => Some(2),
        DataType::Int64 | DataType::UInt32 => Some(3),
        _ => None,
    }
}

/// `(a, b)` of numerics at scales `sa`, `sb`: `a mod b` at scale
/// `max(sa, sb)`, or `trunc(a / b)` at scale 0.
fn numeric(a: i128, sa: i8, b: i128, sb: i8, div: bool) -> Result<i128> {
    let s = sa.max(sb);
    let ten = i256::from_i128(10);
    let align =
        |v: i128, from: i8| i256::from_i128(v).checked_mul(ten.checked_pow((s - from) as u32)?);
    let (Some(a), Some(b)) = (align(a, sa), align(b, sb)) else {
        return exec_err!("numeric field overflow");
    };
    if b == i256::ZERO {
        return Err(crate::error::data_error(
            crate::error::DataErrorKind::DivisionByZero,
            "division by zero",
        ));
    }
    let r = if div { a / b } else { a % b };
    match r.to_i128().filter(|x| x.unsigned_abs() < 10u128.pow(38)) {
        Some(r) => Ok(r),
        None => exec_err!("numeric field overflow"),
    }
}

impl ScalarUDFImpl for ModDiv {
    fn name(&self) -> &str {
        if self.div { "div" } else { "mod" }
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let [a, b] = arg_types else {
            return plan_err!("function {} takes two arguments", self.name());
        };
        let as_numeric = |t: &DataType| match t {
            DataType::Decimal128(..) => Some(t.clone()),
            DataType::Null => Some(DataType::Decimal128(38, 0)),
            t => integer_as_decimal(t),
        };
        if !self.div {
            let int = |t: &DataType| integer_rank(t).or(matches!(t, DataType::Null).then_some(0));
            if let (Some(x), Some(y)) = (int(a), int(b)) {
                let t = match x.max(y) {
                    0 | 2 => DataType::Int32,
                    1 => DataType::Int16,
                    _ => DataType::Int64,
                };
                return Ok(vec![t.clone(), t]);
            }
        }
        match (as_numeric(a), as_numeric(b)) {
            (Some(x), Some(y)) => Ok(vec![x, y]),
            _ => plan_err!(
                "function {}({}, {}) does not exist",
                self.name(),
                pg_type_name(a),
                pg_type_name(b)
            ),
        }
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(match (&arg_types[0], &arg_types[1]) {
            (DataType::Decimal128(..), _) if self.div => DataType::Decimal128(38, 0),
            (DataType::Decimal128(p1, s1), DataType::Decimal128(p2, s2)) => {
                let s = *s1.max(s2);
                let int = (*p1 as i8 - s1).max(*p2 as i8 - s2).max(1);
                DataType::Decimal128((int + s).clamp(1, 38) as u8, s)
            }
            (t, _) => t.clone(),
        })
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let (a, b) = (&arrays[0], &arrays[1]);
        macro_rules! ints {
            ($t:ty, $arr:ty) => {{
                let (a, b) = (a.as_primitive::<$t>(), b.as_primitive::<$t>());
                let mut out = Vec::with_capacity(a.len());
                for i in 0..a.len() {
                    if a.is_null(i) || b.is_null(i) {
                        out.push(None);
                    } else if b.value(i) == 0 {
                        return Err(crate::error::data_error(
                            crate::error::DataErrorKind::DivisionByZero,
                            "division by zero",
                        ));
                    } else {
                        // i64::MIN % -1 is 0, as in PostgreSQL.
                        out.push(Some(a.value(i).wrapping_rem(b.value(i))));
                    }
                }
                Arc::new(<$arr>::from(out)) as ArrayRef
            }};
        }
        let array = match (a.data_type(), b.data_type()) {
            (DataType::Int16, _) => ints!(Int16Type, Int16Array),
            (DataType::Int32, _) => ints!(Int32Type, Int32Array),
            (DataType::Int64, _) => ints!(Int64Type, Int64Array),
            (DataType::Decimal128(_, sa), DataType::Decimal128(_, sb)) => {
                let (sa, sb) = (*sa, *sb);
                let (x, y) = (
                    a.as_primitive::<Decimal128Type>(),
                    b.as_primitive::<Decimal128Type>(),
                );
                let mut out = Vec::with_capacity(x.len());
                for i in 0..x.len() {
                    if x.is_null(i) || y.is_null(i) {
                        out.push(None);
                    } else {
                        out.push(Some(numeric(x.value(i), sa, y.value(i), sb, self.div)?));
                    }
                }
                let DataType::Decimal128(p, s) = args.return_field.data_type().clone() else {
                    return exec_err!("{} returns numeric", self.name());
                };
                Arc::new(Decimal128Array::from(out).with_precision_and_scale(p, s)?)
            }
            (t, _) => return exec_err!("{} does not take {t}", self.name()),
        };
        super::result(array, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_postgres_15() {
        // (a, scale, b, scale, div, expected at max scale / scale 0)
        let cases: &[(i128, i8, i128, i8, bool, i128)] = &[
            (175, 1, 5, 0, false, 25),    // mod(17.5, 5) = 2.5
            (-175, 1, 5, 0, false, -25),  // mod(-17.5, 5) = -2.5
            (175, 1, 525, 2, false, 175), // mod(17.5, 5.25) = 1.75
            (17, 0, 5, 0, true, 3),       // div(17, 5) = 3
            (-175, 1, 5, 0, true, -3),    // div(-17.5, 5) = -3
            (75, 1, 25, 1, true, 3),      // div(7.5, 2.5) = 3
            (1, 0, 3, 0, true, 0),        // div(1, 3) = 0
        ];
        for &(a, sa, b, sb, div, want) in cases {
            assert_eq!(numeric(a, sa, b, sb, div).unwrap(), want);
        }
        assert!(numeric(5, 0, 0, 0, false).is_err());
        assert!(numeric(5, 0, 0, 1, true).is_err());
    }
}
