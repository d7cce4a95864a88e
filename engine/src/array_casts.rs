//! Text cast to an array, read as PostgreSQL's `array_in` reads it.
//!
//! `INSERT INTO t (tags) VALUES ('{a,b}')` (psql scripts, dumps, a client
//! binding a text parameter to an array column) is planned as a cast of
//! the text to the column's list type, and Arrow's cast makes the whole
//! text one element: the row stored `{"{a,b}"}`, and `'{1,2}'` into an
//! `int[]` failed. After type coercion every such cast reads the text as
//! an array literal instead: a literal is parsed once into a list literal
//! (`malformed array literal` 22P02 at planning when it is not one), any
//! other text goes through `tessera_array_in` row by row, and the text
//! elements are then cast to the element type.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::logical_expr::{Cast, Expr, ExprSchemable, LogicalPlan, TryCast};
use datafusion::optimizer::AnalyzerRule;

use tessera_udfs::error::{DataErrorKind, data_error};
use tessera_udfs::pg::array_text;

/// The analyzer rule (installed by `crate::coercion::install`).
#[derive(Debug)]
pub struct ArrayCasts;

impl AnalyzerRule for ArrayCasts {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        crate::coercion::rewrite_plan(plan, read_arrays, false)
    }

    fn name(&self) -> &str {
        "tessera_array_casts"
    }
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

fn is_list(t: &DataType) -> bool {
    matches!(t, DataType::List(_) | DataType::LargeList(_))
}

fn read_arrays(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    let (inner, target) = match &e {
        Expr::Cast(Cast { expr, field }) | Expr::TryCast(TryCast { expr, field }) => {
            (expr.as_ref(), field.data_type().clone())
        }
        _ => return Ok(Transformed::no(e)),
    };
    if !is_list(&target) || !inner.get_type(schema).is_ok_and(|t| is_text(&t)) {
        return Ok(Transformed::no(e));
    }
    if let Expr::Literal(v, _) = inner {
        let text = match v {
            ScalarValue::Utf8(t) | ScalarValue::LargeUtf8(t) | ScalarValue::Utf8View(t) => t,
            _ => return Ok(Transformed::no(e)),
        };
        let Some(text) = text else {
            return Ok(Transformed::yes(Expr::Literal(
                ScalarValue::try_from(&target)?,
                None,
            )));
        };
        // Nested literals (`'{{1,2},{3,4}}'`) are the statement rewrites'.
        if array_text::parse(text).is_some_and(|n| array_text::depth(&n) > 1) {
            return Ok(Transformed::no(e));
        }
        let Some(items) = array_text::elements(text) else {
            return Err(data_error(
                DataErrorKind::InvalidTextRepresentation,
                format!("malformed array literal: \"{text}\""),
            ));
        };
        let items: Vec<ScalarValue> = items.into_iter().map(ScalarValue::Utf8).collect();
        let list = ScalarValue::List(ScalarValue::new_list_nullable(&items, &DataType::Utf8));
        return Ok(Transformed::yes(Expr::Literal(
            list.cast_to(&target)?,
            None,
        )));
    }
    let text = if inner.get_type(schema)? == DataType::Utf8 {
        inner.clone()
    } else {
        Expr::Cast(Cast::new(Box::new(inner.clone()), DataType::Utf8))
    };
    let read = Arc::new(array_text::udf()).call(vec![text]);
    Ok(Transformed::yes(Expr::Cast(Cast::new(
        Box::new(read),
        target,
    ))))
}
