//! PostgreSQL's `numeric` division, shared by `/` on numerics and by
//! `avg` of integers and numerics.
//!
//! PostgreSQL picks the scale of a quotient from its operands
//! (`select_div_scale` in `numeric.c`): at least 16 significant digits,
//! estimated from the weights (base-10000 digit positions) and first
//! base-10000 digits of dividend and divisor, and at least the scale of
//! either operand; the quotient is rounded half away from zero to it. So
//! `1.0 / 3` is `0.33333333333333333333` and `avg` of 1 and 2 is
//! `1.5000000000000000`.
//!
//! Arrow decimals have one scale per column, PostgreSQL one per value: the
//! quotient is computed to PostgreSQL's scale and stored as
//! `Decimal128(38, 20)`; the field carries [`DISPLAY_KEY`] so the wire
//! encoder prints each value with the scale PostgreSQL would have chosen
//! ([`display_scale`], exact except when dividend and divisor start with
//! the same base-10000 digit, where PostgreSQL adds 4 more digits).

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array};
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Field, FieldRef, i256};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};

/// Field metadata key marking a quotient column (value: [`DISPLAY_DIVISION`]).
pub const DISPLAY_KEY: &str = "tessera.numeric.display";
/// See [`DISPLAY_KEY`].
pub const DISPLAY_DIVISION: &str = "division";
/// A variance or standard deviation (`super::variance`): shown like a
/// quotient, except that 0 is `0` (PostgreSQL's `const_zero` for a
/// non-positive numerator). The engine's presentation step
/// (`tessera_engine::pg_plan::value_scale`) prints the zero so.
pub const DISPLAY_STATISTIC: &str = "statistic";
/// A numeric standard deviation (`super::variance`): shown at the scale of
/// its variance ([`Display::scale`]), 0 as `0`.
pub const DISPLAY_ROOT: &str = "root";
/// Scale quotients are stored at.
pub const QUOTIENT_SCALE: i8 = 20;
/// The quotient type.
pub const QUOTIENT_TYPE: DataType = DataType::Decimal128(38, QUOTIENT_SCALE);

/// The output field of a quotient: `Decimal128(38, 20)` marked for display.
pub fn quotient_field(name: &str) -> FieldRef {
    displayed_field(name, DISPLAY_DIVISION)
}

/// The output field of a numeric variance ([`DISPLAY_STATISTIC`]) or,
/// with `root`, standard deviation ([`DISPLAY_ROOT`]).
pub fn statistic_field(name: &str, root: bool) -> FieldRef {
    displayed_field(
        name,
        if root {
            DISPLAY_ROOT
        } else {
            DISPLAY_STATISTIC
        },
    )
}

fn displayed_field(name: &str, display: &str) -> FieldRef {
    Arc::new(
        Field::new(name, QUOTIENT_TYPE, true).with_metadata(HashMap::from([(
            DISPLAY_KEY.to_string(),
            display.to_string(),
        )])),
    )
}

/// Weight (position of the first non-zero base-10000 digit, 0 for the
/// units group) and that digit, of `unscaled * 10^-scale`; `(0, 0)` for 0.
fn weight_and_first_digit(unscaled: i256, scale: i8) -> (i32, i64) {
    if unscaled == i256::ZERO {
        return (0, 0);
    }
    let mut x = unscaled.wrapping_abs();
    // Align the scale to whole base-10000 digits.
    let pad = (4 - i32::from(scale).rem_euclid(4)) % 4;
    for _ in 0..pad {
        x = x.wrapping_mul(i256::from_i128(10));
    }
    let groups_after_point = (i32::from(scale) + pad) / 4;
    let base = i256::from_i128(10_000);
    let mut index = -1;
    let mut first = i256::ZERO;
    while x != i256::ZERO {
        first = x.wrapping_rem(base);
        x = x.wrapping_div(base);
        index += 1;
    }
    (index - groups_after_point, first.as_i128() as i64)
}

/// PostgreSQL's result scale for `a / b` (`select_div_scale`).
pub fn division_scale(a: i256, a_scale: i8, b: i256, b_scale: i8) -> i32 {
    let (w1, d1) = weight_and_first_digit(a, a_scale);
    let (w2, d2) = weight_and_first_digit(b, b_scale);
    let mut qweight = w1 - w2;
    if d1 <= d2 {
        qweight -= 1;
    }
    (16 - qweight * 4)
        .max(i32::from(a_scale))
        .max(i32::from(b_scale))
        .clamp(0, 1000)
}

fn pow10(n: u32) -> Option<i256> {
    i256::from_i128(10).checked_pow(n)
}

/// Divides by `d`, rounding half away from zero.
fn div_round(n: i256, d: i256) -> Option<i256> {
    let q = n.checked_div(d)?;
    let r = n.checked_rem(d)?;
    let twice = r.checked_mul(i256::from_i128(2))?.wrapping_abs();
    if twice >= d.wrapping_abs() {
        let away = if (n < i256::ZERO) != (d < i256::ZERO) {
            i256::MINUS_ONE
        } else {
            i256::ONE
        };
        q.checked_add(away)
    } else {
        Some(q)
    }
}

/// `a * 10^-a_scale / b * 10^-b_scale` as PostgreSQL computes it, stored
/// at [`QUOTIENT_SCALE`]; `Ok(None)` for division by zero is an error.
pub fn divide(a: i256, a_scale: i8, b: i256, b_scale: i8) -> Result<i128> {
    if b == i256::ZERO {
        return Err(crate::error::data_error(
            crate::error::DataErrorKind::DivisionByZero,
            "division by zero",
        ));
    }
    let rscale = division_scale(a, a_scale, b, b_scale);
    let overflow =
        || datafusion::error::DataFusionError::Execution("numeric field overflow".into());
    // q = a * 10^(b_scale + rscale - a_scale) / b, rounded at rscale.
    let shift = i32::from(b_scale) + rscale - i32::from(a_scale);
    let (n, d) = if shift >= 0 {
        (a.checked_mul(pow10(shift as u32).ok_or_else(overflow)?), b)
    } else {
        (
            Some(a),
            b.checked_mul(pow10((-shift) as u32).ok_or_else(overflow)?)
                .ok_or_else(overflow)?,
        )
    };
    let q = div_round(n.ok_or_else(overflow)?, d).ok_or_else(overflow)?;
    let store = i32::from(QUOTIENT_SCALE);
    let stored = if rscale <= store {
        q.checked_mul(pow10((store - rscale) as u32).ok_or_else(overflow)?)
    } else {
        div_round(q, pow10((rscale - store) as u32).ok_or_else(overflow)?)
    }
    .ok_or_else(overflow)?;
    stored
        .to_i128()
        .filter(|v| v.unsigned_abs() < 10u128.pow(38))
        .ok_or_else(overflow)
}

/// `digits` (ASCII digits, no sign) with the decimal point after the first
/// `point` of them (`point` may be negative or past the end): `("15", 4)`
/// is `1500`, `("15", -1)` is `0.015`.
pub fn place_point(digits: &str, point: i32) -> String {
    if point <= 0 {
        format!("0.{}{}", "0".repeat((-point) as usize), digits)
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    }
}

/// The scale PostgreSQL shows a stored quotient with (see the module
/// documentation): 16 significant digits from the value's weight.
pub fn display_scale(stored: i128) -> i8 {
    scale_of_quotient(i256::from_i128(stored))
}

/// [`display_scale`] of a value of any size (at [`QUOTIENT_SCALE`]).
fn scale_of_quotient(stored: i256) -> i8 {
    let (mut w, first) = weight_and_first_digit(stored, QUOTIENT_SCALE);
    // A zero quotient, or an exact power of 10000 (`n / n`): the operands
    // start with equal digits, and PostgreSQL's estimate is a group lower.
    let power = first == 1
        && pow10((i32::from(QUOTIENT_SCALE) + 4 * w) as u32)
            .is_some_and(|unit| stored.wrapping_abs() == unit);
    if stored == i256::ZERO || power {
        w -= 1;
    }
    (16 - w * 4).clamp(0, i32::from(QUOTIENT_SCALE)) as i8
}

/// How the values of a quotient-typed field are shown ([`DISPLAY_KEY`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Display {
    /// A quotient ([`DISPLAY_DIVISION`]).
    Division,
    /// A variance ([`DISPLAY_STATISTIC`]).
    Statistic,
    /// A standard deviation ([`DISPLAY_ROOT`]).
    Root,
}

impl Display {
    /// The display of `field`'s values: `None` unless it is of the quotient
    /// type and tagged (the tag survives casts to other types, such as
    /// `avg(x)::numeric(10,4)`, which are shown at their own scale).
    pub fn of(field: &Field) -> Option<Display> {
        if field.data_type() != &QUOTIENT_TYPE {
            return None;
        }
        match field.metadata().get(DISPLAY_KEY)?.as_str() {
            DISPLAY_DIVISION => Some(Display::Division),
            DISPLAY_STATISTIC => Some(Display::Statistic),
            DISPLAY_ROOT => Some(Display::Root),
            _ => None,
        }
    }

    /// The scale PostgreSQL shows the stored value `v` with: a quotient's
    /// ([`display_scale`]); a statistic's 0 is `0` (`const_zero` for a
    /// non-positive numerator); a standard deviation is shown at the scale
    /// of the variance it is the root of (`numeric_stddev_internal` takes
    /// the square root at the division's scale), found from its square.
    pub fn scale(self, v: i128) -> i8 {
        match self {
            Display::Division => display_scale(v),
            Display::Statistic | Display::Root if v == 0 => 0,
            Display::Statistic => display_scale(v),
            Display::Root => {
                let v = i256::from_i128(v);
                let unit = pow10(QUOTIENT_SCALE as u32).expect("10^20 fits");
                let square = div_round(v.wrapping_mul(v), unit).unwrap_or(i256::MAX);
                scale_of_quotient(square)
            }
        }
    }
}

/// `numeric_div(a, b)`: the function behind `/` with a numeric operand.
pub fn numeric_div() -> ScalarUDF {
    ScalarUDF::new_from_impl(NumericDiv {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct NumericDiv {
    signature: Signature,
}

/// An operand as a decimal: integers are `Decimal128(20, 0)`.
fn as_decimal(t: &DataType) -> Result<DataType> {
    match t {
        DataType::Decimal128(..) => Ok(t.clone()),
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 | DataType::Null => {
            Ok(DataType::Decimal128(20, 0))
        }
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => {
            Ok(DataType::Decimal128(20, 0))
        }
        other => plan_err!("numeric_div does not take {other}"),
    }
}

fn decimal_scale(t: &DataType) -> i8 {
    match t {
        DataType::Decimal128(_, s) => *s,
        _ => 0,
    }
}

impl ScalarUDFImpl for NumericDiv {
    fn name(&self) -> &str {
        "numeric_div"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if arg_types.len() != 2 {
            return plan_err!("numeric_div takes two arguments");
        }
        arg_types.iter().map(as_decimal).collect()
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(QUOTIENT_TYPE)
    }
    fn return_field_from_args(&self, _args: ReturnFieldArgs) -> Result<FieldRef> {
        Ok(quotient_field(self.name()))
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let scales: Vec<i8> = args
            .args
            .iter()
            .map(|a| decimal_scale(&a.data_type()))
            .collect();
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let (a, b) = (
            arrays[0].as_primitive::<Decimal128Type>(),
            arrays[1].as_primitive::<Decimal128Type>(),
        );
        let mut out = Vec::with_capacity(rows);
        for i in 0..rows {
            if a.is_null(i) || b.is_null(i) {
                out.push(None);
                continue;
            }
            out.push(Some(divide(
                i256::from_i128(a.value(i)),
                scales[0],
                i256::from_i128(b.value(i)),
                scales[1],
            )?));
        }
        let array: ArrayRef =
            Arc::new(Decimal128Array::from(out).with_precision_and_scale(38, QUOTIENT_SCALE)?);
        let scalar = super::all_scalar(&args.args);
        super::result(array, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(stored: i128) -> String {
        let scale = display_scale(stored);
        let v = stored / 10i128.pow((QUOTIENT_SCALE - scale) as u32);
        let s = format!("{:0>width$}", v.unsigned_abs(), width = scale as usize + 1);
        let (int, frac) = s.split_at(s.len() - scale as usize);
        let sign = if v < 0 { "-" } else { "" };
        if scale == 0 {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac}")
        }
    }

    fn div(a: i128, sa: i8, b: i128, sb: i8) -> String {
        text(divide(i256::from_i128(a), sa, i256::from_i128(b), sb).unwrap())
    }

    #[test]
    fn postgres_15_quotients() {
        // Answers of PostgreSQL 15.
        assert_eq!(div(10, 1, 2, 0), "0.50000000000000000000"); // 1.0 / 2
        assert_eq!(div(1, 0, 3, 0), "0.33333333333333333333"); // 1::numeric / 3
        assert_eq!(div(10, 0, 4, 0), "2.5000000000000000"); // 10::numeric / 4
        assert_eq!(div(3, 0, 2, 0), "1.5000000000000000"); // avg(1, 2)
        assert_eq!(div(123456, 0, 10, 0), "12345.600000000000"); // 123456::numeric / 10
        assert_eq!(div(-7, 0, 2, 0), "-3.5000000000000000");
        assert_eq!(div(2, 0, 3, 0), "0.66666666666666666667");
        assert_eq!(div(11250, 2, 3, 0), "37.5000000000000000"); // avg of numeric(12,2)
        assert_eq!(div(3, 0, 3, 0), "1.00000000000000000000"); // avg(1, 1, 1)
        assert_eq!(div(0, 0, 3, 0), "0.00000000000000000000");
    }
}
