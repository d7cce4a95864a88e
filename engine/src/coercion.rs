//! PostgreSQL's typing of string literals where DataFusion has none.
//!
//! In PostgreSQL a quoted literal is of type `unknown` until its context
//! types it: `indisprimary = 'f'` compares two booleans. DataFusion types
//! it as text and fails ("Cannot infer common argument type for comparison
//! operation Boolean = Utf8"). [`BoolLiterals`] runs before DataFusion's
//! type coercion and turns such literals, compared with a boolean
//! expression, into boolean literals (`t`/`true`/`yes`/`on`/`1` and their
//! negations, as PostgreSQL's `boolin` accepts); any other text is left for
//! the usual error.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::logical_expr::{BinaryExpr, Expr, ExprSchemable, LogicalPlan, Operator};
use datafusion::optimizer::AnalyzerRule;
use datafusion::prelude::SessionContext;

/// See the module documentation.
#[derive(Debug, Default)]
pub struct BoolLiterals;

/// Installs [`BoolLiterals`] ahead of the analyzer's other rules.
pub fn install(ctx: &SessionContext) {
    let state = ctx.state_ref();
    let current = state.read().clone();
    let mut rules = current.analyzer().rules.clone();
    rules.insert(0, Arc::new(BoolLiterals));
    let new_state = SessionStateBuilder::new_from_existing(current)
        .with_analyzer_rules(rules)
        .build();
    *state.write() = new_state;
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "t" | "true" | "y" | "yes" | "on" | "1" => Some(true),
        "f" | "false" | "n" | "no" | "off" | "0" => Some(false),
        _ => None,
    }
}

fn text_literal(e: &Expr) -> Option<&str> {
    match e {
        Expr::Literal(ScalarValue::Utf8(Some(s)) | ScalarValue::Utf8View(Some(s)), _) => Some(s),
        _ => None,
    }
}

fn fix(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    let Expr::BinaryExpr(BinaryExpr { left, op, right }) = &e else {
        return Ok(Transformed::no(e));
    };
    if !matches!(
        op,
        Operator::Eq | Operator::NotEq | Operator::IsDistinctFrom | Operator::IsNotDistinctFrom
    ) {
        return Ok(Transformed::no(e));
    }
    let is_bool = |x: &Expr| matches!(x.get_type(schema), Ok(DataType::Boolean));
    let boolean = |s: &str| Expr::Literal(ScalarValue::Boolean(parse_bool(s)), None);
    let (l, r) = match (text_literal(left), text_literal(right)) {
        (None, Some(s)) if parse_bool(s).is_some() && is_bool(left) => {
            (left.as_ref().clone(), boolean(s))
        }
        (Some(s), None) if parse_bool(s).is_some() && is_bool(right) => {
            (boolean(s), right.as_ref().clone())
        }
        _ => return Ok(Transformed::no(e)),
    };
    Ok(Transformed::yes(Expr::BinaryExpr(BinaryExpr::new(
        Box::new(l),
        *op,
        Box::new(r),
    ))))
}

impl AnalyzerRule for BoolLiterals {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        plan.transform_up_with_subqueries(|node| {
            let mut schema = DFSchema::empty();
            for input in node.inputs() {
                schema.merge(input.schema());
            }
            node.map_expressions(|expr| expr.transform_up(|x| fix(x, &schema)))
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "tessera_bool_literals"
    }
}
