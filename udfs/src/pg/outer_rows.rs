//! `pg_rows_or_null(list)`: the list, or a list of one NULL where it is
//! NULL or empty. The engine's rewrite of `LEFT JOIN LATERAL f(…) AS e ON
//! true` (`rewrite::srf`) unnests it instead of `f`'s list, so that a row
//! whose function yields nothing is kept once, with NULL columns, as in
//! PostgreSQL.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, GenericListArray, MutableArrayData, OffsetSizeTrait,
};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// `pg_rows_or_null`.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(RowsOrNull {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct RowsOrNull {
    signature: Signature,
}

impl ScalarUDFImpl for RowsOrNull {
    fn name(&self) -> &str {
        "pg_rows_or_null"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [t @ (DataType::List(_) | DataType::LargeList(_))] => Ok(vec![t.clone()]),
            _ => plan_err!("pg_rows_or_null takes a list"),
        }
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        let nullable = |f: &datafusion::arrow::datatypes::FieldRef| {
            Arc::new(f.as_ref().clone().with_nullable(true))
        };
        Ok(match &arg_types[0] {
            DataType::LargeList(f) => DataType::LargeList(nullable(f)),
            DataType::List(f) => DataType::List(nullable(f)),
            other => other.clone(),
        })
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let a = args.args[0].to_array(args.number_rows)?;
        let out = match a.data_type() {
            DataType::LargeList(_) => rows_or_null(a.as_list::<i64>())?,
            _ => rows_or_null(a.as_list::<i32>())?,
        };
        super::result(out, scalar)
    }
}

fn rows_or_null<O: OffsetSizeTrait>(lists: &GenericListArray<O>) -> Result<ArrayRef> {
    let values = lists.values().to_data();
    let mut out = MutableArrayData::new(vec![&values], true, values.len() + lists.len());
    let mut lengths = Vec::with_capacity(lists.len());
    for i in 0..lists.len() {
        let (start, end) = (
            lists.value_offsets()[i].as_usize(),
            lists.value_offsets()[i + 1].as_usize(),
        );
        if lists.is_valid(i) && end > start {
            out.try_extend(0, start, end)?;
            lengths.push(end - start);
        } else {
            out.try_extend_nulls(1)?;
            lengths.push(1);
        }
    }
    let (DataType::List(field) | DataType::LargeList(field)) = lists.data_type() else {
        unreachable!("a list array")
    };
    let values = datafusion::arrow::array::make_array(out.freeze());
    Ok(Arc::new(GenericListArray::<O>::new(
        Arc::new(field.as_ref().clone().with_nullable(true)),
        OffsetBuffer::from_lengths(lengths),
        values,
        None,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::ListArray;
    use datafusion::arrow::datatypes::Int32Type;

    #[test]
    fn empty_and_null_lists_become_one_null() {
        let lists = ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
            Some(vec![Some(1), Some(2)]),
            None,
            Some(vec![]),
            Some(vec![Some(3)]),
        ]);
        let out = rows_or_null(&lists).unwrap();
        let out = out.as_list::<i32>();
        let rows: Vec<Vec<Option<i32>>> = (0..out.len())
            .map(|i| out.value(i).as_primitive::<Int32Type>().iter().collect())
            .collect();
        assert_eq!(
            rows,
            vec![
                vec![Some(1), Some(2)],
                vec![None],
                vec![None],
                vec![Some(3)]
            ]
        );
    }
}
