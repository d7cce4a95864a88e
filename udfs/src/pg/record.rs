//! `tessera_record('name', value, …)`: a record (Arrow struct) whose
//! fields keep their values' field metadata — a `jsonb` column inside a
//! whole-row reference stays `jsonb` (written as JSON, not as a string, by
//! `to_json` and friends). DataFusion's `named_struct` makes plain fields.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, StructArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};

/// The function's name.
pub const NAME: &str = "tessera_record";

/// `tessera_record`.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(Record {
        signature: Signature::variadic_any(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Record {
    signature: Signature,
}

/// The record's fields: names from the constant name arguments, types and
/// metadata from the values'.
fn fields(args: &ReturnFieldArgs) -> Result<Fields> {
    if !args.arg_fields.len().is_multiple_of(2) {
        return plan_err!("{NAME} takes name/value pairs");
    }
    let mut fields = Vec::new();
    for pair in 0..args.arg_fields.len() / 2 {
        let name = match args.scalar_arguments[2 * pair] {
            Some(ScalarValue::Utf8(Some(n))) => n.clone(),
            _ => return plan_err!("{NAME} takes constant field names"),
        };
        let value = &args.arg_fields[2 * pair + 1];
        fields.push(Arc::new(
            Field::new(name, value.data_type().clone(), true)
                .with_metadata(value.metadata().clone()),
        ));
    }
    Ok(Fields::from(fields))
}

impl ScalarUDFImpl for Record {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        plan_err!("{NAME}'s type comes from its arguments' fields")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        Ok(Arc::new(Field::new(
            NAME,
            DataType::Struct(fields(&args)?),
            true,
        )))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let DataType::Struct(fields) = args.return_field.data_type() else {
            return exec_err!("{NAME} returns a record");
        };
        let values: Vec<ArrayRef> = (args.args.iter().skip(1).step_by(2))
            .map(|a| a.to_array(args.number_rows))
            .collect::<Result<_>>()?;
        let array = StructArray::try_new(fields.clone(), values, None)?;
        Ok(ColumnarValue::Array(Arc::new(array)))
    }
}
