//! A set-returning function that clients call in the SELECT list:
//! `information_schema._pg_expandarray(anyarray)`, PostgreSQL's function
//! of `(x, n)` records (element, 1-based position) that pgjdbc's
//! `getPrimaryKeys`/`getIndexInfo` call in the SELECT list, twice, reading
//! `(…).n` and `(keys).x`.
//!
//! DataFusion has no set-returning functions in the SELECT list, but it has
//! `unnest`, which zips several unnests of one projection in lockstep as
//! PostgreSQL does for SRFs. So [`rewrite`] turns `_pg_expandarray(arr)`
//! into `unnest(pg_expandarray_list(arr))`, where the scalar function here
//! builds the list of `{x, n}` structs (`(…).n` then reads a struct field).
//! (`generate_subscripts(arr, 1)`, SQLAlchemy's key reflection, is one of
//! the set-returning functions of `rewrite::srf`.)

use std::ops::ControlFlow;
use std::sync::Arc;

use crate::server::rewrite::call;
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Int32Builder, ListBuilder, StructBuilder,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::sql::sqlparser::ast::{
    AccessExpr, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, ObjectName,
    Statement, Value, visit_expressions_mut,
};

const NAME: &str = "pg_expandarray_list";

fn fields() -> Fields {
    Fields::from(vec![
        Field::new("x", DataType::Int32, true),
        Field::new("n", DataType::Int32, false),
    ])
}

/// Rewrites `[information_schema.]_pg_expandarray(a)` to
/// `unnest(pg_expandarray_list(a))`, and record field access `(r).f`, which
/// DataFusion plans only with a string key, to `get_field(r, 'f')`.
pub(crate) fn rewrite(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        if let Expr::CompoundFieldAccess { root, access_chain } = e
            && access_chain
                .iter()
                .all(|a| matches!(a, AccessExpr::Dot(Expr::Identifier(_))))
        {
            let mut out = root.as_ref().clone();
            for access in access_chain.iter() {
                if let AccessExpr::Dot(Expr::Identifier(field)) = access {
                    let name = match field.quote_style {
                        Some(_) => field.value.clone(),
                        None => field.value.to_lowercase(),
                    };
                    out = call(
                        "get_field",
                        vec![out, Expr::value(Value::SingleQuotedString(name))],
                        vec![],
                    );
                }
            }
            *e = out;
        }
        if let Expr::Function(f) = e
            && f.name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .is_some_and(|i| i.value.eq_ignore_ascii_case("_pg_expandarray"))
            && matches!(f.args, FunctionArguments::List(_))
        {
            let mut inner = f.clone();
            inner.name = ObjectName::from(vec![Ident::new(NAME)]);
            let mut outer = f.clone();
            outer.name = ObjectName::from(vec![Ident::new("unnest")]);
            if let FunctionArguments::List(list) = &mut outer.args {
                list.args = vec![FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Function(
                    inner,
                )))];
            }
            *e = Expr::Function(outer);
        }
        ControlFlow::<()>::Continue(())
    });
}

/// The scalar half: `int[] → {x, n}[]`.
pub(crate) fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(ExpandArray {
        signature: Signature::any(1, Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct ExpandArray {
    signature: Signature,
}

impl ScalarUDFImpl for ExpandArray {
    fn name(&self) -> &str {
        NAME
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::List(Arc::new(Field::new_list_field(
            DataType::Struct(fields()),
            true,
        ))))
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let list_type = DataType::List(Arc::new(Field::new_list_field(DataType::Int32, true)));
        let input: ArrayRef = match arrays[0].data_type() {
            DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(_, _) => {
                cast(&arrays[0], &list_type)?
            }
            DataType::Null => cast(&arrays[0], &list_type)?,
            other => return exec_err!("_pg_expandarray expects an array, got {other}"),
        };
        let lists = input.as_list::<i32>();
        let mut out =
            ListBuilder::new(StructBuilder::from_fields(fields(), lists.len())).with_field(
                Arc::new(Field::new_list_field(DataType::Struct(fields()), true)),
            );
        for i in 0..lists.len() {
            if lists.is_null(i) {
                out.append_null();
                continue;
            }
            let values = lists.value(i);
            let values = values.as_primitive::<datafusion::arrow::datatypes::Int32Type>();
            let entries = out.values();
            for (pos, v) in values.iter().enumerate() {
                entries
                    .field_builder::<Int32Builder>(0)
                    .expect("x")
                    .append_option(v);
                entries
                    .field_builder::<Int32Builder>(1)
                    .expect("n")
                    .append_value(pos as i32 + 1);
                entries.append(true);
            }
            out.append(true);
        }
        Ok(ColumnarValue::Array(Arc::new(out.finish())))
    }
}
