//! `pg_array_remove(array, x)`, PostgreSQL's `array_remove`: every element
//! equal to `x` removed, elements compared with `IS NOT DISTINCT FROM`, so
//! `array_remove(a, NULL)` removes the NULLs. DataFusion's
//! `array_remove_all`, which this delegates to, answers NULL for a NULL
//! `x`; rows with a NULL `x` get the array without its NULLs instead.
//! (Tessera's SQL rewrite calls this for `array_remove`.)

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::kernels::zip::zip;
use datafusion::arrow::compute::{filter, is_not_null, is_null};
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::datatypes::FieldRef;
use datafusion::common::Result;
use datafusion::functions_nested::remove::array_remove_all_udf;
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
};

/// Name of the function.
pub const NAME: &str = "pg_array_remove";

/// The function.
pub fn function() -> ScalarUDF {
    ScalarUDF::new_from_impl(ArrayRemove {
        inner: array_remove_all_udf(),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct ArrayRemove {
    inner: Arc<ScalarUDF>,
}

impl ScalarUDFImpl for ArrayRemove {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        self.inner.signature()
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        self.inner.coerce_types(arg_types)
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        self.inner.return_type(arg_types)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        self.inner.return_field_from_args(args)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let scalar = super::all_scalar(&args.args);
        let list = args.args[0].clone();
        let element = args.args[1].clone();
        let removed = self.inner.invoke_with_args(args)?;
        let element = element.to_array(rows)?;
        if element.null_count() == 0 {
            return Ok(removed);
        }
        let list = list.to_array(rows)?;
        let removed = removed.to_array(rows)?;
        let Some(list) = list.as_list_opt::<i32>() else {
            return Ok(ColumnarValue::Array(removed));
        };
        let without_nulls = drop_nulls(list)?;
        if without_nulls.data_type() != removed.data_type() {
            return Ok(ColumnarValue::Array(removed));
        }
        let out = zip(&is_null(&element)?, &without_nulls, &removed)?;
        Ok(if scalar {
            ColumnarValue::Scalar(datafusion::common::ScalarValue::try_from_array(&out, 0)?)
        } else {
            ColumnarValue::Array(out)
        })
    }
}

/// `list` with the NULL elements of every row removed.
fn drop_nulls(list: &ListArray) -> Result<ArrayRef> {
    let offsets = list.value_offsets();
    let (start, end) = (offsets[0] as usize, offsets[list.len()] as usize);
    let values = list.values().slice(start, end - start);
    let keep = is_not_null(&values)?;
    let lengths = offsets.windows(2).map(|w| {
        let (a, b) = (w[0] as usize - start, w[1] as usize - start);
        keep.slice(a, b - a).true_count()
    });
    let DataType::List(field) = list.data_type() else {
        unreachable!("a ListArray has a List type")
    };
    Ok(Arc::new(ListArray::try_new(
        field.clone(),
        OffsetBuffer::from_lengths(lengths),
        filter(&values, &keep)?,
        list.nulls().cloned(),
    )?))
}
