//! PostgreSQL's typing of string literals where DataFusion has none.
//!
//! In PostgreSQL a quoted literal is of type `unknown` until its context
//! types it: `indisprimary = 'f'` compares two booleans. DataFusion types
//! it as text and fails ("Cannot infer common argument type for comparison
//! operation Boolean = Utf8"). [`BoolLiterals`] runs before DataFusion's
//! type coercion and turns such literals, compared with a boolean
//! expression, into boolean literals (`t`/`true`/`yes`/`on`/`1` and their
//! negations, as PostgreSQL's `boolin` accepts); any other text is left for
//! the usual error. Likewise a quoted literal in arithmetic with a number
//! takes the number's type (`'1' + 1` is the integer 2).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr};
use datafusion::logical_expr::{BinaryExpr, Expr, ExprSchemable, LogicalPlan, Operator};
use datafusion::optimizer::AnalyzerRule;
use datafusion::prelude::SessionContext;

/// See the module documentation.
#[derive(Debug, Default)]
pub struct BoolLiterals;

/// Installs Tessera's analyzer rules around DataFusion's: before its type
/// coercion, [`crate::text_casts::TextCasts`],
/// [`crate::zoned_casts::DatesBesideInstants`] and [`BoolLiterals`]; after
/// it, [`crate::zoned_casts::ZonedCasts`] and
/// [`crate::checked_ints::CheckedIntegers`]. One rebuild of the session
/// state for all of them.
pub fn install(ctx: &SessionContext) {
    let first: [Arc<dyn AnalyzerRule + Send + Sync>; 3] = [
        Arc::new(crate::text_casts::TextCasts),
        Arc::new(crate::zoned_casts::DatesBesideInstants),
        Arc::new(BoolLiterals),
    ];
    let last: [Arc<dyn AnalyzerRule + Send + Sync>; 3] = [
        Arc::new(crate::zoned_casts::ZonedCasts),
        Arc::new(crate::checked_ints::CheckedIntegers),
        Arc::new(crate::array_casts::ArrayCasts),
    ];
    let state = ctx.state_ref();
    let current = state.read().clone();
    let mut rules: Vec<_> = first.into_iter().collect();
    rules.extend(current.analyzer().rules.iter().cloned());
    rules.extend(last);
    let new_state = SessionStateBuilder::new_from_existing(current)
        .with_analyzer_rules(rules)
        .build();
    *state.write() = new_state;
}

/// Runs `rewrite` over every expression of `plan`, with the schema of the
/// node's inputs; `retype`: recompute each node's schema (the rewrite may
/// change types), as DataFusion's type coercion does.
pub(crate) fn rewrite_plan(
    plan: LogicalPlan,
    rewrite: fn(Expr, &DFSchema) -> Result<Transformed<Expr>>,
    retype: bool,
) -> Result<LogicalPlan> {
    plan.transform_up_with_subqueries(|node| {
        let mut schema = DFSchema::empty();
        for input in node.inputs() {
            schema.merge(input.schema());
        }
        // Rewritten expressions keep their names (nodes above refer to an
        // aggregate's outputs by them), as DataFusion's type coercion does.
        let names = NamePreserver::new(&node);
        let node = node.map_expressions(|expr| {
            let name = names.save(&expr);
            expr.transform_up(|x| rewrite(x, &schema))
                .map(|t| t.update_data(|e| name.restore(e)))
        })?;
        if retype {
            node.map_data(LogicalPlan::recompute_schema)
        } else {
            Ok(node)
        }
    })
    .map(|t| t.data)
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

/// The type an untyped literal takes beside a number in arithmetic, as
/// PostgreSQL resolves `unknown` to the other operand's type: the same
/// integer or float type, or for `numeric` a decimal with the literal's own
/// digits (`'2.5' * 2::numeric` is 5.0, not 2.5 rounded to the other
/// operand's scale). Text that is not a number is left to the cast's error
/// (22P02), as PostgreSQL reports it.
fn numeric_type_for(text: &str, other: &DataType) -> Option<DataType> {
    match other {
        t if t.is_integer() || t.is_floating() => Some(t.clone()),
        DataType::Decimal128(..) | DataType::Decimal256(..) => {
            let t = text.trim();
            let digits = t.trim_start_matches(['+', '-']);
            let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
            let plain = !(int.is_empty() && frac.is_empty())
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit());
            let scale = if plain { frac.len() } else { 10 };
            let precision = (int.trim_start_matches('0').len() + scale).clamp(1, 38);
            (scale <= 38).then(|| DataType::Decimal128(precision.max(scale) as u8, scale as i8))
        }
        _ => None,
    }
}

/// Untyped literals typed by their context while the SQL is planned:
/// `'1' + 1` (in arithmetic with a number: the number's type) and
/// `tags = '{}'` (compared with an array: an array literal). DataFusion
/// types these operations while it plans the SQL, and fails ("Cannot
/// coerce arithmetic expression Utf8 + Int64"), before any analyzer rule
/// runs, so this is an expression planner.
#[derive(Debug, Default)]
pub struct UnknownLiterals;

impl ExprPlanner for UnknownLiterals {
    fn plan_binary_op(
        &self,
        mut expr: RawBinaryExpr,
        schema: &DFSchema,
    ) -> Result<PlannerResult<RawBinaryExpr>> {
        use datafusion::sql::sqlparser::ast::BinaryOperator as B;
        let typed = match expr.op {
            B::Plus | B::Minus | B::Multiply | B::Divide | B::Modulo => {
                typed_operands(&expr.left, &expr.right, |text, other| {
                    number_literal(text, other, schema)
                })
            }
            B::Eq | B::NotEq => typed_operands(&expr.left, &expr.right, |text, other| {
                array_literal(text, other, schema)
            }),
            _ => None,
        };
        if let Some((l, r)) = typed {
            expr.left = l;
            expr.right = r;
        }
        if expr.op == B::Minus {
            instants_apart(&mut expr, schema);
        }
        Ok(PlannerResult::Original(expr))
    }
}

/// `a - b` of two instants: PostgreSQL's `timestamptz` is one type, but
/// DataFusion tags a typed literal (`timestamptz '2024-01-01'`) with the
/// session's zone and stored values with UTC, and refuses to subtract
/// differently tagged timestamps while it plans the SQL; both become UTC
/// microseconds (the instants stay). An untyped literal beside an instant
/// is of the instant's type (`paid_at - '2024-01-01'`), read later by
/// PostgreSQL's input rules in the session's zone (`crate::zoned_casts`).
fn instants_apart(expr: &mut RawBinaryExpr, schema: &DFSchema) {
    use datafusion::arrow::datatypes::TimeUnit;
    let utc = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
    let instant = |e: &Expr| match e.get_type(schema) {
        Ok(t @ DataType::Timestamp(_, Some(_))) => Some(t),
        _ => None,
    };
    let cast = |e: &Expr, t: &DataType| {
        Expr::Cast(datafusion::logical_expr::Cast::new(
            Box::new(e.clone()),
            t.clone(),
        ))
    };
    match (instant(&expr.left), instant(&expr.right)) {
        (Some(l), Some(r)) if l != r => {
            expr.left = cast(&expr.left, &utc);
            expr.right = cast(&expr.right, &utc);
        }
        // The literal takes the instant's own type.
        (Some(l), None) if text_literal(&expr.right).is_some() => {
            expr.right = cast(&expr.right, &l);
        }
        (None, Some(r)) if text_literal(&expr.left).is_some() => {
            expr.left = cast(&expr.left, &r);
        }
        _ => {}
    }
}

/// The operands with the one untyped literal typed by `type_it` from the
/// other operand, or `None`.
fn typed_operands(
    left: &Expr,
    right: &Expr,
    type_it: impl Fn(&str, &Expr) -> Option<Expr>,
) -> Option<(Expr, Expr)> {
    Some(match (text_literal(left), text_literal(right)) {
        (Some(s), None) => (type_it(s, right)?, right.clone()),
        (None, Some(s)) => (left.clone(), type_it(s, left)?),
        _ => return None,
    })
}

/// `text` cast to the type it takes beside the number `other`
/// ([`numeric_type_for`]). An integer literal is `integer` in PostgreSQL
/// (DataFusion plans it as bigint until Tessera's type rules run).
fn number_literal(text: &str, other: &Expr, schema: &DFSchema) -> Option<Expr> {
    let other_type = match other {
        Expr::Literal(ScalarValue::Int64(Some(v)), _) if i32::try_from(*v).is_ok() => {
            DataType::Int32
        }
        _ => other.get_type(schema).ok()?,
    };
    let t = numeric_type_for(text, &other_type)?;
    Some(Expr::Cast(datafusion::logical_expr::Cast::new(
        Box::new(Expr::Literal(
            ScalarValue::Utf8(Some(text.to_string())),
            None,
        )),
        t,
    )))
}

/// `text` as an array literal of `other`'s array type, read as
/// PostgreSQL's `array_in` reads it (`'{}'`, `'{web,"a b",NULL}'`).
fn array_literal(text: &str, other: &Expr, schema: &DFSchema) -> Option<Expr> {
    let list @ (DataType::List(_) | DataType::LargeList(_)) = other.get_type(schema).ok()? else {
        return None;
    };
    let items: Vec<ScalarValue> = crate::server::rewrite::array_elements(text)?
        .into_iter()
        .map(ScalarValue::Utf8)
        .collect();
    let value = ScalarValue::List(ScalarValue::new_list_nullable(&items, &DataType::Utf8))
        .cast_to(&list)
        .ok()?;
    Some(Expr::Literal(value, None))
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
