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
        let t = target(input.data_type());
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
        let [arg] = <[ColumnarValue; 1]>::try_from(args.args).map_err(|_| {
            datafusion::common::DataFusionError::Internal("numeric takes one argument".into())
        })?;
        arg.cast_to(&t, None)
    }
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
}
