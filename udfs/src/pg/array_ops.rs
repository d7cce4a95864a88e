//! Array comparisons with PostgreSQL's three-valued logic, where
//! DataFusion's functions treat NULL elements as ordinary values:
//!
//! - `pg_array_any_eq(array, x)`, PostgreSQL's `x = ANY(array)` (and so
//!   `x <> ALL(array)` as its negation): true when an element equals `x`;
//!   otherwise NULL when `x` or an element is NULL; false else (an empty
//!   array: false). DataFusion's `array_has` answers false where
//!   PostgreSQL answers NULL (`5 = ANY(ARRAY[1, NULL])`).
//! - `pg_array_overlap(a, b)`, PostgreSQL's `a && b`: true when the arrays
//!   share a non-NULL element (`ARRAY[1, NULL] && ARRAY[NULL]` is false;
//!   DataFusion's `array_has_any` matches the NULLs).
//!
//! Elements are compared through Arrow's row format, so any element type
//! works, and a constant array (the usual `IN`-like list) is hashed once.

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::arrow::row::{RowConverter, SortField};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::type_coercion::binary::comparison_coercion;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The functions of this module.
pub fn functions() -> Vec<ScalarUDF> {
    vec![
        ScalarUDF::new_from_impl(ArrayOp {
            op: Op::AnyEq,
            signature: Signature::user_defined(Volatility::Immutable),
        }),
        ScalarUDF::new_from_impl(ArrayOp {
            op: Op::Overlap,
            signature: Signature::user_defined(Volatility::Immutable),
        }),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Op {
    AnyEq,
    Overlap,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct ArrayOp {
    op: Op,
    signature: Signature,
}

fn element(t: &DataType) -> Option<&DataType> {
    match t {
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => {
            Some(f.data_type())
        }
        _ => None,
    }
}

fn list_of(t: DataType) -> DataType {
    DataType::LargeList(Arc::new(Field::new_list_field(t, true)))
}

impl ScalarUDFImpl for ArrayOp {
    fn name(&self) -> &str {
        match self.op {
            Op::AnyEq => "pg_array_any_eq",
            Op::Overlap => "pg_array_overlap",
        }
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let [a, b] = arg_types else {
            return plan_err!("{} takes two arguments", self.name());
        };
        let a_elem = element(a).cloned().unwrap_or(DataType::Null);
        let b_elem = match self.op {
            Op::AnyEq => b.clone(),
            Op::Overlap => element(b).cloned().unwrap_or(DataType::Null),
        };
        if !a.is_null() && element(a).is_none() {
            return plan_err!("op ANY/ALL (array) requires array on right side, not {a}");
        }
        let Some(common) = comparison_coercion(&a_elem, &b_elem) else {
            return plan_err!("operator does not exist: {a_elem} = {b_elem}");
        };
        Ok(match self.op {
            Op::AnyEq => vec![list_of(common.clone()), common],
            Op::Overlap => vec![list_of(common.clone()), list_of(common)],
        })
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let n = args.number_rows;
        let constant_list = matches!(args.args[0], ColumnarValue::Scalar(_));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let out = match self.op {
            Op::AnyEq => any_eq(&arrays[0], &arrays[1], constant_list, n)?,
            Op::Overlap => overlap(&arrays[0], &arrays[1], n)?,
        };
        super::result(out, scalar)
    }
}

/// The element type's row encoding, for hashing and equality.
fn converter(t: &DataType) -> Result<RowConverter> {
    Ok(RowConverter::new(vec![SortField::new(t.clone())])?)
}

/// The encoded non-NULL values of `values`, and whether one was NULL.
fn value_set(conv: &RowConverter, values: &ArrayRef) -> Result<(HashSet<Vec<u8>>, bool)> {
    let rows = conv.convert_columns(&[Arc::clone(values)])?;
    let mut set = HashSet::with_capacity(values.len());
    let mut null = false;
    for i in 0..values.len() {
        if values.is_null(i) {
            null = true;
        } else {
            set.insert(rows.row(i).as_ref().to_vec());
        }
    }
    Ok((set, null))
}

fn any_eq(list: &ArrayRef, x: &ArrayRef, constant_list: bool, n: usize) -> Result<ArrayRef> {
    let list = cast(list, &list_of(x.data_type().clone()))?;
    let list = list.as_list::<i64>();
    let conv = converter(x.data_type())?;
    let xs = conv.convert_columns(&[Arc::clone(x)])?;
    let mut out = BooleanBuilder::with_capacity(n);
    let constant = if constant_list && list.is_valid(0) {
        Some(value_set(&conv, &list.value(0))?)
    } else {
        None
    };
    for i in 0..n {
        if list.is_null(i) {
            out.append_null();
            continue;
        }
        let owned;
        let (set, has_null) = match &constant {
            Some(c) => c,
            None => {
                owned = value_set(&conv, &list.value(i))?;
                &owned
            }
        };
        if set.is_empty() && !*has_null {
            out.append_value(false);
        } else if x.is_null(i) {
            out.append_null();
        } else if set.contains(xs.row(i).as_ref()) {
            out.append_value(true);
        } else if *has_null {
            out.append_null();
        } else {
            out.append_value(false);
        }
    }
    Ok(Arc::new(out.finish()))
}

fn overlap(a: &ArrayRef, b: &ArrayRef, n: usize) -> Result<ArrayRef> {
    let a = a.as_list::<i64>();
    let b = b.as_list::<i64>();
    let DataType::LargeList(f) = a.data_type() else {
        unreachable!("coerced to a large list")
    };
    let conv = converter(f.data_type())?;
    let mut out = BooleanBuilder::with_capacity(n);
    for i in 0..n {
        if a.is_null(i) || b.is_null(i) {
            out.append_null();
            continue;
        }
        let (set, _) = value_set(&conv, &b.value(i))?;
        let values = a.value(i);
        let rows = conv.convert_columns(&[Arc::clone(&values)])?;
        let shared =
            (0..values.len()).any(|j| values.is_valid(j) && set.contains(rows.row(j).as_ref()));
        out.append_value(shared);
    }
    Ok(Arc::new(out.finish()))
}
