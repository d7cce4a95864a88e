//! `tessera_numeric_text(x numeric, scale integer)`: the text of `x` at
//! its own display scale, for result columns whose rows carry values of
//! different scales.
//!
//! PostgreSQL keeps a display scale per `numeric` value: `COALESCE(sum(
//! amount), 0)` prints `0` where the sum is NULL and `12.50` elsewhere.
//! Arrow decimals have one scale per column, so the engine computes each
//! row's scale beside the value (`tessera_engine::pg_plan::value_scale`) and
//! prints the value with it here, as the last step of a query. The result
//! is text tagged `numeric` ([`super::chars::PG_TYPE_KEY`]): the wire layer
//! describes it as `numeric` and sends the text (or its binary form) as is.

use std::fmt::Write;
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, Int32Array, StringBuilder};
use datafusion::arrow::datatypes::{
    DataType, Decimal128Type, Field, FieldRef, Float32Type, Float64Type, Int32Type,
};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};

use super::chars::PG_TYPE_KEY;

/// The function's name (the engine plans calls to it by name).
pub const NAME: &str = "tessera_numeric_text";

/// `tessera_numeric_scale(x float8 | float4 | text)`: the display scale
/// PostgreSQL gives `x::numeric` — a float's digits as `float8_numeric`
/// writes them (15 significant digits, 6 for `real`), a text's as
/// `numeric_in` reads it (`'2.50'`: 2, `'1.5e3'`: 0). NULL where the text
/// is not a number (the cast itself reports it).
pub fn scale_udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(InputScale {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

/// The display scale of `v` converted to numeric with `digits` significant
/// digits (`%.{digits}g`, then `numeric_in`).
pub fn float_scale(v: f64, digits: usize) -> i32 {
    if !v.is_finite() {
        return 0;
    }
    let text = format!("{v:.*e}", digits - 1);
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let decimals = mantissa
        .split_once('.')
        .map_or(0, |(_, f)| f.trim_end_matches('0').len() as i32);
    (decimals - exponent).max(0)
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct InputScale {
    signature: Signature,
}

impl ScalarUDFImpl for InputScale {
    fn name(&self) -> &str {
        "tessera_numeric_scale"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        match args {
            [DataType::Float32] => Ok(vec![DataType::Float32]),
            [t] if t.is_numeric() => Ok(vec![DataType::Float64]),
            [_] => Ok(vec![DataType::Utf8]),
            _ => plan_err!("tessera_numeric_scale takes one argument"),
        }
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let values = args.args[0].to_array(args.number_rows)?;
        let scales: Int32Array = match values.data_type() {
            DataType::Float32 => (values.as_primitive::<Float32Type>().iter())
                .map(|v| v.map(|v| float_scale(f64::from(v), 6)))
                .collect(),
            DataType::Float64 => (values.as_primitive::<Float64Type>().iter())
                .map(|v| v.map(|v| float_scale(v, 15)))
                .collect(),
            _ => (values.as_string::<i32>().iter())
                .map(|v| {
                    v.and_then(super::numeric_cast::parse_text)
                        .map(|(_, s)| s.max(0))
                })
                .collect(),
        };
        super::result(Arc::new(scales), scalar)
    }
}

/// `tessera_numeric_text`.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(NumericText {
        signature: Signature::user_defined(Volatility::Immutable),
        cast: false,
    })
}

/// `tessera_numeric_cast_text`: the same text as a `text` value, for
/// `x::text` and the implicit casts of `'…' || x` (PostgreSQL's
/// `numeric_out` writes each value at its own scale there too).
pub fn cast_udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(NumericText {
        signature: Signature::user_defined(Volatility::Immutable),
        cast: true,
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct NumericText {
    signature: Signature,
    /// A cast to `text` (no `numeric` tag on the result).
    cast: bool,
}

/// `v` (an integer at `scale` digits after the point) written at `shown`
/// digits (`shown <= scale`), rounded half away from zero.
pub fn write_at_scale(out: &mut String, v: i128, scale: u32, shown: u32) {
    let drop = scale - shown;
    let mut digits = v.unsigned_abs();
    if drop > 0 {
        let unit = 10u128.pow(drop);
        let (q, r) = (digits / unit, digits % unit);
        digits = if r * 2 >= unit { q + 1 } else { q };
    }
    if v < 0 && digits != 0 {
        out.push('-');
    }
    let text = digits.to_string();
    let shown = shown as usize;
    if shown == 0 {
        out.push_str(&text);
    } else if text.len() <= shown {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', shown - text.len()));
        out.push_str(&text);
    } else {
        let (int, frac) = text.split_at(text.len() - shown);
        let _ = write!(out, "{int}.{frac}");
    }
}

impl ScalarUDFImpl for NumericText {
    fn name(&self) -> &str {
        if self.cast {
            "tessera_numeric_cast_text"
        } else {
            NAME
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        match args {
            [d @ DataType::Decimal128(_, s), _] if *s >= 0 => Ok(vec![d.clone(), DataType::Int32]),
            _ => plan_err!("{NAME}(numeric, integer) takes a decimal of scale >= 0"),
        }
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field_from_args(&self, _args: ReturnFieldArgs) -> Result<FieldRef> {
        let field = Field::new(self.name(), DataType::Utf8, true);
        if self.cast {
            return Ok(Arc::new(field));
        }
        Ok(Arc::new(field.with_metadata(
            [(PG_TYPE_KEY.to_string(), "numeric".to_string())].into(),
        )))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let values = args.args[0].to_array(args.number_rows)?;
        let scales = args.args[1].to_array(args.number_rows)?;
        let DataType::Decimal128(_, scale) = values.data_type() else {
            return exec_err!("{NAME} takes a decimal");
        };
        let scale = (*scale).max(0) as u32;
        let values = values.as_primitive::<Decimal128Type>();
        let scales = scales.as_primitive::<Int32Type>();
        let mut builder = StringBuilder::with_capacity(values.len(), values.len() * 8);
        let mut text = String::new();
        for row in 0..values.len() {
            if values.is_null(row) {
                builder.append_null();
                continue;
            }
            // A row without a scale (its branch was NULL-typed) keeps the column's.
            let shown = if scales.is_null(row) {
                scale
            } else {
                (scales.value(row).max(0) as u32).min(scale)
            };
            text.clear();
            write_at_scale(&mut text, values.value(row), scale, shown);
            builder.append_value(&text);
        }
        super::result(Arc::new(builder.finish()), scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::{float_scale, write_at_scale};

    #[test]
    fn floats_convert_with_their_shortest_digits() {
        // PostgreSQL 15: 2.5::float8::numeric = 2.5, (0.1 + 0.2)::numeric
        // = 0.3, 1e20::float8::numeric = 100000000000000000000,
        // 1.23e-5::float8::numeric = 0.0000123, 3::float4::numeric = 3.
        assert_eq!(float_scale(2.5, 15), 1);
        assert_eq!(float_scale(0.1 + 0.2, 15), 1);
        assert_eq!(float_scale(1e20, 15), 0);
        assert_eq!(float_scale(1.23e-5, 15), 7);
        assert_eq!(float_scale(3.0, 6), 0);
        assert_eq!(float_scale(f64::from(0.1f32), 6), 1);
    }

    fn at(v: i128, scale: u32, shown: u32) -> String {
        let mut s = String::new();
        write_at_scale(&mut s, v, scale, shown);
        s
    }

    #[test]
    fn values_print_at_their_own_scale() {
        assert_eq!(at(0, 2, 0), "0");
        assert_eq!(at(1250, 2, 2), "12.50");
        assert_eq!(at(1250, 2, 1), "12.5");
        assert_eq!(at(5000, 2, 0), "50");
        assert_eq!(at(-100, 2, 0), "-1");
        assert_eq!(at(-5, 3, 3), "-0.005");
        assert_eq!(at(15, 1, 0), "2");
        assert_eq!(at(-15, 1, 0), "-2");
        assert_eq!(at(-4, 1, 0), "0");
    }
}
