//! `numeric(x)`: PostgreSQL's cast to `numeric` without a precision, which
//! keeps the value's digits. `x::numeric` and `CAST(x AS numeric)` are
//! rewritten to it (engine `rewrite::compat`).
//!
//! DataFusion maps an unconstrained `numeric` to `Decimal128(38, 10)`, so
//! `amount::numeric` over a `numeric(10,2)` column printed `12.5000000000`
//! where PostgreSQL prints `12.50` (Power BI and Metabase cast every money
//! column so). Here a decimal keeps its type (and its display tag, for
//! quotients), an integer becomes a decimal of scale 0 (`2::numeric` is
//! `2`), and anything else (floats, text) is DataFusion's `Decimal128(38,
//! 10)` cast — Arrow keeps one scale per column, so those still print ten
//! decimals where PostgreSQL prints each value's own digits.
//!
//! Text is read as `numeric_in` reads it: blanks around, a sign, digits
//! with a point anywhere (`.5`, `5.`), an exponent (`1.5e3`); a quoted
//! constant (`'12.50'::numeric`) gets its own scale, as in PostgreSQL
//! (`1.5e3` is `1500`, `' 12.50 '` is `12.50`), a text column scale 10.
//! Anything else is `invalid input syntax for type numeric` (SQLSTATE
//! 22P02).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};

/// `numeric`.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(NumericCast {
        signature: Signature::any(1, Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct NumericCast {
    signature: Signature,
}

/// The decimal type `numeric` gives a value of type `t`.
fn target(t: &DataType) -> DataType {
    match t {
        DataType::Decimal32(..)
        | DataType::Decimal64(..)
        | DataType::Decimal128(..)
        | DataType::Decimal256(..) => t.clone(),
        t if t.is_integer() => DataType::Decimal128(38, 0),
        _ => DataType::Decimal128(38, 10),
    }
}

impl ScalarUDFImpl for NumericCast {
    fn name(&self) -> &str {
        "numeric"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(target(&arg_types[0]))
    }
    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let input = &args.arg_fields[0];
        let mut t = target(input.data_type());
        // A quoted constant keeps the scale it is written with.
        if let Some(Some(v)) = args.scalar_arguments.first()
            && let Some(Some(text)) = v.try_as_str()
            && let Some((_, scale)) = parse_text(text)
        {
            t = DataType::Decimal128(38, scale.clamp(0, 38) as i8);
        }
        let field = Field::new(self.name(), t.clone(), true);
        // A decimal passes through with its tags (a quotient's display scale).
        Ok(Arc::new(if &t == input.data_type() {
            field.with_metadata(input.metadata().clone())
        } else {
            field
        }))
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let t = args.return_field.data_type().clone();
        if let (
            DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8,
            DataType::Decimal128(p, scale),
        ) = (args.arg_fields[0].data_type(), &t)
        {
            return text_to_numeric(&args.args[0], args.number_rows, *p, *scale);
        }
        let [arg] = <[ColumnarValue; 1]>::try_from(args.args).map_err(|_| {
            datafusion::common::DataFusionError::Internal("numeric takes one argument".into())
        })?;
        arg.cast_to(&t, None)
    }
}

/// The digits of a numeric's text as an integer, and the scale they have
/// (`1.5e3`: 15 and -2; `12.50`: 1250 and 2). `None` when it is not a
/// number or has more digits than a 128-bit decimal holds.
pub(crate) fn parse_text(text: &str) -> Option<(i128, i32)> {
    let t = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let (negative, t) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], t[i + 1..].parse::<i32>().ok()?),
        None => (t, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut v: i128 = 0;
    for b in int.bytes().chain(frac.bytes()) {
        v = v.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
    }
    Some((if negative { -v } else { v }, frac.len() as i32 - exponent))
}

/// `value` (unscaled, at `from` fraction digits) at `to` fraction digits,
/// rounded half away from zero.
fn rescale(value: i128, from: i32, to: i32) -> Option<i128> {
    if to >= from {
        value.checked_mul(10i128.checked_pow((to - from) as u32)?)
    } else {
        let div = 10i128.checked_pow((from - to) as u32)?;
        let (q, r) = (value / div, value % div);
        Some(if r.abs() * 2 >= div {
            q + value.signum()
        } else {
            q
        })
    }
}

/// Text values read as `Decimal128(precision, scale)`.
fn text_to_numeric(
    arg: &ColumnarValue,
    rows: usize,
    precision: u8,
    scale: i8,
) -> Result<ColumnarValue> {
    use datafusion::arrow::array::{Array, AsArray, Decimal128Array};
    let scalar = matches!(arg, ColumnarValue::Scalar(_));
    let texts = datafusion::arrow::compute::cast(&arg.to_array(rows)?, &DataType::Utf8)?;
    let texts = texts.as_string::<i32>();
    let values = texts
        .iter()
        .map(|t| {
            t.map(|t| {
                parse_text(t)
                    .and_then(|(v, s)| rescale(v, s, i32::from(scale)))
                    .ok_or_else(|| {
                        datafusion::common::DataFusionError::Execution(format!(
                            "invalid input syntax for type numeric: \"{t}\""
                        ))
                    })
            })
            .transpose()
        })
        .collect::<Result<Decimal128Array>>()?
        .with_precision_and_scale(precision, scale)?;
    let array: datafusion::arrow::array::ArrayRef = Arc::new(values);
    if scalar {
        return Ok(ColumnarValue::Scalar(
            datafusion::common::ScalarValue::try_from_array(&array, 0)?,
        ));
    }
    debug_assert_eq!(array.len(), rows);
    Ok(ColumnarValue::Array(array))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_their_scale_integers_get_scale_zero() {
        assert_eq!(
            target(&DataType::Decimal128(10, 2)),
            DataType::Decimal128(10, 2)
        );
        assert_eq!(target(&DataType::Int32), DataType::Decimal128(38, 0));
        assert_eq!(target(&DataType::Float64), DataType::Decimal128(38, 10));
        assert_eq!(target(&DataType::Utf8), DataType::Decimal128(38, 10));
    }

    #[test]
    fn text_as_numeric_in_reads_it() {
        assert_eq!(parse_text("1.5e3"), Some((15, -2)));
        assert_eq!(parse_text(" 12.50 "), Some((1250, 2)));
        assert_eq!(parse_text("-0.0"), Some((0, 1)));
        assert_eq!(parse_text(".5"), Some((5, 1)));
        assert_eq!(parse_text("5."), Some((5, 0)));
        assert_eq!(parse_text("+7"), Some((7, 0)));
        assert_eq!(parse_text("1.25E-1"), Some((125, 3)));
        assert_eq!(parse_text("x"), None);
        assert_eq!(parse_text("."), None);
        assert_eq!(parse_text("1e"), None);
        assert_eq!(rescale(15, -2, 0), Some(1500));
        assert_eq!(rescale(1255, 3, 2), Some(126));
        assert_eq!(rescale(-1255, 3, 2), Some(-126));
    }
}
