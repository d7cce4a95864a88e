//! Whole-row references: `row_to_json(t)`, `to_jsonb(t)`, `json_agg(t)`,
//! where `t` names a relation of the `FROM` clause and stands for its
//! current row, as a record of all its columns.
//!
//! DataFusion has no such reference: the SQL front end
//! (`server::rewrite::whole_row`) spells `t` (or `t.*`) inside the JSON
//! functions as the marker `tessera_whole_row('t')`, and here, with the
//! node's input schema at hand, the marker becomes `tessera_record('col',
//! t.col, …)` over the relation's columns in order — the record that
//! PostgreSQL's JSON functions write as `{"col":…}` (its fields keep their
//! columns' metadata: a `jsonb` column is written as JSON).

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Column, DFSchema, Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{
    ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility, lit,
};

/// The marker's name.
pub const MARKER: &str = "tessera_whole_row";

/// The marker function (replaced before execution).
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(WholeRow {
        signature: Signature::any(1, Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct WholeRow {
    signature: Signature,
}

impl ScalarUDFImpl for WholeRow {
    fn name(&self) -> &str {
        MARKER
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Null)
    }
    fn invoke_with_args(&self, _: ScalarFunctionArgs) -> Result<ColumnarValue> {
        exec_err!("a whole-row reference is not supported in this position")
    }
}

/// The record `e` stands for when it is the marker, over the columns of
/// `schema` (a node's input) that belong to the named relation.
pub(crate) fn expand(e: &Expr, schema: &DFSchema) -> Option<Result<Expr>> {
    let Expr::ScalarFunction(ScalarFunction { func, args }) = e else {
        return None;
    };
    if func.name() != MARKER {
        return None;
    }
    let Some(Expr::Literal(ScalarValue::Utf8(Some(name)), _)) = args.first() else {
        return Some(plan_err!("{MARKER} takes a relation name"));
    };
    let mut fields = Vec::new();
    for (qualifier, field) in schema.iter() {
        if qualifier.is_some_and(|q| q.table() == name.as_str()) {
            fields.push(lit(field.name().as_str()));
            fields.push(Expr::Column(Column::from((qualifier, field))));
        }
    }
    if fields.is_empty() {
        return Some(plan_err!("column \"{name}\" does not exist"));
    }
    Some(Ok(tessera_udfs::pg::record::udf().call(fields)))
}
