//! `ORDER BY … FETCH FIRST n ROWS WITH TIES`: the first `n` rows and every
//! row that sorts equal to the `n`th. DataFusion has no such limit, so the
//! SQL front end (`server::rewrite::fetch_first`) drops the `FETCH` and
//! appends `tessera_with_ties(n)` to the `ORDER BY` as a marker; here the
//! marked sort becomes
//!
//! ```text
//! Sort(keys) ← Projection(columns) ← Filter(rank <= n)
//!            ← Window(rank() OVER (ORDER BY keys))
//! ```
//!
//! A row is within the first `n` or tied with the `n`th exactly when its
//! peer group starts at or before position `n`, that is when its `rank()`
//! is at most `n`.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::expr::{ScalarFunction, Sort};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprFunctionExt, LogicalPlan, LogicalPlanBuilder, ScalarFunctionArgs,
    ScalarUDF, ScalarUDFImpl, Signature, Volatility, col, lit,
};

/// The marker's name.
pub const MARKER: &str = "tessera_with_ties";

/// The marker function (never evaluated when the rewrite applies).
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(WithTies {
        signature: Signature::any(1, Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct WithTies {
    signature: Signature,
}

impl ScalarUDFImpl for WithTies {
    fn name(&self) -> &str {
        MARKER
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }
    fn invoke_with_args(&self, _: ScalarFunctionArgs) -> Result<ColumnarValue> {
        exec_err!("FETCH FIRST … WITH TIES is not supported in this position")
    }
}

/// The row count of a sort key that is the marker.
fn marker_count(key: &Sort) -> Option<Result<i64>> {
    let Expr::ScalarFunction(ScalarFunction { func, args }) = &key.expr else {
        return None;
    };
    if func.name() != MARKER {
        return None;
    }
    let count = match args.first() {
        Some(Expr::Literal(v, _)) => match v {
            ScalarValue::Int64(Some(n)) => Ok(*n),
            ScalarValue::Int32(Some(n)) => Ok(i64::from(*n)),
            ScalarValue::UInt64(Some(n)) => {
                i64::try_from(*n).or_else(|_| plan_err!("FETCH FIRST row count out of range"))
            }
            _ => plan_err!("FETCH FIRST … WITH TIES needs a constant row count"),
        },
        _ => plan_err!("FETCH FIRST … WITH TIES needs a constant row count"),
    };
    Some(count)
}

/// `plan` rewritten when it is a sort marked with [`MARKER`].
pub(super) fn rewrite(plan: &LogicalPlan) -> Result<Option<LogicalPlan>> {
    let LogicalPlan::Sort(sort) = plan else {
        return Ok(None);
    };
    let Some(count) = sort.expr.last().and_then(marker_count) else {
        return Ok(None);
    };
    let count = count?;
    if count < 0 {
        return plan_err!("row count cannot be negative in FETCH FIRST … WITH TIES");
    }
    let keys: Vec<Sort> = sort.expr[..sort.expr.len() - 1].to_vec();
    let columns: Vec<Expr> = sort
        .input
        .schema()
        .columns()
        .into_iter()
        .map(Expr::Column)
        .collect();
    let rank = datafusion::functions_window::expr_fn::rank()
        .order_by(keys.clone())
        .build()?
        .alias(RANK);
    let ranked = LogicalPlanBuilder::from(Arc::clone(&sort.input))
        .window(vec![rank])?
        .filter(col(RANK).lt_eq(lit(count)))?
        .project(columns)?
        .sort_with_limit(keys, sort.fetch)?
        .build()?;
    Ok(Some(ranked))
}

const RANK: &str = "__tessera_with_ties_rank";
