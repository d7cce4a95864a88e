//! Integer arithmetic that fails on overflow, as in PostgreSQL.
//!
//! DataFusion evaluates `+`, `-` and `*` on integers with Arrow's wrapping
//! kernels: `2147483647 + 1` answered -2147483648 where PostgreSQL raises
//! `integer out of range` (22003). [`CheckedIntegers`] runs after type
//! coercion (both operands then have one integer type) and makes each such
//! operation `tessera_udfs::pg::checked_int`'s function of the same
//! operator. Expressions keep their names.

use std::sync::{Arc, LazyLock};

use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result};
use datafusion::logical_expr::{BinaryExpr, Expr, ExprSchemable, LogicalPlan, Operator, ScalarUDF};
use datafusion::optimizer::AnalyzerRule;
use tessera_udfs::pg::checked_int::{self, Op};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct CheckedIntegers;

static FUNCTIONS: LazyLock<[Arc<ScalarUDF>; 3]> =
    LazyLock::new(|| [Op::Plus, Op::Minus, Op::Multiply].map(|op| Arc::new(checked_int::udf(op))));

/// `e` with integer `+`, `-`, `*` made checked.
fn checked(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    let Expr::BinaryExpr(BinaryExpr { left, op, right }) = &e else {
        return Ok(Transformed::no(e));
    };
    let f = match op {
        Operator::Plus => &FUNCTIONS[0],
        Operator::Minus => &FUNCTIONS[1],
        Operator::Multiply => &FUNCTIONS[2],
        _ => return Ok(Transformed::no(e)),
    };
    let (Ok(l), Ok(r)) = (left.get_type(schema), right.get_type(schema)) else {
        return Ok(Transformed::no(e));
    };
    if l != r || !checked_int::is_checked_type(&l) {
        return Ok(Transformed::no(e));
    }
    let Expr::BinaryExpr(BinaryExpr { left, right, .. }) = e else {
        unreachable!("matched above")
    };
    Ok(Transformed::yes(f.call(vec![*left, *right])))
}

impl AnalyzerRule for CheckedIntegers {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        crate::coercion::rewrite_plan(plan, checked, false)
    }

    fn name(&self) -> &str {
        "tessera_checked_integers"
    }
}
