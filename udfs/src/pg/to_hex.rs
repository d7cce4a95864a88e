//! `to_hex(int4)` and `to_hex(int8)` as PostgreSQL has them: a negative
//! number is written as its two's complement in its own width
//! (`to_hex(-1)` is `ffffffff`, `to_hex(-1::bigint)` `ffffffffffffffff`);
//! DataFusion's `to_hex` widens every integer to 64 bits first.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Int32Type, Int64Type};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The `to_hex` function.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(ToHex {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct ToHex {
    signature: Signature,
}

impl ScalarUDFImpl for ToHex {
    fn name(&self) -> &str {
        "to_hex"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [
                DataType::Int8
                | DataType::Int16
                | DataType::Int32
                | DataType::UInt8
                | DataType::UInt16,
            ] => Ok(vec![DataType::Int32]),
            [t] if t.is_integer() || t.is_null() => Ok(vec![DataType::Int64]),
            [t] => plan_err!("function to_hex({t}) does not exist"),
            _ => plan_err!("function to_hex takes one argument"),
        }
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let input = args.args[0].to_array(args.number_rows)?;
        let mut out = StringBuilder::with_capacity(input.len(), input.len() * 8);
        if input.data_type() == &DataType::Int32 {
            for v in input.as_primitive::<Int32Type>() {
                out.append_option(v.map(|v| format!("{:x}", v as u32)));
            }
        } else {
            for v in input.as_primitive::<Int64Type>() {
                out.append_option(v.map(|v| format!("{:x}", v as u64)));
            }
        }
        super::result(Arc::new(out.finish()), scalar)
    }
}
