//! `width_bucket` as in PostgreSQL 15, `integer` result:
//!
//! - `width_bucket(operand, low, high, count)`: the bucket (1 … count) of
//!   `count` equal-width buckets between `low` and `high` (`high < low`
//!   reverses them), 0 below the range and `count + 1` at or above its end.
//!   `numeric` when an argument is numeric (exact), else `double
//!   precision` (integers resolve to it, as in PostgreSQL), computed as
//!   PostgreSQL does in floating point, so the buckets agree at the edges.
//!   `count <= 0`, equal bounds, NaN and infinite bounds are errors.
//! - `width_bucket(operand, thresholds)`: the number of (sorted) lower
//!   bounds in the array that are `<= operand`, 0 below the first. The
//!   operand and thresholds are compared as `double precision` here.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int32Array};
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Field, Float64Type, Int32Type, i256};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::rounding::{integer_as_decimal, pg_type_name};

/// `width_bucket`.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(WidthBucket {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct WidthBucket {
    signature: Signature,
}

fn check(count: i32, equal: bool) -> Result<()> {
    if count <= 0 {
        return exec_err!("count must be greater than zero");
    }
    if equal {
        return exec_err!("lower bound cannot equal upper bound");
    }
    Ok(())
}

fn above(count: i32) -> Result<i32> {
    match count.checked_add(1) {
        Some(c) => Ok(c),
        None => exec_err!("integer out of range"),
    }
}

/// PostgreSQL's `width_bucket_float8`.
fn float_bucket(x: f64, b1: f64, b2: f64, count: i32) -> Result<i32> {
    check(count, b1 == b2)?;
    if x.is_nan() || b1.is_nan() || b2.is_nan() {
        return exec_err!("operand, lower bound, and upper bound cannot be NaN");
    }
    if b1.is_infinite() || b2.is_infinite() {
        return exec_err!("lower and upper bounds must be finite");
    }
    let n = f64::from(count);
    let inside = |num: f64, den: f64, half: f64| {
        let q = if den.is_infinite() { half } else { num / den };
        let r = (n * q) as i32;
        r.min(count - 1) + 1
    };
    if b1 < b2 {
        if x < b1 {
            Ok(0)
        } else if x >= b2 {
            above(count)
        } else {
            Ok(inside(
                x - b1,
                b2 - b1,
                (x / 2.0 - b1 / 2.0) / (b2 / 2.0 - b1 / 2.0),
            ))
        }
    } else if x > b1 {
        Ok(0)
    } else if x <= b2 {
        above(count)
    } else {
        Ok(inside(
            b1 - x,
            b1 - b2,
            (b1 / 2.0 - x / 2.0) / (b1 / 2.0 - b2 / 2.0),
        ))
    }
}

/// PostgreSQL's `width_bucket_numeric` on values at one scale (exact).
fn numeric_bucket(x: i256, b1: i256, b2: i256, count: i32) -> Result<i32> {
    check(count, b1 == b2)?;
    let (num, den) = if b1 < b2 {
        if x < b1 {
            return Ok(0);
        }
        if x >= b2 {
            return above(count);
        }
        (x - b1, b2 - b1)
    } else {
        if x > b1 {
            return Ok(0);
        }
        if x <= b2 {
            return above(count);
        }
        (b1 - x, b1 - b2)
    };
    let q = (num * i256::from_i128(i128::from(count))) / den;
    Ok(q.as_i128() as i32 + 1)
}

impl ScalarUDFImpl for WidthBucket {
    fn name(&self) -> &str {
        "width_bucket"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let int = |t: &DataType| integer_as_decimal(t).is_some() || t == &DataType::Null;
        let float = |t: &DataType| {
            int(t) || matches!(t, DataType::Float16 | DataType::Float32 | DataType::Float64)
        };
        match arg_types {
            [
                x,
                DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..),
            ] if float(x) || matches!(x, DataType::Decimal128(..)) => Ok(vec![
                DataType::Float64,
                DataType::List(Arc::new(Field::new_list_field(DataType::Float64, true))),
            ]),
            [a, b, c, n] if int(n) => {
                let three = [a, b, c];
                if three.iter().all(|t| float(t)) {
                    Ok(vec![
                        DataType::Float64,
                        DataType::Float64,
                        DataType::Float64,
                        DataType::Int32,
                    ])
                } else if three
                    .iter()
                    .all(|t| int(t) || matches!(t, DataType::Decimal128(..)))
                {
                    // One scale for the three, so they compare as integers.
                    let scale = three
                        .iter()
                        .map(|t| match t {
                            DataType::Decimal128(_, s) => *s,
                            _ => 0,
                        })
                        .max()
                        .unwrap_or(0);
                    let d = DataType::Decimal128(38, scale);
                    Ok(vec![d.clone(), d.clone(), d, DataType::Int32])
                } else {
                    plan_err!("function width_bucket({}) does not exist", names(arg_types))
                }
            }
            _ => plan_err!("function width_bucket({}) does not exist", names(arg_types)),
        }
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int32)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let a = ColumnarValue::values_to_arrays(&args.args)?;
        let rows = a[0].len();
        let mut out = Vec::with_capacity(rows);
        if a.len() == 2 {
            let x = a[0].as_primitive::<Float64Type>();
            let lists = a[1].as_list::<i32>();
            for i in 0..rows {
                if x.is_null(i) || lists.is_null(i) {
                    out.push(None);
                    continue;
                }
                let t = lists.value(i);
                let t = t.as_primitive::<Float64Type>();
                if t.null_count() > 0 {
                    return exec_err!("thresholds array must not contain NULLs");
                }
                let v = x.value(i);
                out.push(Some(t.values().partition_point(|b| *b <= v) as i32));
            }
        } else {
            let n = a[3].as_primitive::<Int32Type>();
            let nulls = |i: usize| a.iter().any(|c| c.is_null(i));
            if let DataType::Decimal128(..) = a[0].data_type() {
                let d: Vec<_> = a[..3]
                    .iter()
                    .map(|c| c.as_primitive::<Decimal128Type>())
                    .collect();
                for i in 0..rows {
                    out.push(if nulls(i) {
                        None
                    } else {
                        let v = |k: usize| i256::from_i128(d[k].value(i));
                        Some(numeric_bucket(v(0), v(1), v(2), n.value(i))?)
                    });
                }
            } else {
                let f: Vec<_> = a[..3]
                    .iter()
                    .map(|c| c.as_primitive::<Float64Type>())
                    .collect();
                for i in 0..rows {
                    out.push(if nulls(i) {
                        None
                    } else {
                        Some(float_bucket(
                            f[0].value(i),
                            f[1].value(i),
                            f[2].value(i),
                            n.value(i),
                        )?)
                    });
                }
            }
        }
        super::result(Arc::new(Int32Array::from(out)) as ArrayRef, scalar)
    }
}

fn names(ts: &[DataType]) -> String {
    ts.iter().map(pg_type_name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: i128) -> i256 {
        i256::from_i128(v)
    }

    #[test]
    fn like_postgres_15() {
        // width_bucket(5.35, 0.024, 10.06, 5) = 3 (numeric, scale 3)
        assert_eq!(numeric_bucket(n(5350), n(24), n(10060), 5).unwrap(), 3);
        assert_eq!(float_bucket(0.0, 1.0, 10.0, 3).unwrap(), 0);
        assert_eq!(float_bucket(11.0, 1.0, 10.0, 3).unwrap(), 4);
        assert_eq!(float_bucket(2.5, 0.0, 10.0, 4).unwrap(), 2);
        assert_eq!(float_bucket(5.0, 10.0, 0.0, 5).unwrap(), 3);
        assert_eq!(float_bucket(10.0, 0.0, 10.0, 5).unwrap(), 6);
        assert_eq!(float_bucket(0.0, 0.0, 10.0, 5).unwrap(), 1);
        assert_eq!(float_bucket(-1.0, 0.0, 10.0, 5).unwrap(), 0);
        assert_eq!(numeric_bucket(n(10), n(10), n(0), 5).unwrap(), 1);
        assert_eq!(numeric_bucket(n(0), n(10), n(0), 5).unwrap(), 6);
        assert_eq!(float_bucket(5.35, 0.024, 10.06, 5).unwrap(), 3);
        for (x, b1, b2, c) in [
            (1.0, 0.0, 10.0, 0),
            (1.0, 1.0, 1.0, 3),
            (f64::NAN, 0.0, 1.0, 3),
            (1.0, 0.0, f64::INFINITY, 3),
        ] {
            assert!(float_bucket(x, b1, b2, c).is_err());
        }
    }
}
