//! `round`, `trunc`, `ceil`, `ceiling` and `floor` as in PostgreSQL 15.
//!
//! - On `numeric` the result is `numeric`: `round(x)`, `trunc(x)`,
//!   `ceil(x)` and `floor(x)` have scale 0 (`ceil(4.1)` is `5`, not
//!   `5.0`); `round(x, n)` and `trunc(x, n)` have scale `max(n, 0)`, also
//!   when that adds digits (`round(1.5, 5)` is `1.50000`). `round` rounds
//!   half away from zero (`round(-2.5)` is `-3`).
//! - On `double precision` (and `real`, and integers, which PostgreSQL
//!   resolves to the `float8` variant: `round(5)` is `float8`) the result
//!   is `float8`, and `round` is C's `rint`: half to even, so
//!   `round(2.5::float8)` is `2`. PostgreSQL has no `round(float8, int)`
//!   nor `trunc(float8, int)`; an integer first argument with a second one
//!   is read as `numeric`.
//!
//! Arrow decimals have one scale per column: with a non-constant `n` the
//! column keeps the argument's scale and each value is rounded to its `n`
//! (PostgreSQL would show each value at its own scale).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array, Float64Array};
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Field, FieldRef, Float64Type};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};

/// How a value is brought to fewer digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Mode {
    /// Half away from zero (numeric) / half to even (float8).
    Round,
    /// Toward zero.
    Trunc,
    /// Toward +∞.
    Ceil,
    /// Toward −∞.
    Floor,
}

/// `round`.
pub fn round() -> ScalarUDF {
    udf("round", Mode::Round)
}
/// `trunc`.
pub fn trunc() -> ScalarUDF {
    udf("trunc", Mode::Trunc)
}
/// `ceil`.
pub fn ceil() -> ScalarUDF {
    udf("ceil", Mode::Ceil)
}
/// `ceiling` (PostgreSQL's other name for `ceil`).
pub fn ceiling() -> ScalarUDF {
    udf("ceiling", Mode::Ceil)
}
/// `floor`.
pub fn floor() -> ScalarUDF {
    udf("floor", Mode::Floor)
}

fn udf(name: &'static str, mode: Mode) -> ScalarUDF {
    ScalarUDF::new_from_impl(Rounding {
        name,
        mode,
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Rounding {
    name: &'static str,
    mode: Mode,
    signature: Signature,
}

/// PostgreSQL's name of the type an Arrow type stands for (in messages).
pub(crate) fn pg_type_name(t: &DataType) -> &'static str {
    match t {
        DataType::Int8 | DataType::Int16 | DataType::UInt8 => "smallint",
        DataType::Int32 | DataType::UInt16 => "integer",
        DataType::Int64 | DataType::UInt32 | DataType::UInt64 => "bigint",
        DataType::Float16 | DataType::Float32 => "real",
        DataType::Float64 => "double precision",
        DataType::Decimal128(..) | DataType::Decimal256(..) => "numeric",
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "text",
        DataType::Boolean => "boolean",
        DataType::Date32 | DataType::Date64 => "date",
        DataType::Timestamp(_, None) => "timestamp without time zone",
        DataType::Timestamp(_, Some(_)) => "timestamp with time zone",
        DataType::Interval(_) => "interval",
        DataType::Null => "unknown",
        _ => "unsupported type",
    }
}

/// An integer type as the `numeric` it converts to.
pub(crate) fn integer_as_decimal(t: &DataType) -> Option<DataType> {
    Some(match t {
        DataType::Int8 | DataType::UInt8 => DataType::Decimal128(3, 0),
        DataType::Int16 | DataType::UInt16 => DataType::Decimal128(5, 0),
        DataType::Int32 | DataType::UInt32 => DataType::Decimal128(10, 0),
        DataType::Int64 => DataType::Decimal128(19, 0),
        DataType::UInt64 => DataType::Decimal128(20, 0),
        _ => return None,
    })
}

fn is_float_like(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Float16 | DataType::Float32 | DataType::Float64 | DataType::Null
    ) || integer_as_decimal(t).is_some()
}

/// `v * 10^-scale` brought to `target` digits after the point (negative:
/// before it) by `mode`, as an unscaled value at scale `max(target, 0)`.
pub(crate) fn rescale(v: i128, scale: i8, target: i32, mode: Mode) -> Option<i128> {
    // Every value fits an i128 below 10^38, so is every power of ten this
    // needs (10^38 < 2^127): plain i128 arithmetic, no wider type.
    let pow10 = |k: u32| 10i128.checked_pow(k);
    let scale = i32::from(scale);
    let out_scale = target.max(0);
    let result = if target >= scale {
        match (out_scale - scale) as u32 {
            0 => v,
            k => v.checked_mul(pow10(k)?)?,
        }
    } else {
        let drop = (scale - target) as u32;
        let q = match pow10(drop).filter(|_| drop <= 38) {
            Some(d) => {
                let (q, r) = (v / d, v % d);
                let adjust = match mode {
                    Mode::Trunc => 0,
                    // |r| * 2 >= d, in u128 (twice an i128 fits).
                    Mode::Round => {
                        if r.unsigned_abs() * 2 >= d.unsigned_abs() {
                            v.signum()
                        } else {
                            0
                        }
                    }
                    Mode::Ceil => i128::from(r > 0),
                    Mode::Floor => -i128::from(r < 0),
                };
                q + adjust
            }
            // More digits dropped than there are (|v| < 10^39).
            None => match mode {
                Mode::Ceil => i128::from(v > 0),
                Mode::Floor => -i128::from(v < 0),
                _ => 0,
            },
        };
        match (target, q) {
            (0.., _) | (_, 0) => q,
            _ => q.checked_mul(pow10((-target) as u32)?)?,
        }
    };
    Some(result).filter(|x| x.unsigned_abs() < 10u128.pow(38))
}

/// `x` rounded by `mode` to an integer, as PostgreSQL's float8 functions.
fn float(x: f64, mode: Mode) -> f64 {
    match mode {
        Mode::Round => x.round_ties_even(),
        Mode::Trunc => x.trunc(),
        Mode::Ceil => x.ceil(),
        Mode::Floor => x.floor(),
    }
}

/// The result type for a numeric argument `(p, s)` rounded to `target`.
pub(crate) fn decimal_result(p: u8, s: i8, target: i32) -> DataType {
    let out_scale = target.clamp(0, 37);
    let int_digits = (i32::from(p) - i32::from(s)).max(1);
    let precision = (int_digits + 1 + out_scale).clamp(out_scale + 1, 38);
    DataType::Decimal128(precision as u8, out_scale as i8)
}

fn places(v: Option<&ScalarValue>) -> Option<Option<i32>> {
    match v? {
        ScalarValue::Int8(x) => Some(x.map(i32::from)),
        ScalarValue::Int16(x) => Some(x.map(i32::from)),
        ScalarValue::Int32(x) => Some(*x),
        ScalarValue::Int64(x) => Some(x.map(|x| x.clamp(-1000, 1000) as i32)),
        ScalarValue::Null => Some(None),
        _ => None,
    }
}

impl ScalarUDFImpl for Rounding {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let two = matches!(self.mode, Mode::Round | Mode::Trunc);
        match arg_types {
            [t] if is_float_like(t) => Ok(vec![DataType::Float64]),
            [t @ DataType::Decimal128(..)] => Ok(vec![t.clone()]),
            [t @ DataType::Decimal128(..), n] if two && integer_as_decimal(n).is_some() => {
                Ok(vec![t.clone(), DataType::Int32])
            }
            [t, n] if two && integer_as_decimal(n).is_some() => match integer_as_decimal(t) {
                Some(d) => Ok(vec![d, DataType::Int32]),
                None if matches!(t, DataType::Null) => {
                    Ok(vec![DataType::Decimal128(38, 0), DataType::Int32])
                }
                None => plan_err!(
                    "function {}({}, integer) does not exist",
                    self.name,
                    pg_type_name(t)
                ),
            },
            [t, DataType::Null] if two => Ok(vec![
                integer_as_decimal(t).unwrap_or_else(|| t.clone()),
                DataType::Int32,
            ]),
            _ => plan_err!(
                "function {}({}) does not exist",
                self.name,
                arg_types
                    .iter()
                    .map(pg_type_name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match &arg_types[0] {
            DataType::Decimal128(p, s) => Ok(decimal_result(*p, *s, 0)),
            _ => Ok(DataType::Float64),
        }
    }
    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let t = match args.arg_fields[0].data_type() {
            DataType::Decimal128(p, s) if args.arg_fields.len() == 2 => {
                match places(args.scalar_arguments[1]) {
                    Some(Some(n)) => decimal_result(*p, *s, n),
                    Some(None) => decimal_result(*p, *s, 0),
                    None => decimal_result(*p, *s, i32::from(*s)),
                }
            }
            t => self.return_type(std::slice::from_ref(t))?,
        };
        Ok(Arc::new(Field::new(self.name, t, true)))
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let out_type = args.return_field.data_type().clone();
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let array: ArrayRef = match (arrays[0].data_type(), &out_type) {
            (DataType::Decimal128(_, s), DataType::Decimal128(p, out_scale)) => {
                let x = arrays[0].as_primitive::<Decimal128Type>();
                let n = arrays
                    .get(1)
                    .map(|n| n.as_primitive::<datafusion::arrow::datatypes::Int32Type>());
                let mut out = Vec::with_capacity(x.len());
                for i in 0..x.len() {
                    let target = match n {
                        None => 0,
                        Some(n) if n.is_null(i) => {
                            out.push(None);
                            continue;
                        }
                        Some(n) => n.value(i),
                    };
                    if x.is_null(i) {
                        out.push(None);
                        continue;
                    }
                    // At the column's scale when `n` varies per row.
                    let v = rescale(x.value(i), *s, target, self.mode).and_then(|v| {
                        rescale(
                            v,
                            target.clamp(0, 127) as i8,
                            i32::from(*out_scale),
                            Mode::Trunc,
                        )
                    });
                    match v {
                        Some(v) => out.push(Some(v)),
                        None => return exec_err!("numeric field overflow"),
                    }
                }
                Arc::new(Decimal128Array::from(out).with_precision_and_scale(*p, *out_scale)?)
            }
            _ => {
                let x = arrays[0].as_primitive::<Float64Type>();
                let mode = self.mode;
                let out: Float64Array = x.unary(|v| float(v, mode));
                Arc::new(out)
            }
        };
        super::result(array, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_like_postgres_15() {
        // (value, scale, target, mode, expected unscaled at max(target, 0))
        let cases: &[(i128, i8, i32, Mode, i128)] = &[
            (25, 1, 0, Mode::Round, 3),           // round(2.5) = 3
            (-25, 1, 0, Mode::Round, -3),         // round(-2.5) = -3
            (314159, 5, 2, Mode::Round, 314),     // round(3.14159, 2) = 3.14
            (12345678, 4, -2, Mode::Round, 1200), // round(1234.5678, -2) = 1200
            (125, 3, 2, Mode::Round, 13),         // round(0.125, 2) = 0.13
            (15, 1, 5, Mode::Round, 150000),      // round(1.5, 5) = 1.50000
            (-155, 2, 1, Mode::Round, -16),       // round(-1.55, 1) = -1.6
            (3789, 3, 0, Mode::Trunc, 3),         // trunc(3.789) = 3
            (-3789, 3, 0, Mode::Trunc, -3),       // trunc(-3.789) = -3
            (3789, 3, 1, Mode::Trunc, 37),        // trunc(3.789, 1) = 3.7
            (-155, 2, 1, Mode::Trunc, -15),       // trunc(-1.55, 1) = -1.5
            (12345678, 4, -2, Mode::Trunc, 1200), // trunc(1234.5678, -2) = 1200
            (41, 1, 0, Mode::Ceil, 5),            // ceil(4.1) = 5
            (-41, 1, 0, Mode::Ceil, -4),          // ceil(-4.1) = -4
            (-5, 1, 0, Mode::Ceil, 0),            // ceil(-0.5) = 0
            (49, 1, 0, Mode::Floor, 4),           // floor(4.9) = 4
            (-41, 1, 0, Mode::Floor, -5),         // floor(-4.1) = -5
            (5, 0, -3, Mode::Round, 0),           // round(5, -3) = 0
            (500, 0, -3, Mode::Round, 1000),      // round(500, -3) = 1000
            (-5, 1, -60, Mode::Trunc, 0),         // trunc(-0.5, -60) = 0
            (-5, 1, 0, Mode::Round, -1),          // round(-0.5) = -1
            (5, 30, 0, Mode::Ceil, 1),            // ceil(5e-30) = 1
            (-5, 30, 2, Mode::Floor, -1),         // floor(-5e-30, 2) = -0.01
        ];
        let nines = 10i128.pow(38) - 1;
        // round(99…9, -37) is 10^38: beyond numeric(38).
        assert_eq!(rescale(nines, 0, -37, Mode::Round), None);
        assert_eq!(
            rescale(nines, 0, -37, Mode::Trunc),
            Some(9 * 10i128.pow(37))
        );
        assert_eq!(rescale(nines, 38, 0, Mode::Round), Some(1));
        assert_eq!(rescale(1, 0, 38, Mode::Round), None);
        for &(v, s, t, m, want) in cases {
            assert_eq!(rescale(v, s, t, m), Some(want), "{v}e-{s} to {t} {m:?}");
        }
    }

    #[test]
    fn float8_like_postgres_15() {
        assert_eq!(float(2.5, Mode::Round), 2.0);
        assert_eq!(float(3.5, Mode::Round), 4.0);
        assert_eq!(float(-2.5, Mode::Round), -2.0);
        assert!(float(-0.5, Mode::Round).is_sign_negative()); // -0
        assert_eq!(float(2.01, Mode::Ceil), 3.0);
        assert_eq!(float(-0.5, Mode::Floor), -1.0);
        assert_eq!(float(-3.7, Mode::Trunc), -3.0);
    }

    #[test]
    fn result_types() {
        assert_eq!(decimal_result(4, 3, 0), DataType::Decimal128(2, 0));
        assert_eq!(decimal_result(5, 1, 5), DataType::Decimal128(10, 5));
        assert_eq!(decimal_result(38, 20, 4), DataType::Decimal128(23, 4));
    }
}
