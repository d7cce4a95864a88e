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

use datafusion::arrow::array::{Array, AsArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Field, FieldRef, Int32Type};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};

use super::chars::PG_TYPE_KEY;

/// The function's name (the engine plans calls to it by name).
pub const NAME: &str = "tessera_numeric_text";

/// `tessera_numeric_text`.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(NumericText {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct NumericText {
    signature: Signature,
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
        NAME
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
        let field = Field::new(NAME, DataType::Utf8, true);
        Ok(Arc::new(field.with_metadata(
            [(PG_TYPE_KEY.to_string(), "numeric".to_string())].into(),
        )))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = args
            .args
            .iter()
            .all(|a| matches!(a, ColumnarValue::Scalar(_)));
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
    use super::write_at_scale;

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
